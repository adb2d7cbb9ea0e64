/**
 * The committee's topic decisions for an edition: the proposals with a state filter, the
 * decision form (accept, decline, ask for changes) whose comment is mailed to the presenters,
 * and the form that changes a topic's title, abstract, length or presenters in any state.
 * Mounted under /admin (session required, CSRF checked in app.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { TopicState } from '../../db/schema.js';
import { getEdition } from '../../domain/editions/edit-edition.js';
import { InvalidInput, NotFound } from '../../domain/errors.js';
import { InvalidTransition } from '../../domain/errors.js';
import { acceptedAttendees, decideTopic, getTopic, listTopics, notComingIn, notComingSentence, presenterChoices, proposeTopic, TOPIC_STATES, updateTopic, type TopicView } from '../../domain/program/topics.js';
import { services, type AppDeps } from '../app.js';
import { editionIdParams, editionParams, pathParams } from '../params.js';
import { AdminTopicEditPage, AdminTopicsPage, type DecisionRetry, type ProposeRetry, type TopicEditValues } from '../views/admin/topics.js';
import { account, actorOf, formErrors } from './admin.js';
import { formValues } from './invitee-topics.js';
import { csrfToken } from '../session.js';
import { formKeyOf, saveOnce } from '../../domain/form-once.js';
import { sentAgain } from '../form-once.js';
import { andList } from '../../domain/word-list.js';

const topicParams = editionIdParams;
const stateQuery = z.object({ state: z.preprocess((v) => (v === '' ? undefined : v), z.enum(TOPIC_STATES).optional()), notice: z.string().optional() });

/** What an edit's notice calls a changed field. */
const CHANGED: Record<string, string> = { title: 'title', abstract: 'abstract', wishedMinutes: 'length', presenterIds: 'presenters' };

/**
 * The presenters ticked on the edit form, in the form's order; undefined (kept as they are) for a
 * form without its presenters (`presentersShown`). None ticked is an empty list, for the domain
 * to refuse, except for a topic that has none (an imported one): it keeps none.
 */
function tickedPresenters(body: unknown, topic: TopicView): string[] | undefined {
  const b = (body ?? {}) as Record<string, unknown>;
  if (b.presentersShown === undefined) return undefined;
  const ticked = [b.presenterIds ?? []].flat().map(String);
  return ticked.length === 0 && topic.presenters.length === 0 ? undefined : ticked;
}


const DONE: Record<string, string> = { accept: 'Accepted', decline: 'Declined', 'request-changes': 'Asked for changes to' };

/** What a decision form sent with its first choice, which decides nothing, says. */
function keptDecision(state: TopicState): string {
  if (state === 'accepted') return 'it stays accepted: choose Decline it instead to change the decision; nothing was changed, and nobody mailed';
  if (state === 'declined') return 'it stays declined: choose Accept it instead to change the decision; nothing was changed, and nobody mailed';
  return 'choose Accept, Decline or Ask for changes: nothing was decided, and nobody mailed';
}

