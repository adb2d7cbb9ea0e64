/**
 * The committee's Mail page as lynx and a screen reader read it. Each held batch's "Send all" and
 * "Discard" buttons read alike, and so do the messages' links (one subject for every invitation of
 * a send): a screen reader's list of them names each by its batch, or by its address and number
 * (aria-labelledby). lynx has no ARIA and no style sheet: words hidden beside each control read
 * there in full, the batch three times on its line; it reads each line's batch or address once.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/domain/mail/outbox.js';
import { OutboxPage } from '../src/web/views/admin/records.js';
import { accessibleNames, hasChromium, launchChromium } from './support/browser.js';
import { hasLynx, lynxDump } from './support/lynx.js';

// Only the columns the view reads: rendering is the subject, not the database.
const at = new Date('2027-03-01T12:00:00Z');
const message = (id: number, batch: string | null, to: string, state = 'draft') =>
  ({ id, batch, to_address: to, subject: 'Invitation to Netconf 2027', state, attempts: 0, created_at: at, sent_at: null, next_attempt_at: at, last_error: state === 'failed' ? 'refused' : null }) as unknown as OutboxMessage;
const rows = [
  message(11, 'round <1>', 'ada@example.org'),
  message(12, 'round <1>', 'bob@example.org'),
  message(13, 'round-2', 'ada@example.org'),
  message(14, null, 'cleo@example.org', 'failed'),
];

const html = () =>
  OutboxPage({ account: { accountId: 1, email: 'chair@example.org', name: 'Pat Chair' }, csrf: 'token', title: 'Mail', rows, counts: { draft: 3, failed: 1 } });

/** The page's own part (below its heading, past the navigation every admin page shares) as `lynx -dump` reads it, line by line. */
function lines(page: string): string[] {
  const text = lynxDump(page, { width: 400, list: false });
  return text
    .slice(text.search(/^\s+Mail$/m))
    .split('\n')
    .map((l) => l.trim());
}

describe('the Mail page, each batch’s buttons and each message’s link named', () => {
  it('names each button by its batch and each link by its address and number, escaped', async () => {
    const page = await html();
    expect(page).toContain('Drafts held in batch <span id="held-0">round &lt;1></span>: ');
    expect(page).toContain('<button type="submit" id="held-0-send" aria-labelledby="held-0-send held-0">Send all</button>');
    expect(page).toContain('<button type="submit" class="danger" id="held-1-discard" aria-labelledby="held-1-discard held-1">Discard</button>');
    expect(page).toContain('<td id="message-12-to">bob@example.org</td>');
    expect(page).toContain('<a href="/admin/mail/12" id="message-12" aria-labelledby="message-12 message-12-to message-12-number">Invitation to Netconf 2027</a> <span class="muted" id="message-12-number">#12</span>');
    expect(page).not.toContain('visually-hidden');
  });

  it.runIf(hasLynx)('reads each batch and each address once on its line in lynx', async () => {
    const text = lines(await html());
    // Each batch's line, then its buttons (each a form of its own, a line of its own in lynx).
    const batch = (b: string) => text.slice(text.indexOf(`Drafts held in batch ${b}:`), text.indexOf(`Drafts held in batch ${b}:`) + 3);
    expect(batch('round <1>')).toEqual(['Drafts held in batch round <1>:', '(BUTTON) Send all', '(BUTTON) Discard']);
    expect(batch('round-2')).toEqual(['Drafts held in batch round-2:', '(BUTTON) Send all', '(BUTTON) Discard']);
    expect(text.filter((l) => l.includes('round <1>'))).toHaveLength(1);
    const rows = text.filter((l) => l.includes('Invitation to Netconf 2027'));
    expect(rows).toHaveLength(4);
    for (const [i, [to, id]] of [['ada', 11], ['bob', 12], ['ada', 13], ['cleo', 14]].entries()) {
      expect(rows[i]).toMatch(new RegExp(`^2027-03-01 12:00 +${to}@example\\.org +Invitation to Netconf 2027 #${id} +(draft|failed)`));
      expect(rows[i]!.split(`${to}@example.org`)).toHaveLength(2);
    }
  });

  it.runIf(hasChromium())('names each button and link to a screen reader (Chromium), no two alike', async () => {
    const browser = await launchChromium();
    try {
      const page = await html();
      const buttons = await accessibleNames(browser, page, 'button');
      expect(buttons.filter((n) => /^(Send|Discard|Retry)/.test(n))).toEqual(['Send all round <1>', 'Discard round <1>', 'Send all round-2', 'Discard round-2', 'Retry all failed']);
      const links = (await accessibleNames(browser, page, 'link')).filter((n) => n.startsWith('Invitation'));
      expect(links).toEqual([
        'Invitation to Netconf 2027 ada@example.org #11',
        'Invitation to Netconf 2027 bob@example.org #12',
        'Invitation to Netconf 2027 ada@example.org #13',
        'Invitation to Netconf 2027 cleo@example.org #14',
      ]);
    } finally {
      await browser.close();
    }
  });
});
