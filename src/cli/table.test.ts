import { describe, expect, it } from 'vitest';
import { table } from './table.js';

const rows = [
  ['#', 'STATE', 'TITLE', 'PRESENTERS'],
  ['1', 'accepted', 'Über-offload: what three years of XDP hardware offloads taught the drivers', 'Ada Lovelace, Bob Builder'],
  ['2', 'proposed', 'Page pool', 'Carol'],
];

describe('table', () => {
  it('keeps every cell whole when not on a terminal', () => {
    const lines = table(rows, Infinity);
    expect(lines[1]).toBe('1  accepted  Über-offload: what three years of XDP hardware offloads taught the drivers  Ada Lovelace, Bob Builder');
    expect(lines[2]).toBe(`2  proposed  ${'Page pool'.padEnd(rows[1]![2]!.length)}  Carol`);
  });

  it('fits a terminal, narrowing the widest columns and cutting their cells at "..."', () => {
    const lines = table(rows, 80);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^# +STATE +TITLE +PRESENTERS$/);
    expect(lines[1]).toMatch(/^1  accepted  Über-offload: what three years of XDP.*\.\.\.  Ada Lovelace, Bob Builder$/);
    expect(lines[2]).toMatch(/^2  proposed  Page pool +Carol$/);
  });

  it('lines columns up by the columns a terminal gives wide characters and combining marks', () => {
    // 日本語 takes six columns, not three; "Å" written as A and a combining ring takes one, not two.
    const lines = table([['#', 'TITLE', 'PRESENTERS'], ['1', 'TCP 日本語 congestion', 'Carol'], ['2', 'A\u030Angstro\u0308m offload', 'Ada'], ['3', 'Page pool', 'Bob']], Infinity);
    expect(lines).toEqual([
      '#  TITLE' + ' '.repeat(16) + '  PRESENTERS',
      '1  TCP 日本語 congestion  Carol',
      '2  A\u030Angstro\u0308m offload' + ' '.repeat(5) + '  Ada',
      '3  Page pool' + ' '.repeat(12) + '  Bob',
    ]);
    // Cut to a terminal's width at whole characters, the wide ones counted as two columns.
    expect(table([['T', 'X'], ['日本語のタイトルはとても長いです', 'x']], 16)[1]).toBe('日本語のタ...  x');
  });

  it('keeps a row on one line when a cell holds line breaks or tabs', () => {
    const lines = table([['#', 'TITLE', 'SPEAKERS'], ['2', 'Netfilter Project plans for 2.7.x\r\n  Packet filtering\tin 2.7', 'Harald Welte']], Infinity);
    const title = 'Netfilter Project plans for 2.7.x Packet filtering in 2.7';
    expect(lines).toEqual([`#  ${'TITLE'.padEnd(title.length)}  SPEAKERS`, `2  ${title}  Harald Welte`]);
  });

  it('wraps the columns asked for under their heading, narrowing them first, and cuts nothing of them', () => {
    const lines = table(rows, 60, [2, 3]);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(lines.some((l) => l.includes('...'))).toBe(false);
    // The other columns keep their width; the title and presenters go on under theirs.
    const at = lines[0]!.indexOf('TITLE');
    const to = lines[0]!.indexOf('PRESENTERS');
    expect(lines[0]).toMatch(/^# +STATE +TITLE +PRESENTERS$/);
    expect(lines[1]!.startsWith('1  accepted  Über-offload:')).toBe(true);
    const first = lines.slice(1, lines.findIndex((l) => l.startsWith('2 ')));
    expect(first.length).toBeGreaterThan(1);
    expect(first.slice(1).every((l) => l.slice(0, at).trim() === '')).toBe(true);
    expect(first.map((l) => l.slice(at, to).trim()).filter(Boolean).join(' ')).toBe(rows[1]![2]);
    expect(first.map((l) => l.slice(to).trim()).filter(Boolean).join(' ')).toBe(rows[1]![3]);
    expect(lines[lines.length - 1]).toMatch(/^2  proposed  Page pool +Carol$/);
    // A word longer than its column is broken between whole characters, not cut.
    expect(table([['T', 'X'], ['日本語のタイトルはとても長いです', 'x']], 16, [0])).toEqual(['T              X', '日本語のタイ   x', 'トルはとても', '長いです']);
  });
});
