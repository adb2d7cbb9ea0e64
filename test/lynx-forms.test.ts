/**
 * Forms as lynx shows them: what is set shows as set, so that saving a form in lynx keeps it.
 * lynx 2.9.0dev.12 read `<input type="checkbox" checked/>` as an attribute named "checked/" and
 * showed the box empty: saving an invitee's details turned "Show my address" off, saving a topic
 * dropped its co-presenters. Each page is rendered by the app and read by the real `lynx -dump`
 * (when it is installed); the HTML of every page is checked for a bare attribute right before
 * "/>" in any case. Rendering is the subject, not the database: embedded PGlite only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink } from '../src/domain/committee/signin.js';
import { addCandidate } from '../src/domain/invitations/candidates.js';
import { ingestMessage } from '../src/domain/inbound/ingest.js';
import { acceptInvitation } from '../src/domain/invitations/rsvp.js';
import { addSlot, setDay } from '../src/domain/program/schedule-edit.js';
import { decideTopic, proposeTopic } from '../src/domain/program/topics.js';
import { buildApp } from '../src/web/app.js';
import { Field } from '../src/web/views/admin/form.js';
import { compose, newId } from './inbound/fixtures.js';
import { freshPglite } from './support/db.js';
import { Client } from './support/http.js';
import { accessibleNames, hasChromium, launchChromium } from './support/browser.js';
import { hasLynx, lynxDump } from './support/lynx.js';
import { COMMITTEE, guestEmail, guestName, inviteGuests, makeDeps, makeEdition, row } from './invitations/fixtures.js';

/** The page as `lynx -dump` prints it, without its list of links. */
const dump = (html: string, width = 200): string => lynxDump(html, { width, list: false });

