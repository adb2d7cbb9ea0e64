/**
 * The series a page's title names. Read as the capitalised words just before the year, "BPF &
 * Storage Plumbers 2025" was put into a series "Storage Plumbers": "&", "and", "of" or any
 * lowercase word cut the name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seriesOf } from './page-head.js';
import { parseSource } from './parse-page.js';

const named = (title: string) => seriesOf(title, title.search(/\b(19\d\d|2\d\d\d)\b/));

describe('the series of a title', () => {
  it('is all the title says before its year', () => {
    expect(named('BPF & Storage Plumbers 2025')).toBe('BPF & Storage Plumbers');
    expect(named('Linux Storage and Filesystems Summit 2024')).toBe('Linux Storage and Filesystems Summit');
    expect(named('Festival of networking 2023')).toBe('Festival of networking');
    expect(named('Netconf, 2019')).toBe('Netconf');
  });

  it("leaves out a lead-in that ends in an apostrophe, a colon or a dash, as the Netconf pages' owner", () => {
    expect(named("Linux Kernel Developers' Netconf 2014")).toBe('Netconf');
    expect(named('Welcome: Netdev Conf 2019')).toBe('Netdev Conf');
  });

  it('is the rest of a title that starts with its year', () => {
    expect(named('2025 BPF Summit')).toBe('BPF Summit');
  });

  it('is Netconf for each of the five bundled pages', () => {
    const series = [2004, 2011, 2014, 2015, 2019].map((year) => {
      const text = readFileSync(new URL(`../../../archive/netconf/netconf-${year}.txt`, import.meta.url), 'utf8');
      return parseSource(text, { file: `netconf-${year}.txt`, knownNames: [] }).seriesName;
    });
    expect(series).toEqual(['Netconf', 'Netconf', 'Netconf', 'Netconf', 'Netconf']);
  });

  it('is read so from an HTML page whose heading joins words with "&"', () => {
    const html = [
      '<html><body><h1>BPF &amp; Storage Plumbers 2025</h1>',
      '<ul><li>Location : Prague, Czechia</li><li>Date : June 20, 2025</li>',
      '<li>Agenda :<table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>',
      '<tr><td>9:00am</td><td>Ada Lovelace</td><td>Opening</td></tr></table></li>',
      '</ul></body></html>',
    ].join('\n');
    const page = parseSource(html, { file: 'bpf-2025.html', knownNames: [] });
    expect([page.title, page.seriesName]).toEqual(['BPF & Storage Plumbers 2025', 'BPF & Storage Plumbers']);
  });
});
