/**
 * The commands of `conclave` that run something (those without subcommands), each with the words
 * that name it ("invite", "add"): what the walkers of every command try, each option and argument.
 */
import type { Command } from 'commander';

export async function leafCommands(): Promise<{ cmd: Command; words: string[] }[]> {
  const { program } = await import('../../src/cli/main.js');
  const found: { cmd: Command; words: string[] }[] = [];
  const walk = (cmd: Command, words: string[]) => {
    if (cmd.commands.length === 0) found.push({ cmd, words });
    for (const sub of cmd.commands) walk(sub, [...words, sub.name()]);
  };
  walk(await program(), []);
  return found;
}
