import { describe, expect, it } from 'vitest';
import { renderTemplate } from './templates.js';
import { sampleValues, TEMPLATE_KEYS } from './template-keys.js';
import { wrapMailBody } from './wrap.js';

const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('wrapMailBody', () => {
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
});
