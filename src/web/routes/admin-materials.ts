/**
 * The committee's materials of an edition (/admin/editions/:series/:year/materials): the list,
 * uploads and links for any slot, topic or the edition, meeting notes, the group photo, removal.
 * A refused write shows the page again with the reason at the field of the form it came from.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findEdition } from '../../domain/editions/find-edition.js';
import { InvalidInput } from '../../domain/errors.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from '../../domain/files/store.js';
import { addMaterialFile, addMaterialLink, addNotes, editionPeople, listMaterials, materialTargets, NoSuchMaterial, parseTarget, removeMaterial, setGroupPhoto } from '../../domain/program/materials.js';
import { services, type AppDeps } from '../app.js';
import { editionIdParams, editionParams, pathParams } from '../params.js';
import { AdminMaterialsPage, type MaterialsForm } from '../views/admin/materials.js';
import { account, actorOf, formErrors } from './admin.js';
import { rememberUploadNames, uploadName } from './upload-names.js';
import { csrfToken } from '../session.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export async function materialAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const maxUploadBytes = deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const mdeps = () => ({ db: deps.db, filesDir: services(deps).filesDir, maxUploadBytes });
  rememberUploadNames(app);

  async function page(req: FastifyRequest, reply: FastifyReply, o: { form?: MaterialsForm; values?: Record<string, string>; errors?: Record<string, string> } = {}, status = 200) {
    const p = pathParams(editionParams, req);
    const e = await findEdition(deps.db, p);
    const n = (req.query as Record<string, unknown> | undefined)?.notice;
    const [materials, targets, people] = await Promise.all([listMaterials(deps, e.id), materialTargets(deps.db, e.id), editionPeople(deps.db, e.id)]);
    const editionPath = `/admin/editions/${p.series}/${p.year}`;
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        AdminMaterialsPage({
          account: account(req),
          csrf: csrfToken(reply),
          title: e.title,
          base: `${editionPath}/materials`,
          editionPath,
          materials,
          targets,
          people,
          maxUploadBytes,
          notice: typeof n === 'string' ? n : undefined,
          ...o,
        }),
      );
  }

  function write(path: string, form: MaterialsForm, run: (req: FastifyRequest, editionId: number, body: Record<string, unknown>) => Promise<string>) {
    app.post(`/editions/:series/:year/materials/${path}`, async (req, reply) => {
      const p = pathParams(editionParams, req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        const e = await findEdition(deps.db, p);
        const done = await run(req, e.id, body);
        return reply.redirect(`/admin/editions/${p.series}/${p.year}/materials?notice=${encodeURIComponent(done)}`, 303);
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => typeof v === 'string' && k !== '_csrf')) as Record<string, string>;
        return page(req, reply, { form, values, errors }, 400);
      }
    });
  }

  /** The uploaded file of a multipart form, with the name it came with. */
  function upload(req: FastifyRequest, body: Record<string, unknown>): { bytes: Buffer; fileName: string } {
    const bytes = Buffer.isBuffer(body.file) ? body.file : undefined;
    const fileName = uploadName(req, 'file') ?? '';
    if (!bytes || (bytes.length === 0 && fileName === '')) throw new InvalidInput('file', 'choose a file to upload');
    return { bytes, fileName };
  }

  app.get('/editions/:series/:year/materials', async (req, reply) => page(req, reply));

  write('file', 'upload', async (req, editionId, b) => {
    const f = upload(req, b);
    const m = await addMaterialFile(mdeps(), actorOf(req), { editionId, ...parseTarget(str(b.target)), kind: (str(b.kind) || undefined) as never, label: str(b.label), credit: str(b.credit), ...f });
    return `Uploaded ${m.file_name}.`;
  });
  write('link', 'link', async (req, editionId, b) => {
    await addMaterialLink(mdeps(), actorOf(req), { editionId, ...parseTarget(str(b.target)), kind: (str(b.kind) || undefined) as never, label: str(b.label), credit: str(b.credit), url: str(b.url) });
    return 'Added the link.';
  });
  write('notes', 'notes', async (req, editionId, b) => {
    await addNotes(mdeps(), actorOf(req), { editionId, authorId: str(b.authorId) as never, label: str(b.label), body: str(b.body) });
    return 'Added the meeting notes.';
  });
  write('photo', 'photo', async (req, editionId, b) => {
    await setGroupPhoto(mdeps(), actorOf(req), { editionId, label: str(b.label), credit: str(b.credit), ...upload(req, b) });
    return 'Set the group photo.';
  });

  app.post('/editions/:series/:year/materials/:id/remove', async (req, reply) => {
    const p = pathParams(editionIdParams, req);
    const e = await findEdition(deps.db, p);
    const back = (said: string) => reply.redirect(`/admin/editions/${p.series}/${p.year}/materials?notice=${encodeURIComponent(said)}`, 303);
    try {
      await removeMaterial(mdeps(), actorOf(req), { editionId: e.id, id: p.id });
      return back(`Removed material ${p.id}.`);
    } catch (err) {
      // Gone already (Remove pressed twice, or on a page older than the removal): what was asked is done.
      if (!(err instanceof NoSuchMaterial)) throw err;
      return back(`Material #${p.id} was already removed.`);
    }
  });
}
