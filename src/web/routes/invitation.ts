/**
 * The invitee's page behind their personal link. Wrong, expired and revoked links get a clear
 * page (LinkInvalid → 410); guessing is rate-limited per client.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { acceptInvitation, declineInvitation, findByToken, updateInviteeDetails, withdrawInvitation } from '../../domain/invitations/rsvp.js';
import { services, type AppDeps } from '../app.js';
import { InvitationPage } from '../views/invitation.js';
import { pathParams, tokenParams } from '../params.js';
import { parseInput } from '../../domain/validate.js';
import { formErrors } from './admin.js';
import { csrfToken } from '../session.js';

// The affiliation's length is the domain's to judge (rsvp.ts): its refusal is shown at the field.
const answerBody = z.object({
  answer: z.enum(['accept', 'decline', 'withdraw']),
  affiliation: z.string().optional(),
  showEmail: z.literal('yes').optional(),
});
const detailsBody = z.object({ affiliation: z.string().default(''), showEmail: z.literal('yes').optional() });

const NOTICES = { accept: 'Thank you: your answer is saved.', decline: 'Your answer is saved. Thank you for telling us.', withdraw: 'You have withdrawn.' };

export async function invitationRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const LIMIT = { rateLimit: { max: deps.limits?.invitation ?? 60, timeWindow: '15 minutes' } };
  const idep = () => services(deps);

  app.get('/invitation/:token', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const v = await findByToken(idep(), token);
    const n = (req.query as Record<string, unknown>)?.done;
    // Its own keys only: "toString" is in every object.
    const notice = typeof n === 'string' && Object.hasOwn(NOTICES, n) ? NOTICES[n as keyof typeof NOTICES] : n === 'details' ? 'Saved.' : undefined;
    return reply.type('text/html; charset=utf-8').header('referrer-policy', 'no-referrer').send(InvitationPage({ v, token, csrf: csrfToken(reply), notice }));
  });

  /** The page again with a refused detail at its field, what was typed kept; other errors go on. */
  async function refused(err: unknown, token: string, typed: { affiliation?: string | undefined; showEmail?: string | undefined }, reply: FastifyReply) {
    const errors = formErrors(err);
    if (!errors?.affiliation) throw err;
    const v = await findByToken(idep(), token);
    const page = InvitationPage({ v, token, csrf: csrfToken(reply), error: errors.affiliation, typed: { affiliation: typed.affiliation ?? '', showEmail: typed.showEmail === 'yes' } });
    return reply.code(400).type('text/html; charset=utf-8').header('referrer-policy', 'no-referrer').send(page);
  }

  app.post('/invitation/:token/answer', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const b = parseInput(answerBody, req.body);
    const details = b.affiliation === undefined ? {} : { affiliation: b.affiliation, showEmail: b.showEmail === 'yes' };
    try {
      // The page's answer is confirmed by mail, as an answer by mail is by its reply.
      const confirm = { confirm: true };
      if (b.answer === 'accept') await acceptInvitation(idep(), { token, ...details }, confirm);
      else if (b.answer === 'decline') await declineInvitation(idep(), { token }, confirm);
      else await withdrawInvitation(idep(), { token }, confirm);
    } catch (err) {
      return refused(err, token, b, reply);
    }
    return reply.redirect(`/invitation/${token}?done=${b.answer}`, 303);
  });

  app.post('/invitation/:token/details', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const b = parseInput(detailsBody, req.body);
    try {
      await updateInviteeDetails(idep(), { token, affiliation: b.affiliation, showEmail: b.showEmail === 'yes' });
    } catch (err) {
      return refused(err, token, b, reply);
    }
    return reply.redirect(`/invitation/${token}?done=details`, 303);
  });
}
