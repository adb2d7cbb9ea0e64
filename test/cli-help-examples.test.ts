/**
 * The examples in `conclave … --help` tell any workshop what to type. An organiser starting "BPF
 * & Storage Plumbers" read netdev's own as the thing to type: `edition create --title` gave
 * "Linux Kernel Developers' Netconf 2027" and `edition role --role` "netdev maintainer". Netconf
 * stays named where it is what the help is about: the bundled archive (`serve --bootstrap`, and
 * search's examples, said to be found in it). Left aside: the --series options, whose help gives
 * the bundled series' slug as an example, and `candidates`, whose examples are a git history's paths.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';

/** Every line of every command's help, unwrapped, but for --series and `candidates`. */
async function helpLines(): Promise<{ where: string; line: string }[]> {
  const { program } = await import('../src/cli/main.js');
  const root = await program();
  const lines: { where: string; line: string }[] = [];
  const walk = (cmd: Command, words: string[]) => {
    if (words[0] === 'candidates') return;
    let help = '';
    cmd.configureOutput({ ...cmd.configureOutput(), getOutHelpWidth: () => 10_000, writeOut: (s) => void (help += s) });
    cmd.outputHelp();
    for (const line of help.split('\n')) if (!/^\s*--series\b/.test(line)) lines.push({ where: ['conclave', ...words].join(' '), line });
    for (const sub of cmd.commands) walk(sub, [...words, sub.name()]);
  };
  walk(root, []);
  return lines;
}

describe('the examples of conclave --help', () => {
  it('name netdev or Netconf only where the bundled Netconf archive is meant', async () => {
    const lines = await helpLines();
    expect(lines.length).toBeGreaterThan(300);
    const netOnly = lines.filter(({ line }) => /netdev|netconf|\bnet\//i.test(line) && !/the bundled Netconf archive/.test(line));
    expect(netOnly.map(({ where, line }) => `${where}: ${line.trim()}`)).toEqual([]);
  });

  it('give a generic title and committee role to type', async () => {
    const lines = await helpLines();
    const option = (where: string, flag: string) => lines.find((l) => l.where === where && l.line.trim().startsWith(flag))?.line.trim();
    expect(option('conclave edition create', '--title')).toMatch(/--title <title>\s+for example "Storage Summit 2027"$/);
    expect(option('conclave edition update', '--title')).toMatch(/--title <title>\s+for example "Storage Summit 2027"$/);
    expect(option('conclave edition role', '--role')).toMatch(/--role <role>\s+for example "program chair", "local arrangements"$/);
  });

  it('say that search’s examples are words of the bundled archive', async () => {
    const search = (await helpLines()).filter((l) => l.where === 'conclave search').map((l) => l.line);
    expect(search).toContain('Examples, in the bundled Netconf archive:');
    expect(search).toContain('A word with one minus sign in front (-word) is left out of the results; an');
  });
});
