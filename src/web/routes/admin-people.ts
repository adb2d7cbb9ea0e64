/** The committee's people page: the list, a merge of two records through a confirmation page, a rename. Mounted under /admin. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MergedAlready, mergedAlready, mergedAlreadySentence, mergePeople, personRecords, planMerge, renamePerson } from '../../domain/people/merge.js';
import { parseInput } from '../../domain/validate.js';
import type { AppDeps } from '../app.js';
import { csrfToken } from '../session.js';
import { MergeConfirmPage, PeoplePage } from '../views/admin/people.js';
import { account, actorOf, formErrors } from './admin.js';

const pair = z.object({ from: z.string().max(200).default(''), into: z.string().max(200).default('') });
const rename = z.object({ slug: z.string().max(200).default(''), name: z.string().max(1000).default('') });
const noticeQuery = z.object({ notice: z.string().max(2000).optional() });

function html(reply: FastifyReply, body: JSX.Element, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

export async function peopleAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  async function list(req: FastifyRequest, reply: FastifyReply, extra: { errors?: Record<string, string>; values?: Record<string, string>; notice?: string } = {}, status = 200) {
    const notice = extra.notice ?? parseInput(noticeQuery, req.query ?? {}).notice;
    return html(reply, PeoplePage({ account: account(req), csrf: csrfToken(reply), notice, people: await personRecords(deps), errors: extra.errors ?? {}, values: extra.values ?? {} }), status);
  }

  app.get('/people', async (req, reply) => list(req, reply));

  // The confirmation: what would move and what clashes; the merge itself is the POST below.
  app.get('/people/merge', async (req, reply) => {
    const q = parseInput(pair, req.query ?? {});
    // Nothing named (the sign-in's way back from a merge form sent signed out): the list it is made from.
    if (q.from === '' && q.into === '') return reply.redirect('/admin/people', 303);
    try {
      // Come back to after the merge (the browser's Back): its old slug leads to the kept person, as on the public pages.
      const kept = await mergedAlready(deps, q);
      if (kept) return await list(req, reply, { notice: mergedAlreadySentence(q.from, kept) });
      return html(reply, MergeConfirmPage({ account: account(req), csrf: csrfToken(reply), plan: await planMerge(deps, q) }));
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return list(req, reply, { errors, values: q }, 400);
    }
  });

  app.post('/people/merge', async (req, reply) => {
    const b = parseInput(pair, req.body ?? {});
    let done;
    try {
      done = await mergePeople(deps, actorOf(req), b);
    } catch (err) {
      // Sent again (a double submit, or the form resent after Back): the merge is done, said as
      // the confirmation page says it, writing nothing.
      if (err instanceof MergedAlready) return reply.redirect(`/admin/people?notice=${encodeURIComponent(err.message)}`, 303);
      throw err;
    }
    return reply.redirect(`/admin/people?notice=${encodeURIComponent(`Merged ${done.from.name} (${done.from.slug}) into ${done.into.name} (${done.into.slug}).`)}`, 303);
  });

  app.post('/people/rename', async (req, reply) => {
    const b = parseInput(rename, req.body ?? {});
    try {
      const r = await renamePerson(deps, actorOf(req), b);
      return reply.redirect(`/admin/people?notice=${encodeURIComponent(`Renamed ${r.before.name} to ${r.after.name} (${r.after.slug}).`)}`, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return list(req, reply, { errors, values: b }, 400);
    }
  });
}
