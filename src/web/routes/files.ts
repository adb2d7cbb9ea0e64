/**
 * Stored files by content hash, served with the type sniffed when they were stored, `nosniff`,
 * and cached for good (the address is the content). Images and animations are shown inline;
 * documents and text are downloaded (Content-Disposition: attachment), under the name they were
 * uploaded with when the address carries it (/files/<sha256>/<name>, RFC 6266). Only under a
 * name it was uploaded with: another name in the address is led to the file's own (a link made
 * up to hand a slide deck out as "invoice.exe" does not download as that).
 */
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { checkFileName, servedInline } from '../../domain/files/material-types.js';
import { NotFound } from '../../domain/errors.js';
import { fileNames, filePath, getFile } from '../../domain/files/store.js';
import { services, type AppDeps } from '../app.js';
import { pathParams } from '../params.js';

const params = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const named = params.extend({ name: z.string().min(1).max(200) });

/** `attachment; filename="slides.pdf"; filename*=UTF-8''slides.pdf`, the plain name ASCII-only. */
export function contentDisposition(inline: boolean, name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function fileRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  async function send(reply: FastifyReply, sha256: string, name: string | null) {
    const f = await getFile(deps, sha256);
    if (name !== null) {
      const names = await fileNames(deps, sha256);
      if (!names.includes(name)) return reply.redirect(names[0] ? `/files/${sha256}/${encodeURIComponent(names[0])}` : `/files/${sha256}`, 301);
    }
    // Its bytes, checked against the row before any header goes: a file lost from disk or cut
    // short is answered as not here (and logged, for the committee), not as a 500 or as a
    // response shorter than its Content-Length.
    const file = await fs.promises.open(filePath(services(deps).filesDir, f.sha256)).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    const size = file ? (await file.stat()).size : null;
    if (!file || size !== f.size) {
      await file?.close();
      reply.log.error(`uploaded file ${f.sha256} is ${file ? `${size} bytes on disk, ${f.size} recorded` : 'missing from disk'}: run \`conclave files check\``);
      throw new NotFound('this file is not on the server any more');
    }
    const type = f.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : f.mediaType;
    return reply
      .type(type)
      .header('content-length', f.size)
      .header('content-disposition', contentDisposition(servedInline(f.mediaType) || f.mediaType.startsWith('image/'), name ?? f.sha256.slice(0, 12)))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(file.createReadStream());
  }

  app.get('/files/:sha256', async (req, reply) => {
    const p = pathParams(params, req);
    return send(reply, p.sha256, null);
  });

  app.get('/files/:sha256/:name', async (req, reply) => {
    const p = pathParams(named, req);
    try {
      checkFileName(p.name);
    } catch {
      return reply.callNotFound();
    }
    return send(reply, p.sha256, p.name);
  });
}
