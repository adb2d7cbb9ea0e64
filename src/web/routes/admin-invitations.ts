/**
 * The committee's invitation pipeline for an edition: candidates, sending, re-sending, revoking
 * and overriding with a reason, reminders. Mounted under /admin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getEdition } from '../../domain/editions/edit-edition.js';
import { addCandidate, AmbiguousPerson, nameNotTakenSentence } from '../../domain/invitations/candidates.js';
import { CapFull, overriddenSentence, overrideState, revokedSentence, revokeInvitation } from '../../domain/invitations/committee-actions.js';
import { invitationPipeline } from '../../domain/invitations/pipeline.js';
import { remindAndExpire } from '../../domain/invitations/reminders.js';
import { resendInvitation, resentSentence, sendInvitations, sentSentence } from '../../domain/invitations/send.js';
import { invitationNotFound } from '../../domain/invitations/deps.js';
import { INVITATION_STATES } from '../../domain/invitations/states.js';
import { invitationLink, liveLinks } from '../../domain/invitations/tokens.js';
import { promotedSentence } from '../../domain/invitations/cap.js';
import { services, type AppDeps } from '../app.js';
import { InvitationsPage, type RowErrors } from '../views/admin/invitations.js';
import { Conflict, InvalidTransition, NotFound } from '../../domain/errors.js';
import { account, actorOf, formErrors } from './admin.js';
import { editionIdParams, editionParams, pathParams } from '../params.js';
import { checkbox, parseInput, recordIds, ticked } from '../../domain/validate.js';
import { count } from '../../domain/count.js';
import { csrfToken } from '../session.js';
import { formKeyOf, saveOnce } from '../../domain/form-once.js';
import { sentAgain } from '../form-once.js';

const actParams = editionIdParams;
const actBody = z.object({
  act: z.enum(['resend', 'revoke', 'override']),
  reason: z.string().default(''),
  state: z.enum(INVITATION_STATES).optional(),
  answerBy: z.string().trim().optional(),
  /** An override to accepted past the cap (the CLI's --force). */
  force: checkbox,
  /** A re-send's mail held as a draft, sent with its batch under Mail (the CLI's --hold). */
  hold: checkbox,
});

/** The invitations page of an edition, where the links just sent are carried to (carryLinks). */
const invitationsPath = (p: { series: string; year: number }) => `/admin/editions/${p.series}/${p.year}/invitations`;

/**
 * The links a sending made, shown once on the page it redirects to: in a cookie for that page
 * only, read and ended by its next GET (never in the address, which history and logs keep).
 * What comes back is shown only as far as it is a live link of the edition (tokens.ts liveLinks).
 */
const SENT_LINKS_COOKIE = 'conclave_sent_links';
/** A cookie whole in a browser's 4096 bytes, and a request's headers in nginx's 8 KiB buffer. */
const SENT_LINKS_MAX = 3800;

/** Sets the cookie carrying `sent`'s links to the page; false when they are too many for it. */
function carryLinks(reply: FastifyReply, p: { series: string; year: number }, sent: { id: number; link: string }[]): boolean {
  const value = sent.map((s) => `${s.id}~${s.link.slice(s.link.lastIndexOf('/') + 1)}`).join('.');
  if (value.length > SENT_LINKS_MAX) return false;
  reply.setCookie(SENT_LINKS_COOKIE, value, { path: invitationsPath(p), httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: 600 });
  return true;
}

