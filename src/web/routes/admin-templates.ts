/**
 * The committee's mail templates of an edition: the list with where each text comes from, and
 * an editor per key with the allowed placeholders, a preview (the edition's values, samples for the rest), save (an
 * unknown placeholder refused in place) and reset. Mounted under /admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getEdition } from '../../domain/editions/edit-edition.js';
import { NotFound } from '../../domain/errors.js';
import { editionMailValues } from '../../domain/invitations/invitee-mail.js';
import { isTemplateKey, TEMPLATE_KEYS, templateKeys, type TemplateKey } from '../../domain/mail/template-keys.js';
import { getTemplate, previewTemplate, resetTemplate, saveTemplate, type TemplateText } from '../../domain/mail/templates.js';
import type { AppDeps } from '../app.js';
import { TemplateEditPage, TemplatesPage, originLabel } from '../views/admin/templates.js';
import { account, actorOf, formErrors } from './admin.js';
import { editionParams, pathParams } from '../params.js';
import { parseInput } from '../../domain/validate.js';

const keyParams = editionParams.extend({ key: z.string().max(100) });
const editBody = z.object({ op: z.enum(['preview', 'save']).default('save'), subject: z.string().default(''), body: z.string().default('') });

function html(reply: FastifyReply, body: JSX.Element, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

function notice(req: FastifyRequest): string | undefined {
  const n = (req.query as Record<string, unknown>)?.notice;
  return typeof n === 'string' ? n.slice(0, 300) : undefined;
}

export async function templateAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const base = (p: { series: string; year: number }) => `/admin/editions/${p.series}/${p.year}/templates`;

  /** The edition and the key of the request; an unknown one of either is a 404. */
  async function target(req: FastifyRequest) {
    const p = pathParams(keyParams, req);
    const edition = await getEdition(deps, p.series, p.year);
    if (!isTemplateKey(p.key)) throw new NotFound(`no mail template "${p.key}"; there are: ${templateKeys.join(', ')}`);
    return { p, edition, key: p.key as TemplateKey };
  }

  async function editor(
    req: FastifyRequest,
    reply: FastifyReply,
    t: Awaited<ReturnType<typeof target>>,
    extra: { values?: TemplateText; errors?: Record<string, string>; preview?: TemplateText } = {},
    status = 200,
  ) {
    const current = await getTemplate(deps, { editionId: t.edition.id, key: t.key });
    return html(
      reply,
      TemplateEditPage({
        account: account(req),
        csrf: reply.generateCsrf(),
        title: t.edition.title,
        base: base(t.p),
        key: t.key,
        spec: TEMPLATE_KEYS[t.key],
        current,
        values: extra.values ?? { subject: current.subject, body: current.body },
        errors: extra.errors ?? {},
        preview: extra.preview,
        notice: notice(req),
      }),
      status,
    );
  }

  app.get('/editions/:series/:year/templates', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const edition = await getEdition(deps, p.series, p.year);
    const rows = [];
    for (const key of templateKeys) rows.push({ key, about: TEMPLATE_KEYS[key].about, view: await getTemplate(deps, { editionId: edition.id, key }) });
    return html(reply, TemplatesPage({ account: account(req), csrf: reply.generateCsrf(), title: edition.title, base: base(p), rows, notice: notice(req) }));
  });

  app.get('/editions/:series/:year/templates/:key', async (req, reply) => editor(req, reply, await target(req)));

  // One form, two buttons: "preview" renders the typed text with the edition's values and samples, "save" stores it.
  app.post('/editions/:series/:year/templates/:key', async (req, reply) => {
    const t = await target(req);
    const b = parseInput(editBody, req.body ?? {});
    const values = { subject: b.subject, body: b.body };
    try {
      if (b.op === 'preview') {
        const preview = await previewTemplate(deps, { editionId: t.edition.id, key: t.key, ...values }, await editionMailValues(deps.db, t.edition));
        return editor(req, reply, t, { values, preview });
      }
      await saveTemplate(deps, { editionId: t.edition.id, key: t.key, ...values }, actorOf(req));
      return reply.redirect(`${base(t.p)}/${t.key}?notice=${encodeURIComponent(`Saved the ${t.key} template of ${t.edition.title}.`)}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return editor(req, reply, t, { values, errors }, 400);
    }
  });

  app.post('/editions/:series/:year/templates/:key/reset', async (req, reply) => {
    const t = await target(req);
    const now = await resetTemplate(deps, { editionId: t.edition.id, key: t.key }, actorOf(req));
    return reply.redirect(`${base(t.p)}/${t.key}?notice=${encodeURIComponent(`Reset: the ${originLabel(now.origin)} text applies again.`)}`, 303);
  });
}
