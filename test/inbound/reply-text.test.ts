/**
 * Reading a reply: quoted text, attributions and signatures cut; the first own line decides by
 * the documented phrase lists, and anything else is unclear (never guessed). Automatic replies
 * are told apart by their headers and subjects.
 */
import { describe, expect, it } from 'vitest';
import { detectAutoReply } from '../../src/domain/inbound/auto-reply.js';
import { classifyReply } from '../../src/domain/inbound/reply-text.js';
import { readTopicMail } from '../../src/domain/inbound/topic-mail.js';
import { keyFromAddress, rsvpReplyAddress } from '../../src/domain/inbound/reply-address.js';
import { newToken, replyKeyOf } from '../../src/domain/invitations/tokens.js';

/** A topic mail's abstract: the person's own text, quotes, signature, greeting and closing cut. */
const ownText = (text: string) => readTopicMail(text).abstract;

const answer = (text: string) => classifyReply(text).answer;

describe('classifyReply', () => {
  it.each([
    'yes',
    'Yes!',
    "Yes, I'll be there",
    'Yes, I’ll be there.',
    'yes i will attend',
    'Count me in, thanks!',
    'Sure :)',
    'Hi Jamal,\n\nyes, count me in.',
    'Thanks for the invitation, I accept.',
    'ACK',
    'Looking forward to it!',
    'Count me in after all!',
    "Actually yes, I'll be there after all.",
    'Actually, yes',
    'OK, yes',
    'Sure, yes',
    'Actually, yes - my plans changed.',
    'Well, yes',
    'Hi, yes',
    'Yes, I have changed my mind.',
  ])('reads %j as yes', (text) => expect(answer(text)).toBe('accept'));

  it.each([
    'no',
    'No.',
    "Unfortunately, I can't make it this year.",
    'Sorry, I cannot attend.',
    'Not this time, thanks.',
    'I have to decline',
    'Unfortunately not',
    'NACK',
    "Actually, I can't make it after all.",
    'Actually, no - my plans have changed.',
    'Well, no',
    'OK, no',
  ])('reads %j as no', (text) => expect(answer(text)).toBe('decline'));

  it.each([
    '',
    'Maybe',
    'No idea yet',
    'Yes, but only on Tuesday',
    'Yes and no',
    'Thanks!',
    'Sorry',
    'Sorry, yes',
    'Not sure',
    'I will let you know next week',
    'Sure, if my travel is approved',
    'Yes?',
    'No?',
    'Count me in? Which week was it?',
    'Actually',
    'Actually, yes, if my travel is approved',
    'Yes, actually',
    'Sure, no',
    "Yes, I'll be there -- if my visa comes through",
    'Yes -- but only on Tuesday',
    'Well',
    'My plans changed.',
    'Actually, yes and no - my plans changed.',
    'Well, yes, if my travel is approved',
    'Yes, well',
  ])('leaves %j unclear', (text) => expect(answer(text)).toBe('unclear'));

  it('reads only the person’s own words: quotes, attributions and signatures do not count', () => {
    const text = [
      'On Mon, Mar 02, 2026 at 09:00:00AM +0000, Netconf committee',
      '<netconf@example.org> wrote:',
      '> Please let us know by April 10 whether you can come: yes or no?',
      '>',
      '',
      'No, sorry.',
      '',
      '-- ',
      'Yes, this signature says yes',
    ].join('\n');
    expect(classifyReply(text)).toEqual({ answer: 'decline', line: 'No, sorry.' });
    expect(answer('> yes\n\nI will let you know')).toBe('unclear');
    // Bottom-posted under a trimmed quote, as on the lists: the marks of the trim are not words.
    for (const snip of ['[...]', '[ ... ]', '[snip]', '<snip>', '...', '[…]']) {
      expect(classifyReply(`On Mon, X wrote:\n> Can you come?\n${snip}\n> Answer by April 10.\n\nYes, count me in.\n`)).toEqual({ answer: 'accept', line: 'Yes, count me in.' });
    }
    expect(answer('-----Original Message-----\nyes')).toBe('unclear');
    // Attributions that name the writer after the verb (Thunderbird in German, Dutch), bottom-posted.
    for (const attribution of ['Am 02.03.26 um 09:00 schrieb Netconf committee:', 'Am Mo., 2. März 2026 um 09:00 Uhr schrieb Netconf committee\n<netconf@example.org>:', 'Am Mo., 2. März 2026 um 09:00 Uhr schrieb Netconf committee <netconf@example.org>:', 'Op 02-03-2026 om 09:00 schreef Netconf committee:', 'El lun, 2 mar 2026 a las 9:00, Netconf committee escribió:']) {
      expect(classifyReply(`${attribution}\n> Can you come?\n\nYes, count me in.\n`), attribution).toEqual({ answer: 'accept', line: 'Yes, count me in.' });
    }
    // Attributions without "wrote" (mutt as kernel people set it, Gnus, Horde), top of the reply:
    // cut where quoted lines follow, kept as the person's words where none do.
    for (const attribution of [
      '* Netconf committee <committee@netconf.test> [2026-12-07 21:41:22 +0000]:',
      'Netconf committee <committee@netconf.test> writes:',
      'Quoting Netconf committee (2026-12-07 21:41):',
    ]) {
      expect(classifyReply(`${attribution}\n> Can you come?\n> Answer by April 10.\n\nSorry, no.\n`), attribution).toEqual({ answer: 'decline', line: 'Sorry, no.' });
      expect(classifyReply(`${attribution}\n\n> Can you come?\n\nYes.\n`), attribution).toEqual({ answer: 'accept', line: 'Yes.' });
      expect(classifyReply(`${attribution}\nSorry, no.\n`), attribution).toEqual({ answer: 'unclear', line: attribution });
    }
    expect(ownText('The maintainer writes:\n\nWhy not XDP?')).toBe('The maintainer writes:\n\nWhy not XDP?');
    expect(ownText('My topic.\n\nMore text.\n\nOn Sun, X wrote:\n> quoted\n-- \nsig')).toBe('My topic.\n\nMore text.');
    // A greeting is said to the committee, not part of the abstract; alone, it is all there is.
    expect(ownText('Hi,\n\nXDP offloads, three years on.\n\nThanks,\nAda')).toBe('XDP offloads, three years on.');
    // So is the closing: "Thanks, Eve", "Cheers," and a name, a closing alone; a sentence stays.
    expect(ownText('We would like 30 minutes.\nThanks, Eve')).toBe('We would like 30 minutes.');
    expect(ownText('Page pool recycling.\n\nCheers,\nJesper Dangaard Brouer\n')).toBe('Page pool recycling.');
    expect(ownText('Page pool recycling.\n\nThanks!')).toBe('Page pool recycling.');
    expect(ownText('Page pool recycling.\nThanks to Ilias for the numbers.')).toBe('Page pool recycling.\nThanks to Ilias for the numbers.');
    expect(ownText('Page pool recycling.\nThanks to Ilias.')).toBe('Page pool recycling.\nThanks to Ilias.');
    expect(ownText('Page pool recycling.\n\nBest regards,\nWillem de Bruijn')).toBe('Page pool recycling.');
    expect(ownText('Thanks, Eve')).toBe('Thanks, Eve');
    expect(ownText('Hello committee,\nMy topic.')).toBe('My topic.');
    expect(ownText('Hi all')).toBe('Hi all');
    expect(ownText('Hidden costs of GRO.')).toBe('Hidden costs of GRO.');
  });
});

