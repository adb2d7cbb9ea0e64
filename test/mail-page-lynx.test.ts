/**
 * The committee's Mail page as lynx reads it: each held batch's "Send all" and "Discard" buttons
 * name their batch, and each message's link its address and number. They read alike ("Send all",
 * "Discard", and one subject for every invitation of a send), so lynx's list of links and buttons
 * (and a screen reader's) could not tell which batch or message each acts on. The words past the
 * verb or subject are out of sight in Chromium, where the line beside them says it.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../src/domain/mail/outbox.js';
import { OutboxPage } from '../src/web/views/admin/records.js';
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

/**
 * The links and buttons of the page's own part (below its heading, past the navigation every
 * admin page shares) as `lynx -dump` reads them: a link's words up to the next link, a column
 * gap, or the State column's word (one space after the table's widest subject), a button's to its
 * line's end.
 */
function controls(page: string): { links: string[]; buttons: string[] } {
  const text = lynxDump(page, { width: 400 });
  const own = text.slice(text.search(/^\s+Mail$/m), text.search(/^References$/m));
  return {
    links: [...own.matchAll(/\[\d+\](.*?)(?=\s{2,}|\s(?:draft|queued|sending|sent|failed|superseded)\b|\[\d+\]|$)/gm)].map((m) => m[1]!.trim()),
    buttons: [...own.matchAll(/\(BUTTON\) (.*)$/gm)].map((m) => m[1]!.trim()),
  };
}

describe('the Mail page, each batch’s buttons and each message’s link named', () => {
  it('names the batch in each button and the address in each link, escaped', async () => {
    const page = await html();
    expect(page).toContain('<span>Send all</span><span class="visually-hidden"> of batch round &lt;1></span></button>');
    expect(page).toContain('<span>Discard</span><span class="visually-hidden"> batch round-2</span></button>');
    expect(page).toContain('<a href="/admin/mail/12"><span>Invitation to Netconf 2027</span><span class="visually-hidden">, to bob@example.org (message 12)</span></a>');
  });

  it.runIf(hasLynx)('reads no two links or buttons alike in lynx', async () => {
    const { links, buttons } = controls(await html());
    expect(buttons).toEqual(['Send all of batch round <1>', 'Discard batch round <1>', 'Send all of batch round-2', 'Discard batch round-2', 'Retry all failed']);
    expect(links).toHaveLength(7);
    expect(links.slice(3)).toEqual([
      'Invitation to Netconf 2027, to ada@example.org (message 11)',
      'Invitation to Netconf 2027, to bob@example.org (message 12)',
      'Invitation to Netconf 2027, to ada@example.org (message 13)',
      'Invitation to Netconf 2027, to cleo@example.org (message 14)',
    ]);
    expect(new Set(links).size).toBe(links.length);
    expect(new Set(buttons).size).toBe(buttons.length);
  });
});
