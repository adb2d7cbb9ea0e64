/**
 * Templates: an unknown placeholder is refused when saved (naming the field and the known
 * names), previews fill in sample data, and lookup falls back edition → site → built-in.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Db } from '../../db/connect.js';
import { testDatabases } from '../../../test/support/db.js';
import { makeEdition } from '../../../test/mail/fixtures.js';
import { InvalidForm, InvalidInput, NotFound } from '../errors.js';
import { SAMPLE_TOKEN, sampleValues, TEMPLATE_KEYS, templateKeys } from './template-keys.js';
import { invitationLink, newToken } from '../invitations/tokens.js';
import { signinUrl } from '../committee/signin.js';
import { newSecret } from '../committee/tokens.js';
import { MAX_MAIL_SUBJECT } from './outbox.js';
import { checkPlaceholders, defaultBesideNote, getTemplate, previewTemplate, renderMail, renderTemplate, resetTemplate, saveTemplate, type TemplateOrigin } from './templates.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('built-in templates', () => {
  it.each(templateKeys)('%s uses only its own placeholders, in lines of at most 72 columns but a link’s', (key) => {
    const t = TEMPLATE_KEYS[key];
    expect(() => checkPlaceholders(key, 'subject', t.subject)).not.toThrow();
    expect(() => checkPlaceholders(key, 'body', t.body)).not.toThrow();
    const rendered = renderTemplate(t, sampleValues(key));
    // A personal link is longer than a line (as in real mail): it stands alone, never broken.
    for (const line of rendered.body.split('\n')) if (!/^ *https:\/\/\S+$/.test(line)) expect(line.length, line).toBeLessThanOrEqual(72);
    expect(rendered.body).not.toContain('{{');
  });

  it('says in the invitation that a reply of yes or no answers it, in the edition’s own words', () => {
    const values = { ...sampleValues('invitation'), edition_title: 'Netdev 0x19', committee: 'The Netdev committee' };
    const body = renderTemplate(TEMPLATE_KEYS.invitation, values).body.replace(/\s+/g, ' ');
    expect(body).toContain('or just by replying "yes" or "no" to this mail.');
    expect(body).toContain('Netdev 0x19 is a small, invitation-only workshop');
    expect(body).not.toMatch(/Netconf|Linux networking/);
  });

  it('fills the promotion’s first paragraph to 72 columns, whatever the edition’s values', () => {
    const t = TEMPLATE_KEYS['waitlist-promoted'];
    for (const values of [
      { edition_title: 'Netconf 2027', edition_dates: 'July 14–15, 2027', edition_place: 'Lisbon, Portugal' },
      { edition_title: 'Netconf 2026', edition_dates: 'May 11-13, 2026', edition_place: 'Lisbon, Portugal' },
      { edition_title: 'Netconf 2028', edition_dates: 'September 30 – October 2, 2028', edition_place: 'Vancouver, British Columbia, Canada' },
    ]) {
      const body = renderTemplate(t, { ...sampleValues('waitlist-promoted'), ...values }).body;
      const paragraph = body.split('\n\n')[1]!.split('\n');
      expect(paragraph[0]).toMatch(new RegExp(`^good news: a seat at ${values.edition_title} \\(`));
      // Each line but the last as full as the next word allows: no short stub before a long line.
      paragraph.forEach((line, i) => {
        expect(line.length, line).toBeLessThanOrEqual(72);
        const next = paragraph[i + 1]?.split(' ')[0];
        if (next !== undefined) expect(line.length + 1 + next.length, line).toBeGreaterThan(72);
      });
      expect(paragraph.join(' ')).toBe(
        `good news: a seat at ${values.edition_title} (${values.edition_dates}, ${values.edition_place}) has opened up, and as the first on the waiting list it is now yours. You are on the list of attendees; there is nothing more you need to do.`,
      );
    }
  });

  it('renders every placeholder of a template, and refuses a missing value', () => {
    const out = renderTemplate({ subject: 'Hi {{ name }}', body: '{{name}} / {{link}}\r\n' }, { name: 'Dave', link: 'https://x/y' });
    expect(out).toEqual({ subject: 'Hi Dave', body: 'Dave / https://x/y\n' });
    const err = caught(() => renderTemplate({ subject: 's', body: '{{name}}' }, {}));
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toBe('values: no value for {{name}}');
  });

  it('wraps a line of the template typed with tabs at 72 columns as a terminal shows them', () => {
    const body = `Hello {{name}},\n\n\tSession\tRoom\tSpeaker\tTopic\tNotes\tand\tmore\tcolumns\there\n`;
    const out = renderTemplate({ subject: 's', body }, { name: 'A\tB' });
    for (const line of out.body.split('\n')) expect(line.length, JSON.stringify(line)).toBeLessThanOrEqual(72);
    // A value keeps its tab; the line, 84 columns once its tabs are shown, is wrapped.
    expect(out.body).toBe('Hello A\tB,\n\n        Session Room Speaker Topic Notes and more columns here\n');
    // One that fits keeps its columns.
    expect(renderTemplate({ subject: 's', body: 'a\tb\n' }, {}).body).toBe('a       b\n');
  });

  it('keeps the subject one line whatever a value holds', () => {
    expect(renderTemplate({ subject: 'To {{name}}', body: 'b' }, { name: 'Eve\r\nBcc: x@y' }).subject).toBe('To Eve Bcc: x@y');
  });

  it('cuts a subject longer than a mail may have at a word, with "…"', () => {
    const long = 'hotel and travel question '.repeat(40);
    const { subject } = renderTemplate({ subject: 'Mail from {{name}}', body: 'b' }, { name: long });
    expect(subject.length).toBeLessThanOrEqual(MAX_MAIL_SUBJECT);
    expect(subject.length).toBeGreaterThan(MAX_MAIL_SUBJECT - 20);
    expect(subject).toMatch(/^Mail from hotel and travel question .* (hotel|and|travel|question)…$/);
    // One word filling the room is cut inside it; a short subject is left whole.
    expect(renderTemplate({ subject: '{{name}}', body: 'b' }, { name: 'x'.repeat(2000) }).subject).toBe(`${'x'.repeat(MAX_MAIL_SUBJECT - 1)}…`);
    expect(renderTemplate({ subject: '{{name}}', body: 'b' }, { name: 'a b' }).subject).toBe('a b');
  });
});

describe('a key added beside a customised one', () => {
  const views = (change: TemplateOrigin, removed: TemplateOrigin) => templateKeys.map((key) => ({ key, origin: key === 'schedule-change' ? change : key === 'schedule-removed' ? removed : 'default' }));
  const note = 'uses the default text; schedule-change is customised — check it reads alike';

  it('notes schedule-removed still at its default while schedule-change has the edition’s or the site’s own text', () => {
    expect(defaultBesideNote('schedule-removed', views('edition', 'default'))).toBe(note);
    expect(defaultBesideNote('schedule-removed', views('site', 'default'))).toBe(note);
  });

  it('notes nothing once schedule-removed has its own text, while schedule-change has none, or for another key', () => {
    for (const removed of ['edition', 'site'] as const) expect(defaultBesideNote('schedule-removed', views('edition', removed))).toBeNull();
    expect(defaultBesideNote('schedule-removed', views('default', 'default'))).toBeNull();
    for (const key of templateKeys.filter((k) => k !== 'schedule-removed')) expect(defaultBesideNote(key, views('edition', 'default')), key).toBeNull();
  });

  it('notes the later mails of a kind beside the older ones a committee may have customised: the final schedule, a page answer’s confirmation', () => {
    const only = (key: string, origin: TemplateOrigin) => templateKeys.map((k) => ({ key: k, origin: k === key ? origin : 'default' }));
    expect(defaultBesideNote('schedule-final', only('schedule-published', 'edition'))).toBe('uses the default text; schedule-published is customised — check it reads alike');
    expect(defaultBesideNote('answer-confirmed', only('inbound-rsvp', 'site'))).toBe('uses the default text; inbound-rsvp is customised — check it reads alike');
    expect(defaultBesideNote('schedule-published', only('schedule-final', 'edition'))).toBeNull();
  });
});

describe.each(testDatabases())('templates on $name', ({ open }) => {
  let handle: Db;
  let edition: number;
  let other: number;
  beforeAll(async () => {
    handle = await open();
    edition = await makeEdition(handle.db, 2026);
    other = await makeEdition(handle.db, 2027);
  });
  afterAll(async () => handle?.close());

  it('refuses an unknown placeholder in the body, naming the field and the known ones', async () => {
    const err = await saveTemplate(
      { db: handle.db },
      { editionId: edition, key: 'invitation', subject: 'Invitation', body: 'Hello {{nmae}},\n' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('body');
    expect((err as InvalidInput).message).toBe(
      'body: unknown placeholder {{nmae}}; known: {{name}}, {{edition_title}}, {{edition_dates}}, {{edition_place}}, {{link}}, {{answer_by}}, {{committee}}, {{edition_colocated}}, {{edition_time_zone}}, {{edition_held_with}}',
    );
    const stored = await handle.db.selectFrom('mail_templates').selectAll().execute();
    expect(stored).toEqual([]);
  });

  it('refuses an unknown placeholder in the subject, and one of another key', async () => {
    const err = await saveTemplate({ db: handle.db }, { editionId: edition, key: 'signin', subject: 'For {{name}}', body: '{{link}}' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('subject');
    expect((err as InvalidInput).message).toBe('subject: unknown placeholder {{name}}; known: {{link}}, {{minutes}}, {{site}}');
  });

  it('names a fault of the subject and one of the body at once', async () => {
    const save = (subject: string, body: string) => saveTemplate({ db: handle.db }, { editionId: edition, key: 'invitation', subject, body }).catch((e: unknown) => e) as Promise<InvalidForm>;
    const both = await save('For {{bogus}}', 'Hello {{nmae}}, {{link}}');
    expect(both).toBeInstanceOf(InvalidForm);
    expect(Object.entries(both.fields).map(([f, why]) => [f, why.split(';')[0]])).toEqual([
      ['subject', 'unknown placeholder {{bogus}}'],
      ['body', 'unknown placeholder {{nmae}}'],
    ]);
    // The form's own rules (a two-line subject, an empty body) with the other field's placeholders.
    expect((await save('one\ntwo', 'Hello, no link')).fields).toEqual({ subject: 'must be a single line', body: 'must contain {{link}}: this mail is the only way its link reaches the reader' });
    expect((await save('{{nope}}', '  \n')).fields).toEqual({ subject: expect.stringMatching(/^unknown placeholder \{\{nope\}\}; /), body: 'must not be empty' });
    expect(await handle.db.selectFrom('mail_templates').selectAll().execute()).toEqual([]);
  });

  it('refuses stray braces, an empty body, a two-line subject and an unknown key', async () => {
    const save = (over: object) =>
      saveTemplate({ db: handle.db }, { editionId: edition, key: 'invitation', subject: 'S', body: 'B', ...over } as never).catch(
        (e: unknown) => e,
      ) as Promise<InvalidInput>;
    expect((await save({ body: 'Hello {{name}, see {{link}}' })).field).toBe('body');
    // Mustache's unescaped form, typed from habit, would be mailed as "{Ada}".
    expect((await save({ body: 'Hello {{{name}}}, see {{link}}' })).message).toBe('body: a brace next to a placeholder, as in {{{name}}}: write a placeholder with two braces each side, {{name}}');
    expect((await save({ subject: 'To {{edition_title}}}', body: '{{link}}' })).field).toBe('subject');
    expect((await save({ body: '  \n' })).message).toBe('body: must not be empty');
    expect((await save({ subject: 'one\ntwo' })).message).toBe('subject: must be a single line');
    expect((await save({ key: 'birthday' })).field).toBe('key');
    const missing = await saveTemplate({ db: handle.db }, { editionId: 999_999, key: 'invitation', subject: 'S', body: 'B {{link}}' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFound);
  });

  it('refuses a sign-in or invitation text without its link, which reaches its reader by no other way', async () => {
    const err = (key: 'signin' | 'invitation', editionId: number | null, body: string) =>
      saveTemplate({ db: handle.db }, { editionId, key, subject: 'S', body }).catch((e: unknown) => e) as Promise<InvalidInput>;
    const signin = await err('signin', null, 'Valid for {{minutes}} minutes; ask again later.\n');
    expect(signin).toBeInstanceOf(InvalidInput);
    expect(signin.message).toBe('body: must contain {{link}}: this mail is the only way its link reaches the reader');
    expect((await err('invitation', edition, 'Hello {{name}}, reply to this mail.\n')).message).toBe(
      'body: must contain {{link}}: this mail is the only way its link reaches the reader',
    );
    expect(await handle.db.selectFrom('mail_templates').selectAll().execute()).toEqual([]);
    // A reminder's earlier links still work: its text may leave the link out.
    await saveTemplate({ db: handle.db }, { editionId: edition, key: 'reminder', subject: 'S', body: 'Hello {{name}}, please answer.\n' });
    await handle.db.deleteFrom('mail_templates').execute();
  });

  it('refuses in a subject every placeholder that carries a secret, naming it; in the body it stays', async () => {
    const refusal = (key: 'signin' | 'invitation' | 'reminder' | 'waitlist-promoted', subject: string) =>
      saveTemplate({ db: handle.db }, { editionId: key === 'signin' ? null : edition, key, subject, body: 'Here: {{link}}\n' }).catch((e: unknown) => e) as Promise<InvalidForm>;
    const signin = await refusal('signin', 'Sign in: {{link}}');
    expect(signin).toBeInstanceOf(InvalidForm);
    expect(signin.fields).toEqual({
      subject:
        "{{link}} may not be in the subject: it carries a one-time sign-in link, which signs in as its owner, and a subject is shown to the whole committee (/admin/mail, conclave mail list) and kept in mail servers' logs; put it in the body only",
    });
    for (const key of ['invitation', 'reminder', 'waitlist-promoted'] as const) {
      expect((await refusal(key, 'Invitation {{ link }}')).fields.subject, key).toMatch(/^\{\{link\}\} may not be in the subject: it carries the invitee’s personal link, which answers as them, /);
    }
    // The preview refuses it as well, and nothing was saved.
    const preview = await previewTemplate({ db: handle.db }, { editionId: null, key: 'signin', subject: '{{link}}' }).catch((e: unknown) => e);
    expect((preview as InvalidForm).fields.subject).toMatch(/^\{\{link\}\} may not be in the subject/);
    expect(await handle.db.selectFrom('mail_templates').selectAll().execute()).toEqual([]);
    // Every placeholder the keys mark as a secret is one of those links; a link that opens no one's page may go in a subject.
    const secret = templateKeys.flatMap((key) => Object.entries(TEMPLATE_KEYS[key].placeholders as Record<string, { secret?: string }>).filter(([, p]) => p.secret).map(([name]) => `${key}:${name}`));
    expect(secret).toEqual(['invitation:link', 'reminder:link', 'waitlist-promoted:link', 'signin:link']);
    expect(() => checkPlaceholders('topic-revised', 'subject', 'Topic {{link}}')).not.toThrow();
    expect(() => checkPlaceholders('inbound-review', 'subject', 'Read {{link}}')).not.toThrow();
  });

  it('mails no text whose saved subject carries a secret (one written around the check), saying which to put right', async () => {
    await handle.db.insertInto('mail_templates').values({ edition_id: null, key: 'signin', subject: 'Sign in: {{link}}', body: '{{link}}' }).execute();
    await handle.db.insertInto('mail_templates').values({ edition_id: edition, key: 'invitation', subject: 'Invitation {{link}}', body: '{{link}}' }).execute();
    onTestFinished(async () => {
      await handle.db.deleteFrom('mail_templates').execute();
    });
    const signin = await renderMail({ db: handle.db }, { editionId: null, key: 'signin', values: { link: 'https://n.example/signin/abc', minutes: '10', site: 'Netconf' } }).catch((e: unknown) => e);
    expect(signin).toBeInstanceOf(InvalidInput);
    expect((signin as InvalidInput).message).toBe(
      "subject: the signin template site-wide is not mailed: {{link}} may not be in the subject: it carries a one-time sign-in link, which signs in as its owner, and a subject is shown to the whole committee (/admin/mail, conclave mail list) and kept in mail servers' logs; put it in the body only (edit it under Mail templates, or conclave template set)",
    );
    const values = { ...sampleValues('invitation') };
    expect(((await renderMail({ db: handle.db }, { editionId: edition, key: 'invitation', values }).catch((e: unknown) => e)) as InvalidInput).message).toMatch(/^subject: the invitation template of this edition is not mailed: \{\{link\}\} may not be in the subject/);
    // Another edition's invitation, in conclave's words, goes as ever.
    expect((await renderMail({ db: handle.db }, { editionId: other, key: 'invitation', values })).subject).toBe('Invitation to Netconf 2026');
  });

  it('falls back from the edition to the site-wide version to the built-in text', async () => {
    const db = { db: handle.db };
    expect(await getTemplate(db, { editionId: edition, key: 'reminder' })).toMatchObject({
      origin: 'default',
      subject: TEMPLATE_KEYS.reminder.subject,
      body: TEMPLATE_KEYS.reminder.body,
      updatedAt: null,
    });
    await saveTemplate(db, { editionId: null, key: 'reminder', subject: 'Site: {{edition_title}}', body: 'Site body {{days_left}}' });
    await saveTemplate(db, { editionId: edition, key: 'reminder', subject: 'Edition: {{edition_title}}', body: 'Edition body {{name}}' });
    expect(await getTemplate(db, { editionId: edition, key: 'reminder' })).toMatchObject({ origin: 'edition', subject: 'Edition: {{edition_title}}' });
    expect(await getTemplate(db, { editionId: other, key: 'reminder' })).toMatchObject({ origin: 'site', subject: 'Site: {{edition_title}}' });
    expect(await getTemplate(db, { editionId: null, key: 'reminder' })).toMatchObject({ origin: 'site' });

    // Saving again replaces, one row per (edition, key) and one site-wide row per key.
    await saveTemplate(db, { editionId: edition, key: 'reminder', subject: 'Edition v2', body: 'v2 {{link}}' });
    await saveTemplate(db, { editionId: null, key: 'reminder', subject: 'Site v2', body: 'v2' });
    const rows = await handle.db.selectFrom('mail_templates').select(['edition_id', 'subject']).where('key', '=', 'reminder').orderBy('edition_id').execute();
    expect(rows).toEqual([
      { edition_id: edition, subject: 'Edition v2' },
      { edition_id: null, subject: 'Site v2' },
    ]);

    expect(await resetTemplate(db, { editionId: edition, key: 'reminder' })).toMatchObject({ origin: 'site', subject: 'Site v2' });
    expect(await resetTemplate(db, { editionId: null, key: 'reminder' })).toMatchObject({ origin: 'default' });
  });

  it('previews the template in force, or a draft, with the sample values', async () => {
    const db = { db: handle.db };
    const builtIn = await previewTemplate(db, { editionId: edition, key: 'invitation' });
    expect(builtIn.origin).toBe('default');
    expect(builtIn.subject).toBe('Invitation to Netconf 2026');
    expect(builtIn.body).toContain('Hello Ada Lovelace,');
    // The sample link is a real link's form and length (a 43-character token), so the layout is real.
    expect(builtIn.body).toMatch(/\n {2}https:\/\/netconf\.example\.org\/invitation\/[A-Za-z0-9_-]{43}\n/);
    const local = await previewTemplate(db, { editionId: edition, key: 'invitation' }, {}, { baseUrl: 'http://127.0.0.1:3460' });
    expect(local.body).toContain(`\n  ${invitationLink('http://127.0.0.1:3460', SAMPLE_TOKEN)}\n`);
    expect(SAMPLE_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SAMPLE_TOKEN).toHaveLength(newToken().length);
    expect(builtIn.body).not.toMatch(/\{\{|\}\}/);
    // Given the site (and edition), the sample links point where mail's will, not at the sample's.
    const here = await previewTemplate(db, { editionId: edition, key: 'schedule-published' }, {}, { baseUrl: 'https://nc.example.net/', edition: { series: 'netdev', year: 2031 } });
    expect(here.body).toContain('https://nc.example.net/netdev/2031/#agenda');
    expect(here.body).toContain('https://nc.example.net/netdev/2031/changes/');
    expect(here.body).not.toContain('netconf.example.org');
    // A sign-in link's too: made as signin.ts makes real ones, of the real length.
    const signin = await previewTemplate(db, { editionId: edition, key: 'signin' }, {}, { baseUrl: 'http://localhost:3000' });
    expect(signin.body).toContain(`\n  ${signinUrl('http://localhost:3000', SAMPLE_TOKEN)}\n`);
    expect(/\n {2}(http:\/\/localhost:3000\/signin\/\S+)\n/.exec(signin.body)?.[1]).toHaveLength(signinUrl('http://localhost:3000', newSecret()).length);
    // The sample subject of a mail answering ours names the edition previewed, not the sample's.
    const netdev = { edition_title: 'Netdev 2131' };
    expect((await previewTemplate(db, { editionId: edition, key: 'inbound-review' }, netdev)).subject).toBe('Mail to read from Ada Lovelace <ada@example.org>: Re: Invitation to Netdev 2131');
    const rsvp = await previewTemplate(db, { editionId: edition, key: 'inbound-rsvp' }, netdev);
    expect(rsvp.subject).toBe('Re: Invitation to Netdev 2131');
    expect(rsvp.body).not.toContain('Netconf 2026');

    await saveTemplate(db, { editionId: null, key: 'signin', subject: 'Sign in', body: 'Valid {{minutes}} min: {{link}}' });
    expect(await previewTemplate(db, { editionId: edition, key: 'signin' })).toEqual({
      origin: 'site',
      subject: 'Sign in',
      // Too long to follow the words on their line, as a real link is: the wrap gives it its own.
      body: `Valid 15 min:\n${signinUrl('https://netconf.example.org', SAMPLE_TOKEN)}`,
    });
    expect(await previewTemplate(db, { editionId: edition, key: 'signin', body: '{{minutes}}!' })).toEqual({
      origin: 'draft',
      subject: 'Sign in',
      body: '15!',
    });
    const bad = await previewTemplate(db, { editionId: edition, key: 'signin', body: '{{name}}' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidInput);
    expect((bad as InvalidInput).field).toBe('body');
    await resetTemplate(db, { editionId: null, key: 'signin' });
  });

  it('keeps the sign-in mail site-wide: an edition’s own text, never used, is refused', async () => {
    const db = { db: handle.db };
    const err = await saveTemplate(db, { editionId: edition, key: 'signin', subject: 'Mine', body: '{{link}}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toBe('key: the signin mail belongs to no edition: its text is site-wide, the same for every edition');
    // One saved before this was refused is not shown as in force: the site-wide text is used.
    await handle.db.insertInto('mail_templates').values({ edition_id: edition, key: 'signin', subject: 'Old', body: '{{link}}' }).execute();
    expect(await getTemplate(db, { editionId: edition, key: 'signin' })).toMatchObject({ origin: 'default', subject: 'Your sign-in link to {{site}}' });
    // Nor is there an edition's own text to reset.
    await expect(resetTemplate(db, { editionId: edition, key: 'signin' })).rejects.toThrow('key: the signin mail belongs to no edition');
    await handle.db.deleteFrom('mail_templates').where('edition_id', '=', edition).where('key', '=', 'signin').execute();
  });

  it('renders a real message from the template in force', async () => {
    const out = await renderMail({ db: handle.db }, { editionId: other, key: 'signin', values: { link: 'https://n.example/s/abc', minutes: '10', site: 'Netconf' } });
    expect(out.subject).toBe('Your sign-in link to Netconf');
    expect(out.body).toContain('next 10 minutes:\n\n  https://n.example/s/abc\n');
  });

  it('drops an edition’s templates with the edition', async () => {
    const gone = await makeEdition(handle.db, 2030);
    await saveTemplate({ db: handle.db }, { editionId: gone, key: 'invitation', subject: 'S', body: 'B {{link}}' });
    await handle.db.deleteFrom('editions').where('id', '=', gone).execute();
    const left = await handle.db.selectFrom('mail_templates').select('id').where('edition_id', '=', gone).execute();
    expect(left).toEqual([]);
  });
});
