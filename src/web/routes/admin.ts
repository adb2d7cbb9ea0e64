/**
 * The committee's admin: editions, committee, mail, audit. Every route needs a signed-in member;
 * every form posts with its CSRF token (checked in app.ts) and shows field errors in place,
 * keeping what was typed.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../domain/audit/record.js';
import { getAuditEntry, listAudit } from '../../domain/audit/record.js';
import { addCommitteeMember, disableCommitteeMember, listCommitteeMembers } from '../../domain/committee/accounts.js';
import { signOutMember } from '../../domain/committee/sessions.js';
import { returnPath } from '../../domain/committee/signin.js';
import { countInbound } from '../../domain/inbound/review.js';
import type { AdminAccount } from '../views/admin/admin-layout.js';
import { addCommitteeRole, addReference, addSponsor, listEditionParts, NoSuchPart, removeEditionPart, UnknownPerson, updateEditionPart } from '../../domain/editions/edition-parts.js';
import { editionOver } from '../../domain/invitations/dates.js';
import { answerByPassed, createEdition, EditionExists, getEdition, noTimeZoneWarning, openKeepTheirDateSentence, privateShownBy, scheduleChangeSentence, slotsOutsideSentence, updateEdition } from '../../domain/editions/edit-edition.js';
import { deleteEdition, editionContents, EditionKept } from '../../domain/editions/delete-edition.js';
import { defaultSeries } from '../../domain/editions/default-series.js';
import { listEditionAddresses, listEditions, listSeriesNames } from '../../domain/editions/list-editions.js';
import { Conflict, InvalidForm, InvalidInput, NotFound } from '../../domain/errors.js';
import { promotedSentence } from '../../domain/invitations/cap.js';
import { countOutbox, getMessage, listOutbox, OUTBOX_STATES, retryFailed } from '../../domain/mail/outbox.js';
import { discardHeldBatch, discardSentence, releaseHeldBatch } from '../../domain/invitations/send.js';
import { acceptUploads, formPage, services, type AppDeps } from '../app.js';
import { adminAccount, csrfToken, loadAccount } from '../session.js';
import type { OutboxState } from '../../db/schema.js';
import { AdminHome, DeleteEdition, discardHeld, EditionForm, editionFormValues, LastImportReport } from '../views/admin/editions.js';
import { lastImportReport } from '../../domain/archive/import-report.js';
import { EditionParts, EditPartPage, type EditedPart } from '../views/admin/edition-parts.js';
import { AuditEntryPage, AuditPage, CommitteePage, MessagePage, OutboxPage } from '../views/admin/records.js';
import { invitationAdminRoutes } from './admin-invitations.js';
import { templateAdminRoutes } from './admin-templates.js';
import { peopleAdminRoutes } from './admin-people.js';
import { topicAdminRoutes } from './admin-topics.js';
import { materialAdminRoutes } from './admin-materials.js';
import { scheduleAdminRoutes } from './admin-schedule.js';
import { inboundAdminRoutes } from './admin-inbound.js';
import { editionParams, idParams, pathParams } from '../params.js';
import { parseInput, recordId, ticked } from '../../domain/validate.js';
import { count } from '../../domain/count.js';
import { sentence } from '../notices.js';
import { formKeyOf, saveOnce } from '../../domain/form-once.js';
import { sentAgain } from '../form-once.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';


/** An edition part as a notice begins with it. */
const PART_WORDS = { sponsor: 'Sponsor', 'committee-role': 'Committee role', reference: 'Reference' } as const;

/** Entries of the audit log a page shows; "Older entries" leads on. */
const AUDIT_PAGE = 100;

/** The held batch a mail action is for. */
const batchBody = z.object({ batch: z.string().min(1) });