export async function invitationAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const idep = () => services(deps);

  async function page(
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; values?: Record<string, string>; rowErrors?: RowErrors; namesakes?: { name: string; addresses: string[] }[]; notice?: string; links?: { name: string; email: string; link: string }[]; linksHeld?: boolean } = {},
    status = 200,
  ) {
    const p = pathParams(editionParams, req);
    const e = await getEdition(deps, p.series, p.year);
    const pipeline = await invitationPipeline(deps, e.id);
    const notice = extra.notice ?? ((req.query as Record<string, string>)?.notice || undefined);
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(InvitationsPage({ account: account(req), csrf: csrfToken(reply), pipeline, base: `/admin/editions/${p.series}/${p.year}/invitations`, errors: extra.errors ?? {}, values: extra.values ?? {}, ...(extra.rowErrors ? { rowErrors: extra.rowErrors } : {}), ...(extra.namesakes ? { namesakes: extra.namesakes } : {}), notice, ...(extra.links ? { links: extra.links, linksHeld: !!extra.linksHeld } : {}) }));
  }
  const back = (p: { series: string; year: number }, notice: string) => `${invitationsPath(p)}?notice=${encodeURIComponent(notice)}`;

  // The links just sent, carried over the redirect (carryLinks), are shown this once.
  app.get('/editions/:series/:year/invitations', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const carried = req.cookies[SENT_LINKS_COOKIE];
    if (carried === undefined) return page(req, reply);
    reply.clearCookie(SENT_LINKS_COOKIE, { path: invitationsPath(p) });
    const e = await getEdition(deps, p.series, p.year);
    const given = carried.split('.').map((pair) => {
      const [id, token] = pair.split('~');
      return { id: Number(id), token: token ?? '' };
    });
    const live = await liveLinks(deps, e.id, given);
    if (live.length === 0) return page(req, reply);
    const rows = new Map((await invitationPipeline(deps, e.id, { pages: false })).rows.map((r) => [r.id, r]));
    const links = live.flatMap((l) => {
      const row = rows.get(l.id);
      return row ? [{ name: row.name, email: row.email, link: invitationLink(idep().mail.baseUrl, l.token), held: row.heldIn !== null }] : [];
    });
    return page(req, reply, { links: links.map(({ held: _, ...l }) => l), linksHeld: links.some((l) => l.held) });
  });

  app.post('/editions/:series/:year/invitations/candidates', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const body = (req.body ?? {}) as Record<string, string>;
    const e = await getEdition(deps, p.series, p.year);
    try {
      // The question's answer: "new", or an address of the person this is.
      const person = body.person?.trim() ?? '';
      const sent = await saveOnce(deps, formKeyOf(body), async (db) => {
        const c = await addCandidate({ ...idep(), db }, actorOf(req), {
          editionId: e.id,
          name: body.name ?? '',
          email: body.email ?? '',
          source: 'manual',
          ...(body.note ? { note: body.note } : {}),
          ...(person && person !== 'new' ? { sameAs: person } : {}),
          newPerson: person === 'new',
        });
        const notTaken = nameNotTakenSentence(c);
        return { result: c, landing: back(p, `Added ${c.name} as a candidate.${notTaken ? ` ${notTaken}.` : ''}`) };
      });
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      if (err instanceof AmbiguousPerson) return page(req, reply, { errors: { person: err.message }, values: body, namesakes: err.namesakes }, 400);
      const errors = formErrors(err) ?? (err instanceof Conflict ? { email: err.message } : null);
      if (!errors) throw err;
      return page(req, reply, { errors, values: body }, 400);
    }
  });

  // The page after sending shows the links once; reloading its address lands on the pipeline.
  app.get('/editions/:series/:year/invitations/send', async (req, reply) => {
    const p = pathParams(editionParams, req);
    return reply.redirect(`/admin/editions/${p.series}/${p.year}/invitations`, 303);
  });

  app.post('/editions/:series/:year/invitations/send', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const body = (req.body ?? {}) as Record<string, string | string[]>;
    const e = await getEdition(deps, p.series, p.year);
    const chosen = recordIds.safeParse(body.ids);
    if (!chosen.success) return page(req, reply, { errors: { ids: `the candidates’ ids ${chosen.error.issues[0]!.message}` }, values: { answerBy: String(body.answerBy ?? '') } }, 400);
    const ids = chosen.data;
    try {
      // Sent again (Back, a double click), the form sends nothing more: nobody is mailed twice.
      const sent = await saveOnce(deps, formKeyOf(body), async (db) => {
        const r = await sendInvitations({ ...idep(), db }, actorOf(req), { editionId: e.id, ids, ...(body.answerBy ? { answerBy: String(body.answerBy) } : {}), hold: ticked(body, 'hold') });
        const carried = carryLinks(reply, p, r.invitations);
        const notice = [
          r.batch ? `${sentSentence(r)}: read and send ${r.invitations.length === 1 ? 'it' : 'them'} under Mail.` : `${sentSentence(r)}.`,
          ...(carried ? [] : [`Their ${r.invitations.length} links are too many to show here: each is in its mail${r.batch ? ' (a draft under Mail)' : ''}.`]),
        ].join(' ');
        return { result: r, landing: back(p, notice) };
      });
      // Post/Redirect/Get: reloading the page shown after sending sends nothing again.
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      // A candidate taken off or sent meanwhile (by another member, or the CLI): said above the
      // list, which now shows what is left to send.
      const stale = err instanceof NotFound || err instanceof InvalidTransition ? { ids: err.message } : null;
      const errors = formErrors(err) ?? stale;
      if (!errors) throw err;
      return page(req, reply, { errors, values: { answerBy: String(body.answerBy ?? '') } }, stale ? 409 : 400);
    }
  });

  app.post('/editions/:series/:year/invitations/:id/act', async (req, reply) => {
    const p = pathParams(actParams, req);
    const b = parseInput(actBody, req.body);
    const e = await getEdition(deps, p.series, p.year);
    const own = await deps.db.selectFrom('invitations').select('id').where('id', '=', p.id).where('edition_id', '=', e.id).executeTakeFirst();
    if (!own) throw invitationNotFound(p.id, e.title);
    try {
      if (b.act === 'resend') {
        // A re-send sent again would mail a second link and end the first: it is made once.
        const sent = await saveOnce(deps, formKeyOf(req.body), async (db) => {
          const r = await resendInvitation({ ...idep(), db }, actorOf(req), { id: p.id, ...(b.answerBy ? { answerBy: b.answerBy } : {}), hold: b.hold });
          return { result: r, landing: back(p, resentSentence(r)) };
        });
        return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
      }
      if (b.act === 'revoke') {
        const r = await revokeInvitation(idep(), actorOf(req), { id: p.id, reason: b.reason });
        return reply.redirect(back(p, [revokedSentence(r), ...promotedSentence(r.promoted, 'The freed place')].join(' ')), 303);
      }
      const r = await overrideState(idep(), actorOf(req), { id: p.id, state: b.state ?? 'candidate', reason: b.reason, force: b.force });
      return reply.redirect(back(p, [overriddenSentence(r), ...promotedSentence(r.promoted, 'The freed place')].join(' ')), 303);
    } catch (err) {
      const errors =
        err instanceof CapFull
          ? { state: `${err.edition.title} is full: ${err.taken} of ${err.cap} places are taken. Raise the cap (“Accepted places (cap)” on the edition’s page), or tick “force past the cap” to go past it.` }
          : (formErrors(err) ?? (err instanceof Error && (err.name === 'Conflict' || err.name === 'InvalidTransition') ? { state: err.message } : null));
      if (!errors) throw err;
      // Shown at the row whose form was sent, with what was typed in it.
      return page(req, reply, { rowErrors: { id: p.id, errors, values: { reason: b.reason, answerBy: b.answerBy ?? '', state: b.state ?? '', force: b.force ? 'yes' : '', hold: b.hold ? 'yes' : '' } } }, 400);
    }
  });

  app.post('/editions/:series/:year/invitations/remind', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const e = await getEdition(deps, p.series, p.year);
    const r = await remindAndExpire(idep(), actorOf(req), { editionId: e.id });
    return reply.redirect(back(p, `${count(r.reminded.length, 'reminder')} queued, ${count(r.expired.length, 'invitation')} expired.`), 303);
  });
}
