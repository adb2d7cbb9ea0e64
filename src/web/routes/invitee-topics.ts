/**
 * Topic proposals from the invitee's page, behind their personal link: list their topics,
 * propose one (accepted invitees only), edit or withdraw it until the committee decides.
 * Rate-limited per client like the invitation page; every POST carries its CSRF token. The page
 * is theirs to read whatever their answer, as their materials page is: one who has not accepted,
 * or declined, or withdrew, reads why they cannot propose (and may still withdraw a proposal of
 * theirs, having declined, say); a proposal they send is refused (403).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Conflict, InvalidForm, InvalidInput, NotFound } from '../../domain/errors.js';
import { notAcceptedNotice } from '../../domain/invitations/ask-committee.js';
import {
  acceptedAttendees,
  closedToProposer,
  editTopic,
  inviteeByToken,
  proposeTopic,
  topicsOfPerson,
  withdrawTopic,
  type MyTopic,
  type TopicInvitee,
} from '../../domain/program/topics.js';
import { services, type AppDeps } from '../app.js';
import { inviteeRateLimit } from './invitation.js';
import { EMPTY_TOPIC, InviteeTopicEditPage, InviteeTopicsPage, type TopicFormValues } from '../views/topics.js';
import { pathParams, tokenIdParams, tokenParams } from '../params.js';
import { csrfToken } from '../session.js';
import { formKeyOf, saveOnce } from '../../domain/form-once.js';

const topicParams = tokenIdParams;

const NOTICES: Record<string, string> = {
  proposed: 'Thank you: your topic is proposed. The committee will mail you its decision.',
  saved: 'Saved: the committee sees the new version.',
  withdrawn: 'Your topic is withdrawn.',
  again: 'This form was sent already; your topic was proposed once.',
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** The topic form as typed, for the domain and for showing it again (the committee's too). */
export function formValues(body: unknown): TopicFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  return {
    title: str(b.title),
    abstract: str(b.abstract),
    wishedMinutes: str(b.wishedMinutes),
    coPresenterIds: [b.coPresenterIds ?? []]
      .flat()
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
  };
}

/** Field errors of a refused proposal, keyed by the form's field names; null for other failures. */
function fieldErrors(err: unknown): Record<string, string> | null {
  const raw = err instanceof InvalidForm ? err.fields : err instanceof InvalidInput ? { [err.field]: err.message.replace(`${err.field}: `, '') } : null;
  if (!raw) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) out[k.split('.')[0]!] ??= v;
  return out;
}

export async function inviteeTopicRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const LIMIT = inviteeRateLimit(deps);
  const tdep = () => services(deps);

  const html = (reply: FastifyReply, body: JSX.Element, status = 200) =>
    reply.status(status).type('text/html; charset=utf-8').header('referrer-policy', 'no-referrer').send(body);

  async function others(invitee: TopicInvitee) {
    return (await acceptedAttendees(tdep(), invitee.edition.id)).filter((a) => a.id !== invitee.personId);
  }

  async function listPage(reply: FastifyReply, token: string, invitee: TopicInvitee, o: { values?: TopicFormValues; errors?: Record<string, string>; notice?: string | undefined } = {}, status?: number) {
    const canPropose = invitee.invitationState === 'accepted';
    const title = invitee.edition.title;
    const page = InviteeTopicsPage({
      invitee,
      token,
      csrf: csrfToken(reply),
      canPropose,
      closed: canPropose
        ? null
        : (notAcceptedNotice(invitee.invitationState, invitee.canAccept, title, 'you cannot propose topics', tdep().mail) ??
          `Only attendees who have accepted their invitation to ${title} may propose topics. Once you have accepted, come back to this page.`),
      topics: await topicsOfPerson(tdep(), invitee.edition.id, invitee.personId),
      attendees: canPropose ? await others(invitee) : [],
      values: o.values ?? EMPTY_TOPIC,
      errors: o.errors ?? {},
      notice: o.notice,
    });
    return html(reply, page, status ?? 200);
  }

  /** One of the invitee's own topics that they may still change. */
  async function editable(invitee: TopicInvitee, id: number): Promise<MyTopic> {
    const t = (await topicsOfPerson(tdep(), invitee.edition.id, invitee.personId)).find((x) => x.id === id && x.role === 'proposer');
    if (!t) throw new NotFound(`topic ${id} is not one you proposed`);
    if (!t.editable) throw new Conflict(closedToProposer(t, 'changed'));
    return t;
  }

  app.get('/invitation/:token/topics', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const invitee = await inviteeByToken(tdep(), token);
    const done = (req.query as Record<string, unknown>)?.done;
    return listPage(reply, token, invitee, { notice: typeof done === 'string' && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined });
  });

  app.post('/invitation/:token/topics', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const invitee = await inviteeByToken(tdep(), token);
    if (invitee.invitationState !== 'accepted') return listPage(reply, token, invitee, {}, 403);
    const values = formValues(req.body);
    try {
      // Proposed once, however often the form is sent (form-once.ts). The landing kept is the
      // notice's name, not the address: that holds the invitee's link.
      const sent = await saveOnce(deps, formKeyOf(req.body), async (db) => {
        await proposeTopic({ ...tdep(), db }, invitee.actor, { editionId: invitee.edition.id, proposerId: invitee.personId, ...values });
        return { result: null, landing: 'proposed' };
      });
      return reply.redirect(`/invitation/${token}/topics?done=${sent.again ? 'again' : 'proposed'}`, 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      return listPage(reply, token, invitee, { values, errors }, 400);
    }
  });

  app.get('/invitation/:token/topics/:id', { config: LIMIT }, async (req, reply) => {
    const { token, id } = pathParams(topicParams, req);
    const invitee = await inviteeByToken(tdep(), token);
    const t = await editable(invitee, id);
    const values = { title: t.title, abstract: t.abstract, wishedMinutes: t.wishedMinutes ? String(t.wishedMinutes) : '', coPresenterIds: t.presenters.slice(1).map((p) => p.id) };
    return html(reply, InviteeTopicEditPage({ invitee, token, csrf: csrfToken(reply), topic: t, attendees: await others(invitee), values, errors: {} }));
  });

  app.post('/invitation/:token/topics/:id', { config: LIMIT }, async (req, reply) => {
    const { token, id } = pathParams(topicParams, req);
    const invitee = await inviteeByToken(tdep(), token);
    const values = formValues(req.body);
    try {
      await editTopic(tdep(), invitee.actor, { topicId: id, proposerId: invitee.personId, ...values });
      return reply.redirect(`/invitation/${token}/topics?done=saved`, 303);
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      const t = await editable(invitee, id);
      return html(reply, InviteeTopicEditPage({ invitee, token, csrf: csrfToken(reply), topic: t, attendees: await others(invitee), values, errors }), 400);
    }
  });

  app.post('/invitation/:token/topics/:id/withdraw', { config: LIMIT }, async (req, reply) => {
    const { token, id } = pathParams(topicParams, req);
    const invitee = await inviteeByToken(tdep(), token);
    await withdrawTopic(tdep(), invitee.actor, { topicId: id, proposerId: invitee.personId });
    return reply.redirect(`/invitation/${token}/topics?done=withdrawn`, 303);
  });
}
