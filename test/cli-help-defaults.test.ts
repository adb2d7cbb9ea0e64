/**
 * A number an option takes by default is shown as one in `conclave … --help`: "(default: 50)",
 * not commander's quoted "(default: \"50\")" of a string default, which reads as text to type.
 * The value a command then gets stays the number it names (checked where each command is tested).
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';

describe('conclave --help', () => {
  it('shows every numeric default as a number', async () => {
    const { program } = await import('../src/cli/main.js');
    const root = await program();
    const quoted: string[] = [];
    const shown: string[] = [];
    const walk = (cmd: Command, words: string[]) => {
      let help = '';
      cmd.configureOutput({ ...cmd.configureOutput(), getOutHelpWidth: () => 1000, writeOut: (s) => void (help += s) });
      cmd.outputHelp();
      for (const line of help.split('\n')) {
        const option = line.trim().replace(/ .*/, '');
        if (/default: "\d+"/.test(line)) quoted.push(`conclave ${words.join(' ')} ${option}`);
        const n = /\(default: (\d+)\)/.exec(line);
        if (n) shown.push(`conclave ${words.join(' ')} ${option} ${n[1]}`);
      }
      for (const sub of cmd.commands) walk(sub, [...words, sub.name()]);
    };
    walk(root, []);
    expect(quoted).toEqual([]);
    expect(shown.sort()).toEqual(
      [
        'conclave audit --limit 50',
        'conclave candidates --top 15',
        'conclave export --concurrency 4',
        'conclave mail inbound --limit 50',
        'conclave mail list --limit 50',
        'conclave search --limit 20',
        'conclave search --offset 0',
        'conclave serve --workers 1',
      ].sort(),
    );
  });
});
