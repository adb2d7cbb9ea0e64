/**
 * The invitee's page behind their personal link. Wrong, expired and revoked links get a clear
 * page (LinkInvalid → 410); guessing is rate-limited per client (inviteeRateLimit).
 */
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { acceptInvitation, declineInvitation, findByToken, updateInviteeDetails, withdrawInvitation } from '../../domain/invitations/rsvp.js';
import { hashToken, isIssuedToken } from '../../domain/invitations/tokens.js';
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

/**
 * The rate limit of a route under /invitation/:token, against guessing links. A request with a
 * link no invitation has (mistyped, or a guess) is counted by the client's address
 * (`limits.invitation`, 60 in 15 minutes); one with a link some invitation has, live or not, by
 * the link (`limits.invitationLink`, 300): a link of 256 bits is not guessed, and invitees
 * sharing an address (a venue's network, a company's NAT) must not use up each other's count.
 * Each route is counted apart, as before.
 */
export function inviteeRateLimit(deps: AppDeps) {
  const perAddress = deps.limits?.invitation ?? 60;
  const perLink = deps.limits?.invitationLink ?? 300;
  return {
    rateLimit: {
      timeWindow: '15 minutes',
      keyGenerator: async (req: FastifyRequest) => {
        const token = (req.params as { token?: unknown } | undefined)?.token;
        if (typeof token === 'string' && (await isIssuedToken(deps, token))) return `link:${hashToken(token)}`;
        return `address:${normalizeIP(req.ip)}`;
      },
      max: (_req: FastifyRequest, key: string) => (key.startsWith('link:') ? perLink : perAddress),
    },
  };
}

export async function invitationRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const LIMIT = inviteeRateLimit(deps);
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
