import { Command } from 'commander';
import { createEdition, getEdition, updateEdition } from '../domain/editions/edit-edition.js';
import { listEditions } from '../domain/editions/list-editions.js';
import { loadEdition } from '../domain/editions/load-edition.js';
import { InvalidForm, InvalidInput } from '../domain/errors.js';
import { promotedSentence } from '../domain/invitations/cap.js';
import { cliActor, invitationDeps, output, table, withDb } from './context.js';

/** --flag → field name of EditionFields. */
const FIELD_OPTIONS: [string, string, string][] = [
  ['--title <title>', 'title', 'e.g. "Linux Kernel Developers\' Netconf 2027"'],
  ['--subtitle <text>', 'subtitle', ''],
  ['--motto <text>', 'motto', ''],
  ['--intro <text>', 'intro', 'prose; paragraphs separated by blank lines'],
  ['--city <city>', 'city', ''],
  ['--region <region>', 'region', 'state or province'],
  ['--country <country>', 'country', ''],
  ['--location <text>', 'locationText', 'the place as one line (default: city, region, country)'],
  ['--start <date>', 'startDate', 'YYYY-MM-DD'],
  ['--end <date>', 'endDate', 'YYYY-MM-DD'],
  ['--time-zone <zone>', 'timeZone', 'IANA zone, e.g. America/Toronto'],
  ['--colocated <name>', 'colocatedName', 'co-located event'],
  ['--colocated-start <date>', 'colocatedStart', ''],
  ['--colocated-end <date>', 'colocatedEnd', ''],
  ['--colocated-place <place>', 'colocatedPlace', ''],
  ['--status <status>', 'status', 'planned, tentative or final'],
  ['--cap <n>', 'cap', 'accepted places (default 15)'],
  ['--reminder-days <n>', 'reminderDays', 'days before the answer-by date to remind (default 7)'],
  ['--answer-by <date>', 'answerBy', 'default answer-by date of invitations'],
];

/** A form error named as the terminal knows the field: "--end: is before the start date". */
async function asFlags<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof InvalidForm)) throw err;
    const flag = (field: string) => FIELD_OPTIONS.find(([, f]) => f === field)?.[0].replace(/ .*/, '') ?? field;
    const named = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [flag(k), v]));
    throw new InvalidInput(Object.keys(named)[0] ?? 'input', Object.entries(named).map(([k, v], i) => (i === 0 ? v : `${k}: ${v}`)).join('; '));
  }
}

function withFieldOptions(cmd: Command): Command {
  for (const [flags, , help] of FIELD_OPTIONS) cmd.option(flags, help);
  return cmd;
}

function fieldsFrom(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flags, field] of FIELD_OPTIONS) {
    const key = flags.replace(/^--/, '').replace(/ .*/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (opts[key] !== undefined) out[field] = opts[key];
  }
  return out;
}

export function editionCommand(): Command {
  const cmd = new Command('edition').description('Editions: create, change, list and show.');
  withFieldOptions(
    cmd
      .command('create')
      .description('Create an edition (status "planned" unless given).')
      .argument('<year>', 'the year, e.g. 2027')
      .option('--series <name>', 'the series, by name or slug ("netconf"); a new one is created with this name', 'Netconf')
      .option('--json', 'print the new edition as JSON'),
  ).action(async (year: string, opts: Record<string, unknown>) =>
    withDb(async ({ db }) => {
      const fields = fieldsFrom(opts);
      const e = await asFlags(() => createEdition({ db }, cliActor(), {
        series: String(opts.series),
        year: year as unknown as number,
        fields: fields as never,
      }));
      output(opts.json as boolean, e, () => [`created ${e.title} (${e.year}, ${e.status})`]);
    }),
  );
  withFieldOptions(
    cmd
      .command('update')
      .description('Change fields of an edition; fields not given stay as they are.')
      .argument('<year>')
      .option('--series <slug>', 'the series', 'netconf')
      .option('--json', 'print the edition as JSON'),
  ).action(async (year: string, opts: Record<string, unknown>) =>
    withDb(async (handle, config) => {
      const input = { series: String(opts.series), year: Number(year), fields: fieldsFrom(opts) };
      const { edition: e, promoted } = await asFlags(() => updateEdition(invitationDeps(handle, config), cliActor(), input));
      output(opts.json as boolean, e, () => [`updated ${e.title}`, ...promotedSentence(promoted)]);
    }),
  );
  cmd
    .command('list')
    .description('List editions, newest first.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const list = await listEditions({ db }, new Date().toISOString().slice(0, 10));
        output(opts.json, list, () =>
          table([
            ['YEAR', 'STATUS', 'PLACE', 'DATES', 'TITLE'],
            ...list.map((e) => [String(e.year), e.status + (e.isNext ? ' (next)' : ''), e.locationText ?? '', [e.startDate, e.endDate].filter(Boolean).join('..'), e.title]),
          ]),
        );
      }),
    );
  cmd
    .command('show')
    .description('Show one edition (as JSON with --json: the documented edition JSON).')
    .argument('<year>')
    .option('--series <slug>', 'the series', 'netconf')
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { series: string; json?: boolean }) =>
      withDb(async ({ db }) => {
        const view = await loadEdition({ db }, opts.series, Number(year));
        const row = await getEdition({ db }, opts.series, Number(year));
        output(opts.json, view, () => [
          view.title,
          ...(view.subtitle ? [view.subtitle] : []),
          `status:     ${view.status}`,
          `place:      ${view.location.text ?? '-'}`,
          `dates:      ${[view.dates.start, view.dates.end].filter(Boolean).join('..') || '-'}${view.timeZone ? ` (${view.timeZone})` : ''}`,
          `co-located: ${view.colocated ? view.colocated.name : '-'}`,
          `cap:        ${row.cap} accepted places; reminders ${row.reminder_days} days before ${row.answer_by ?? 'the answer-by date'}`,
          `committee:  ${view.committee.map((c) => c.name + (c.role ? ` (${c.role})` : '')).join(', ') || '-'}`,
          `attendees:  ${view.attendees?.length ?? 0}`,
          `agenda:     ${view.agenda.length} days, ${view.agenda.reduce((n, d) => n + d.slots.length, 0)} rows`,
        ]);
      }),
    );
  return cmd;
}
