/**
 * `conclave topics` run in-process against a database of its own (a PGlite data directory, or
 * a PostgreSQL database): list with --json and --state, accept with its mail in the outbox, and
 * the refusals a person at the terminal would meet.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../src/db/connect.js';
import { run } from '../../src/cli/main.js';
import { listAudit } from '../../src/domain/audit/record.js';
import { acceptInvitation, declineInvitation } from '../../src/domain/invitations/rsvp.js';
import { listOutbox } from '../../src/domain/mail/outbox.js';
import { listTopics, proposeTopic, topicsOfPerson } from '../../src/domain/program/topics.js';
import { freshDataDir, freshPostgres } from '../support/db.js';
import { guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row } from '../invitations/fixtures.js';

interface CliDb {
  name: string;
  /** Opens the database (again); the CLI needs it closed on PGlite, whose directory is locked. */
  open: () => Promise<Db>;
  /** Whether the test must close its handle before each CLI run. */
  exclusive: boolean;
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

function cliDatabases(): (() => Promise<CliDb>)[] {
  const list: (() => Promise<CliDb>)[] = [
    async () => {
      const dir = freshDataDir('conclave-topics-cli-');
      return { name: 'pglite', open: () => openDb({ dataDir: dir }), exclusive: true, env: { CONCLAVE_DATA: dir }, cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push(async () => {
      const pg = await freshPostgres(url);
      return { name: 'postgres', open: async () => ({ ...pg, close: async () => {} }), exclusive: false, env: { DATABASE_URL: pg.where }, cleanup: () => pg.close() };
    });
  }
  return list;
}

describe.each(cliDatabases().map((make, i) => ({ make, name: i === 0 ? 'pglite' : 'postgres' })))('conclave topics on $name', ({ make }) => {
  let cdb: CliDb;
  let year: number;
  let ids: number[];
  let numbers: number[];

  /** Runs `conclave …` in this process with the database's environment; what it printed. */
  async function conclave(...args: string[]) {
    const keys = ['BASE_URL', 'DATABASE_URL', 'CONCLAVE_DATA'];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    for (const k of keys) delete process.env[k];
    Object.assign(process.env, { BASE_URL: 'https://netconf.example.org', ...cdb.env });
    const out: string[] = [];
    const err: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (err.push(String(s)), true));
    try {
      const code = await run(['node', 'conclave', ...args]);
      return { code, stdout: out.join('\n'), stderr: err.join('') };
    } finally {
      log.mockRestore();
      error.mockRestore();
      stderr.mockRestore();
      for (const k of keys) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  }

  beforeAll(async () => {
    cdb = await make();
    const handle = await cdb.open();
    try {
      const deps = makeDeps(handle.db, new Date().toISOString());
      // Another edition's topics first, so that database ids and the edition's numbers differ.
      const earlier = await makeEdition(handle.db);
      for (const n of [1, 2, 3]) await handle.db.insertInto('topics').values({ edition_id: earlier, number: n, title: `Earlier ${n}`, origin: 'invitee' }).execute();
      const editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
      year = (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year;
      const sent = await inviteGuests(deps, editionId, 2, 300);
      for (const s of sent) await acceptInvitation(deps, { token: s.token });
      const [ada, bob] = [(await row(handle.db, sent[0]!.id)).person_id, (await row(handle.db, sent[1]!.id)).person_id];
      const actor = { accountId: null, label: `invitee:${guestEmail(300)}` };
      const a = await proposeTopic(deps, actor, { editionId, proposerId: ada, title: 'XDP offloads', abstract: 'Why.', wishedMinutes: 30, coPresenterIds: [bob] });
      const b = await proposeTopic(deps, actor, { editionId, proposerId: ada, title: 'Page pool', abstract: '', wishedMinutes: '', coPresenterIds: [] });
      ids = [a.id, b.id];
      numbers = [a.number, b.number];
      expect(numbers).toEqual([1, 2]);
      expect(ids).not.toEqual(numbers);
      // Invited and not answered: no topic can be theirs yet.
      await inviteGuests(deps, editionId, 1, 310);
    } finally {
      if (cdb.exclusive) await handle.close();
    }
  });
  afterAll(async () => cdb?.cleanup());

  it('lists the topics as JSON and as a table, filtered by state', async () => {
    const r = await conclave('topics', 'list', String(year), '--series', 'invtest', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: number; number: number; title: string; state: string; wishedMinutes: number | null; presenters: { name: string }[] }[];
    expect(list.map((t) => [t.id, t.number, t.title, t.state, t.wishedMinutes])).toEqual([
      [ids[0], 1, 'XDP offloads', 'proposed', 30],
      [ids[1], 2, 'Page pool', 'proposed', null],
    ]);
    expect(list[0]!.presenters.map((p) => p.name)).toEqual([guestName(300), guestName(301)]);

    const text = await conclave('topics', 'list', String(year), '--series', 'invtest');
    expect(text.stdout).toMatch(/^# +STATE +MIN +TITLE +PRESENTERS$/m);
    expect(text.stdout).toMatch(new RegExp(`^1 +proposed +30 +XDP offloads +${guestName(300)}, ${guestName(301)}$`, 'm'));

    const none = await conclave('topics', 'list', String(year), '--series', 'invtest', '--state', 'accepted', '--json');
    expect(JSON.parse(none.stdout)).toEqual([]);
    const bad = await conclave('topics', 'list', String(year), '--series', 'invtest', '--state', 'maybe');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--state <state>' argument 'maybe' is invalid. Allowed choices are proposed, changes-requested, accepted, declined, withdrawn.");
  });

  it('accepts a topic named by its number in the edition, mailing its presenters, and refuses what it cannot do', async () => {
    const r = await conclave('topics', 'accept', String(year), String(numbers[0]), '--series', 'invtest', '--comment', 'See you on day two.', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as { state: string; decisionComment: string; mailed: string[] };
    expect(t).toMatchObject({ state: 'accepted', decisionComment: 'See you on day two.', mailed: [guestEmail(300), guestEmail(301)] });

    const twice = await conclave('topics', 'accept', String(year), `#${numbers[0]}`, '--series', 'invtest');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/is accepted: it cannot be accepted now/);
    const noComment = await conclave('topics', 'decline', String(year), String(numbers[1]), '--series', 'invtest');
    expect(noComment.code).toBe(2);
    const elsewhere = await conclave('topics', 'accept', String(year + 1), String(numbers[1]), '--series', 'invtest');
    expect(elsewhere.code).toBe(1);
    // The database id of a topic is not its number: it names nothing here.
    const byId = await conclave('topics', 'accept', String(year), String(ids[1]), '--series', 'invtest');
    expect(byId.code).toBe(1);
    expect(byId.stderr).toBe(`conclave: there is no topic #${ids[1]} in Netconf 2026 (see conclave topics list ${year})`);
    const notANumber = await conclave('topics', 'accept', String(year), 'xdp', '--series', 'invtest');
    expect(notANumber.stderr).toMatch(/"xdp" is not a topic number such as 3/);
    const changes = await conclave('topics', 'request-changes', String(year), String(numbers[1]), '--series', 'invtest', '--comment', 'Say more.');
    expect(changes.code).toBe(0);
    expect(changes.stdout).toContain(`#${numbers[1]} [changes-requested] Page pool`);
    // The audit log names the topics by the same numbers.
    const audit = await conclave('audit', '--year', String(year), '--series', 'invtest', '--entity', 'topic');
    expect(audit.stdout).toMatch(new RegExp(`topic\\.accept +topic #${numbers[0]} `));
    expect(audit.stdout).toMatch(new RegExp(`topic\\.request-changes +topic #${numbers[1]} `));
    expect(audit.stdout).not.toContain(`topic #${ids[0]} `);
    expect(changes.stdout).toContain(`mailed to ${guestEmail(300)}`);

    const handle = await cdb.open();
    try {
      const mail = await listOutbox({ db: handle.db }, { kind: 'topic-decision' });
      expect(mail.map((m) => [m.to_address, m.subject])).toEqual([
        [guestEmail(300), 'Your topic for Netconf 2026 (accepted): XDP offloads'],
        [guestEmail(301), 'Your topic for Netconf 2026 (accepted): XDP offloads'],
        [guestEmail(300), 'Your topic for Netconf 2026 (changes requested): Page pool'],
      ]);
      expect(mail[0]!.body).toContain('See you on day two.');
      const audit = await listAudit({ db: handle.db }, { action: 'topic.accept' });
      expect(audit.map((a) => a.actor)).toEqual([expect.stringMatching(/^cli:/)]);
    } finally {
      if (cdb.exclusive) await handle.close();
    }
  });

  it('schedules a topic and files its slides by the number the topic list shows', async () => {
    const add = await conclave('schedule', 'add', String(year), '--series', 'invtest', '--date', '2999-05-11', '--start', '10:00', '--topic', String(numbers[0]), '--json');
    expect(add.stderr).toBe('');
    // The slot as `schedule show --json` gives it: the same keys, the same meanings.
    const { slot } = JSON.parse(add.stdout) as { slot: { id: number; topicNumber: number; label: string; end: string } };
    expect([slot.topicNumber, slot.label, slot.end]).toEqual([numbers[0], 'XDP offloads', '10:30']);
    const shown = await conclave('schedule', 'show', String(year), '--series', 'invtest', '--json');
    expect((JSON.parse(shown.stdout) as { slots: unknown[] }).slots).toEqual([slot]);

    const pending = await conclave('schedule', 'add', String(year), '--series', 'invtest', '--date', '2999-05-11', '--start', '11:00', '--topic', `#${numbers[1]}`);
    expect([pending.code, pending.stderr]).toEqual([1, 'conclave: --topic: “Page pool” is changes-requested, not accepted: only accepted topics can be scheduled']);
    const missing = await conclave('schedule', 'add', String(year), '--series', 'invtest', '--date', '2999-05-11', '--start', '11:00', '--topic', String(ids[1]));
    expect(missing.stderr).toBe(`conclave: there is no topic #${ids[1]} in Netconf 2026 (see conclave topics list ${year})`);

    const slides = await conclave('materials', 'add', String(year), '--series', 'invtest', '--url', 'https://example.org/xdp.pdf', '--topic', String(numbers[0]), '--json');
    expect(slides.stderr).toBe('');
    expect((JSON.parse(slides.stdout) as { topic_id: number }).topic_id).toBe(ids[0]);
    // Its slot removed, the topic's slides are out of sight until it has another: said so.
    const removed = await conclave('schedule', 'remove', String(year), String(slot.id), '--series', 'invtest');
    expect([removed.code, removed.stdout]).toEqual([0, `removed slot #${slot.id} (XDP offloads)\nIts material is no longer shown publicly until the topic has a slot again.`]);
  });

  it('shows one topic whole: state, presenters, length, abstract, the committee’s comment and its materials', async () => {
    const today = new Date().toISOString().slice(0, 10);
    // Slides filed under the topic (the test above), and a file under a slot made for it.
    const add = await conclave('schedule', 'add', String(year), '--series', 'invtest', '--date', '2999-05-11', '--start', '10:00', '--topic', String(numbers[0]), '--json');
    const slotId = (JSON.parse(add.stdout) as { slot: { id: number } }).slot.id;
    const onSlot = await conclave('materials', 'add', String(year), '--series', 'invtest', '--url', 'https://example.org/xdp-video', '--kind', 'video', '--label', 'Recording', '--slot', String(slotId), '--json');
    expect(onSlot.stderr).toBe('');
    const listed = JSON.parse((await conclave('materials', 'list', String(year), '--series', 'invtest', '--json')).stdout) as { id: number; label: string; url: string }[];
    const [slides, video] = [listed.find((m) => m.url === 'https://example.org/xdp.pdf')!, listed.find((m) => m.url === 'https://example.org/xdp-video')!];

    const r = await conclave('topics', 'show', String(year), `#${numbers[0]}`, '--series', 'invtest');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toEqual([
      `#${numbers[0]} XDP offloads`,
      `state: accepted (decided ${today})`,
      `presenters: ${guestName(300)}, ${guestName(301)}`,
      'length: 30 minutes wished',
      `proposed ${today}, last changed ${today}`,
      '',
      'abstract:',
      '  Why.',
      '',
      'the committee’s comment:',
      '  See you on day two.',
      '',
      'materials:',
      `  material ${slides.id}: ${slides.label} (slides, https://example.org/xdp.pdf)`,
      `  material ${video.id}: Recording (video, https://example.org/xdp-video)`,
    ]);
    const json = JSON.parse((await conclave('topics', 'show', String(year), String(numbers[1]), '--series', 'invtest', '--json')).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ id: ids[1], number: numbers[1], title: 'Page pool', state: 'changes-requested', abstract: '', decisionComment: 'Say more.', materials: [] });
    const text = await conclave('topics', 'show', String(year), String(numbers[1]), '--series', 'invtest');
    expect(text.stdout).toContain(`length: no wish\nproposed ${today}, last changed ${today}\n\nabstract: none\n\nthe committee’s comment:\n  Say more.\n\nmaterials: none`);
    const missing = await conclave('topics', 'show', String(year), '99', '--series', 'invtest');
    expect([missing.code, missing.stderr]).toEqual([1, `conclave: there is no topic #99 in Netconf 2026 (see conclave topics list ${year})`]);

    // As it was: the slot and its material gone again.
    expect((await conclave('materials', 'remove', String(year), String(video.id), '--series', 'invtest')).code).toBe(0);
    expect((await conclave('schedule', 'remove', String(year), String(slotId), '--series', 'invtest')).code).toBe(0);
  });

  it('proposes a topic for an attendee, theirs to edit, mailing nobody, and names what it refuses', async () => {
    const file = `${fs.mkdtempSync('/tmp/conclave-topic-')}/abstract.md`;
    fs.writeFileSync(file, 'Busy polling *per queue*.\n');
    const r = await conclave('topics', 'propose', String(year), '--series', 'invtest', '--by', guestEmail(301).toUpperCase(), '--title', 'Busy polling', '--length', '20', '--co-presenter', guestName(300), '--abstract-file', file);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('#3 [proposed] Busy polling');
    expect(r.stdout).toContain(`by ${guestName(301)}, ${guestName(300)}, 20 minutes wished`);
    expect(r.stdout).toContain(`proposed for ${guestName(301)}, who can edit or withdraw it on their page until the committee decides; nobody was mailed`);
    // The site's only series: the command it suggests needs no --series.
    expect(r.stdout.split('\n')).toContain(`  decide with: conclave topics accept ${year} 3`);

    const refused = async (...args: string[]) => {
      const x = await conclave('topics', 'propose', String(year), '--series', 'invtest', ...args);
      expect(x.code, x.stderr).not.toBe(0);
      return x.stderr.trim();
    };
    expect(await refused('--by', guestName(301), '--title', 'busy  POLLING')).toBe(`conclave: --title: ${guestName(301)} proposed “Busy polling” already (#3); change that one instead`);
    expect(await refused('--by', 'nobody@example.org', '--title', 'X')).toBe(`conclave: --by: "nobody@example.org" is not invited to Netconf 2026 (give a name, a slug, #id or an address; see conclave invite list)`);
    expect(await refused('--by', guestEmail(310), '--title', 'X')).toBe(`conclave: --by: ${guestName(310)} has not accepted the invitation to Netconf 2026 (it is invited): only accepted attendees present topics`);
    expect(await refused('--by', guestEmail(300), '--title', 'X', '--co-presenter', guestEmail(300))).toBe('conclave: --co-presenter: the proposer is already a presenter: do not list them as a co-presenter');
    expect(await refused('--by', guestEmail(300), '--title', 'X', '--length', '2')).toBe('conclave: --length: must be at least 5 minutes');
    expect(await refused('--by', guestEmail(300), '--title', 'X', '--abstract', 'a', '--abstract-file', file)).toBe('conclave: --abstract-file: give --abstract or --abstract-file, not both');
    expect(await refused('--by', guestEmail(300), '--title', 'X', '--abstract-file', `${file}.gone`)).toMatch(/^conclave: --abstract-file: cannot read .*abstract\.md\.gone: /);

    const handle = await cdb.open();
    try {
      const topics = await listTopics({ db: handle.db }, { editionId: (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id });
      const t = topics.find((x) => x.number === 3)!;
      expect([t.title, t.abstract, t.state, t.proposer?.name, t.presenters.map((p) => p.name)]).toEqual(['Busy polling', 'Busy polling *per queue*.', 'proposed', guestName(301), [guestName(301), guestName(300)]]);
      expect(topics).toHaveLength(3);
      // On the proposer's page, theirs to change, as if they had proposed it.
      const mine = await topicsOfPerson({ db: handle.db }, t.editionId, t.proposer!.id);
      expect(mine.find((x) => x.id === t.id)).toMatchObject({ role: 'proposer', editable: true });
      expect((await listOutbox({ db: handle.db }, {})).filter((m) => m.body.includes('Busy polling'))).toEqual([]);
      const audit = await listAudit({ db: handle.db }, { action: 'topic.propose' });
      expect(audit.filter((a) => a.actor.startsWith('cli:'))).toHaveLength(1);
    } finally {
      if (cdb.exclusive) await handle.close();
    }
  });

  it('reads --by "#N" as the id `invite list` shows: the invitation\'s, not the person\'s', async () => {
    // A person of the archive with no invitation here puts the next person's id past the next
    // invitation's, so that the two ids differ.
    let handle = await cdb.open();
    try {
      await handle.db.insertInto('people').values({ name: 'Archive Only', name_key: 'archive only', slug: 'archive-only' }).execute();
    } finally {
      if (cdb.exclusive) await handle.close();
    }
    const added = await conclave('invite', 'add', String(year), 'ringo@example.org', '--name', 'Ringo Buffers', '--series', 'invtest', '--json');
    expect(added.stderr).toBe('');
    const invId = (JSON.parse(added.stdout) as { id: number }).id;
    expect((await conclave('invite', 'override', String(invId), 'accepted', '--reason', 'test', '--force')).code).toBe(0);
    handle = await cdb.open();
    let personId: number;
    try {
      personId = (await handle.db.selectFrom('invitations').select('person_id').where('id', '=', invId).executeTakeFirstOrThrow()).person_id;
    } finally {
      if (cdb.exclusive) await handle.close();
    }
    expect(personId).not.toBe(invId);
    const listed = await conclave('invite', 'list', String(year), '--series', 'invtest');
    expect(listed.stdout).toMatch(new RegExp(`^${invId} +accepted .*Ringo Buffers`, 'm'));
    const r = await conclave('topics', 'propose', String(year), '--series', 'invtest', '--by', `#${invId}`, '--title', 'Ring buffer sizing');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('by Ringo Buffers');
  });

  it('updates a topic’s title, abstract and length, keeping what is left out, and says when nothing changed or none is given', async () => {
    const at = [String(year), String(numbers[1]), '--series', 'invtest'];
    const file = `${freshDataDir('conclave-topics-abstract-')}/abstract.md`;
    fs.writeFileSync(file, 'Recycling *pages*.\n');
    const r = await conclave('topics', 'update', ...at, '--title', 'Page pool recycling', '--abstract-file', file, '--length', '25');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^#${numbers[1]} \\[\\w+(-\\w+)?\\] Page pool recycling$`, 'm'));
    expect(r.stdout).toContain(`by ${guestName(300)}, 25 minutes wished`);
    expect(r.stdout).toContain(`  topic #${numbers[1]} “Page pool” is now “Page pool recycling”\n  changed: title, abstract, length; nobody was mailed`);

    // Left out, the title and abstract stay; an empty length clears it.
    const json = await conclave('topics', 'update', ...at, '--length', '', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ changed: ['wishedMinutes'], topic: { title: 'Page pool recycling', abstract: 'Recycling *pages*.', wishedMinutes: null } });
    expect(json.stdout).not.toContain('is now');
    const same = await conclave('topics', 'update', ...at, '--title', 'Page pool recycling');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('  nothing changed');
    expect(same.stdout).not.toContain('is now');
    // No option at all is bad usage, saying what may be given; nothing is written.
    const none = await conclave('topics', 'update', ...at);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('--title: give --title, --abstract, --abstract-file, --length or --presenter: what to change');

    // Refused by the option's name, as `topics propose` names it, and nothing is written.
    const bad = await conclave('topics', 'update', ...at, '--title', 'Page \u001b[2J pool', '--length', '4');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--title: must be one line of text, without control characters/);
    expect(bad.stderr).toMatch(/--length: must be at least 5 minutes/);
    const both = await conclave('topics', 'update', ...at, '--abstract', 'x', '--abstract-file', file);
    expect(both.code).toBe(2);

    const handle = await cdb.open();
    try {
      const t = (await listTopics({ db: handle.db }, { editionId: (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id })).find((x) => x.id === ids[1])!;
      expect(t).toMatchObject({ title: 'Page pool recycling', abstract: 'Recycling *pages*.', wishedMinutes: null });
      const audit = (await listAudit({ db: handle.db }, { action: 'topic.update' })).filter((a) => a.entity_id === String(ids[1]));
      expect(audit.map((a) => [a.actor.startsWith('cli:'), a.reason])).toEqual([
        [true, 'changed length'],
        [true, 'changed title, abstract, length'],
      ]);
    } finally {
      if (cdb.exclusive) await handle.close();
    }
  });

  it('replaces a topic’s presenters, named as --speaker names them, refusing an empty or unknown one', async () => {
    // Topic 1 is accepted, presented by guests 300 and 301; 301 is taken off.
    const at = [String(year), String(numbers[0]), '--series', 'invtest'];
    const empty = await conclave('topics', 'update', ...at, '--presenter', ' ');
    expect([empty.code, empty.stdout]).toEqual([2, '']);
    expect(empty.stderr).toContain('--presenter: give each presenter by name, slug, address or #id: a topic keeps at least one presenter');
    const unknown = await conclave('topics', 'update', ...at, '--presenter', 'nobody@example.org');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      1,
      'conclave: --presenter: "nobody@example.org" is neither invited to Netconf 2026 nor a presenter of the topic (give a name, a slug, #id or an address; see conclave invite list, or conclave schedule show --json for a person #id)',
    ]);
    const notAccepted = await conclave('topics', 'update', ...at, '--presenter', guestName(300), '--presenter', guestEmail(310));
    expect([notAccepted.code, notAccepted.stderr.trim()]).toEqual([
      1,
      `conclave: --presenter: ${guestName(310)} (the invitation is invited) is not an accepted attendee of Netconf 2026; presenters must have accepted their invitation`,
    ]);
    const r = await conclave('topics', 'update', ...at, '--presenter', guestEmail(300).toUpperCase());
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`by ${guestName(300)}, 30 minutes wished`);
    expect(r.stdout).toContain('  changed: presenters; nobody was mailed');
    const listed = await conclave('topics', 'list', String(year), '--series', 'invtest', '--json');
    expect((JSON.parse(listed.stdout) as { number: number; presenters: { name: string }[] }[]).find((t) => t.number === numbers[0])!.presenters.map((p) => p.name)).toEqual([guestName(300)]);
    const audit = await conclave('audit', '--year', String(year), '--series', 'invtest', '--entity', 'topic');
    expect(audit.stdout).toMatch(new RegExp(`topic\\.update +topic #${numbers[0]} .*changed presenters`));
  });

  it('accepts a topic whose presenter declined, and says they will not be there', async () => {
    // Guest 320 accepts, proposes, then declines; the topic is accepted from the terminal.
    let handle = await cdb.open();
    let number: number;
    try {
      const deps = makeDeps(handle.db, new Date().toISOString());
      const editionId = (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id;
      const [sent] = await inviteGuests(deps, editionId, 1, 320);
      await acceptInvitation(deps, { token: sent!.token });
      const personId = (await row(handle.db, sent!.id)).person_id;
      const t = await proposeTopic(deps, { accountId: null, label: `invitee:${guestEmail(320)}` }, { editionId, proposerId: personId, title: 'GRO for UDP', abstract: '', wishedMinutes: '', coPresenterIds: [] });
      number = t.number;
      await declineInvitation(deps, { token: sent!.token });
    } finally {
      if (cdb.exclusive) await handle.close();
    }
    const r = await conclave('topics', 'accept', String(year), String(number), '--series', 'invtest');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')).toContain(`! ${guestName(320)} declined the invitation: nobody may be there to present their part of “GRO for UDP”`);
    // The decision stands, mailed as any other.
    handle = await cdb.open();
    try {
      const t = (await listTopics({ db: handle.db }, { editionId: (await handle.db.selectFrom('editions').select('id').where('year', '=', year).executeTakeFirstOrThrow()).id })).find((x) => x.number === number)!;
      expect(t.state).toBe('accepted');
    } finally {
      if (cdb.exclusive) await handle.close();
    }
  });
});