function html(reply: FastifyReply, body: JSX.Element, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

export function actorOf(req: FastifyRequest): Actor {
  return { accountId: req.account!.accountId, label: req.account!.email };
}

export function account(req: FastifyRequest): AdminAccount {
  return adminAccount(req)!;
}

function notice(req: FastifyRequest): string | undefined {
  const n = (req.query as Record<string, unknown>)?.notice;
  return typeof n === 'string' ? n : undefined;
}

/** Form errors of a domain call, or null when it was some other failure. */
export function formErrors(err: unknown): Record<string, string> | null {
  if (err instanceof InvalidForm) return err.fields;
  if (err instanceof InvalidInput) return { [err.field]: err.why };
  return null;
}

/** What the sign-in page says to a member whose form came after their session had ended. */
export const FORM_NOT_SAVED = 'You were signed out (or your session ended): the form was not saved. Sign in, then send it again.';

/**
 * Where a signed-out request to the admin is sent: the sign-in, leading back (`next`) to the page
 * asked for, or, for a form, to the page the form was on (formPage, kept to the admin's pages by
 * returnPath: never another site), saying that the form was not saved. What was typed is not
 * kept: it would have to wait somewhere for a sign-in that may never come (in the address, it
 * would be in logs, history and the mailed link), uploads and all.
 */
function signinFirst(app: FastifyInstance, req: FastifyRequest): string {
  if (req.method === 'GET' || req.method === 'HEAD') return `/signin?next=${encodeURIComponent(req.url)}`;
  const page = formPage(app, req, returnPath);
  return `/signin?${page ? `next=${encodeURIComponent(page)}&` : ''}notice=${encodeURIComponent(FORM_NOT_SAVED)}`;
}

export async function adminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  await acceptUploads(app, deps);
  // Who is asking is known before the body is read (an upload is not read for a stranger).
  app.addHook('onRequest', async (req, reply) => {
    const acc = await loadAccount(deps, req);
    if (!acc) return reply.redirect(signinFirst(app, req), 303);
    req.account = acc;
    if (req.method === 'GET') {
      // The navigation says what waits: mail to read in the review queue, mail that failed or is held.
      const [inbound, outbox] = await Promise.all([countInbound(deps), countOutbox(deps)]);
      req.waiting = { inbound: inbound.queue, failed: outbox.failed, drafts: outbox.draft };
    }
  });

  app.get('/', async (req, reply) =>
    html(reply, AdminHome({ account: account(req), csrf: csrfToken(reply), editions: await listEditions(deps, new Date().toISOString().slice(0, 10)), notice: notice(req) })),
  );

  app.get('/editions/new', async (req, reply) => {
    const editions = await listEditions(deps, new Date().toISOString().slice(0, 10));
    const next = Math.max(new Date().getUTCFullYear(), ...editions.map((e) => e.year)) + 1;
    const names = await listSeriesNames(deps);
    return html(
      reply,
      EditionForm({
        account: account(req),
        csrf: csrfToken(reply),
        action: '/admin/editions',
        heading: 'Create an edition',
        values: { series: names[0] ?? 'Netconf', year: next, status: 'planned', cap: 15, reminderDays: 7 },
        errors: {},
        creating: true,
        seriesNames: names,
      }),
    );
  });

  app.post('/editions', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const { year, series, _csrf, _once, ...fields } = body;
    try {
      const sent = await saveOnce(deps, formKeyOf(body), async (db) => {
        const e = await createEdition({ ...services(deps), db }, actorOf(req), { series: series ?? 'Netconf', year: year as unknown as number, fields: fields as never });
        const passed = answerByPassed(e, services(deps).clock());
        const leaks = await privateShownBy(db, e);
        const noZone = noTimeZoneWarning(e, 'set one on its page under “Time zone”');
        return { result: e, landing: `/admin/?notice=${encodeURIComponent([sentence(`Created ${e.title}`), ...(passed ? [passed] : []), ...(noZone ? [noZone] : []), ...(leaks ? [leaks] : [])].join(' '))}` };
      });
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      // The year taken: the form leads to the edition there is, to change it rather than make it again.
      const existing = err instanceof EditionExists ? { href: `/admin/editions/${err.seriesSlug}/${err.year}`, title: `${err.series} ${err.year}` } : undefined;
      const form = { account: account(req), csrf: csrfToken(reply), action: '/admin/editions', heading: 'Create an edition', values: body, errors, creating: true, existing };
      return html(reply, EditionForm({ ...form, seriesNames: await listSeriesNames(deps) }), 400);
    }
  });

  /** The edition's form and, below it, its sponsors, committee and references. */
  async function editPage(
    req: FastifyRequest,
    reply: FastifyReply,
    o: { values?: Record<string, string>; errors?: Record<string, string>; partValues?: Record<string, string>; partErrors?: Record<string, string>; deleteError?: string } = {},
    status = 200,
  ) {
    const p = pathParams(editionParams, req);
    const e = await getEdition(deps, p.series, p.year);
    const action = `/admin/editions/${p.series}/${p.year}`;
    const csrf = csrfToken(reply);
    const contents = await editionContents(deps, p);
    const parts = [
      LastImportReport({ report: await lastImportReport(deps, e) }),
      EditionParts({ parts: await listEditionParts(deps, p), base: action, csrf, errors: o.partErrors ?? {}, values: o.partValues ?? {} }),
      DeleteEdition({ action: `${action}/delete`, csrf, ...contents, error: o.deleteError }),
    ];
    return html(
      reply,
      EditionForm({
        account: account(req),
        csrf,
        action,
        heading: `Edit ${e.title}`,
        values: o.values ?? editionFormValues(e),
        errors: o.errors ?? {},
        creating: false,
        // Still to come: its status is its schedule's, set by publishing it in the builder.
        statusBy: editionOver(e, services(deps).clock()) ? undefined : { status: e.status, builder: `${action}/schedule` },
        notice: notice(req),
        children: parts,
      }),
      status,
    );
  }

  app.get('/editions/:series/:year', async (req, reply) => editPage(req, reply));

  const partsDeps = (db: Kysely<Database> = deps.db) => ({ db, filesDir: services(deps).filesDir });
  /** Each part's form names its fields apart from the others on the page (`sponsorUrl`, `refUrl`):
   * a refusal names the domain's field (`url`), so its error goes to the field of the form sent. */
  const partRoute = (path: string, fields: Record<string, string>, run: (req: FastifyRequest, p: { series: string; year: number }, body: Record<string, unknown>, db: Kysely<Database>) => Promise<string>) =>
    app.post(`/editions/:series/:year/${path}`, async (req, reply) => {
      const p = pathParams(editionParams, req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        const sent = await saveOnce(deps, formKeyOf(body), async (db) => {
          const done = await run(req, p, body, db);
          return { result: done, landing: `/admin/editions/${p.series}/${p.year}?notice=${encodeURIComponent(done)}` };
        });
        return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
      } catch (err) {
        const errors = formErrors(err);
        if (!errors) throw err;
        const partErrors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [fields[k] ?? k, v]));
        const partValues = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
        return editPage(req, reply, { partErrors, partValues }, 400);
      }
    });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  partRoute('sponsors', { name: 'sponsorName', url: 'sponsorUrl' }, async (req, p, b, db) => {
    const logo = Buffer.isBuffer(b.logo) ? b.logo : undefined;
    const s = await addSponsor(partsDeps(db), actorOf(req), p, { name: str(b.sponsorName), kind: str(b.kind) === 'event' ? 'event' : 'company', url: str(b.sponsorUrl), logo });
    return sentence(`Added sponsor ${s.name}`);
  });
  partRoute('committee-roles', { name: 'memberName', email: 'memberEmail' }, async (req, p, b, db) => {
    await addCommitteeRole(partsDeps(db), actorOf(req), p, { name: str(b.memberName), email: str(b.memberEmail), role: str(b.role), newPerson: ticked(b, 'newPerson') }).catch((err: unknown) => {
      throw err instanceof UnknownPerson ? err.withRemedy('tick “Add as a new person” to add them') : err;
    });
    return `Added ${str(b.memberName)} to the committee.`;
  });
  partRoute('references', { title: 'refTitle', url: 'refUrl' }, async (req, p, b, db) => {
    await addReference(partsDeps(db), actorOf(req), p, { title: str(b.refTitle), url: str(b.refUrl) });
    return 'Added the reference.';
  });
  const partParams = editionParams.extend({ part: z.enum(['sponsor', 'committee-role', 'reference']), id: recordId });
  /** One sponsor, committee role or reference's edit form: its values, or what was typed. */
  async function editPartPage(req: FastifyRequest, reply: FastifyReply, o: { values?: Record<string, string>; errors?: Record<string, string> } = {}, status = 200) {
    const p = pathParams(partParams, req);
    const e = await getEdition(deps, p.series, p.year);
    const parts = await listEditionParts(deps, p);
    let target: EditedPart | undefined;
    if (p.part === 'sponsor') {
      const s = parts.sponsors.find((x) => x.id === p.id);
      if (s) target = { part: 'sponsor', id: s.id, name: s.name, kind: s.kind, url: s.url, logoThumb: s.logo_thumb_sha256, logoAlt: s.logo_alt, logoSrc: s.logo_src };
    } else if (p.part === 'committee-role') {
      const m = parts.committee.find((x) => x.id === p.id);
      if (m) target = { part: 'committee-role', id: m.id, name: m.name, role: m.role };
    } else {
      const r = parts.references.find((x) => x.id === p.id);
      if (r) target = { part: 'reference', id: r.id, title: r.title, url: r.url };
    }
    if (!target) throw new NotFound(`no ${p.part} ${p.id} in ${e.title}`);
    const back = `/admin/editions/${p.series}/${p.year}`;
    return html(reply, EditPartPage({ account: account(req), csrf: csrfToken(reply), editionTitle: e.title, back, target, values: o.values ?? {}, errors: o.errors ?? {} }), status);
  }
  app.get('/editions/:series/:year/:part/:id', async (req, reply) => editPartPage(req, reply));
  app.post('/editions/:series/:year/:part/:id', async (req, reply) => {
    const p = pathParams(partParams, req);
    const b = (req.body ?? {}) as Record<string, unknown>;
    // A field the form did not send keeps its value; one sent empty is emptied (url, role).
    const field = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    try {
      const kind = field('kind');
      const { updated, changed } = await updateEditionPart(partsDeps(), actorOf(req), p, p.part, p.id, {
        ...(p.part === 'sponsor'
          ? { name: field('name'), kind: kind === undefined ? undefined : kind === 'event' ? 'event' : 'company', url: field('url'), logo: Buffer.isBuffer(b.logo) ? b.logo : undefined, removeLogo: ticked(b, 'removeLogo') }
          : p.part === 'committee-role'
            ? { role: field('role') }
            : { title: field('title'), url: field('url') }),
      });
      const said = sentence(changed ? `Saved ${updated}` : `Nothing changed in ${updated}`);
      return reply.redirect(`/admin/editions/${p.series}/${p.year}?notice=${encodeURIComponent(said)}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      const values = Object.fromEntries(Object.entries(b).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      return editPartPage(req, reply, { values, errors }, 400);
    }
  });
  app.post('/editions/:series/:year/:part/:id/remove', async (req, reply) => {
    const p = pathParams(partParams, req);
    const back = (said: string) => reply.redirect(`/admin/editions/${p.series}/${p.year}?notice=${encodeURIComponent(said)}`, 303);
    try {
      const { removed } = await removeEditionPart(partsDeps(), actorOf(req), p, p.part, p.id);
      return back(sentence(`Removed ${removed}`));
    } catch (err) {
      // Gone already (Remove pressed twice, or on a page older than the removal): what was asked is done.
      if (!(err instanceof NoSuchPart)) throw err;
      return back(`${PART_WORDS[p.part]} #${p.id} was already removed.`);
    }
  });

  app.post('/editions/:series/:year/delete', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const body = (req.body ?? {}) as Record<string, string>;
    if (body.confirm !== 'yes') return editPage(req, reply, { deleteError: 'Tick “Yes, delete” to delete it.' }, 400);
    try {
      const done = await deleteEdition(partsDeps(), actorOf(req), p);
      return reply.redirect(`/admin/?notice=${encodeURIComponent(sentence(`Deleted ${done.title}${done.contents ? ` with ${done.contents}` : ''}`))}`, 303);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      const deleteError = err instanceof EditionKept ? err.sentence(discardHeld) : err.message;
      return editPage(req, reply, { deleteError }, 409);
    }
  });

  app.post('/editions/:series/:year', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const { _csrf, ...fields } = (req.body ?? {}) as Record<string, string>;
    const action = `/admin/editions/${p.series}/${p.year}`;
    try {
      const { edition, promoted, scheduleChange, scheduleChangeSpeakers, answerByPassed: passed, placeKept, openKeepTheirDate: keep, slotsOutside } = await updateEdition(services(deps), actorOf(req), { series: p.series, year: p.year, fields });
      const kept = keep ? [`${openKeepTheirDateSentence(keep, 'Re-send on the Invitations page, with the new date')}.`] : [];
      const moved = scheduleChange ? [`The published schedule moves: ${scheduleChangeSentence(scheduleChange, scheduleChangeSpeakers)}`] : [];
      const outside = slotsOutside ? [`${slotsOutsideSentence(slotsOutside, 'the Schedule page lists them as conflicts, to move')}.`] : [];
      const leaks = await privateShownBy(deps.db, edition);
      return reply.redirect(`${action}?notice=${encodeURIComponent(['Saved.', ...promotedSentence(promoted), ...moved, ...outside, ...(passed ? [passed] : []), ...(placeKept ? [placeKept] : []), ...kept, ...(leaks ? [leaks] : [])].join(' '))}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return editPage(req, reply, { values: fields, errors }, 400);
    }
  });

  app.get('/committee', async (req, reply) =>
    html(reply, CommitteePage({ account: account(req), csrf: csrfToken(reply), members: await listCommitteeMembers(deps), errors: {}, values: {}, notice: notice(req) })),
  );
  app.post('/committee', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      const sent = await saveOnce(deps, formKeyOf(body), async (db) => {
        const m = await addCommitteeMember({ db }, actorOf(req), { email: body.email ?? '', ...(body.name ? { name: body.name } : {}) });
        return { result: m, landing: `/admin/committee?notice=${encodeURIComponent(m.restored ? `${m.name} is back on the committee.` : sentence(`Added ${m.name}`))}` };
      });
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      const errors = formErrors(err) ?? (err instanceof Error && err.name === 'Conflict' ? { email: err.message } : null);
      if (!errors) throw err;
      return html(reply, CommitteePage({ account: account(req), csrf: csrfToken(reply), members: await listCommitteeMembers(deps), errors, values: body }), 400);
    }
  });

  app.post('/committee/disable', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      const m = await disableCommitteeMember(services(deps), actorOf(req), { email: body.email ?? '' });
      // Oneself disabled: the session just ended, so the next page is the sign-in form.
      return reply.redirect(`/admin/committee?notice=${encodeURIComponent(`${m.name} is off the committee.`)}`, 303);
    } catch (err) {
      if (!(err instanceof Conflict || err instanceof NotFound)) throw err;
      return html(reply, CommitteePage({ account: account(req), csrf: csrfToken(reply), members: await listCommitteeMembers(deps), errors: { disable: err.message }, values: {} }), 409);
    }
  });

  /** Ends every session of a member, as `conclave committee signout` does (a lost laptop). */
  app.post('/committee/signout', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      const r = await signOutMember(deps, actorOf(req), { email: body.email ?? '' });
      // Oneself signed out: the session just ended, so the next page is the sign-in form.
      return reply.redirect(`/admin/committee?notice=${encodeURIComponent(`Ended ${count(r.ended, 'session')} of ${r.name}: they sign in again with a new link.`)}`, 303);
    } catch (err) {
      if (!(err instanceof NotFound || err instanceof InvalidInput)) throw err;
      return html(reply, CommitteePage({ account: account(req), csrf: csrfToken(reply), members: await listCommitteeMembers(deps), errors: { signout: err.message }, values: {} }), err instanceof NotFound ? 404 : 400);
    }
  });

  const stateQuery = z.object({ state: z.enum(OUTBOX_STATES).optional() });
  /** The Mail page, of one state or all, with a notice; a refused action shows it again (status). */
  async function mailPage(req: FastifyRequest, reply: FastifyReply, state: OutboxState | undefined, note: string | undefined, status = 200) {
    const rows = await listOutbox(deps, { ...(state ? { state } : {}), limit: 500, newestFirst: true });
    return html(reply, OutboxPage({ account: account(req), csrf: csrfToken(reply), title: 'Mail', rows, counts: await countOutbox(deps), ...(state ? { state } : {}), notice: note }), status);
  }
  app.get('/mail', async (req, reply) => {
    const q = stateQuery.safeParse(req.query);
    return mailPage(req, reply, q.success ? q.data.state : undefined, notice(req));
  });
  app.get('/mailbox', async (req, reply) => {
    const rows = await listOutbox(deps, { state: 'sent', transport: 'mailbox', limit: 500, newestFirst: true });
    const note = deps.mailboxDir ? notice(req) : 'This server sends mail over SMTP_URL: the local mailbox holds only what was delivered before that was set. Sent mail is under Mail.';
    return html(reply, OutboxPage({ account: account(req), csrf: csrfToken(reply), title: 'Local mailbox', rows, notice: note }));
  });
  app.get('/mail/:id', async (req, reply) => {
    const { id } = pathParams(idParams, req);
    const m = await getMessage(deps, id);
    return html(reply, MessagePage({ account: account(req), csrf: csrfToken(reply), m }));
  });
  app.post('/mail/release', async (req, reply) => {
    const { batch } = parseInput(batchBody, req.body);
    try {
      const r = await releaseHeldBatch(services(deps), actorOf(req), batch);
      return reply.redirect(`/admin/mail?notice=${encodeURIComponent(`${count(r.released, 'message')} queued for sending.`)}`, 303);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      // An invitation in it is past its answer-by date: the drafts page again, saying which.
      return mailPage(req, reply, 'draft', err.message, 409);
    }
  });
  app.post('/mail/discard', async (req, reply) => {
    const { batch } = parseInput(batchBody, req.body);
    try {
      const r = await discardHeldBatch(services(deps), actorOf(req), batch);
      return reply.redirect(`/admin/mail?notice=${encodeURIComponent(discardSentence(r))}`, 303);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      // A held re-send: the drafts page again, saying why, with its Send button at hand.
      return mailPage(req, reply, 'draft', err.message, 409);
    }
  });
  app.post('/mail/retry', async (req, reply) => {
    // Up to nine digits a number: an outbox id is a PostgreSQL integer.
    const { ids } = parseInput(z.object({ ids: z.string().trim().regex(/^(all|[1-9]\d{0,8}(,[1-9]\d{0,8})*)$/, 'must be “all” or message numbers separated by commas') }), req.body);
    const r = await retryFailed(deps, ids === 'all' ? 'all' : ids.split(',').map(Number), actorOf(req));
    return reply.redirect(`/admin/mail?notice=${encodeURIComponent(`${count(r.retried, 'message')} queued again.`)}`, 303);
  });

  app.get('/audit', async (req, reply) => {
    const f = parseInput(
      z.object({
        actor: z.string().max(200).optional(),
        action: z.string().max(100).optional(),
        entity: z.string().max(100).optional(),
        edition: z.string().trim().max(120).optional(),
        before: recordId.optional(),
      }),
      req.query ?? {},
    );
    // An edition as the CLI's --year names it: "2015", of the series a command takes without
    // --series (defaultSeries: the only one, else the newest edition's), or "netdev-conf/2019".
    let editionId: number | undefined;
    const errors: Record<string, string> = {};
    if (f.edition) {
      const m = /^(?:([^/\s]+)\/)?(\d{4})$/.exec(f.edition);
      const series = m ? (m[1] ?? (await defaultSeries(deps.db, undefined))?.slug) : undefined;
      const e = m && series ? await getEdition(deps, series, Number(m[2])).catch((err: unknown) => (err instanceof NotFound ? undefined : Promise.reject(err))) : undefined;
      if (e) editionId = e.id;
      else errors.edition = m ? `no edition ${f.edition} (one of the list, such as netconf/2015)` : 'a year such as 2015, or series/year such as netconf/2015';
    }
    const rows = errors.edition
      ? []
      : await listAudit(deps, {
          ...(f.actor ? { actor: f.actor } : {}),
          ...(f.action ? { action: f.action } : {}),
          ...(f.entity ? { entity: f.entity } : {}),
          ...(editionId !== undefined ? { editionId } : {}),
          ...(f.before !== undefined ? { beforeId: f.before } : {}),
          limit: AUDIT_PAGE + 1,
        });
    const filter = Object.fromEntries(Object.entries(f).filter(([k, v]) => k !== 'before' && typeof v === 'string' && v !== '')) as Record<string, string>;
    const older = rows.length > AUDIT_PAGE ? rows[AUDIT_PAGE - 1]!.id : null;
    return html(
      reply,
      AuditPage({
        account: account(req),
        csrf: csrfToken(reply),
        rows: rows.slice(0, AUDIT_PAGE),
        filter,
        errors,
        editions: await listEditionAddresses(deps),
        older,
        paged: f.before !== undefined,
      }),
      errors.edition ? 400 : 200,
    );
  });

  // One entry in full: the log's row lists only the fields it changed.
  app.get('/audit/:id', async (req, reply) => {
    const { id } = pathParams(idParams, req);
    const entry = await getAuditEntry(deps, id);
    return html(reply, AuditEntryPage({ account: account(req), csrf: csrfToken(reply), entry }));
  });

  await app.register(invitationAdminRoutes, { deps });
  await app.register(templateAdminRoutes, { deps });
  await app.register(topicAdminRoutes, { deps });
  await app.register(materialAdminRoutes, { deps });
  await app.register(scheduleAdminRoutes, { deps });
  await app.register(inboundAdminRoutes, { deps });
  await app.register(peopleAdminRoutes, { deps });

}
