import { Argument, Command, Option } from 'commander';
import { answerByPassed, createEdition, EditionExists, getEdition, noTimeZoneWarning, openKeepTheirDateSentence, privateShownBy, scheduleChangeSentence, slotsOutsideSentence, timeZoneName, updateEdition } from '../domain/editions/edit-edition.js';
import { deleteEdition, editionContents, EditionKept, refusalWords } from '../domain/editions/delete-edition.js';
import { listEditions, statusLabel } from '../domain/editions/list-editions.js';
import { addCommitteeRole, addReference, CommitteeRoleInput, ReferenceInput, SponsorInput, addSponsor, listEditionParts, logoWords, PART_FIELDS, removeEditionPart, strayPartChanges, UnknownPerson, updateEditionPart } from '../domain/editions/edition-parts.js';
import { loadEdition } from '../domain/editions/load-edition.js';
import { loadSchedule } from '../domain/program/schedule.js';
import { Conflict, InvalidForm, InvalidInput } from '../domain/errors.js';
import { promotedSentence } from '../domain/invitations/cap.js';
import { editionColocated } from '../domain/invitations/invitee-mail.js';
import { cliActor, idArgument, idValue, invitationDeps, output, table, withDb, yearArgument } from './context.js';
import { stdoutWidth } from './table.js';
import { readUpload } from './read-upload.js';
import { dateValue, schemaValue, UsageError, wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { count } from '../domain/count.js';
import { orList } from '../domain/word-list.js';
import { editionNamed, editionRefOf, seriesAgain, seriesOf, seriesOption } from './series-option.js';
import { lastImportReport, reportItems, reportItemText, type LastImport } from '../domain/archive/import-report.js';
import { utcMinuteZoned } from '../domain/invitations/dates.js';

/** How a held batch is discarded from the terminal, as a refusal to delete an edition says it. */
const discardHeld = (batches: string[]) => `with ${batches.map((b) => `conclave mail discard ${b}`).join(' and ')}`;


const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** --flag → the name of an edition field (EditionShape in domain/editions/edit-edition.ts). */
const FIELD_OPTIONS: [string, string, string][] = [
  ['--title <title>', 'title', 'for example "Storage Summit 2027"'],
  ['--subtitle <text>', 'subtitle', ''],
  ['--motto <text>', 'motto', ''],
  ['--intro <text>', 'intro', 'prose; paragraphs separated by blank lines'],
  ['--city <city>', 'city', ''],
  ['--region <region>', 'region', 'state or province'],
  ['--country <country>', 'country', ''],
  ['--location <text>', 'locationText', "the place as one line (default: city, region, country, following them as they change; '' for the default again)"],
  ['--start <date>', 'startDate', 'YYYY-MM-DD'],
  ['--end <date>', 'endDate', 'YYYY-MM-DD'],
  ['--time-zone <zone>', 'timeZone', 'IANA zone, e.g. America/Toronto'],
  ['--colocated <name>', 'colocatedName', 'co-located event'],
  ['--colocated-start <date>', 'colocatedStart', ''],
  ['--colocated-end <date>', 'colocatedEnd', ''],
  ['--colocated-place <place>', 'colocatedPlace', ''],
  ['--status <status>', 'status', 'the status'],
  ['--cap <n>', 'cap', 'accepted places (default 15)'],
  ['--reminder-days <n>', 'reminderDays', 'days before the answer-by date to remind (default 7)'],
  ['--answer-by <date>', 'answerBy', 'default answer-by date of invitations'],
];

/** A form error named as the terminal knows the field: "--end: is before the start date, 2027-07-14". */
async function asFlags<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof InvalidForm)) throw err;
    // The series and the year are options and arguments of their own, not edition fields.
    const flag = (field: string) => FIELD_OPTIONS.find(([, f]) => f === field)?.[0].replace(/ .*/, '') ?? (field === 'series' ? '--series' : field === 'year' ? '<year>' : field);
    const named = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [flag(k), v]));
    throw new InvalidInput(Object.keys(named)[0] ?? 'input', Object.entries(named).map(([k, v], i) => (i === 0 ? v : `${k}: ${v}`)).join('; '));
  }
}