export async function topicAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const base = (p: { series: string; year: number }) => `/admin/editions/${p.series}/${p.year}/topics`;

  async function page(
    req: FastifyRequest,
    reply: FastifyReply,
    o: { state?: TopicState | undefined; notice?: string | undefined; retry?: DecisionRetry; propose?: ProposeRetry } = {},
    status = 200,
  ) {
    const p = pathParams(editionParams, req);
    const e = await getEdition(deps, p.series, p.year);
    const all = await listTopics(deps, { editionId: e.id });
    const counts = Object.fromEntries(TOPIC_STATES.map((s) => [s, all.filter((t) => t.state === s).length])) as Record<TopicState, number>;
    const topics = o.state ? all.filter((t) => t.state === o.state) : all;
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(
        AdminTopicsPage({
          account: account(req),
          csrf: csrfToken(reply),
          editionTitle: e.title,
          base: base(p),
          topics,
          counts,
          state: o.state,
          notice: o.notice,
          attendees: await acceptedAttendees(deps, e.id),
          notComing: await notComingIn(deps.db, e.id),
          ...(o.retry ? { retry: o.retry } : {}),
          ...(o.propose ? { propose: o.propose } : {}),
        }),
      );
  }

  app.get('/editions/:series/:year/topics', async (req, reply) => {
    const q = stateQuery.safeParse(req.query ?? {});
    return page(req, reply, q.success ? { state: q.data.state, notice: q.data.notice } : {});
  });

  // A topic sent to the committee, proposed for the attendee it is from (theirs to edit after).
  app.post('/editions/:series/:year/topics', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const proposerId = (req.body as Record<string, unknown> | undefined)?.proposerId;
    const values = { ...formValues(req.body), proposerId: typeof proposerId === 'string' ? proposerId : '' };
    const e = await getEdition(deps, p.series, p.year);
    try {
      if (values.proposerId === '') throw new InvalidInput('proposerId', 'choose the attendee the topic is from');
      // Saved once, however often the form is sent (form-once.ts).
      const sent = await saveOnce(deps, formKeyOf(req.body), async (db) => {
        const t = await proposeTopic({ ...services(deps), db }, actorOf(req), { editionId: e.id, ...values }, 'committee');
        const notice = `Proposed “${t.title}” (#${t.number}) for ${t.proposer?.name ?? 'the attendee'}; nobody was mailed.`;
        return { result: t, landing: `${base(p)}?notice=${encodeURIComponent(notice)}#topic-${t.id}` };
      });
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      return page(req, reply, { propose: { values, errors } }, 400);
    }
  });

  app.post('/editions/:series/:year/topics/:id/decide', async (req, reply) => {
    const p = pathParams(topicParams, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const decision = typeof body.decision === 'string' ? body.decision : '';
    const comment = typeof body.comment === 'string' ? body.comment : '';
    const e = await getEdition(deps, p.series, p.year);
    // The topic must be of the edition in the address.
    const topic = (await listTopics(deps, { editionId: e.id })).find((t) => t.id === p.id);
    if (!topic) throw new NotFound(`there is no such topic in ${e.title}`);
    try {
      // The form's first choice ("Not decided yet", or the decision as it stands) sent as it is: say so in the form's words.
      if (decision === '') throw new InvalidInput('decision', keptDecision(topic.state));
      const t = await decideTopic(services(deps), actorOf(req), { topicId: p.id, decision: decision as never, comment });
      const notComing = t.notComing.length ? ` ${notComingSentence(t.notComing, t.title)}.` : '';
      const notice = `${DONE[decision] ?? 'Decided on'} “${t.title}”; mailed ${t.mailed.length ? t.mailed.join(', ') : 'nobody (no presenter has an invitation address)'}.${notComing}`;
      return reply.redirect(`${base(p)}?notice=${encodeURIComponent(notice)}#topic-${t.id}`, 303);
    } catch (err) {
      // A decision the topic's state refuses (on the schedule, say) is shown at its form too.
      const errors = formErrors(err) ?? (err instanceof InvalidTransition ? { decision: err.message } : null);
      if (!errors) throw err;
      return page(req, reply, { retry: { topicId: p.id, decision, comment, errors } }, err instanceof InvalidTransition ? 409 : 400);
    }
  });

  /** The topic of the address, which must be of the edition in it. */
  async function topicOf(p: { series: string; year: number; id: number }): Promise<{ edition: { id: number; title: string }; topic: TopicView }> {
    const e = await getEdition(deps, p.series, p.year);
    const t = await getTopic(deps, p.id).catch((err: unknown) => {
      if (err instanceof NotFound) return null;
      throw err;
    });
    if (!t || t.editionId !== e.id) throw new NotFound(`there is no such topic in ${e.title}`);
    return { edition: e, topic: t };
  }

  async function editPage(req: FastifyRequest, reply: FastifyReply, o: { editionTitle: string; base: string; topic: TopicView; values: TopicEditValues; errors: Record<string, string> }, status = 200) {
    const choices = await presenterChoices(deps, o.topic);
    return reply
      .status(status)
      .type('text/html; charset=utf-8')
      .send(AdminTopicEditPage({ account: account(req), csrf: csrfToken(reply), ...o, choices }));
  }

  app.get('/editions/:series/:year/topics/:id/edit', async (req, reply) => {
    const p = pathParams(topicParams, req);
    const { edition, topic } = await topicOf(p);
    const values = { title: topic.title, abstract: topic.abstract, wishedMinutes: topic.wishedMinutes === null ? '' : String(topic.wishedMinutes), presenterIds: topic.presenters.map((x) => String(x.id)) };
    return editPage(req, reply, { editionTitle: edition.title, base: base(p), topic, values, errors: {} });
  });

  app.post('/editions/:series/:year/topics/:id/edit', async (req, reply) => {
    const p = pathParams(topicParams, req);
    const { edition, topic } = await topicOf(p);
    const { title, abstract, wishedMinutes } = formValues(req.body);
    const presenterIds = tickedPresenters(req.body, topic);
    const values = { title, abstract, wishedMinutes, presenterIds: presenterIds ?? [] };
    try {
      const out = await updateTopic(services(deps), actorOf(req), { topicId: topic.id, title, abstract, wishedMinutes, presenterIds });
      const t = out.topic;
      // A new title alone would not say which topic it was: the old one is said too, as the
      // change read it (`topic`, read before, may hold another edit's title).
      const others = out.changed.filter((f) => f !== 'title').map((f) => CHANGED[f]!);
      const notice =
        (out.changed.length === 0
          ? `Nothing changed in “${t.title}” (#${t.number}).`
          : out.changed.includes('title')
            ? `Topic #${t.number} “${out.oldTitle}” is now “${t.title}”${others.length ? `; its ${andList(others)} changed too` : ''}; nobody was mailed.`
            : `Changed the ${andList(others)} of “${t.title}” (#${t.number}); nobody was mailed.`) +
        (out.logged.length ? ` The schedule's changelog says: ${out.logged.join('; ')}.` : '');
      return reply.redirect(`${base(p)}?notice=${encodeURIComponent(notice)}#topic-${t.id}`, 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      return editPage(req, reply, { editionTitle: edition.title, base: base(p), topic, values, errors }, 400);
    }
  });
}

/** A refused form's errors by the form's own field (`presenters.0` is the presenters field's), or null for another error. */
function fieldErrors(err: unknown): Record<string, string> | null {
  const raw = formErrors(err);
  if (!raw) return null;
  const errors: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) errors[k.split('.')[0]!] ??= v;
  return errors;
}
