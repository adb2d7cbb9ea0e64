/**
 * A topic renamed by two committee members at once, on PostgreSQL only (PGlite runs one
 * transaction at a time and would hide it): the page and `conclave topics update` read the topic
 * before they change it, and the other rename may commit in between. The notice names the title
 * the change replaced, read under the topic's lock, not the one read before: "“B” is now “C”",
 * never "“A” is now “C”" when B was the other member's.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Database } from '../../src/db/schema.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { updateTopic } from '../../src/domain/program/topics.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { testDatabases } from '../support/db.js';
import { Client, csrfOf } from '../support/http.js';
import { raceDatabase, someoneWaits } from '../support/pg-race.js';

const postgres = testDatabases().filter((d) => d.name === 'postgres');

describe.skipIf(postgres.length === 0)('a topic renamed twice at once, on postgres', () => {
  let db: Kysely<Database>;
  let url: string;
  let drop: () => Promise<void>;
  let deps: ReturnType<typeof makeDeps>;
  let app: FastifyInstance;
  let year: number;
  let editionId: number;
  let proposer: number;

  beforeAll(async () => {
    let pool;
    ({ db, pool, drop } = await raceDatabase(process.env.TEST_DATABASE_URL!, 4));
    url = pool.options.connectionString!;
    // Real time, as the client drops a session cookie whose expiry has passed; the edition is ahead.
    deps = makeDeps(db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = await makeEdition(db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    ({ year } = await db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow());
    const [guest] = await inviteGuests(deps, editionId, 1);
    await acceptInvitation(deps, { token: guest!.token });
    ({ person_id: proposer } = await db.selectFrom('invitations').select('person_id').where('id', '=', guest!.id).executeTakeFirstOrThrow());
    app = await buildApp({ db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  /** A new topic titled `title`; its id and number. */
  async function topic(title: string): Promise<{ id: number; number: number }> {
    const last = await db.selectFrom('topics').select((eb) => eb.fn.max('number').as('n')).where('edition_id', '=', editionId).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const t = await db.insertInto('topics').values({ edition_id: editionId, number, title, origin: 'proposal', state: 'accepted', proposer_id: proposer }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('topic_presenters').values({ topic_id: t.id, person_id: proposer, position: 0 }).execute();
    return { id: t.id, number };
  }

  /**
   * Runs `change` (which reads the topic, then renames it) while another member's rename of the
   * topic to `meanwhile` holds its lock, and commits that rename once `change` waits for it.
   */
  async function whileRenamed<T>(topicId: number, meanwhile: string, change: () => Promise<T>): Promise<T> {
    let pending: Promise<T> | undefined;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('topics').select('id').where('id', '=', topicId).forUpdate().execute();
      await trx.updateTable('topics').set({ title: meanwhile }).where('id', '=', topicId).execute();
      pending = change();
      expect(await someoneWaits(db)).toBe(true);
    });
    return pending!;
  }

  it('returns, from updateTopic, the title its change replaced', async () => {
    const t = await topic('Page pool');
    const out = await whileRenamed(t.id, 'Page pools', () => updateTopic(deps, COMMITTEE, { topicId: t.id, title: 'Page pool recycling' }));
    expect([out.oldTitle, out.topic.title, out.changed]).toEqual(['Page pools', 'Page pool recycling', ['title']]);
  });

  it('says on the page which title the rename replaced', async () => {
    const t = await topic('XDP offload');
    const c = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    const signin = new URL(link!.link).pathname;
    expect((await c.submit(signin, signin, {})).statusCode).toBe(303);
    const edit = `/admin/editions/invtest/${year}/topics/${t.id}/edit`;
    const form = await c.get(edit);
    expect(form.statusCode).toBe(200);
    const done = await whileRenamed(t.id, 'XDP offloads', () => c.post(edit, { _csrf: csrfOf(form.body), title: 'XDP offload in drivers', abstract: '', wishedMinutes: '' }));
    expect(done.statusCode).toBe(303);
    const notice = new URL(done.headers.location as string, 'http://x').searchParams.get('notice');
    expect(notice).toBe(`Topic #${t.number} “XDP offloads” is now “XDP offload in drivers”; nobody was mailed.`);
  });

  it('says in `conclave topics update` which title the rename replaced', async () => {
    const t = await topic('Ring buffers');
    const out: string[] = [];
    const err: string[] = [];
    const saved = { DATABASE_URL: process.env.DATABASE_URL, CONCLAVE_DATA: process.env.CONCLAVE_DATA, BASE_URL: process.env.BASE_URL };
    delete process.env.CONCLAVE_DATA;
    Object.assign(process.env, { DATABASE_URL: url, BASE_URL: 'https://netconf.example.org' });
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    try {
      const code = await whileRenamed(t.id, 'Ring buffer sizes', () => run(['node', 'conclave', 'topics', 'update', String(year), String(t.number), '--series', 'invtest', '--title', 'Ring buffer sizing']));
      expect([code, err.join('\n')]).toEqual([0, '']);
    } finally {
      log.mockRestore();
      error.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(out.join('\n')).toContain(`  topic #${t.number} “Ring buffer sizes” is now “Ring buffer sizing”\n`);
  });
});
