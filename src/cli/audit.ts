/** `conclave audit`: the log of every change, as the admin's Audit page shows it. */
import { Command } from 'commander';
import { auditSubject, getAuditEntry, listAudit } from '../domain/audit/record.js';
import { getEdition } from '../domain/editions/edit-edition.js';
import { UsageError, wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { idArgument, idValue, output, table, withDb, yearArgument } from './context.js';
import { utcMinute } from '../domain/invitations/dates.js';
import { seriesOf, seriesOption } from './series-option.js';

const ENTRY_ID = 'is not an entry ID such as 120 (the ID column)';

export function auditCommand(): Command {
  return new Command('audit')
    .description("The audit log, newest first: who changed what, when, and why. With an entry's ID, that entry in full, as /admin/audit/ID shows it (an import's: the lines it skipped and its notes, such as a committee edit the page overrode).")
    .argument('[id]', 'one entry, in full (its ID from the list)', idValue('<id>', ENTRY_ID))
    .option('--year <year>', "only this edition's changes")
    .addOption(seriesOption('the series of --year'))
    .option('--actor <text>', 'whose: part of a member\'s address ("alice@"), "cli:" for commands, "invitee:" for invitees')
    .option('--action <action>', 'e.g. invitation.override, sponsor.add')
    .option('--entity <entity>', 'e.g. invitation, sponsor, slot')
    .option('--limit <n>', 'at most this many entries (1–1000)', wholeNumberValue('--limit', 1, 1000), 50)
    .option('--before <id>', 'only entries older than this one (its ID): the next page of a long log', idValue('--before', ENTRY_ID))
    .option('--json', 'print as JSON, with each entry before and after')
    .action(async (id: string | undefined, opts: { year?: string; series?: string; actor?: string; action?: string; entity?: string; limit: string | number; before?: string; json?: boolean }, cmd: Command) => {
      // One entry is no list: a filter given with it would be ignored.
      const filter = ['year', 'series', 'actor', 'action', 'entity', 'limit', 'before'].find((o) => cmd.getOptionValueSource(o) === 'cli');
      if (id !== undefined && filter) throw new UsageError(`--${filter}`, `filters the list: give it without an entry ID, or give the ID alone`);
      if (id !== undefined) {
        const entryId = idArgument(id, '<id>', ENTRY_ID);
        return withDb(async ({ db }) => {
          const entry = await getAuditEntry({ db }, entryId);
          output(opts.json, entry, () => entryLines(entry));
        });
      }
      return withDb(async ({ db }, config) => {
        const limit = wholeNumberOption(opts.limit, '--limit', 1, 1000);
        const beforeId = opts.before === undefined ? undefined : idArgument(opts.before, '--before', ENTRY_ID);
        const editionId = opts.year ? (await getEdition({ db }, await seriesOf(db, config, opts), yearArgument(opts.year, '--year'))).id : undefined;
        const rows = await listAudit({ db }, {
          ...(editionId !== undefined ? { editionId } : {}),
          ...(opts.actor ? { actor: opts.actor } : {}),
          ...(opts.action ? { action: opts.action } : {}),
          ...(opts.entity ? { entity: opts.entity } : {}),
          ...(beforeId !== undefined ? { beforeId } : {}),
          limit,
        });
        output(opts.json, rows, () =>
          rows.length
            ? table([
                ['ID', 'WHEN (UTC)', 'ACTOR', 'ACTION', 'ENTITY', 'REASON'],
                ...rows.map((r) => [String(r.id), utcMinute(r.at), r.actor, r.action, auditSubject(r), r.reason ?? '']),
              ])
            : ['no entries'],
        );
      });
    });
}

/** An entry in full, as its web page shows it: when, who, what, and its before and after as indented JSON. */
export function entryLines(r: Awaited<ReturnType<typeof getAuditEntry>>): string[] {
  return [
    `entry #${r.id}`,
    `when:   ${utcMinute(r.at)} UTC`,
    `who:    ${r.actor}`,
    `what:   ${r.action} ${auditSubject(r)}${r.reason ? ` — ${r.reason}` : ''}`,
    'before:',
    ...(JSON.stringify(r.before, null, 2) ?? 'null').split('\n').map((l) => `  ${l}`),
    'after:',
    ...(JSON.stringify(r.after, null, 2) ?? 'null').split('\n').map((l) => `  ${l}`),
  ];
}
