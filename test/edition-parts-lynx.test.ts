/**
 * The edition's sponsors, committee roles and references as lynx and a screen reader read them.
 * Every "Edit" link and "Remove" button reads alike, so a screen reader's list of them names each
 * by its part as well (aria-labelledby: "Edit Acme"). lynx has no ARIA and no style sheet: words
 * hidden beside each control to name it read there in full, the part's name three times on its
 * line ("Acme (company) Edit the sponsor Acme Remove the sponsor Acme"); it reads the name once.
 */
import { describe, expect, it } from 'vitest';
import { EditionParts, type Parts } from '../src/web/views/admin/edition-parts.js';
import { accessibleNames, hasChromium, launchChromium } from './support/browser.js';
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
  it('names each link and button by the element with its part’s name, escaped', async () => {
    const page = await html();
    expect(page).toContain('<span id="sponsor-1">Acme &lt;Labs></span><span> (company) https://acme.example/</span>');
    expect(page).toContain('<a href="/admin/editions/netconf/2027/sponsor/1" id="sponsor-1-edit" aria-labelledby="sponsor-1-edit sponsor-1">Edit</a>');
    expect(page).toContain('<button type="submit" class="danger" id="sponsor-1-remove" aria-labelledby="sponsor-1-remove sponsor-1">Remove</button>');
    expect(page).toContain('<span id="member-4">Sam Member</span>');
    expect(page).toContain('<span id="reference-6">Slides archive</span>');
    expect(page).not.toContain('visually-hidden');
  });

  it.runIf(hasLynx)('reads each part’s name once on its line in lynx, its controls after it', async () => {
    const text = lynxDump(await html(), { width: 200, list: false });
    const lines = text.split('\n').map((l) => l.trim().replace(/^\* /, ''));
    expect(lines).toContain('Acme <Labs> (company) https://acme.example/ Edit (BUTTON) Remove');
    expect(lines).toContain('Netdev 0x19 (event) Edit (BUTTON) Remove');
    expect(lines).toContain('Pat Chair, chair Edit role (BUTTON) Remove');
    expect(lines).toContain('Sam Member Edit role (BUTTON) Remove');
    expect(lines).toContain('LWN coverage https://lwn.example/ Edit (BUTTON) Remove');
    expect(lines).toContain('Slides archive Edit (BUTTON) Remove');
    for (const name of ['Acme <Labs>', 'Netdev 0x19', 'Pat Chair', 'Sam Member', 'LWN coverage', 'Slides archive']) expect(text.split(name), name).toHaveLength(2);
  });

  it.runIf(hasChromium())('names each link and button for its part to a screen reader (Chromium), no two alike', async () => {
    const browser = await launchChromium();
    try {
      const page = await html();
      const links = await accessibleNames(browser, page, 'link');
      expect(links.filter((n) => n.startsWith('Edit '))).toEqual([
        'Edit Acme <Labs>',
        'Edit Netdev 0x19',
        'Edit role Pat Chair',
        'Edit role Sam Member',
        'Edit LWN coverage',
        'Edit Slides archive',
      ]);
      const buttons = await accessibleNames(browser, page, 'button');
      expect(buttons.filter((n) => n.startsWith('Remove'))).toEqual([
        'Remove Acme <Labs>',
        'Remove Netdev 0x19',
        'Remove Pat Chair',
        'Remove Sam Member',
        'Remove LWN coverage',
        'Remove Slides archive',
      ]);
    } finally {
      await browser.close();
    }
  });
});
