/**
 * The audit log as lynx reads it. Each entry's before and after were pretty JSON in a <details>,
 * which lynx shows unfolded: an edition's update ran to some sixty lines, one a field, changed or
 * not. The row now lists the fields changed ("title: "Netconf" → "Netconf 2027""), and links the
 * entry in full, on a page of its own.
 */
import type { Selectable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AuditLogTable } from '../src/db/schema.js';
import { AuditEntryPage, AuditPage } from '../src/web/views/admin/records.js';
import { hasLynx, lynxDump } from './support/lynx.js';

const account = { accountId: 1, email: 'chair@example.org', name: 'Pat Chair' };
const at = new Date('2027-03-01T12:00:00Z');
// An edition as its update logs it: many fields, two of them changed.
const edition = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`field_${i}`, `value ${i}`]));
const entry = (id: number, action: string, entity: string, before: unknown, after: unknown) =>
  ({ id, at, actor: 'chair@example.org', action, entity, entity_id: '7', edition_id: 1, reason: null, before, after }) as unknown as Selectable<AuditLogTable>;
const rows = [
  entry(12, 'edition.update', 'edition', { ...edition, title: 'Netconf', motto: '<b>old</b>' }, { ...edition, title: 'Netconf 2027', motto: null }),
  entry(11, 'sponsor.add', 'sponsor', null, { name: 'Acme <Labs>', kind: 'company' }),
  entry(10, 'session.signin', 'committee_account', null, null),
];

const html = () => AuditPage({ account, csrf: 'token', rows, filter: {}, errors: {}, editions: [], older: null, paged: false });

describe('the audit log, each entry’s changes as a short list', () => {
  it('lists the fields changed, escaped, and links the entry in full', async () => {
    const page = await html();
    expect(page).not.toContain('<details>');
    expect(page).toContain('<li>title: &#34;Netconf&#34; → &#34;Netconf 2027&#34;</li>');
    expect(page).toContain('<li>motto: &#34;&lt;b>old&lt;/b>&#34; → null</li>');
    expect(page).toContain('<span>New:</span><ul class="plain changes"><li>name: &#34;Acme &lt;Labs>&#34;</li><li>kind: &#34;company&#34;</li></ul>');
    expect(page).toContain('<a href="/admin/audit/12">entry #12 in full</a>');
    expect(page).not.toContain('field_3');
  });

  it.runIf(hasLynx)('reads each entry in a few lines in lynx, unchanged fields left out', async () => {
    const text = lynxDump(await html(), { width: 120, list: false });
    const log = text.slice(text.search(/^ +When +Who/m), text.indexOf('Served by conclave'));
    expect(log).toContain('* title: "Netconf" → "Netconf 2027"');
    expect(log).toContain('* motto: "<b>old</b>" → null');
    expect(log).toContain('* name: "Acme <Labs>"');
    expect(log).not.toContain('field_');
    expect(log).not.toContain('"before"');
    // Three entries: a few lines each, where the update alone took more than thirty.
    expect(log.trim().split('\n').length).toBeLessThan(20);
  });

  it.runIf(hasLynx)('shows the entry in full on its own page', async () => {
    const text = lynxDump(await AuditEntryPage({ account, csrf: 'token', entry: rows[0]! }), { width: 120, list: false });
    expect(text).toContain('edition.update edition #7');
    expect(text).toContain('"title": "Netconf 2027"');
    expect(text).toContain('"field_29": "value 29"');
    expect(text).toContain('"motto": "<b>old</b>"');
  });
});
