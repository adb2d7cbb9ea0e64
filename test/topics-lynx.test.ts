/**
 * The committee's topics page as lynx and a screen reader read it. Each topic's controls said its
 * title again ("Edit the title, abstract, length or presenters of “…”", "Decide on “…”"), so
 * that lynx read each title three times, its heading first. They are named by the heading's title
 * instead (aria-labelledby, as the schedule builder's rows are): lynx reads it once, a screen
 * reader's list of links, buttons and groups still tells the topics apart.
 */
import { describe, expect, it } from 'vitest';
import type { TopicState } from '../src/db/schema.js';
import type { TopicView } from '../src/domain/program/topics.js';
import { AdminTopicsPage } from '../src/web/views/admin/topics.js';
import { accessibleNames, hasChromium, launchChromium } from './support/browser.js';
import { hasLynx, lynxDump } from './support/lynx.js';

const account = { accountId: 1, email: 'chair@example.org', name: 'Pat Chair' };
const day = new Date('2027-03-01T12:00:00Z');
const ada = { id: 7, name: 'Ada Lovelace', slug: 'ada' };
const topic = (id: number, title: string, state: TopicState): TopicView => ({
  id,
  editionId: 1,
  number: id - 10,
  title,
  abstract: 'Some *words*.',
  origin: 'proposal',
  state,
  wishedMinutes: 30,
  proposer: ada,
  presenters: [ada],
  decisionComment: null,
  decidedAt: state === 'proposed' ? null : day,
  createdAt: day,
  updatedAt: day,
});
const titles = ['Queue API <rework> for very long names', 'XDP offload', 'Page pool, what next'];
const topics = [topic(11, titles[0]!, 'proposed'), topic(12, titles[1]!, 'accepted'), topic(13, titles[2]!, 'declined')];
const base = '/admin/editions/netconf/2027/topics';

const html = () =>
  AdminTopicsPage({
    account,
    csrf: 'token',
    editionTitle: 'Netconf 2027',
    base,
    topics,
    counts: { proposed: 1, 'changes-requested': 0, accepted: 1, declined: 1, withdrawn: 0 },
    attendees: [ada],
  });

describe('the committee’s topics, each title read once', () => {
  it('names each topic’s link, decision and button by its heading’s title, escaped', async () => {
    const page = await html();
    expect(page).toContain('<h2>1. <span id="topic-11-title">Queue API &lt;rework> for very long names</span></h2>');
    expect(page).toContain(`<a href="${base}/11/edit" id="topic-11-edit" aria-labelledby="topic-11-edit topic-11-title">Edit the title, abstract, length or presenters</a>`);
    expect(page).toContain('<fieldset aria-labelledby="c-11-legend topic-11-title"><legend id="c-11-legend">Decide</legend>');
    expect(page).toContain('<fieldset aria-labelledby="c-12-legend topic-12-title"><legend id="c-12-legend">Change the decision, now accepted</legend>');
    expect(page).toContain('id="c-11-submit" aria-labelledby="c-11-submit topic-11-title">Decide and mail the presenters</button>');
  });

  it.runIf(hasLynx)('reads each topic’s title once in lynx, in its heading', async () => {
    const text = lynxDump(await html(), { width: 200, list: false });
    for (const title of titles) expect(text.split(title), title).toHaveLength(2);
    const lines = text.split('\n').map((l) => l.trim());
    expect(lines).toContain('1. Queue API <rework> for very long names');
    expect(lines).toContain('Edit the title, abstract, length or presenters');
    expect(lines).toContain('Decide');
    expect(lines).toContain('Change the decision, now accepted');
    expect(lines).toContain('Change the decision, now declined');
  });

  it.runIf(hasChromium())('names each topic’s controls by its title to a screen reader (Chromium), no two alike', async () => {
    const browser = await launchChromium();
    try {
      const page = await html();
      const links = await accessibleNames(browser, page, 'link');
      expect(links.filter((n) => n.startsWith('Edit the title'))).toEqual(titles.map((t) => `Edit the title, abstract, length or presenters ${t}`));
      const buttons = await accessibleNames(browser, page, 'button');
      expect(buttons.filter((n) => /and mail the presenters/.test(n))).toEqual([
        `Decide and mail the presenters ${titles[0]}`,
        `Change the decision and mail the presenters ${titles[1]}`,
        `Change the decision and mail the presenters ${titles[2]}`,
      ]);
      const groups = await accessibleNames(browser, page, 'group');
      expect(groups.filter((n) => /^(Decide|Change the decision)/.test(n))).toEqual([
        `Decide ${titles[0]}`,
        `Change the decision, now accepted ${titles[1]}`,
        `Change the decision, now declined ${titles[2]}`,
      ]);
    } finally {
      await browser.close();
    }
  });
});
