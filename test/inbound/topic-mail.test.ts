/** Reading a topic proposed by mail: its abstract, "Length:" and "Co-presenter:" lines. */
import { describe, expect, it } from 'vitest';
import { minutesOf, readTopicMail, topicDetails, wishedMinutesOf } from '../../src/domain/inbound/topic-mail.js';
import type { TopicView } from '../../src/domain/program/topics.js';

describe('readTopicMail', () => {
  it('takes the field lines out of the abstract, wherever they stand in the own text', () => {
    const r = readTopicMail('Hello all,\n\nLength: 30 minutes\n\nXDP offloads.\nCo-presenters: Bob <bob@x.org>, "Miller, David" <d@m.net>; carol@y.org\nco-presented-by: Dave Ahern\n\nThanks,\nEve\n\n> Length: 5\n-- \nLength: 7');
    expect(r).toEqual({
      abstract: 'XDP offloads.',
      lengths: ['30 minutes'],
      coPresenters: ['Bob <bob@x.org>', '"Miller, David" <d@m.net>', 'carol@y.org', 'Dave Ahern'],
    });
  });

  it('leaves a line that only mentions a length in the abstract, and a sentence that begins with "Length:"', () => {
    expect(readTopicMail('We would like 30 minutes.\nThe length: of queues.')).toEqual({ abstract: 'We would like 30 minutes.\nThe length: of queues.', lengths: [], coPresenters: [] });
    expect(readTopicMail('Headers.\nLength: of the header, which grows with each tunnel.\nLength: half an hour')).toEqual({
      abstract: 'Headers.\nLength: of the header, which grows with each tunnel.',
      lengths: ['half an hour'],
      coPresenters: [],
    });
  });

  it('reads an address at the end of a sentence without its full stop', () => {
    expect(readTopicMail('X.\nCo-presenter: Bob <bob@x.org>.').coPresenters).toEqual(['Bob <bob@x.org>']);
    expect(readTopicMail('X.\nCo-presenter: bob@x.org.').coPresenters).toEqual(['bob@x.org']);
  });
});

describe('minutesOf', () => {
  it.each([
    ['30', 30], ['30 min', 30], ['45 minutes', 45], ['20m', 20], ['about 40 mins.', 40], ['~25', 25],
    ['1 hour', 60], ['1.5 h', 90], ['1,5 hours', 90], ['2h', 120], ['1h30', 90], ['1 hour 15 minutes', 75], ['1h and 5m', 65],
  ])('reads “%s” as %i minutes', (written, minutes) => {
    expect(minutesOf(written)).toBe(minutes);
  });

  it.each(['half an hour', '30-45 minutes', '', 'soon', '30 seconds'])('reads “%s” as no length', (written) => {
    expect(minutesOf(written)).toBeNull();
  });

  it('refuses two lengths, or one it cannot read, naming the line', () => {
    expect(wishedMinutesOf([])).toBeNull();
    expect(wishedMinutesOf(['1 hour'])).toBe(60);
    expect(() => wishedMinutesOf(['30', '45'])).toThrow('Length: given 2 times (“30”, “45”): give one');
    expect(() => wishedMinutesOf(['a while'])).toThrow('Length: “a while” is not a length such as “30 minutes” or “1 hour”');
  });
});

describe('topicDetails', () => {
  const base = { proposer: { id: 1, name: 'Ada', slug: 'ada' }, presenters: [{ id: 1, name: 'Ada', slug: 'ada' }], wishedMinutes: null } as unknown as TopicView;
  it('says the length and the co-presenters under the title, or nothing', () => {
    expect(topicDetails(base)).toBe('');
    expect(topicDetails({ ...base, wishedMinutes: 30 })).toBe('  30 minutes\n');
    const bob = { id: 2, name: 'Bob', slug: 'bob' };
    const cy = { id: 3, name: 'Cy', slug: 'cy' };
    expect(topicDetails({ ...base, presenters: [base.presenters[0]!, bob] })).toBe('  With Bob\n');
    expect(topicDetails({ ...base, wishedMinutes: 45, presenters: [base.presenters[0]!, bob, cy] })).toBe('  45 minutes, with Bob and Cy\n');
  });
});
