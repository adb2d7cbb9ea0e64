/**
 * The invitee's page behind their personal link. Wrong, expired and revoked links get a clear
 * page (LinkInvalid → 410); guessing is rate-limited per client.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptInvitation, declineInvitation, findByToken, updateInviteeDetails, withdrawInvitation } from '../../domain/invitations/rsvp.js';
import { services, type AppDeps } from '../app.js';
import { InvitationPage } from '../views/invitation.js';
import { pathParams, tokenParams } from '../params.js';
import { parseInput } from '../../domain/validate.js';

const answerBody = z.object({
  answer: z.enum(['accept', 'decline', 'withdraw']),
  affiliation: z.string().max(300).optional(),
  showEmail: z.literal('yes').optional(),
});
const detailsBody = z.object({ affiliation: z.string().max(300).default(''), showEmail: z.literal('yes').optional() });

const NOTICES = { accept: 'Thank you: your answer is saved.', decline: 'Your answer is saved. Thank you for telling us.', withdraw: 'You have withdrawn.' };

export async function invitationRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const LIMIT = { rateLimit: { max: deps.limits?.invitation ?? 60, timeWindow: '15 minutes' } };
  const idep = () => services(deps);

  app.get('/invitation/:token', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const v = await findByToken(idep(), token);
    const n = (req.query as Record<string, string>)?.done;
    const notice = n && n in NOTICES ? NOTICES[n as keyof typeof NOTICES] : n === 'details' ? 'Saved.' : undefined;
    return reply.type('text/html; charset=utf-8').header('referrer-policy', 'no-referrer').send(InvitationPage({ v, token, csrf: reply.generateCsrf(), notice }));
  });

  app.post('/invitation/:token/answer', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const b = parseInput(answerBody, req.body);
    const details = b.affiliation === undefined ? {} : { affiliation: b.affiliation, showEmail: b.showEmail === 'yes' };
    if (b.answer === 'accept') await acceptInvitation(idep(), { token, ...details });
    else if (b.answer === 'decline') await declineInvitation(idep(), { token });
    else await withdrawInvitation(idep(), { token });
    return reply.redirect(`/invitation/${token}?done=${b.answer}`, 303);
  });

  app.post('/invitation/:token/details', { config: LIMIT }, async (req, reply) => {
    const { token } = pathParams(tokenParams, req);
    const b = parseInput(detailsBody, req.body);
    await updateInviteeDetails(idep(), { token, affiliation: b.affiliation, showEmail: b.showEmail === 'yes' });
    return reply.redirect(`/invitation/${token}?done=details`, 303);
  });
}
