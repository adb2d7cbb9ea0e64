/**
 * Stored files by content hash: the sniffed type, `nosniff` (helmet), inline disposition, and
 * cached for good (the name is the content).
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { filePath, getFile } from '../../domain/files/store.js';
import { services, type AppDeps } from '../app.js';

const params = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export async function fileRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  app.get('/files/:sha256', async (req, reply) => {
    const p = params.safeParse(req.params);
    if (!p.success) return reply.callNotFound();
    const f = await getFile(deps, p.data.sha256);
    return reply
      .type(f.mediaType)
      .header('content-length', f.size)
      .header('content-disposition', `inline; filename="${f.sha256.slice(0, 12)}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(fs.createReadStream(filePath(services(deps).filesDir, f.sha256)));
  });
}
