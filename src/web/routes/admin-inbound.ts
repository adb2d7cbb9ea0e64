/**
 * The committee's inbound mail: the list with a status filter, one message with its text, and
 * the decision on a message waiting for review (accept, decline, propose its topic, dismiss).
 * Mounted under /admin (session required, CSRF checked in app.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Conflict, DomainError, NotFound } from '../../domain/errors.js';
import { countInbound, getInbound, INBOUND_FILTERS, listInbound, reviewInbound, UndoesLaterChange } from '../../domain/inbound/review.js';
import { services, type AppDeps } from '../app.js';
import { InboundListPage, InboundMessagePage, type ReviewRetry } from '../views/admin/inbound.js';
import { account, actorOf } from './admin.js';
import { csrfToken } from '../session.js';
import { idParams } from '../params.js';

const listQuery = z.object({
  status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(INBOUND_FILTERS).optional()),
  notice: z.string().optional(),
});

const DONE: Record<string, string> = { accept: 'Accepted', decline: 'Declined', propose: 'Proposed the topic', dismiss: 'Dismissed' };

export async function inboundAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  function html(reply: FastifyReply, body: JSX.Element, status = 200) {
    return reply.status(status).type('text/html; charset=utf-8').send(body);
  }

  async function messagePage(req: FastifyRequest, reply: FastifyReply, id: number, o: { retry?: ReviewRetry; notice?: string | undefined } = {}, status = 200) {
    const m = await getInbound(deps, id);
    return html(reply, InboundMessagePage({ account: account(req), csrf: csrfToken(reply), m, retry: o.retry, notice: o.notice }), status);
  }

  app.get('/inbound', async (req, reply) => {
    const q = listQuery.safeParse(req.query ?? {});
    const status = q.success ? q.data.status : undefined;
    const [rows, counts] = await Promise.all([listInbound(deps, { status, limit: 500 }), countInbound(deps)]);
    return html(reply, InboundListPage({ account: account(req), csrf: csrfToken(reply), rows, counts, status, notice: q.success ? q.data.notice : undefined }));
  });

  app.get('/inbound/:id', async (req, reply) => {
    const p = idParams.safeParse(req.params);
    if (!p.success) throw new NotFound('no such inbound message');
    const notice = (req.query as Record<string, unknown>)?.notice;
    return messagePage(req, reply, p.data.id, { notice: typeof notice === 'string' ? notice : undefined });
  });

  app.post('/inbound/:id/review', async (req, reply) => {
    const p = idParams.safeParse(req.params);
    if (!p.success) throw new NotFound('no such inbound message');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : '';
    const invitationId = typeof body.invitationId === 'string' ? body.invitationId : '';
    const s = services(deps);
    try {
      const m = await reviewInbound({ db: s.db, clock: s.clock, mail: s.mail }, actorOf(req), { id: p.data.id, action: action as never, invitationId });
      return reply.redirect(`/admin/inbound/${m.id}?notice=${encodeURIComponent(`${DONE[action] ?? 'Done'}: ${m.reason}`)}`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err instanceof NotFound) throw err;
      // A refusal that asks for an override links the invitation's row, where the override is.
      const link =
        err instanceof UndoesLaterChange
          ? { href: `/admin/editions/${encodeURIComponent(err.invitation.series)}/${err.invitation.year}/invitations#invitation-${err.invitation.id}`, text: `Invitation #${err.invitation.id} on the invitations page` }
          : undefined;
      return messagePage(req, reply, p.data.id, { retry: { action, invitationId, error: err.message, link } }, err instanceof Conflict ? 409 : 400);
    }
  });
}