describe('forms read in lynx', () => {
  let handle: Db;
  let app: FastifyInstance;
  let editionId: number;
  /** Each page the test reads: its HTML as the app sent it. */
  const pages = new Map<string, string>();

  beforeAll(async () => {
    handle = await freshPglite();
    // Real time, as the client drops a session cookie whose expiry has passed; the edition is ahead.
    const deps = makeDeps(handle.db, new Date().toISOString());
    await addCommitteeMember(deps, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = await makeEdition(handle.db, { start_date: '2999-05-11', end_date: '2999-05-13', answer_by: '2999-04-10' });
    const { year } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    const admin = `/admin/editions/invtest/${year}`;

    // Guest 300 shows their address and proposes a topic with guest 301; 302 and 303 are
    // candidates not invited yet.
    const [ada, bob] = await inviteGuests(deps, editionId, 2, 300);
    await acceptInvitation(deps, { token: ada!.token, affiliation: 'Example Labs', showEmail: true });
    await acceptInvitation(deps, { token: bob!.token });
    const bobId = (await row(handle.db, bob!.id)).person_id;
    const adaId = (await row(handle.db, ada!.id)).person_id;
    const topic = await proposeTopic(deps, { accountId: null, label: `invitee:${guestEmail(300)}` }, {
      editionId,
      proposerId: adaId,
      title: 'XDP offloads',
      abstract: '',
      wishedMinutes: '',
      coPresenterIds: [bobId],
    });
    // An accepted topic with a long title, offered by the schedule's slot form.
    const long = await proposeTopic(deps, { accountId: null, label: `invitee:${guestEmail(300)}` }, {
      editionId,
      proposerId: adaId,
      title: 'Über-offload: what three years of XDP hardware offloads taught the drivers, and what they did not',
      abstract: '',
      wishedMinutes: 30,
      coPresenterIds: [bobId],
    });
    await decideTopic(deps, COMMITTEE, { topicId: long.id, decision: 'accept', comment: '' });
    const { year: y } = await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow();
    // A named day: its name and date are the chosen option of the Coffee row's "Move to".
    await setDay(deps, COMMITTEE, { series: 'invtest', year: y }, { date: '2999-05-11', label: 'Hacking day' });
    await addSlot(deps, COMMITTEE, { series: 'invtest', year: y }, { date: '2999-05-11', start: '09:00', end: '09:30', kind: 'break', title: 'Coffee' });
    // A talk with a speaker and a room: each cell of its row on a line of its own in lynx.
    await addSlot(deps, COMMITTEE, { series: 'invtest', year: y }, { date: '2999-05-11', start: '10:00', end: '10:30', kind: 'talk', title: 'Queue API', speakerIds: [bobId], room: 'Main room' });
    for (const k of [302, 303]) await addCandidate(deps, COMMITTEE, { editionId, name: guestName(k), email: guestEmail(k) });

    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail, limits: { signin: 1000, invitation: 1000 } });
    const invitee = new Client(app);
    const committee = new Client(app);
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    const signin = new URL(link!.link).pathname;
    expect((await committee.submit(signin, signin, {})).statusCode).toBe(303);

    const read = (name: string, res: { statusCode: number; body: string }, status = 200) => {
      expect(res.statusCode, name).toBe(status);
      pages.set(name, res.body);
    };
    read('invitation', await invitee.get(`/invitation/${ada!.token}`));
    read('topic edit', await invitee.get(`/invitation/${ada!.token}/topics/${topic.id}`));
    read('invitations', await committee.get(`${admin}/invitations`));
    read('topics by state', await committee.get(`${admin}/topics?state=proposed`));
    read('accepted topics', await committee.get(`${admin}/topics?state=accepted`));
    read('schedule', await committee.get(`${admin}/schedule`));
    read('committee topic edit', await committee.get(`${admin}/topics/${long.id}/edit`));
    read('materials', await committee.get(`${admin}/materials`));
    read('speaker materials', await invitee.get(`/invitation/${ada!.token}/materials`));
    // A message from an invitee's address, not understood: the committee picks its invitation.
    const raw = await compose({ from: guestEmail(300), to: 'netconf-committee@example.org', subject: 'About the week', messageId: newId(), text: 'Which week was it?\n' });
    const unclear = await ingestMessage({ ...deps, log: () => {} }, raw, { via: 'stdin' });
    read('inbound message', await committee.get(`/admin/inbound/${unclear.id}`));
    // A template with an unknown placeholder in each field: both errors beside their hints.
    read('refused template', await committee.submit(`${admin}/templates/invitation`, `${admin}/templates/invitation`, { op: 'save', subject: 'Hi {{bogus}}', body: 'Hello {{nope}}' }), 400);
    // Declining needs a comment: the page comes back with the decision kept.
    read('refused decision', await committee.submit(`${admin}/topics`, `${admin}/topics/${topic.id}/decide`, { decision: 'decline', comment: '' }), 400);
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  it.runIf(hasLynx)('keeps a label apart from its control, a select too', async () => {
    const fields = ['text', 'select', 'textarea'].map((kind) =>
      Field({ name: kind, label: `Label of ${kind}`, value: 'company', options: kind === 'select' ? ['company', 'event'] : undefined, rows: kind === 'textarea' ? 2 : undefined }),
    );
    const text = dump(`<form>${(await Promise.all(fields)).join('')}</form>`);
    expect(text).toMatch(/Label of text \S/);
    expect(text).toMatch(/Label of select \[company\]/);
    expect(text).toMatch(/Label of textarea\s/);
  });

  it.runIf(hasLynx)('puts a field’s error on a line of its own, not run into its hint', () => {
    const text = dump(pages.get('refused template')!);
    expect(text).toMatch(/One line\.\s*\n\s*unknown placeholder \{\{bogus\}\}/);
    expect(text).toMatch(/is left as written\.\s*\n\s*unknown placeholder \{\{nope\}\}/);
    expect(text).not.toMatch(/written\.unknown|line\.unknown/);
  });

  it.runIf(hasLynx)('keeps a label apart from its menu in every form that has one', () => {
    const menus: [string, RegExp][] = [
      ['schedule', /^ +Day \[[^\]]*2999/m],
      ['schedule', /^ +Kind \[talk_*\]$/m],
      ['schedule', /^ +Accepted topic \[\(none: use the title\)/m],
      ['materials', /^ +For \[The edition as a whole_*\]$/m],
      ['materials', /^ +Kind \[slides_*\]$/m],
      ['materials', /^ +Author \[Choose the author_*\]$/m],
      ['speaker materials', /^ +For \[Choose your talk or topic_*\]$/m],
      ['speaker materials', /^ +Kind \[slides_*\]$/m],
      ['inbound message', new RegExp(`^ +The invitation it is about \\[${guestName(300)} <${guestEmail(300)}>`, 'm')],
    ];
    for (const [name, menu] of menus) expect(dump(pages.get(name)!), name).toMatch(menu);
  });

  it('renders no bare attribute right before "/>"', () => {
    for (const [name, html] of pages) {
      expect(html, name).toContain('/>');
      expect(html.match(/\s[a-z][\w-]*\/>/gi) ?? [], name).toEqual([]);
    }
  });

  it.runIf(hasLynx)('shows the invitee’s address box ticked when they show it', () => {
    expect(dump(pages.get('invitation')!)).toContain(`[X] Show my address (${guestEmail(300)}) on the public pages`);
  });

  it.runIf(hasLynx)('shows a topic’s co-presenter ticked on its edit page', () => {
    expect(dump(pages.get('topic edit')!)).toContain(`[X] ${guestName(301)}`);
  });

  it.runIf(hasLynx)('shows the committee’s topic edit form with the topic’s values, each field labelled', () => {
    const text = dump(pages.get('committee topic edit')!, 80);
    expect(text).toContain('Title Über-offload: what _');
    expect(text).toMatch(/^ +Length, in minutes 30_+ 5 to 480; leave empty for none\.$/m);
  });

  it.runIf(hasLynx)('shows the candidates to invite ticked, holding as drafts not', () => {
    const text = dump(pages.get('invitations')!);
    expect(text).toContain(`[X] ${guestName(302)} <${guestEmail(302)}>`);
    expect(text).toContain(`[X] ${guestName(303)} <${guestEmail(303)}>`);
    expect(text).toContain('[ ] Hold the mail as drafts to read before sending');
    // No date picker in lynx: the field says what to type.
    expect(text).toMatch(/Answer by _+ \(YYYY-MM-DD\) Default: the edition/);
  });

  it.runIf(hasLynx)('draws the slot form on an 80-column screen with a long topic offered, every field in its place', () => {
    const text = dump(pages.get('schedule')!, 80);
    expect(text).toMatch(/^ +Accepted topic \[\(none: use the title\)_*\]$/m);
    expect(text).toMatch(/^ +Title _{20,} empty for a$/m);
    expect(text).toMatch(/^ +Speaker 1 \[\(none\)_*\]$/m);
    expect(text).toMatch(/^ +Room _{10,}$/m);
    // A field's hint is a word apart from the field, not glued to it.
    expect(text).toMatch(/^ +End \(HH:MM\) _+ or a length below/m);
    const html = pages.get('schedule')!;
    expect(html).toContain('>#2 Über-offload: what three years of XDP hardware...</option>');
    expect(html).toContain('title="#2 Über-offload: what three years of XDP hardware offloads taught the drivers, and what they did not (');
  });

  it.runIf(hasLynx)('reads a slot’s “Move to” fields apart from their words, with no drag handle to use', () => {
    const move = dump(pages.get('schedule')!, 200);
    expect(move).toMatch(/^ *09:00–09:30 +Coffee/m);
    expect(move).not.toMatch(/⇅ *09:00/);
    // The day named, then its date, whole; its start on a line of its own, nothing glued or doubled
    // (lynx measured the "—" of "Hacking day — Saturday…" in bytes: "2999]99] Star09:00").
    for (const width of [80, 200]) {
      const text = dump(pages.get('schedule')!, width);
      expect(text, `${width}`).toMatch(/Coffee \(break\)\n +Move to: Day \[Hacking day \(Saturday, May 11, 2999\)_*\]$/m);
      expect(text, `${width}`).toMatch(/^ +Start 09:00 \(BUTTON\) Move$/m);
    }
  });

  it.runIf(hasLynx)('reads a slot row’s speakers, room and “Move to” form each on a line of its own', () => {
    // The cells ran together: "Queue API (talk) Guest 301 Main room Day [Hacking day…", the
    // speakers running into the form with nothing to tell where one ended.
    for (const width of [80, 200]) {
      const text = dump(pages.get('schedule')!, width);
      expect(text, `${width}`).toMatch(new RegExp(`^ +10:00–10:30 Queue API \\(talk\\)\\n +Speakers: ${guestName(301)}\\n +Room: Main room\\n +Move to: Day \\[Hacking day`, 'm'));
    }
  });

  it.runIf(hasLynx)('reads each slot’s time and title once on its row, its “Edit” and “Remove” unnamed', () => {
    // Words hidden beside "Edit" and "Remove" to name the slot read in full in lynx, which has no
    // style sheet: the title three times a row ("Edit 09:00–09:30 Coffee (BUTTON) Remove
    // 09:00–09:30 Coffee"). The row's first cells name it; a screen reader's name is below.
    for (const width of [80, 200]) {
      const text = dump(pages.get('schedule')!, width);
      const rows = text.slice(text.search(/^ +Time +Slot +Speakers/m), text.search(/^Add a day$/m));
      expect(rows, `${width}`).toMatch(/^ +Edit \(BUTTON\) Remove$/m);
      expect(rows.match(/^ +Edit \(BUTTON\) Remove$/gm), `${width}`).toHaveLength(2);
      for (const title of ['09:00–09:30 Coffee', '10:00–10:30 Queue API']) expect(rows.split(title), `${width} ${title}`).toHaveLength(2);
      expect(rows.split('Coffee'), `${width}`).toHaveLength(2);
      expect(rows.split('Queue API'), `${width}`).toHaveLength(2);
    }
  });

  it.runIf(hasChromium())('names each slot’s “Edit” and “Remove” by its time and title to a screen reader (Chromium)', async () => {
    const browser = await launchChromium();
    try {
      const links = await accessibleNames(browser, pages.get('schedule')!, 'link');
      expect(links.filter((n) => /^Edit \d/.test(n))).toEqual(['Edit 09:00–09:30 Coffee', 'Edit 10:00–10:30 Queue API']);
      const buttons = await accessibleNames(browser, pages.get('schedule')!, 'button');
      expect(buttons.filter((n) => /^Remove \d/.test(n))).toEqual(['Remove 09:00–09:30 Coffee', 'Remove 10:00–10:30 Queue API']);
    } finally {
      await browser.close();
    }
  });

  it.runIf(hasLynx)('reads the builder’s rows cleanly in a plain `lynx -dump`, links listed', () => {
    const text = lynxDump(pages.get('schedule')!);
    expect(text).toMatch(/Day \[Hacking day \(Saturday, May 11, 2999\)_*\]\n +or date _{10}\n +Start 09:00 \(BUTTON\) Move\n/);
  });

  it.runIf(hasLynx)('offers a date not listed, to a slot and as a day of its own, each field with its words', () => {
    const text = dump(pages.get('schedule')!, 80);
    expect(text).toMatch(/^ +or another date _{10} \(YYYY-MM-DD\) instead of the day above/m);
    expect(text).toMatch(/^Add a day$/m);
    expect(text).toMatch(/^ +Date _{10} \(YYYY-MM-DD\)$/m);
    expect(text).toMatch(/^ +Day starts _{5} \(HH:MM\)/m);
    expect(text).toMatch(/^ +Day named _+ such as/m);
  });

  it.runIf(hasLynx)('shows a topic not decided yet as undecided, not as accepted', () => {
    expect(dump(pages.get('topics by state')!)).toMatch(/\(\*\) Not decided yet\s+\( \) Accept\s+\( \) Decline/);
  });

  it.runIf(hasLynx)('shows an accepted topic’s decision as accepted, and changing it as a change', () => {
    const text = dump(pages.get('accepted topics')!);
    expect(text).toMatch(/\(\*\) Accepted: keep it so\s+\( \) Decline it instead/);
    expect(text).not.toContain('Not decided yet');
    expect(text).toContain('Change the decision and mail the presenters');
  });

  it.runIf(hasLynx)('keeps a refused decision chosen, and the state filter selected', () => {
    expect(dump(pages.get('refused decision')!)).toMatch(/\( \) Accept\s+\(\*\) Decline\s+\( \) Ask for changes/);
    // lynx pads the chosen option to the widest one's width.
    expect(dump(pages.get('topics by state')!)).toMatch(/Show \[proposed \(1\)_*\]/);
  });

  it.runIf(hasLynx)('gives each row the invitation number the terminal’s commands take', async () => {
    const text = dump(pages.get('invitations')!, 1000);
    const ids = (await handle.db.selectFrom('invitations').select('id').where('edition_id', '=', editionId).execute()).map((r) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    for (const id of ids) expect(text).toMatch(new RegExp(`\\binvitation #${id}(?!\\d)`));
  });

  it.runIf(hasLynx)('reads each invitee’s name once in their row, the row’s buttons by their verb alone', () => {
    // Words hidden beside each button to name the invitee read in full in lynx ("Re-send the
    // invitation of …", "Revoke the invitation of …", "Override the state of …"): the name four
    // times a row, where the row's first cell names it. A screen reader's names are below.
    const text = dump(pages.get('invitations')!, 1000);
    // lynx shows a button with a value as "(value) name", followed by the row's next control.
    const buttons = [...text.matchAll(/\((?:resend|revoke|override)\) (.*?)(?= \[| \(|$)/gm)].map((m) => m[1]!.trim());
    // Two accepted (each can be re-sent, revoked, overridden) and two candidates.
    expect(new Set(buttons)).toEqual(new Set(['Re-send', 'Revoke', 'Remove', 'Override']));
    const table = text.slice(text.search(/^ +Who +State +Since/m), text.search(/^(Add a candidate|Links just sent|Links in the held)/m));
    for (const k of [300, 301, 302, 303]) expect(table.split(guestName(k)), guestName(k)).toHaveLength(2);
  });

  it.runIf(hasChromium())('names whose invitation each button of a row acts on to a screen reader (Chromium), no two alike', async () => {
    const browser = await launchChromium();
    try {
      const buttons = (await accessibleNames(browser, pages.get('invitations')!, 'button')).filter((n) => /^(Re-send|Revoke|Remove|Override) /.test(n));
      expect(buttons).toContain(`Re-send ${guestName(300)}`);
      expect(buttons).toContain(`Revoke ${guestName(301)}`);
      expect(buttons).toContain(`Override ${guestName(303)}`);
      // A candidate was never invited: the button takes them off the list, and says so.
      expect(buttons).toContain(`Remove ${guestName(303)}`);
      expect(buttons).not.toContain(`Revoke ${guestName(303)}`);
      expect(buttons.length).toBeGreaterThanOrEqual(6);
      expect(new Set(buttons).size).toBe(buttons.length);
    } finally {
      await browser.close();
    }
  });
});
