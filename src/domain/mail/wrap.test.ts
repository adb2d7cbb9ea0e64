import { describe, expect, it } from 'vitest';
import { renderTemplate } from './templates.js';
import { placeholderNames, sampleValues, TEMPLATE_KEYS, templateKeys, type TemplateKey } from './template-keys.js';
import { MAIL_WIDTH, wrapMailBody } from './wrap.js';

const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

/** A key's sample values made long: one-line texts twice over, links on a long host; lists as they are. */
function longValues(key: TemplateKey): Record<string, string> {
  const values = sampleValues(key, { baseUrl: 'https://conclave.netconf-workshop.example.org/a/rather/long/base/path' });
  for (const name of placeholderNames(key)) {
    const v = values[name]!;
    if (!v.includes('\n') && !v.includes('://') && !v.startsWith('>') && !/^\d+$/.test(v)) values[name] = `${v} ${v}`;
  }
  return values;
}

/** Paragraphs (runs of lines between blank lines) whose lines all start at the left margin. */
function plainParagraphs(body: string): string[][] {
  return body
    .split(/\n[ \t]*\n/)
    .map((p) => p.split('\n').filter((l) => l !== ''))
    .filter((lines) => lines.length > 0 && lines.every((l) => !/^\s/.test(l) && !l.startsWith('>') && !l.startsWith('-- ')));
}

/**
 * Stubs in the paragraphs a value was filled into: a line shorter than half the width with more
 * of the paragraph after it, what is left when a long line is broken in two above the template's
 * next line. (The template's own paragraphs, and its closing, are as its author broke them.)
 */
function stubs(body: string, values: Record<string, string>): string[] {
  const filled = Object.values(values).filter((v) => v.length >= 5 && !v.includes('\n'));
  return plainParagraphs(body)
    .filter((lines) => lines[0] !== 'Thanks,' && filled.some((v) => lines.join(' ').includes(v)))
    .flatMap((lines) => lines.slice(0, -1).filter((l) => l.length < MAIL_WIDTH / 2));
}

