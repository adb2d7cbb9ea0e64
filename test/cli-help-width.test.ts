/**
 * Every `--help` of the `conclave` command fits an 80-column terminal, the width commander gives
 * help when standard output is not a terminal: `conclave topics --help` once listed its
 * subcommands on lines of 317 characters, as commander wraps no description beside a term as
 * long as "request-changes [options] <year> <number>".
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';

describe('conclave --help', () => {
  it('fits 80 columns on every command and group', async () => {
    const { program } = await import('../src/cli/main.js');
    const root = await program();
    const wide: string[] = [];
    let walked = 0;
    const walk = (cmd: Command, words: string[]) => {
      // As `conclave … --help` prints it on a pipe, or on a terminal 80 columns wide: with the
      // text some commands add after it (examples).
      let help = '';
      cmd.configureOutput({ ...cmd.configureOutput(), getOutHelpWidth: () => 80, writeOut: (s) => void (help += s) });
      cmd.outputHelp();
      expect(help, words.join(' ')).toMatch(/^Usage: conclave/);
      walked++;
      for (const line of help.split('\n')) if (line.length > 80) wide.push(`conclave ${words.join(' ')}: ${line.length}: ${line}`);
      for (const sub of cmd.commands) walk(sub, [...words, sub.name()]);
    };
    walk(root, []);
    expect(walked).toBeGreaterThan(60);
    expect(wide).toEqual([]);
  });
});