/** The fields whose options take one of fixed values: anything else is bad usage (exit 2). */
const CHOICE_FIELDS: Record<string, readonly string[]> = { status: ['planned', 'tentative', 'final'] };

function withFieldOptions(cmd: Command): Command {
  for (const [flags, field, help] of FIELD_OPTIONS) {
    const choices = CHOICE_FIELDS[field];
    const bounds = COUNT_FIELDS[field];
    const option = new Option(flags, help);
    if (choices) option.choices(choices);
    // A count that is not one is bad usage said as the command line is read.
    if (bounds) option.argParser(wholeNumberValue(flags.replace(/ .*/, ''), ...bounds));
    // So is a date that is not one.
    if (/<date>/.test(flags)) option.argParser(dateValue(flags.replace(/ .*/, '')));
    // And a time zone the time zone database does not know.
    if (field === 'timeZone') option.argParser(schemaValue('--time-zone', timeZoneName));
    cmd.addOption(option);
  }
  return cmd;
}

/** The fields that are counts, with the bounds edit-edition.ts holds them to. */
const COUNT_FIELDS: Record<string, [number, number]> = { cap: [1, 1000], reminderDays: [0, 365] };

/** The edition fields the options give; a count that is not one is bad usage (exit 2). */
function fieldsFrom(opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flags, field] of FIELD_OPTIONS) {
    const key = flags.replace(/^--/, '').replace(/ .*/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const bounds = COUNT_FIELDS[field];
    if (opts[key] !== undefined) out[field] = bounds ? wholeNumberOption(String(opts[key]), flags.replace(/ .*/, ''), ...bounds) : opts[key];
  }
  return out;
}

/** The warning of `answerByPassed`, with the command that sets a later date (`again`: its --series). */
function passedLine(warning: string | null, year: number, again = ''): string[] {
  return warning ? [`! ${warning} Set one with \`conclave edition update ${year}${again} --answer-by DATE\`, or give \`--answer-by\` to \`invite send\`.`] : [];
}

