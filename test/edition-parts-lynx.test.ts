/**
 * The edition's sponsors, committee roles and references as lynx reads them: every "Edit" link
 * and "Remove" button names the part it acts on. They read "Edit" and "Remove" alike, so lynx's
 * list of links (and a screen reader's) could not tell one sponsor's from another's. The words
 * past the verb are out of sight in Chromium, where the line beside them names the part.
 */
import { describe, expect, it } from 'vitest';
import { EditionParts, type Parts } from '../src/web/views/admin/edition-parts.js';
import { hasLynx, lynxDump } from './support/lynx.js';

// Only the columns the view reads: rendering is the subject, not the database.
const parts = {
  sponsors: [
    { id: 1, name: 'Acme <Labs>', kind: 'company', url: 'https://acme.example/', logo_thumb_sha256: null, logo_alt: null },
    { id: 2, name: 'Netdev 0x19', kind: 'event', url: null, logo_thumb_sha256: null, logo_alt: null },
  ],
  committee: [
    { id: 3, name: 'Pat Chair', role: 'chair', slug: 'pat-chair' },
    { id: 4, name: 'Sam Member', role: null, slug: 'sam-member' },
  ],
  references: [
    { id: 5, title: 'LWN coverage', url: 'https://lwn.example/' },
    { id: 6, title: 'Slides archive', url: null },
  ],
} as unknown as Parts;

const html = () => EditionParts({ parts, base: '/admin/editions/netconf/2027', csrf: 'token', errors: {}, values: {} });

describe('the edition’s parts, each link and button named for its part', () => {
  it('names the part in each link and button, escaped, past a verb the eye reads alone', async () => {
    const page = await html();
    expect(page).toContain('<a href="/admin/editions/netconf/2027/sponsor/1">Edit<span class="visually-hidden"> the sponsor Acme &lt;Labs></span></a>');
    expect(page).toContain('<span>Remove</span><span class="visually-hidden"> the sponsor Acme &lt;Labs></span></button>');
    expect(page).toContain('<a href="/admin/editions/netconf/2027/committee-role/4">Edit role<span class="visually-hidden"> of Sam Member</span></a>');
    expect(page).toContain('<span>Remove</span><span class="visually-hidden"> Sam Member from the committee</span></button>');
    expect(page).toContain('<a href="/admin/editions/netconf/2027/reference/6">Edit<span class="visually-hidden"> the reference Slides archive</span></a>');
    expect(page).toContain('<span>Remove</span><span class="visually-hidden"> the reference Slides archive</span></button>');
  });

  it.runIf(hasLynx)('reads no two links or buttons alike in lynx', async () => {
    const text = lynxDump(await html(), { width: 200 });
    const links = [...text.matchAll(/\[\d+\](Edit[^\n[]*?)(?= \(BUTTON\)|\n)/g)].map((m) => m[1]!.trim());
    expect(links).toEqual([
      'Edit the sponsor Acme <Labs>',
      'Edit the sponsor Netdev 0x19',
      'Edit role of Pat Chair',
      'Edit role of Sam Member',
      'Edit the reference LWN coverage',
      'Edit the reference Slides archive',
    ]);
    const buttons = [...text.matchAll(/\(BUTTON\) (Remove[^\n]*)/g)].map((m) => m[1]!.trim());
    expect(buttons).toEqual([
      'Remove the sponsor Acme <Labs>',
      'Remove the sponsor Netdev 0x19',
      'Remove Pat Chair from the committee',
      'Remove Sam Member from the committee',
      'Remove the reference LWN coverage',
      'Remove the reference Slides archive',
    ]);
  });
});
