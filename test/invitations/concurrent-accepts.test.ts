/**
 * The cap under a real race, on PostgreSQL only (PGlite runs one transaction at a time and would
 * hide it): 200 invitees accept at once, each in their own transaction over a pool of many
 * connections, at a cap of 15. Exactly 15 are accepted and 185 wait, at positions 1 to 185,
 * each told a different rank; twenty rounds in a row, each on a new edition.
 */
import { randomBytes } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { testDatabases } from '../support/db.js';
import { adminQuery, databaseUrl } from '../support/pg-admin.js'; // also loads connect.ts, which sets the date parsers
import { inviteGuests, makeDeps, makeEdition } from './fixtures.js';

const ROUNDS = 20;
const INVITEES = 200;
const CAP = 15;
const POOL = 40;

const postgres = testDatabases().filter((d) => d.name === 'postgres');

// Without TEST_DATABASE_URL the global setup says so in one loud line, and these are skipped.
describe.skipIf(postgres.length === 0)('200 concurrent accepts on postgres', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `conclave_race_${process.pid}_${randomBytes(4).toString('hex')}`;
  let pool: pg.Pool;
  let db: Kysely<Database>;

  beforeAll(async () => {
    await adminQuery(url, `create database ${name} template ${inject('postgresTemplate')}`);
    pool = new pg.Pool({ connectionString: databaseUrl(url, name), max: POOL });
    // Dropping the database at the end ends connections the pool is still closing.
    pool.on('error', (err: Error & { code?: string }) => {
      if (err.code !== '57P01') throw err;
    });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  });

  afterAll(async () => {
    await db?.destroy();
    await adminQuery(url, `drop database if exists ${name} with (force)`);
  });

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('round %i: exactly 15 accepted, 185 waiting at distinct positions', async () => {
    const deps = makeDeps(db);
    const editionId = await makeEdition(db, { cap: CAP });
    const sent = await inviteGuests(deps, editionId, INVITEES);
    expect(sent).toHaveLength(INVITEES);

    // All started in the same tick; the pool runs up to POOL of them at the same moment.
    const views = await Promise.all(sent.map((s) => acceptInvitation(deps, { token: s.token })));
    expect(pool.totalCount).toBeGreaterThan(10);

    expect(views.filter((v) => v.state === 'accepted')).toHaveLength(CAP);
    const ranks = views.filter((v) => v.state === 'waitlisted').map((v) => v.waitlistRank!);
    expect(ranks.sort((a, b) => a - b)).toEqual(Array.from({ length: INVITEES - CAP }, (_, i) => i + 1));

    const rows = await db.selectFrom('invitations').select(['state', 'waitlist_position']).where('edition_id', '=', editionId).execute();
    expect(rows.filter((r) => r.state === 'accepted')).toHaveLength(CAP);
    expect(rows.filter((r) => r.state === 'accepted').every((r) => r.waitlist_position === null)).toBe(true);
    const positions = rows.filter((r) => r.state === 'waitlisted').map((r) => r.waitlist_position!);
    expect(positions.sort((a, b) => a - b)).toEqual(Array.from({ length: INVITEES - CAP }, (_, i) => i + 1));
    const attendees = await db.selectFrom('attendances').select('position').where('edition_id', '=', editionId).where('source', '=', 'invitation').execute();
    expect(attendees.map((a) => a.position).sort((a, b) => a - b)).toEqual(Array.from({ length: CAP }, (_, i) => i));
  });
});