export function editionCommand(): Command {
  const cmd = new Command('edition').description('Editions: create, change, list and show.');
  withFieldOptions(
    cmd
      .command('create')
      .description('Create an edition (status "planned" unless given).')
      .argument('<year>', 'the year, e.g. 2027')
      .addOption(seriesOption('the series, by name or slug ("netconf"); a new one is created with this name', '--series <name>'))
      .option('--json', 'print the new edition as JSON'),
  ).action(async (year: string, opts: Record<string, unknown>) =>
    withDb(async ({ db }, config) => {
      const fields = fieldsFrom(opts);
      const series = await seriesOf(db, config, opts as { series?: string; json?: boolean });
      const e = await asFlags(() =>
        createEdition({ db }, cliActor(), { series, year: yearArgument(year), fields: fields as never }).catch(async (err: unknown) => {
          // The year taken: the command that changes the edition there is, rather than make it again.
          if (!(err instanceof EditionExists)) throw err;
          throw new InvalidForm({ year: `${err.fields.year}: change it with \`conclave edition update ${err.year}${await seriesAgain(db, err.series)} --FIELD VALUE\`` });
        }),
      );
      const leaks = await privateShownBy(db, e);
      const again = await seriesAgain(db, series);
      const noZone = noTimeZoneWarning(e, `set one with \`conclave edition update ${e.year}${again} --time-zone ZONE\``);
      output(opts.json as boolean, e, () => [
        // The year once: said by the title when it holds it ("Netconf 2101").
        `created ${e.title} (${e.title.includes(String(e.year)) ? '' : `${e.year}, `}${e.status})`,
        ...(leaks ? [`! ${leaks}`] : []),
        ...(noZone ? [`! ${noZone}`] : []),
        ...passedLine(answerByPassed(e, new Date()), e.year, again),
      ]);
    }),
  );
  withFieldOptions(
    cmd
      .command('update')
      .description('Change fields of an edition; fields not given stay as they are.')
      .argument('<year>')
      .addOption(seriesOption())
      .option('--json', 'print the edition as JSON'),
  ).action(async (year: string, opts: Record<string, unknown>) => {
    // No field at all is a mistake of the command, not a change of nothing: bad usage, before the database is opened.
    if (Object.keys(fieldsFrom(opts)).length === 0) throw new UsageError('--title', `give ${orList(FIELD_OPTIONS.map(([flags]) => flags.replace(/ .*/, '')))}: what to change`);
    return withDb(async (handle, config) => {
      const series = await seriesOf(handle.db, config, opts as { series?: string; json?: boolean });
      const input = { series, year: yearArgument(year), fields: fieldsFrom(opts) };
      const deps = await invitationDeps(handle, config);
      const { edition: e, promoted, scheduleChange, scheduleChangeSpeakers, answerByPassed: passed, placeKept, openKeepTheirDate: keep, slotsOutside } = await asFlags(() => updateEdition(deps, cliActor(), input));
      const leaks = await privateShownBy(handle.db, e);
      const again = passed || keep || slotsOutside ? await seriesAgain(handle.db, series) : '';
      output(opts.json as boolean, e, () => [
        `updated ${e.title}`,
        ...(leaks ? [`! ${leaks}`] : []),
        ...promotedSentence(promoted),
        ...(scheduleChange ? [`! the published schedule moves: ${scheduleChangeSentence(scheduleChange, scheduleChangeSpeakers)}`] : []),
        ...(slotsOutside ? [`! ${slotsOutsideSentence(slotsOutside, `conclave schedule show ${e.year}${again} lists them as conflicts; move them with conclave schedule move`)}`] : []),
        ...passedLine(passed, e.year, again),
        ...(placeKept ? [`! ${placeKept} (--location TEXT, or --location '' to empty it)`] : []),
        ...(keep ? [`! ${openKeepTheirDateSentence(keep, `conclave invite resend ID --answer-by ${e.answer_by ?? 'DATE'}; conclave invite list ${e.year}${again} shows them`)}`] : []),
      ]);
    });
  });
  cmd
    .command('delete')
    .description('Delete an edition made by mistake, with everything in it (not once anybody was invited to it).')
    .argument('<year>')
    .addOption(seriesOption())
    .option('--yes', 'delete it: without this, say what would go')
    .action(async (year: string, opts: { series?: string; yes?: boolean }) =>
      withDb(async ({ db }, config) => {
        const at = await editionRefOf(db, config, year, opts);
        if (!opts.yes) {
          const what = await editionContents({ db }, at);
          if (what.refusal) throw new Conflict(`${what.title} cannot be deleted: ${refusalWords(what, discardHeld)}`);
          throw new Conflict(`this would delete ${what.title}${what.contents ? ` with ${what.contents}` : ''}: add --yes to do it`);
        }
        const done = await deleteEdition({ db, filesDir: config.filesDir }, cliActor(), at).catch((err: unknown) => {
          throw err instanceof EditionKept ? new Conflict(err.sentence(discardHeld)) : err;
        });
        console.log(`deleted ${done.title}${done.contents ? ` with ${done.contents}` : ''}`);
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
            ...list.map((e) => [String(e.year), statusLabel(e), e.locationText ?? '', [e.startDate, e.endDate].filter(Boolean).join('..'), e.title]),
          ]),
        );
      }),
    );
  cmd
    .command('show')
    .description('Show one edition (as JSON with --json: the documented edition JSON).')
    .argument('<year>')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const series = await seriesOf(db, config, opts);
        const view = await loadEdition({ db }, series, yearArgument(year));
        const row = await getEdition({ db }, series, yearArgument(year));
        // The view is the public one, which holds no slot of a planned edition: count the
        // committee's schedule instead, or a schedule under way would read as empty.
        const planned = view.status === 'planned' ? await loadSchedule({ db }, { series, year: yearArgument(year) }) : null;
        output(opts.json, view, () => [
          view.title,
          ...(view.subtitle ? [view.subtitle] : []),
          `status:     ${view.status}`,
          `place:      ${view.location.text ?? '-'}`,
          `dates:      ${[view.dates.start, view.dates.end].filter(Boolean).join('..') || '-'}${view.timeZone ? ` (${view.timeZone})` : ''}`,
          `co-located: ${editionColocated(row) ?? '-'}`,
          `cap:        ${row.cap} accepted places; reminders ${count(row.reminder_days, 'day')} before each invitation's own answer-by date`,
          `answer by:  ${row.answer_by ?? '-'} (for invitations sent from now on)`,
          `committee:  ${view.committee.map((c) => c.name + (c.role ? ` (${c.role})` : '')).join(', ') || '-'}`,
          `attendees:  ${view.attendees?.length ?? 0}`,
          planned
            ? `agenda:     ${plural(new Set(planned.slots.map((x) => x.date)).size, 'day')}, ${plural(planned.slots.length, 'slot')} (planned: not public until published)`
            : `agenda:     ${plural(view.agenda.length, 'day')}, ${plural(view.agenda.reduce((n, d) => n + d.slots.length, 0), 'slot')}`,
        ]);
      }),
    );
  cmd
    .command('import-report')
    .description("What the last import of the edition's page skipped and noted, as its admin page shows it: above all a committee edit the page overrode (\"… losing its logo uploaded there\"). Nothing for an edition never imported, or an import with nothing to report.")
    .argument('<year>')
    .addOption(seriesOption())
    .option('--json', 'print as JSON: file, at, auditId, skipped (line, text, reason), notes (line, message); null for nothing to report')
    .action(async (year: string, opts: { series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const e = await editionNamed(db, config, year, opts);
        const report = await lastImportReport({ db }, e);
        output(opts.json, report, () => importReportLines(e.title, report));
      }),
    );
  partCommands(cmd);
  return cmd;
}