describe('wrapMailBody', () => {
  it('never breaks a command in parentheses or a short phrase in curly quotes, wherever the line ends', () => {
    const reason =
      'invitation #4 is expired since 2026-04-11 00:00 UTC. To let the answer count, re-send it with a later answer-by date (conclave invite resend 4 --answer-by DATE), or set its state (conclave invite override 4 STATE --reason WHY), or do so on the invitations page';
    const refused = 'Length: “half an hour” is not a length such as “30 minutes” or “1 hour”, nor “a couple of hours”';
    for (let pad = 0; pad < 40; pad++) {
      const who = `${'x'.repeat(pad + 3)} <ada@example.org>`;
      const notice = renderTemplate(TEMPLATE_KEYS['inbound-review'], { ...sampleValues('inbound-review'), from: who, reason }).body;
      expect(longest(notice)).toBeLessThanOrEqual(72);
      for (const command of ['(conclave invite resend 4 --answer-by DATE)', '(conclave invite override 4 STATE --reason WHY)']) expect(notice.split('\n').some((l) => l.includes(command)), `${pad}: ${command}`).toBe(true);
      const told = wrapMailBody(`  ${'y'.repeat(pad)} ${refused}`);
      for (const phrase of ['“half an hour”', '“30 minutes”', '“1 hour”', '“a couple of hours”']) expect(told.split('\n').some((l) => l.includes(phrase)), `${pad}: ${phrase}`).toBe(true);
      expect(told.replace(/\s+/g, ' ').trim()).toBe(`${'y'.repeat(pad)} ${refused}`.trim());
    }
    // A quoted title longer than a short phrase wraps as any text.
    const title = `“${'word '.repeat(12).trim()}”`;
    expect(wrapMailBody(`${'z'.repeat(50)} ${title}`).split('\n')[0]).toMatch(/^z{50} “word/);
  });

  it('never breaks a name, nor a name and surname in a list of speakers, wherever the line ends', () => {
    const names = ['Eve Ekström', 'Toke Høiland-Jørgensen', 'Jean-Luc Picard', 'Paul E McKenney', 'Siobhán O’Brien', 'Ada Lovelace'];
    const change = `“Panel” speakers now ${names.slice(0, 3).join(', ')} (were ${names.slice(3).join(', ')}); room now “B” (was none)`;
    for (let pad = 0; pad < 40; pad++) {
      const title = `Netconf ${'x'.repeat(pad)}`;
      const line = `“${'y'.repeat(pad)}” speakers now ${names.join(', ')}`;
      const notice = renderTemplate(TEMPLATE_KEYS['schedule-change'], { ...sampleValues('schedule-change'), edition_title: title, change: `- ${change}\n  - ${line}` }).body;
      expect(longest(notice), `${pad}`).toBeLessThanOrEqual(72);
      for (const name of names) expect(notice.split('\n').some((l) => l.includes(name)), `${pad}: ${name}\n${notice}`).toBe(true);
      // Nothing but where the lines break changed.
      expect(notice.replace(/\s+/g, ' ')).toContain(`- ${change} - ${line}`);
    }
    // A name longer than a line wraps as any text, a word longer than the line on a line of its own.
    const surname = `Lovelace${'lovelace'.repeat(9)}`;
    expect(wrapMailBody(`Speakers: Ada ${surname}, Bob Builder`).split('\n')).toEqual(['Speakers: Ada', `${surname},`, 'Bob Builder']);
  });

  it('wraps a long line at spaces within 72 columns, keeping its words and its indent', () => {
    const para = 'Thirty minutes on the second day, right after the break, and please bring the numbers from the last cycle so that we can compare them.';
    const out = wrapMailBody(`Hello,\n\n${para}\n\n  ${para}\n`);
    expect(longest(out)).toBeLessThanOrEqual(72);
    expect(out.replace(/\s+/g, ' ')).toBe(`Hello, ${para} ${para} `);
    const indented = out.split('\n\n')[2]!.trimEnd().split('\n');
    expect(indented.length).toBeGreaterThan(1);
    expect(indented.every((l) => l.startsWith('  ') && !l.startsWith('   '))).toBe(true);
  });

  it('continues a list item under its text, and leaves quotes, short lines and long addresses whole', () => {
    const item = '- ' + 'word '.repeat(20).trim();
    expect(wrapMailBody(item).split('\n').slice(1).every((l) => l.startsWith('  w'))).toBe(true);
    const quote = '> ' + 'quoted '.repeat(15).trim();
    expect(wrapMailBody(quote)).toBe(quote);
    const url = 'https://netconf.example.org/i/' + 'x'.repeat(80);
    expect(wrapMailBody(`  ${url}`)).toBe(`  ${url}`);
    expect(wrapMailBody(`See ${url} now`)).toBe(`See\n${url}\nnow`);
    expect(wrapMailBody('-- \nshort\n')).toBe('-- \nshort\n');
  });

  it('is applied to every mail: a long comment in a topic decision arrives wrapped', () => {
    const t = TEMPLATE_KEYS['topic-decision'];
    const comment = 'We would like this as a discussion rather than a talk: thirty minutes on the second day, with the numbers from netdev 0x19 and the open questions up front.';
    const body = renderTemplate(t, { ...sampleValues('topic-decision'), comment }).body;
    expect(longest(body)).toBeLessThanOrEqual(72);
    expect(body.replace(/\s+/g, ' ')).toContain(comment);
  });

  it('reflows a paragraph a long value overflows as a whole, leaving no stub of the broken line', () => {
    const t = TEMPLATE_KEYS.invitation;
    const values = { ...sampleValues('invitation'), edition_title: 'Netconf 2027; Lisbon, Portugal', edition_dates: 'March 27–28, 2027', edition_place: 'Lisbon, Portugal', edition_held_with: '' };
    const body = renderTemplate(t, values).body;
    expect(body).toContain('\n\nwe would like to invite you to Netconf 2027; Lisbon, Portugal, March\n27–28, 2027, in Lisbon, Portugal.\n\n');
    const published = (edition_title: string) => renderTemplate(TEMPLATE_KEYS['schedule-published'], { ...sampleValues('schedule-published'), edition_title }).body;
    expect(published('Netconf 2027; Lisbon, Portugal')).toContain('\nthe schedule of Netconf 2027; Lisbon, Portugal is published (tentative).\nYou are on it:\n\n');
    expect(published('Netconf 2027 in Lisbon, Portugal')).toContain('\nthe schedule of Netconf 2027 in Lisbon, Portugal is published\n(tentative). You are on it:\n\n');
  });

  it('lays out every built-in text with long values within 72 columns: no stubs, links whole, lists as given', () => {
    for (const key of templateKeys) {
      const values = longValues(key);
      const body = renderTemplate(TEMPLATE_KEYS[key], values).body;
      const over = body.split('\n').filter((l) => l.length > MAIL_WIDTH && /\S\s+\S/.test(l.trim()));
      expect({ key, over }).toEqual({ key, over: [] });
      expect({ key, stubs: stubs(body, values) }).toEqual({ key, stubs: [] });
      for (const link of Object.values(values).filter((v) => v.startsWith('https://'))) {
        expect(body.split('\n').map((l) => l.trim())).toContain(link);
      }
      for (const v of Object.values(values).filter((x) => x.includes('\n    '))) expect(body).toContain(`  ${v}`);
    }
  });

  it('keeps paragraphs with an indented line, lists, quotes and the signature as written, and links on their own line', () => {
    const long = 'This line is long enough to run past the width of a mail read in a terminal,';
    const list = `We liked:\n- the numbers from the last cycle\n- ${long} so it wraps\n  under its text`;
    const out = wrapMailBody(`${list}\n\n${long}\n  indented, so kept\n\n> ${long} quoted\n\n-- \n${long} signed off`);
    const parts = out.split('\n\n');
    expect(parts[0]).toBe(`We liked:\n- the numbers from the last cycle\n- This line is long enough to run past the width of a mail read in a\n  terminal, so it wraps\n  under its text`);
    expect(parts[1]).toBe(`This line is long enough to run past the width of a mail read in a\nterminal,\n  indented, so kept`);
    expect(parts[2]).toBe(`> ${long} quoted`);
    expect(parts[3]).toBe(`-- \n${long} signed off`);
    const link = 'https://netconf.example.org/netconf/2026/changes/';
    expect(wrapMailBody(`${long} every change\n${link}\nand a change that touches your slot is mailed to you.`)).toBe(
      `This line is long enough to run past the width of a mail read in a\nterminal, every change\n${link}\nand a change that touches your slot is mailed to you.`,
    );
  });

  it('reflows a committee’s own text the same way, and leaves a short plain paragraph as its author broke it', () => {
    const own = { subject: 'Hi', body: 'Dear {{name}}, welcome to {{edition_title}}: we are glad\nyou can come.\n\nThanks,\n{{committee}}\n' };
    const values = { ...sampleValues('invitation'), edition_title: 'the Netconf workshop on Linux networking, 2027 edition' };
    expect(renderTemplate(own, values).body).toBe(
      'Dear Ada Lovelace, welcome to the Netconf workshop on Linux networking,\n2027 edition: we are glad you can come.\n\nThanks,\nThe Netconf program committee\n',
    );
    expect(renderTemplate(own, sampleValues('invitation')).body).toBe('Dear Ada Lovelace, welcome to Netconf 2026: we are glad\nyou can come.\n\nThanks,\nThe Netconf program committee\n');
  });
});
