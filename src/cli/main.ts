/**
 * `conclave <command>`: each command a thin wrapper over a domain function. Domain errors become
 * one line on stderr and an exit code: 1 for a refused request, 2 for bad usage, 75 when the data
 * directory is busy (EX_TEMPFAIL).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { DataDirLocked, DomainError } from '../domain/errors.js';
import { committeeCommand } from './committee.js';
import { dbCommand } from './db.js';
import { editionCommand } from './edition.js';
import { inviteCommand } from './invite.js';
import { mailCommand } from './mail.js';
import { templateCommand } from './template.js';
import { importCommand } from './import.js';
import { serveCommand } from './serve.js';
import { topicsCommand } from './topics.js';
import { scheduleCommand } from './schedule.js';
import { materialsCommand } from './materials.js';
import { candidatesCommand } from './candidates.js';
import { searchCommand } from './search.js';
import { exportCommand } from './export.js';
import { backupCommands } from './backup.js';

export function program(): Command {
  const cmd = new Command('conclave')
    .description('Runs an invitation-only developer workshop: archive, invitations, program, exports.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  cmd.addCommand(serveCommand());
  cmd.addCommand(importCommand());
  cmd.addCommand(dbCommand());
  cmd.addCommand(editionCommand());
  cmd.addCommand(committeeCommand());
  cmd.addCommand(inviteCommand());
  cmd.addCommand(mailCommand());
  cmd.addCommand(templateCommand());
  cmd.addCommand(topicsCommand());
  cmd.addCommand(scheduleCommand());
  cmd.addCommand(materialsCommand());
  cmd.addCommand(candidatesCommand());
  cmd.addCommand(searchCommand());
  cmd.addCommand(exportCommand());
  for (const c of backupCommands()) cmd.addCommand(c);
  // Added commands do not inherit these: without them a usage error in a subcommand would exit
  // on its own (code 1) instead of reaching run() (code 2).
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.exitOverride().showHelpAfterError('(run with --help for usage)');
      inherit(sub);
    }
  };
  inherit(cmd);
  return cmd;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof DataDirLocked) {
      console.error(`conclave: ${err.message}`);
      return 75;
    }
    if (err instanceof DomainError || err instanceof ConfigError) {
      console.error(`conclave: ${err.message}`);
      return 1;
    }
    console.error(`conclave: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