/** `edition import-report` as text: when and from which page, then a line each in the page's order. */
export function importReportLines(title: string, r: LastImport | null): string[] {
  if (!r) return [`${title}: its page's last import had nothing to report (or it was never imported)`];
  return [
    `${title}: imported from ${r.file} on ${utcMinuteZoned(r.at)}${r.auditId !== null ? ` (conclave audit ${r.auditId})` : ''}`,
    ...reportItems(r).map((i) => `  ${reportItemText(i)}`),
  ];
}

const PARTS = ['sponsor', 'committee-role', 'reference'] as const;
const PART_ID = 'is not an id such as 3 (see conclave edition parts YEAR)';
/** The option of update-part that gives each change of a part (strayPartChanges' fields). */
const PART_FLAGS: Record<string, string> = { name: '--name', kind: '--kind', url: '--url', logo: '--logo', removeLogo: '--no-logo', role: '--role', title: '--title' };

/**
 * `edition parts` as text: sponsors (with their logo in words), committee roles, references.
 * Each table is indented by two, so it is two columns narrower than `width` (the terminal's).
 */
export function editionPartsLines(p: Awaited<ReturnType<typeof listEditionParts>>, width = stdoutWidth()): string[] {
  const indented = (rows: string[][]) => table(rows, width - 2).map((l) => `  ${l}`);
  return [
    'sponsors:',
    ...(p.sponsors.length ? indented([['ID', 'KIND', 'NAME', 'URL', 'LOGO'], ...p.sponsors.map((s) => [String(s.id), s.kind, s.name, s.url ?? '', logoWords(s)])]) : ['  (none)']),
    'committee:',
    ...(p.committee.length ? indented([['ID', 'NAME', 'ROLE'], ...p.committee.map((c) => [String(c.id), c.name, c.role ?? ''])]) : ['  (none)']),
    'references:',
    ...(p.references.length ? indented([['ID', 'TITLE', 'URL'], ...p.references.map((r) => [String(r.id), r.title, r.url ?? ''])]) : ['  (none)']),
  ];
}

