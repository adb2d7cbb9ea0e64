/**
 * The speaker's materials behind their invitation link: an accepted invitee who speaks in a slot
 * or presents a topic uploads files or adds links for them, and removes what they added. A
 * refused upload shows the page again with the reason at the field; nothing is saved.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../domain/files/store.js';
import { parseTarget } from '../../domain/program/material-queries.js';
import { addSpeakerFile, addSpeakerLink, removeSpeakerMaterial, speakerMaterials } from '../../domain/program/speaker-materials.js';
import { findByToken } from '../../domain/invitations/rsvp.js';
import { acceptUploads, services, type AppDeps } from '../app.js';
import { inviteeRateLimit } from './invitation.js';
import { SpeakerMaterialsPage } from '../views/materials.js';
import { formErrors } from './admin.js';
import { rememberUploadNames, uploadName } from './upload-names.js';
import { pathParams, tokenIdParams, tokenParams } from '../params.js';
import { csrfToken } from '../session.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export async function inviteeMaterialRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const LIMIT = inviteeRateLimit(deps);
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const sdeps = () => ({ ...services(deps), maxUploadBytes });
  rememberUploadNames(app);
  await acceptUploads(app, deps);
  // A write's link is checked before its body (perhaps a file) is read: after the rate limit
  // (a route's onRequest), before parsing.
  app.addHook('preParsing', async (req, _reply, payload) => {
    // The link alone (a hash lookup), not the page's materials, which the write loads itself.
    if (req.method === 'POST') await findByToken(sdeps(), pathParams(tokenParams, req).token);
    return payload;
  });

  async function page(req: FastifyRequest, reply: FastifyReply, o: { form?: 'upload' | 'link'; values?: Record<string, string>; errors?: Record<string, string> } = {}, status = 200) {
    const { token } = pathParams(tokenParams, req);
    const s = await speakerMaterials(sdeps(), token);
    const n = (req.query as Record<string, unknown> | undefined)?.notice;
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('referrer-policy', 'no-referrer')
      .send(
        SpeakerMaterialsPage({
          token,
          csrf: csrfToken(reply),
          editionTitle: s.editionTitle,
          personName: s.personName,
          closed: s.closed,
          published: s.published,
          targets: s.targets,
          preferred: s.preferred,
          materials: s.materials,
          maxUploadBytes,
          notice: typeof n === 'string' ? n : undefined,
          ...o,
        }),
      );
  }

  /** Runs a write; a field error shows the page again with it, keeping what was typed. */
  async function write(req: FastifyRequest, reply: FastifyReply, form: 'upload' | 'link', run: (token: string, body: Record<string, unknown>) => Promise<string>) {
    const { token } = pathParams(tokenParams, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const done = await run(token, body);
      return reply.redirect(`/invitation/${token}/materials?notice=${encodeURIComponent(done)}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf')) as Record<string, string>;
      return page(req, reply, { form, values, errors }, 400);
    }
  }

  app.get('/invitation/:token/materials', { config: LIMIT }, async (req, reply) => page(req, reply));

  app.post('/invitation/:token/materials', { config: LIMIT }, async (req, reply) =>
    write(req, reply, 'upload', async (token, b) => {
      const bytes = Buffer.isBuffer(b.file) ? b.file : undefined;
      const fileName = uploadName(req, 'file') ?? '';
      if (!bytes || (bytes.length === 0 && fileName === '')) throw new InvalidInput('file', 'choose a file to upload');
      const m = await addSpeakerFile(sdeps(), token, { ...parseTarget(str(b.target)), kind: (str(b.kind) || undefined) as never, label: str(b.label), fileName, bytes });
      return `Uploaded ${m.file_name}.`;
    }),
  );

  app.post('/invitation/:token/materials/link', { config: LIMIT }, async (req, reply) =>
    write(req, reply, 'link', async (token, b) => {
      await addSpeakerLink(sdeps(), token, { ...parseTarget(str(b.target)), kind: (str(b.kind) || undefined) as never, label: str(b.label), url: str(b.url) });
      return 'Added the link.';
    }),
  );

  app.post('/invitation/:token/materials/:id/remove', { config: LIMIT }, async (req, reply) => {
    const p = pathParams(tokenIdParams, req);
    await removeSpeakerMaterial(sdeps(), p.token, p.id);
    return reply.redirect(`/invitation/${p.token}/materials?notice=${encodeURIComponent('Removed.')}`, 303);
  });
}