describe('detectAutoReply', () => {
  const h = (o: Record<string, string>) => new Map(Object.entries(o));
  it('knows automatic mail by its headers, sender and subject', () => {
    expect(detectAutoReply(h({ 'auto-submitted': 'auto-replied' }), 'Re: x', 'a@b')).toBe('Auto-Submitted: auto-replied');
    expect(detectAutoReply(h({ 'auto-submitted': 'no' }), 'Re: x', 'a@b')).toBeNull();
    expect(detectAutoReply(h({ precedence: 'junk' }), 'x', 'a@b')).toBe('Precedence: junk');
    expect(detectAutoReply(h({ 'x-autoreply': 'yes' }), 'x', 'a@b')).toBe('x-autoreply header');
    expect(detectAutoReply(h({}), 'Automatic reply: Invitation to Netconf 2026', 'a@b')).toContain('subject');
    expect(detectAutoReply(h({}), 'Undeliverable: Invitation', 'a@b')).toContain('subject');
    expect(detectAutoReply(h({}), 'hello', 'MAILER-DAEMON@example.org')).toBe('From MAILER-DAEMON');
    expect(detectAutoReply(h({ 'x-auto-response-suppress': 'All' }), 'Re: Invitation to Netconf 2026', 'a@b')).toBeNull();
    expect(detectAutoReply(h({ 'return-path': '<>' }), 'Re: x', 'a@b')).toBe('a null sender (Return-Path: <>)');
    expect(detectAutoReply(h({ 'return-path': '<a@b>' }), 'Re: x', 'a@b')).toBeNull();
    expect(detectAutoReply(h({ 'list-id': '<netdev.vger.kernel.org>' }), 'Re: x', 'a@b')).toBe("a mailing list's List-Id header");
    expect(detectAutoReply(h({ 'list-unsubscribe': '<mailto:x@y>' }), 'Re: x', 'a@b')).toBe("a mailing list's List-Unsubscribe header");
  });
});

describe('the reply address', () => {
  it('carries the reply key through a case-folding mail system, and not the link’s token', () => {
    const token = newToken();
    const key = replyKeyOf(token);
    const address = rsvpReplyAddress('Netconf RSVP <rsvp@netconf.example.org>', key);
    const local = /<([^@]+)@/.exec(address)![1]!;
    expect(local.length).toBeLessThanOrEqual(64);
    expect(keyFromAddress(address.toLowerCase())).toBe(key);
    expect(keyFromAddress(address.toUpperCase())).toBe(key);
    expect(keyFromAddress('rsvp@netconf.example.org')).toBeNull();
    // Its bytes are not the token's, nor the token anywhere in it, in any case.
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(false);
    expect(address.toLowerCase()).not.toContain(token.toLowerCase());
    // One token, one key; another token, another key.
    expect(replyKeyOf(token)).toBe(key);
    expect(replyKeyOf(newToken())).not.toBe(key);
  });
});
