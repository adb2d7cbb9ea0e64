/** `conclave audit`: the log of every change, as the admin's Audit page shows it. */
import { Command } from 'commander';
import { auditSubject, listAudit } from '../domain/audit/record.js';
import { getEdition } from '../domain/editions/edit-edition.js';
import { wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { idArgument, idValue, output, table, withDb, yearArgument } from './context.js';
import { utcMinute } from '../domain/invitations/dates.js';
import { seriesOf, seriesOption } from './series-option.js';

const ENTRY_ID = 'is not an entry ID such as 120 (the ID column)';

export function auditCommand(): Command {
  return new Command('audit')
    .description('The audit log, newest first: who changed what, when, and why.')
    .option('--year <year>', "only this edition's changes")
    .addOption(seriesOption('the series of --year'))
    .option('--actor <text>', 'whose: part of a member\'s address ("alice@"), "cli:" for commands, "invitee:" for invitees')
    .option('--action <action>', 'e.g. invitation.override, sponsor.add')
    .option('--entity <entity>', 'e.g. invitation, sponsor, slot')
    .option('--limit <n>', 'at most this many entries (1–1000)', wholeNumberValue('--limit', 1, 1000), 50)
    .option('--before <id>', 'only entries older than this one (its ID): the next page of a long log', idValue('--before', ENTRY_ID))
    .option('--json', 'print as JSON, with each entry before and after')
    .action(async (opts: { year?: string; series?: string; actor?: string; action?: string; entity?: string; limit: string | number; before?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
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
      }),
    );
}
