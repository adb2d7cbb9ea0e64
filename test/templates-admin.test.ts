/**
 * The committee's mail template editor of an edition: the list with where each text comes from,
 * an unknown placeholder refused in place with the typed text kept, a preview with the edition's values
 * that saves nothing, a save that mail then uses, a reset, and CSRF on every POST.
 */
import { listAudit } from '../src/domain/audit/record.js';
import { escapeHtml } from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { addCommitteeMember } from '../src/domain/committee/accounts.js';
import { createSigninLink, requestSignin } from '../src/domain/committee/signin.js';
import { createEdition } from '../src/domain/editions/edit-edition.js';
import { SAMPLE_TOKEN, TEMPLATE_KEYS, templateKeys } from '../src/domain/mail/template-keys.js';
import { getTemplate } from '../src/domain/mail/templates.js';
import { enqueueMail } from '../src/domain/mail/outbox.js';
import { buildApp } from '../src/web/app.js';
import { testDatabases } from './support/db.js';
import { Client, csrfOf } from './support/http.js';

const mail = { baseUrl: 'http://conclave.test', from: 'Netconf committee <committee@conclave.test>' };
const actor = { accountId: null, label: 'test' };
const base = '/admin/editions/netconf/2027/templates';

describe.each(testDatabases())('mail templates admin on $name', ({ open }) => {
  let handle: Db;
  let app: FastifyInstance;
  let editionId: number;
  const clock = () => new Date('2026-11-22T10:00:00Z');

  beforeAll(async () => {
    handle = await open();
    await addCommitteeMember({ db: handle.db }, actor, { email: 'chair@example.org', name: 'Pat Chair' });
    editionId = (await createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2027, fields: { title: 'Netconf 2027', locationText: 'Lisbon, Portugal', answerBy: '2027-03-31' } as never })).id;
    app = await buildApp({ db: handle.db, clock, mail, limits: { signin: 1000 } });
  });
  afterAll(async () => {
    await app?.close();
    await handle?.close();
  });

  // Signed in once: links per address are limited, and the clock stands still.
  let signed: Client | undefined;
  async function signedIn(): Promise<Client> {
    if (signed) return signed;
    const c = new Client(app);
    const link = await createSigninLink({ db: handle.db, clock, mail }, { email: 'chair@example.org' });
    const path = new URL(link!.link).pathname;
    const res = await c.submit(path, path, {});
    expect(res.statusCode).toBe(303);
    signed = c;
    return c;
  }

  const stored = () => handle.db.selectFrom('mail_templates').selectAll().where('edition_id', '=', editionId).execute();
  const fieldError = (html: string, field: string) => new RegExp(`<strong id="f-${field}-error" class="error-text">([^<]*)</strong>`).exec(html)?.[1];

  it('lists every key with what it is for and where its text comes from', async () => {
    const c = await signedIn();
    const res = await c.get(base);
    expect(res.statusCode).toBe(200);
    for (const key of templateKeys) {
      expect(res.body).toContain(key === 'signin' ? '<a href="/admin/templates/signin">' : `<a href="${base}/${key}">`);
      expect(res.body).toContain(`<span>Used for: </span></span><span>${escapeHtml(TEMPLATE_KEYS[key].about)}</span></td>`);
    }
    expect(res.body.match(/built-in default/g)?.length).toBe(templateKeys.length);
    expect((await new Client(app).get(base)).statusCode).toBe(303);
    expect((await c.get('/admin/editions/netconf/1999/templates')).statusCode).toBe(404);
    expect((await c.get(`${base}/nonsense`)).statusCode).toBe(404);
  });

  it('shows the editor with the text in force and the allowed placeholders', async () => {
    const c = await signedIn();
    const res = await c.get(`${base}/invitation`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('value="Invitation to {{edition_title}}"');
    expect(res.body).toMatch(/<textarea id="f-body" name="body" rows="20"[^>]*>\nHello \{\{name\}\},/);
    for (const name of Object.keys(TEMPLATE_KEYS.invitation.placeholders)) expect(res.body).toContain(`<code>{{${name}}}</code>`);
    expect(res.body).toContain('e.g. Ada Lovelace');
    expect(res.body).toContain('name="op" value="preview"');
    expect(res.body).toContain('name="op" value="save"');
  });

  it('refuses an unknown placeholder next to its field, keeps the typed text and saves nothing', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/invitation`);
    const typed = 'Dear {{name}},\n\n{{nonsense}} & <b>more</b>\n';
    const res = await c.post(`${base}/invitation`, { _csrf: csrfOf(page.body), op: 'save', subject: 'Come to {{edition_title}}', body: typed });
    expect(res.statusCode).toBe(400);
    expect(fieldError(res.body, 'body')).toMatch(/^unknown placeholder \{\{nonsense\}\}; known: \{\{name\}\}, /);
    expect(fieldError(res.body, 'subject')).toBeUndefined();
    expect(res.body).toContain('<textarea id="f-body" name="body" rows="20" cols="76" class="mono" spellcheck="false" aria-describedby="f-body-hint f-body-error" aria-invalid="true">\nDear {{name}},\n\n{{nonsense}} &amp; &lt;b>more&lt;/b>\n</textarea>');
    expect(res.body).toContain('value="Come to {{edition_title}}"');
    expect(res.body).toContain('<a href="#f-body">');

    const subject = await c.post(`${base}/invitation`, { _csrf: csrfOf(res.body), op: 'save', subject: 'Hi {{nmae}}', body: 'Hello {{name}}' });
    expect(subject.statusCode).toBe(400);
    expect(fieldError(subject.body, 'subject')).toMatch(/^unknown placeholder \{\{nmae\}\}/);
    expect(subject.body).toContain('value="Hi {{nmae}}"');

    expect(await stored()).toEqual([]);
    expect((await getTemplate({ db: handle.db }, { editionId, key: 'invitation' })).origin).toBe('default');
  });

  it('names the faults of the subject and of the body at once, each at its field', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/invitation`);
    const both = await c.post(`${base}/invitation`, { _csrf: csrfOf(page.body), op: 'save', subject: 'Hi {{bogus}}', body: 'Dear {{nmae}},\n{{link}}\n' });
    expect(both.statusCode).toBe(400);
    expect(fieldError(both.body, 'subject')).toMatch(/^unknown placeholder \{\{bogus\}\}; known: /);
    expect(fieldError(both.body, 'body')).toMatch(/^unknown placeholder \{\{nmae\}\}; known: /);
    expect(both.body).toContain('Please correct these 2 fields:');
    // A subject wrong in form (empty), a body without the link its reader needs: both too.
    const form = await c.post(`${base}/invitation`, { _csrf: csrfOf(both.body), op: 'save', subject: '  ', body: 'Dear {{name}}, reply.\n' });
    expect(form.statusCode).toBe(400);
    expect(fieldError(form.body, 'subject')).toBe('must not be empty');
    expect(fieldError(form.body, 'body')).toBe('must contain {{link}}: this mail is the only way its link reaches the reader');
    // The preview checks both as well.
    const preview = await c.post(`${base}/invitation`, { _csrf: csrfOf(form.body), op: 'preview', subject: 'Hi {{bogus}}', body: 'Dear {{nmae}}' });
    expect(preview.statusCode).toBe(400);
    expect([fieldError(preview.body, 'subject'), fieldError(preview.body, 'body')].map((e) => e?.split(';')[0])).toEqual(['unknown placeholder {{bogus}}', 'unknown placeholder {{nmae}}']);
    expect(await stored()).toEqual([]);
  });

  it('previews an invitation with the edition’s own date to answer by, not the sample’s', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/invitation`);
    const res = await c.post(`${base}/invitation`, { _csrf: csrfOf(page.body), op: 'preview', subject: 'Netconf', body: 'Answer by {{answer_by}}.\r\n' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('\n\nAnswer by March 31, 2027.\n</pre>');
  });

  it('previews links at this site and edition, not at the sample’s', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/schedule-published`);
    const res = await c.post(`${base}/schedule-published`, { _csrf: csrfOf(page.body), op: 'preview', subject: 'x', body: '{{link}}\r\n{{changes}}\r\n' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('\n\nhttp://conclave.test/netconf/2027/#agenda\nhttp://conclave.test/netconf/2027/changes/\n</pre>');
  });

  it('previews the text in the form with the edition’s own values and samples, saving nothing', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/reminder`);
    const res = await c.post(`${base}/reminder`, {
      _csrf: csrfOf(page.body),
      op: 'preview',
      subject: 'Still {{days_left}} days for {{edition_title}}',
      body: 'Hello {{name}},\r\ncome to {{edition_place}} <soon>.\r\nAnswer by {{answer_by}}, {{time_left}}.\r\n{{committee}}\r\n',
    });
    expect(res.statusCode).toBe(200);
    // The edition's title, place, answer date and committee as mail will say them, and the time
    // left as its reminder says it on the day it goes out (reminder_days, 7 by default, before
    // the answer date; not the sample's "5 days"); a sample name.
    expect(res.body).toContain(
      '<pre class="mail">Subject: Still 7 days for Netconf 2027\n\nHello Ada Lovelace,\ncome to Lisbon, Portugal &lt;soon>.\nAnswer by March 31, 2027, in 7 days.\nThe Netconf committee\n</pre>',
    );
    // The form still holds the text as typed, not as rendered.
    expect(res.body).toContain('value="Still {{days_left}} days for {{edition_title}}"');
    expect(res.body).toContain('>\nHello {{name}},\r\ncome to {{edition_place}} &lt;soon>.\r\nAnswer by {{answer_by}}, {{time_left}}.\r\n{{committee}}\r\n</textarea>');
    expect(await stored()).toEqual([]);

    const bad = await c.post(`${base}/reminder`, { _csrf: csrfOf(res.body), op: 'preview', subject: 'x', body: 'Hello {{who}}' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'body')).toMatch(/^unknown placeholder \{\{who\}\}/);
    expect(bad.body).not.toContain('<pre class="mail">');
  });

  it('saves a good template, which mail then uses, and resets it to the default', async () => {
    const c = await signedIn();
    const page = await c.get(`${base}/invitation`);
    const res = await c.post(`${base}/invitation`, {
      _csrf: csrfOf(page.body),
      op: 'save',
      subject: 'Netconf: {{edition_title}} <soon> & "now"',
      body: 'Hello {{name}},\r\n\r\nanswer by {{answer_by}}: {{link}}\r\n',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`^${base}/invitation\\?notice=`));
    const t = await getTemplate({ db: handle.db }, { editionId, key: 'invitation' });
    expect(t).toMatchObject({ origin: 'edition', subject: 'Netconf: {{edition_title}} <soon> & "now"', body: 'Hello {{name}},\n\nanswer by {{answer_by}}: {{link}}\n' });

    const after = await c.get(res.headers.location as string);
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('<p class="notice" role="status">Saved the invitation template of Netconf 2027.</p>');
    expect(after.body).toContain('value="Netconf: {{edition_title}} <soon> &amp; &#34;now&#34;"');
    expect(after.body).toContain('Text in force: this edition’s own, saved ');
    const list = await c.get(base);
    expect(list.body).toContain('this edition’s own');
    expect(list.body).toContain('<span>Subject: </span></span><span>Netconf: {{edition_title}} &lt;soon> &amp; &#34;now&#34;</span></td>');
    expect(list.body.match(/built-in default/g)?.length).toBe(templateKeys.length - 1);
    // Other editions are untouched.
    expect((await getTemplate({ db: handle.db }, { editionId: null, key: 'invitation' })).origin).toBe('default');

    const reset = await c.post(`${base}/invitation/reset`, { _csrf: csrfOf(after.body) });
    expect(reset.statusCode).toBe(303);
    const back = await getTemplate({ db: handle.db }, { editionId, key: 'invitation' });
    expect(back).toMatchObject({ origin: 'default', subject: TEMPLATE_KEYS.invitation.subject, body: TEMPLATE_KEYS.invitation.body });
    expect(await stored()).toEqual([]);
    const audit = await listAudit({ db: handle.db }, { entity: 'mail_template' });
    expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
      ['template.reset', 'invitation'],
      ['template.save', 'invitation'],
    ]);
    expect((audit[1]!.after as { subject: string }).subject).toBe('Netconf: {{edition_title}} <soon> & "now"');
    const shown = await c.get(reset.headers.location as string);
    expect(shown.body).toContain('Reset: the built-in default text applies again.');
    expect(shown.body).not.toContain('Reset to default');
  });

  it('notes beside schedule-removed that it is still the default while schedule-change is the edition’s own', async () => {
    const c = await signedIn();
    await createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2028, fields: { title: 'Netconf 2028' } as never });
    const other = '/admin/editions/netconf/2028/templates';
    const note = '<strong>Note: schedule-removed uses the default text; schedule-change is customised — check it reads alike.</strong>';
    expect((await c.get(other)).body).not.toContain('Note:');
    const save = async (key: string, subject: string, body: string) => {
      const page = await c.get(`${other}/${key}`);
      expect((await c.post(`${other}/${key}`, { _csrf: csrfOf(page.body), op: 'save', subject, body })).statusCode).toBe(303);
    };
    await save('schedule-change', 'Programme: {{headline}}', 'Dear {{name}}:\n{{change}}\n');
    const list = (await c.get(other)).body;
    // In the row of schedule-removed, after where its text comes from; in no other row.
    const row = (key: string) => new RegExp(`<tr><th scope="row">(?:(?!</tr>).)*?<a href="${other}/${key}">[^]*?</tr>`).exec(list)?.[0] ?? '';
    expect(row('schedule-removed')).toContain(`built-in default</span><br />${note}`);
    expect(list.match(/Note:/g)?.length).toBe(1);
    // Given its own text too, the two are the committee's: nothing to note.
    await save('schedule-removed', 'Off the programme', 'Dear {{name}}:\n{{change}}\n');
    expect((await c.get(other)).body).not.toContain('Note:');
  });

  it('edits the sign-in mail site-wide, the same for every edition, and sign-in mail uses it', async () => {
    const c = await signedIn();
    const list = await c.get(base);
    expect(list.body).toContain('<a href="/admin/templates/signin">');
    expect(list.body).toContain('(the same for every edition)');
    // The edition's editor leads to the site-wide one: an edition's own text would never be used.
    const moved = await c.get(`${base}/signin`);
    expect(moved.statusCode).toBe(303);
    expect(moved.headers.location).toBe('/admin/templates/signin');
    const page = await c.get('/admin/templates/signin');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('its text is the same for every edition');
    expect(page.body).toContain('the one-time sign-in link (under BASE_URL) (must appear in the body; never in the subject: it is a secret)');
    // Without its link, a sign-in mail would sign nobody in: refused at the body, nothing saved.
    const linkless = await c.post('/admin/templates/signin', { _csrf: csrfOf(page.body), op: 'save', subject: 'Netconf: sign in', body: 'Ask the chair.\n' });
    expect(linkless.statusCode).toBe(400);
    expect(fieldError(linkless.body, 'body')).toBe('must contain {{link}}: this mail is the only way its link reaches the reader');
    expect((await getTemplate({ db: handle.db }, { editionId: null, key: 'signin' })).origin).toBe('default');
    const res = await c.post('/admin/templates/signin', { _csrf: csrfOf(page.body), op: 'save', subject: 'Netconf: sign in', body: 'Within {{minutes}} minutes:\n\n  {{link}}\n' });
    expect(res.statusCode).toBe(303);
    expect((await getTemplate({ db: handle.db }, { editionId: null, key: 'signin' })).origin).toBe('site');
    expect((await getTemplate({ db: handle.db }, { editionId, key: 'signin' })).subject).toBe('Netconf: sign in');
    await requestSignin({ db: handle.db, clock, mail }, { email: 'chair@example.org' });
    const sent = await handle.db.selectFrom('outbox').select(['subject', 'body']).where('kind', '=', 'signin').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(sent.subject).toBe('Netconf: sign in');
    // Its preview's sample link has the form and length of the one just mailed: the layout is real.
    const preview = await c.post('/admin/templates/signin', { _csrf: csrfOf(page.body), op: 'preview', subject: 'Netconf: sign in', body: 'Within {{minutes}} minutes:\n\n  {{link}}\n' });
    expect(preview.statusCode).toBe(200);
    const linkIn = (text: string) => /\n {2}(\S+\/signin\/\S+)\n/.exec(text)?.[1];
    expect(linkIn(preview.body)).toBe(`http://conclave.test/signin/${SAMPLE_TOKEN}`);
    expect(linkIn(preview.body)!.replace(SAMPLE_TOKEN, '')).toBe(linkIn(sent.body)!.replace(/[A-Za-z0-9_-]{43}$/, ''));
    expect(linkIn(preview.body)!.length).toBe(linkIn(sent.body)!.length);
    // Saved for an edition all the same (an old form), it is refused, naming why.
    const refused = await c.post(`${base}/signin`, { _csrf: csrfOf(page.body), op: 'save', subject: 'Mine', body: '{{link}}' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('belongs to no edition');
    expect(await stored()).toEqual([]);
    // Only site-wide keys have a site-wide editor.
    expect((await c.get('/admin/templates/invitation')).statusCode).toBe(404);
    const reset = await c.post('/admin/templates/signin/reset', { _csrf: csrfOf(page.body) });
    expect(reset.statusCode).toBe(303);
    expect((await getTemplate({ db: handle.db }, { editionId: null, key: 'signin' })).origin).toBe('default');
  });

  it('refuses a secret link in a subject, naming the placeholder at the field, and saves nothing', async () => {
    const c = await signedIn();
    const page = await c.get('/admin/templates/signin');
    const signin = await c.post('/admin/templates/signin', { _csrf: csrfOf(page.body), op: 'save', subject: 'Sign in: {{link}}', body: 'Within {{minutes}} minutes:\n\n  {{link}}\n' });
    expect(signin.statusCode).toBe(400);
    expect(fieldError(signin.body, 'subject')).toBe(
      escapeHtml("{{link}} may not be in the subject: it carries a one-time sign-in link, which signs in as its owner, and a subject is shown to the whole committee (/admin/mail, conclave mail list) and kept in mail servers' logs; put it in the body only"),
    );
    expect(fieldError(signin.body, 'body')).toBeUndefined();
    const invitation = await c.post(`${base}/invitation`, { _csrf: csrfOf(signin.body), op: 'save', subject: 'Invitation {{link}}', body: 'Dear {{name}},\n{{link}}\n' });
    expect(invitation.statusCode).toBe(400);
    expect(fieldError(invitation.body, 'subject')).toMatch(/^\{\{link\}\} may not be in the subject: it carries the invitee’s personal link, which answers as them,/);
    expect((await getTemplate({ db: handle.db }, { editionId: null, key: 'signin' })).origin).toBe('default');
    expect(await stored()).toEqual([]);
    // The editor says so beside the placeholder.
    expect(page.body).toContain('the one-time sign-in link (under BASE_URL) (must appear in the body; never in the subject: it is a secret)');
  });

  it('shows another member no sign-in link in a subject: none mailed from a text saved around the check, none shown from an old row', async () => {
    const c = await signedIn();
    await addCommitteeMember({ db: handle.db }, actor, { email: 'bob@example.org', name: 'Bob Member' });
    // Saved before subjects were checked: the sign-in it would carry is not mailed at all.
    await handle.db.insertInto('mail_templates').values({ edition_id: null, key: 'signin', subject: 'Sign in: {{link}}', body: '{{link}}' }).execute();
    onTestFinished(async () => {
      await handle.db.deleteFrom('mail_templates').where('key', '=', 'signin').execute();
      await handle.db.deleteFrom('outbox').where('to_address', '=', 'bob@example.org').execute();
    });
    await expect(requestSignin({ db: handle.db, clock, mail }, { email: 'bob@example.org' })).rejects.toThrow('the signin template site-wide is not mailed: {{link}} may not be in the subject');
    expect(await handle.db.selectFrom('outbox').select('id').where('to_address', '=', 'bob@example.org').execute()).toEqual([]);
    await handle.db.deleteFrom('mail_templates').where('key', '=', 'signin').execute();
    // One mailed before (still queued, or sent): its subject is listed to every member without the link.
    const link = (await createSigninLink({ db: handle.db, clock, mail }, { email: 'bob@example.org' }))!.link;
    const row = await enqueueMail(handle.db, { kind: 'signin', baseUrl: mail.baseUrl, from: mail.from, to: { address: 'bob@example.org' }, subject: `Sign in: ${link}`, body: `${link}\n` });
    const secret = new URL(link).pathname.split('/').pop()!;
    for (const path of ['/admin/mail', `/admin/mail/${row.id}`]) {
      const page = await c.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(page.body, path).toContain('Sign in: http://conclave.test/signin/[hidden: a one-time link for its owner only]');
      expect(page.body, path).not.toContain(secret);
    }
  });

  it('refuses every POST of the editor without a CSRF token, or with a forged one', async () => {
    const c = await signedIn();
    const posts = app.conclaveRoutes.filter((r) => r.method === 'POST' && r.url.includes('/templates'));
    expect(posts.map((r) => r.url).sort()).toEqual(['/admin/editions/:series/:year/templates/:key', '/admin/editions/:series/:year/templates/:key/reset', '/admin/templates/:key', '/admin/templates/:key/reset']);
    for (const r of posts) {
      const url = r.url.replace(':series', 'netconf').replace(':year', '2027').replace(':key', 'signin');
      const form = { op: 'save', subject: 'Sign in', body: 'Go to {{link}}' };
      const missing = await c.post(url, form);
      expect(missing.statusCode, `${url} without a token`).toBe(403);
      const forged = await c.post(url, { _csrf: 'forged-token', ...form });
      expect(forged.statusCode, `${url} with a forged token`).toBe(403);
    }
    expect(await stored()).toEqual([]);
  });
});
