/**
 * The committee's mail templates of an edition: the list with where each text comes from, and
 * an editor per key with the allowed placeholders, a preview (the edition's values, samples for the rest), save (an
 * unknown placeholder refused in place) and reset. Mounted under /admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getEdition } from '../../domain/editions/edit-edition.js';
import { NotFound } from '../../domain/errors.js';
import { previewMailValues } from '../../domain/invitations/invitee-mail.js';
import { isSiteWide, isTemplateKey, SITE_WIDE_KEYS, TEMPLATE_KEYS, templateKeys, type TemplateKey } from '../../domain/mail/template-keys.js';
import { defaultBesideNote, getTemplate, previewTemplate, resetTemplate, saveTemplate, type TemplateText, type TemplateView } from '../../domain/mail/templates.js';
import { services, type AppDeps } from '../app.js';
import { TemplateEditPage, TemplatesPage, originLabel } from '../views/admin/templates.js';
import { account, actorOf, formErrors } from './admin.js';
import { editionParams, pathParams } from '../params.js';
import { parseInput } from '../../domain/validate.js';
import { csrfToken } from '../session.js';

const keyParams = editionParams.extend({ key: z.string().max(100) });
const siteKeyParams = z.object({ key: z.string().max(100) });
/** Where the texts of mail that belongs to no edition are edited. */
const SITE_BASE = '/admin/templates';

/** What an editor edits: an edition's template, or a site-wide one (edition id null). */
interface Target {
  base: string;
  edition: { id: number | null; title: string };
  /** The values a preview takes from the edition (none site-wide). */
  known: () => Promise<Record<string, string>>;
  /** The edition a preview's sample links name (none site-wide). */
  site?: { series: string; year: number };
  key: TemplateKey;
}
const editBody = z.object({ op: z.enum(['preview', 'save']).default('save'), subject: z.string().default(''), body: z.string().default('') });

function html(reply: FastifyReply, body: JSX.Element, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

function notice(req: FastifyRequest): string | undefined {
  const n = (req.query as Record<string, unknown>)?.notice;
  return typeof n === 'string' ? n : undefined;
}

export async function templateAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const base = (p: { series: string; year: number }) => `/admin/editions/${p.series}/${p.year}/templates`;

  /** The edition and the key of the request; an unknown one of either is a 404. */
  async function target(req: FastifyRequest): Promise<Target> {
    const p = pathParams(keyParams, req);
    const edition = await getEdition(deps, p.series, p.year);
    if (!isTemplateKey(p.key)) throw new NotFound(`no mail template "${p.key}"; there are: ${templateKeys.join(', ')}`);
    return { base: base(p), edition: { id: edition.id, title: edition.title }, known: () => previewMailValues(deps.db, edition), site: { series: edition.series_slug, year: edition.year }, key: p.key as TemplateKey };
  }

  /** A site-wide key of /admin/templates/:key (the sign-in mail's); any other is a 404. */
  function siteTarget(req: FastifyRequest): Target {
    const { key } = pathParams(siteKeyParams, req);
    if (!isTemplateKey(key) || !isSiteWide(key)) throw new NotFound(`no site-wide mail template "${key}"; there are: ${SITE_WIDE_KEYS.join(', ')} (the others are each edition's)`);
    return { base: SITE_BASE, edition: { id: null, title: 'every edition (site-wide)' }, known: async () => ({}), key };
  }

  async function editor(
    req: FastifyRequest,
    reply: FastifyReply,
    t: Target,
    extra: { values?: TemplateText; errors?: Record<string, string>; preview?: TemplateText } = {},
    status = 200,
  ) {
    const current = await getTemplate(deps, { editionId: t.edition.id, key: t.key });
    return html(
      reply,
      TemplateEditPage({
        account: account(req),
        csrf: csrfToken(reply),
        title: t.edition.title,
        base: t.base,
        siteWide: t.edition.id === null,
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
    const views: TemplateView[] = [];
    for (const key of templateKeys) views.push(await getTemplate(deps, { editionId: edition.id, key }));
    const rows = views.map((view) => ({ key: view.key, about: TEMPLATE_KEYS[view.key].about, view, note: defaultBesideNote(view.key, views) }));
    return html(reply, TemplatesPage({ account: account(req), csrf: csrfToken(reply), title: edition.title, base: base(p), rows, notice: notice(req) }));
  });

  app.get('/editions/:series/:year/templates/:key', async (req, reply) => {
    const t = await target(req);
    // Its text is the same for every edition: edited in one place.
    if (isSiteWide(t.key)) return reply.redirect(`${SITE_BASE}/${t.key}`, 303);
    return editor(req, reply, t);
  });
  app.get('/templates/:key', async (req, reply) => editor(req, reply, siteTarget(req)));

  // One form, two buttons: "preview" renders the typed text with the edition's values and samples, "save" stores it.
  app.post('/editions/:series/:year/templates/:key', async (req, reply) => save(req, reply, await target(req)));
  app.post('/templates/:key', async (req, reply) => save(req, reply, siteTarget(req)));

  async function save(req: FastifyRequest, reply: FastifyReply, t: Target) {
    const b = parseInput(editBody, req.body ?? {});
    const values = { subject: b.subject, body: b.body };
    try {
      if (b.op === 'preview') {
        const preview = await previewTemplate(deps, { editionId: t.edition.id, key: t.key, ...values }, await t.known(), { baseUrl: services(deps).mail.baseUrl, ...(t.site ? { edition: t.site } : {}) });
        return editor(req, reply, t, { values, preview });
      }
      await saveTemplate(deps, { editionId: t.edition.id, key: t.key, ...values }, actorOf(req));
      return reply.redirect(`${t.base}/${t.key}?notice=${encodeURIComponent(`Saved the ${t.key} template of ${t.edition.title}.`)}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return editor(req, reply, t, { values, errors }, 400);
    }
  }

  async function reset(reply: FastifyReply, t: Target) {
    const now = await resetTemplate(deps, { editionId: t.edition.id, key: t.key }, actorOf(reply.request));
    return reply.redirect(`${t.base}/${t.key}?notice=${encodeURIComponent(`Reset: the ${originLabel(now.origin)} text applies again.`)}`, 303);
  }
  app.post('/editions/:series/:year/templates/:key/reset', async (req, reply) => reset(reply, await target(req)));
  app.post('/templates/:key/reset', async (req, reply) => reset(reply, siteTarget(req)));
}