/** Sponsors, committee roles and references: what the edition's admin page adds and removes. */
function partCommands(cmd: Command): void {
  cmd
    .command('parts')
    .description("An edition's sponsors, committee roles and references, with the ids to remove them by.")
    .argument('<year>')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const p = await listEditionParts({ db }, await editionRefOf(db, config, year, opts));
        output(opts.json, p, () => editionPartsLines(p));
      }),
    );
  cmd
    .command('sponsor')
    .description('Add a sponsor (a company or an event), with its logo (PNG, JPEG, GIF or WebP; a thumbnail is made).')
    .argument('<year>')
    .requiredOption('--name <name>', 'the sponsor')
    .addOption(new Option('--kind <kind>', 'company or event').choices(['company', 'event']).default('company'))
    .option('--url <url>', 'its address', schemaValue('--url', SponsorInput.shape.url))
    .option('--logo <file>', 'its logo')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { name: string; kind: 'company' | 'event'; url?: string; logo?: string; series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const logo = opts.logo ? (await readUpload(opts.logo, config.maxUploadBytes, '--logo')).bytes : undefined;
        const s = await addSponsor({ db, filesDir: config.filesDir }, cliActor(), await editionRefOf(db, config, year, opts), { name: opts.name, kind: opts.kind, url: opts.url ?? null, logo });
        output(opts.json, s, () => [`added sponsor ${s.name} (#${s.id})`]);
      }),
    );
  cmd
    .command('role')
    .description("Add a member to the edition's committee, with their role: a person of the archive, matched by name or address (somebody new to it with --new-person).")
    .argument('<year>')
    .requiredOption('--name <name>', 'their name')
    .option('--email <address>', 'their address (not shown on the public page)', schemaValue('--email', CommitteeRoleInput.shape.email))
    .option('--role <role>', 'for example "program chair", "local arrangements"')
    .option('--new-person', 'add them as a new person when the archive knows nobody by the name or the address')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { name: string; email?: string; role?: string; newPerson?: boolean; series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const input = { name: opts.name, email: opts.email ?? null, role: opts.role ?? null, newPerson: !!opts.newPerson };
        const r = await addCommitteeRole({ db, filesDir: config.filesDir }, cliActor(), await editionRefOf(db, config, year, opts), input).catch((err: unknown) => {
          throw err instanceof UnknownPerson ? err.withRemedy('add --new-person to add them') : err;
        });
        output(opts.json, r, () => [`added ${opts.name} to the committee${opts.role ? ` as ${opts.role}` : ''} (#${r.id})`]);
      }),
    );
  cmd
    .command('reference')
    .description('Add a reference: a title, with its address when it has one.')
    .argument('<year>')
    .requiredOption('--title <title>', 'e.g. "LWN coverage"')
    .option('--url <url>', 'its address', schemaValue('--url', ReferenceInput.shape.url))
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { title: string; url?: string; series?: string; json?: boolean }) =>
      withDb(async ({ db }, config) => {
        const r = await addReference({ db, filesDir: config.filesDir }, cliActor(), await editionRefOf(db, config, year, opts), { title: opts.title, url: opts.url ?? null });
        output(opts.json, r, () => [`added the reference ${r.title} (#${r.id})`]);
      }),
    );
  // --logo FILE and --no-logo set one value, the last given winning: both given (which the web
  // refuses too) is seen as the command line is read.
  const logoFlags = new Set<string>();
  const updatePart = cmd.command('update-part');
  updatePart.on('option:logo', () => logoFlags.add('--logo')).on('option:no-logo', () => logoFlags.add('--no-logo'));
  updatePart
    .description('Change a sponsor (name, kind, address, logo), a committee role, or a reference (title, address) in place; ids from `edition parts`. An option left out keeps its value; "" empties an address or a role.')
    .argument('<year>')
    .addArgument(new Argument('<part>', 'what it is').choices(PARTS))
    .addArgument(new Argument('<id>').argParser(idValue('id', PART_ID)))
    .option('--name <name>', 'sponsor: its name')
    .addOption(new Option('--kind <kind>', 'sponsor: company or event').choices(['company', 'event']))
    .option('--url <url>', 'sponsor or reference: its address ("" for none)', schemaValue('--url', SponsorInput.shape.url))
    .option('--logo <file>', 'sponsor: a new logo in place of the old one')
    .option('--no-logo', 'sponsor: take its logo away')
    .option('--role <role>', 'committee role: the role ("" for none)')
    .option('--title <title>', 'reference: its title')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(
      async (
        year: string,
        part: (typeof PARTS)[number],
        id: string,
        opts: { name?: string; kind?: 'company' | 'event'; url?: string; logo?: string | false; role?: string; title?: string; series?: string; json?: boolean },
      ) => {
        if (logoFlags.size > 1) throw new UsageError('--logo', 'give --logo or --no-logo, not both');
        // An option of another part (--role of a sponsor) is bad usage, by the domain's own rule, before the database is opened.
        const given = { name: opts.name, kind: opts.kind, url: opts.url, logo: typeof opts.logo === 'string' ? opts.logo : undefined, removeLogo: opts.logo === false, role: opts.role, title: opts.title };
        const stray = Object.entries(strayPartChanges(part, given));
        const flag = (field: string) => PART_FLAGS[field] ?? field;
        if (stray.length) throw new UsageError(flag(stray[0]![0]), stray.map(([field, why], i) => (i === 0 ? why : `${flag(field)}: ${why}`)).join('; '));
        // No change at all is a mistake of the command, as for `edition update`: bad usage naming what would change the part.
        if (!Object.values(given).some((v) => v !== undefined && v !== false)) {
          const flags = PART_FIELDS[part].map(flag);
          throw new UsageError(flags[0]!, `give ${orList(flags)}: what to change`);
        }
        return withDb(async ({ db }, config) => {
          const partId = idArgument(id, 'id', PART_ID);
          const logo = typeof opts.logo === 'string' ? (await readUpload(opts.logo, config.maxUploadBytes, '--logo')).bytes : undefined;
          const r = await updateEditionPart({ db, filesDir: config.filesDir }, cliActor(), await editionRefOf(db, config, year, opts), part, partId, {
            name: opts.name,
            kind: opts.kind,
            url: opts.url,
            logo,
            removeLogo: opts.logo === false,
            role: opts.role,
            title: opts.title,
          });
          output(opts.json, { part, id: partId, ...r }, () => [r.changed ? `updated ${part} #${partId}: ${r.updated}` : `nothing changed in ${part} #${partId}: ${r.updated}`]);
        });
      },
    );
  cmd
    .command('remove-part')
    .description('Remove a sponsor, committee role or reference (ids from `edition parts`).')
    .argument('<year>')
    .addArgument(new Argument('<part>', 'what it is').choices(PARTS))
    .addArgument(new Argument('<id>').argParser(idValue('id', PART_ID)))
    .addOption(seriesOption())
    .action(async (year: string, part: (typeof PARTS)[number], id: string, opts: { series?: string }) =>
      withDb(async ({ db }, config) => {
        const { removed } = await removeEditionPart({ db, filesDir: config.filesDir }, cliActor(), await editionRefOf(db, config, year, opts), part, idArgument(id, 'id', PART_ID));
        console.log(`removed ${part} #${id}: ${removed}`);
      }),
    );
}
