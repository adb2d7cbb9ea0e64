/**
 * `conclave <command>`: each command a thin wrapper over a domain function. Domain errors become
 * one line on stderr and an exit code: 1 for a refused request, 2 for bad usage, 75 when the data
 * directory is busy or the database server does not answer (EX_TEMPFAIL: try again later).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { serverGone } from '../db/server-gone.js';
import { DomainError, InvalidForm, InvalidInput, TemporaryFailure } from '../domain/errors.js';
import { terminalText } from './terminal-text.js';
import { UsageError, yearArgument } from './usage-error.js';
/**
 * The commands, each loaded only when it is the one asked for: a command's module brings its part
 * of the program (the web app, the miner, the exporter…), and loading all of them for every
 * command cost every process ~50 MB and its start-up. Help, and a command that is not known,
 * load them all (commander lists them and suggests the nearest).
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Command[]>]> = [
  ['serve', async () => [(await import('./serve.js')).serveCommand()]],
  ['import', async () => [(await import('./import.js')).importCommand()]],
  ['db', async () => [(await import('./db.js')).dbCommand()]],
  ['edition', async () => [(await import('./edition.js')).editionCommand()]],
  ['committee', async () => [(await import('./committee.js')).committeeCommand()]],
  ['invite', async () => [(await import('./invite.js')).inviteCommand()]],
  ['mail', async () => [(await import('./mail.js')).mailCommand()]],
  ['template', async () => [(await import('./template.js')).templateCommand()]],
  ['topics', async () => [(await import('./topics.js')).topicsCommand()]],
  ['schedule', async () => [(await import('./schedule.js')).scheduleCommand()]],
  ['materials', async () => [(await import('./materials.js')).materialsCommand()]],
  ['files', async () => [(await import('./files.js')).filesCommand()]],
  ['candidates', async () => [(await import('./candidates.js')).candidatesCommand()]],
  ['people', async () => [(await import('./people.js')).peopleCommand()]],
  ['search', async () => [(await import('./search.js')).searchCommand()]],
  ['export', async () => [(await import('./export.js')).exportCommand()]],
  ['audit', async () => [(await import('./audit.js')).auditCommand()]],
  ['backup', async () => (await import('./backup.js')).backupCommands()],
  ['restore', async () => (await import('./backup.js')).backupCommands()],
];

/**
 * How every help is laid out. Commander wraps the description beside a term only when at least
 * `minWidthToWrap` columns (40) are left of the 80: beside a term as long as "request-changes
 * [options] <year> <number>" it left the descriptions of `topics` and `edition` unwrapped, lines
 * of 200 and 300 characters. With a narrower column they wrap as everywhere else.
 */
const HELP = { minWidthToWrap: 24 };

/** The command line's program: with `argv`, only the command it names is loaded (see COMMANDS). */
export async function program(argv?: readonly string[]): Promise<Command> {
  const cmd = new Command('conclave')
    .description('Runs an invitation-only developer workshop: archive, invitations, program, exports.')
    .version('0.1.0')
    .exitOverride()
    .configureHelp(HELP)
    .configureOutput({ outputError: namedError('conclave') });
  const named = argv?.[2];
  const one = COMMANDS.find(([name]) => name === named);
  const versionOnly = named === '-V' || named === '--version';
  const wanted = one ? [one] : versionOnly ? [] : COMMANDS;
  const loaded = await Promise.all(wanted.map(([, load]) => load()));
  const added = new Set<string>();
  for (const c of loaded.flat()) {
    // backup.js gives both backup and restore.
    if (added.has(c.name())) continue;
    added.add(c.name());
    cmd.addCommand(c);
  }
  // Added commands do not inherit these: without them a usage error in a subcommand would exit
  // on its own (code 1) instead of reaching run() (code 2).
  const inherit = (c: Command) => {
    for (const sub of c.commands) {
      sub.exitOverride().configureHelp(HELP).configureOutput({ outputError: namedError(commandPath(sub)) });
      inherit(sub);
    }
  };
  inherit(cmd);
  return cmd;
}

/** "conclave edition create": the command's words, as typed. */
function commandPath(c: Command): string {
  return c.parent ? `${commandPath(c.parent)} ${c.name()}` : c.name();
}

/**
 * Commander's own usage errors ("error: unknown option '--x'") are one line, as every other error
 * of the command is: "conclave: edition create: unknown option '--x' (conclave edition create
 * --help for usage)", naming the command and where its usage is said.
 */
function namedError(name: string): (text: string, write: (text: string) => void) => void {
  const words = name.replace(/^conclave ?/, '');
  return (text, write) => write(`conclave: ${words ? `${words}: ` : ''}${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (${name} --help for usage)\n`);
}

/**
 * A domain field named as the command line knows it: `answerBy` is `--answer-by`, `topicId` is
 * `--topic` and `body` is `--body-file` where the command that ran has that option; any other name is kept ("year", a
 * positional argument).
 */
function asOption(acting: Command | null, field: string): string {
  const head = field.split('.')[0]!;
  // A domain's `topicId`, `speakerIds`, `lengthMinutes` or `beforeSlotId` is what `--topic`, `--speaker`,
  // `--length` or `--before` gave, and a `body` what `--body-file` read.
  const option =
    acting?.options.find((o) => o.attributeName() === head) ??
    acting?.options.find((o) => o.attributeName() === head.replace(/(SlotId|Ids?|Minutes)$/, '')) ??
    acting?.options.find((o) => o.attributeName() === `${head}File`);
  return option?.long && head === field ? option.long : field;
}

/** The one line (or, for a form, one line per field) an input error prints. */
function inputError(acting: Command | null, err: InvalidInput): string {
  const fields = err instanceof InvalidForm ? Object.entries(err.fields) : [[err.field, err.why] as const];
  return fields.map(([field, why]) => `conclave: ${asOption(acting, field)}: ${why}`).join('\n');
}

/**
 * Every year a command is given, checked before its action runs: an argument named `year` and an
 * option taking `<year>` ("--year", "--edition"). A typo ("invite list 20x7") is bad usage, exit 2,
 * before any database is opened: each action checked its year only once it had opened one, and
 * on a data directory with none it first created one.
 */
function checkYears(c: Command): void {
  c.registeredArguments.forEach((a, i) => {
    const v = c.args[i];
    if (a.name() === 'year' && typeof v === 'string') yearArgument(v);
  });
  for (const o of c.options) {
    const v: unknown = c.getOptionValue(o.attributeName());
    if (/<year>/.test(o.flags) && typeof v === 'string') yearArgument(v, o.long ?? o.flags);
  }
}

export async function run(argv: string[]): Promise<number> {
  let acting: Command | null = null;
  try {
    const cmd = await program(argv);
    cmd.hook('preAction', (_root, actionCommand) => {
      acting = actionCommand;
      checkYears(actionCommand);
    });
    await cmd.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof TemporaryFailure) {
      console.error(`conclave: ${err.message}`);
      return 75;
    }
    // A refusal may quote stored text (a title, a subject): nothing a terminal acts on.
    if (err instanceof InvalidInput) {
      console.error(terminalText(inputError(acting, err)));
      return err instanceof UsageError ? 2 : 1;
    }
    if (err instanceof DomainError || err instanceof ConfigError) {
      console.error(terminalText(`conclave: ${err.message}`));
      return 1;
    }
    // The server went away while the command ran: what it was writing was rolled back, and the
    // same command run again may succeed.
    if (serverGone(err)) {
      console.error(`conclave: the database server stopped answering (${(err as Error).message}); the write under way was not kept; try again`);
      return 75;
    }
    console.error(`conclave: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
