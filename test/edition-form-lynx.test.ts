/**
 * The edition's form as `lynx -dump` reads it: each group of fields is introduced once. The
 * co-located event's group was headed "Co-located event" over a field labelled the same, so
 * lynx read "Co-located event" twice in a row.
 */
import { describe, expect, it } from 'vitest';
import { EditionForm } from '../src/web/views/admin/editions.js';
import { hasLynx, lynxDump } from './support/lynx.js';

describe('the edition form in lynx', () => {
  const html = async () =>
    EditionForm({
      account: { accountId: 1, email: 'pc@example.org', name: 'PC' },
      csrf: 'token',
      action: '/admin/editions/netconf/2101',
      heading: 'Edit Netconf 2101',
      values: { title: 'Netconf 2101', colocatedName: 'Netdev 0x99', cap: 15 },
      errors: {},
      creating: false,
    });

  it('heads the co-located event’s fields apart from the field naming it', async () => {
    const page = await html();
    expect(page).toContain('<legend>Held with another event</legend>');
    expect(page).not.toContain('<legend>Co-located event</legend>');
  });

  it.runIf(hasLynx)('reads each heading once', async () => {
    const text = lynxDump(await html(), { width: 200, list: false });
    expect(text.match(/Co-located event/g)).toHaveLength(1);
    expect(text).toMatch(/Held with another event\s+Co-located event Netdev 0x99/);
  });
});
