/**
 * `conclave schedule`: the schedule builder from a terminal — show (with conflicts), add, edit,
 * move, remove, day hours, remove a day, check what publishing would refuse, publish, the public
 * changelog, and the schedule files (schedule-export.ts). Same domain calls as the web page.
 */
import { Argument, Command, Option } from 'commander';
import type { Db } from '../db/connect.js';
import { Conflict, InvalidForm, InvalidInput } from '../domain/errors.js';
import { loadSchedule, SLOT_KINDS, type BuilderSlot, type ScheduleState } from '../domain/program/schedule.js';
import { dayName } from '../domain/program/schedule-names.js';
import { addSlot, moveSlot, removeDay, hiddenMaterialsSentence, removeSlot, setDay, updateSlot, type SlotInput, dayBound } from '../domain/program/schedule-edit.js';
import { checkPublication, previewPublication, publishSchedule, publicationMailSentence, type PublicationCheck, type PublicationPreview } from '../domain/program/schedule-publish.js';
import { sendNoticesNow } from '../domain/program/schedule-notices.js';
import { listChanges } from '../domain/program/schedule-changelog.js';
import { speakersNamed } from '../domain/program/person-named.js';
import { refusalsOf, refusalsSentence, refusalWords, type PublishRefusal } from '../domain/program/publication.js';
import { topicByNumber } from '../domain/program/topics.js';
import { cliActor, idArgument, idValue, invitationDeps, output, table, withDb, yearArgument } from './context.js';
import { hanging } from './table.js';
import { utcMinuteZoned } from '../domain/invitations/dates.js';
import { LAST_SLOT_MINUTES, minutes, OPEN_END } from '../domain/program/conflicts.js';
import { scheduleExportCommand } from './schedule-export.js';
import { editionRefOf, seriesAgain, seriesOf, seriesOption } from './series-option.js';
import { dateValue, minutesValue, schemaValue, topicNumber, UsageError } from './usage-error.js';

/** A time of day as typed ("9:30", "24:00" for the end of a day), by the domain's schema. */
const timeValue = (field: string) => schemaValue(field, dayBound);

interface Common {
  series?: string;
  json?: boolean;
}

interface SlotOpts extends Common {
  date?: string;
  start?: string;
  end?: string;
  length?: string;
  kind?: string;
  title?: string;
  topic?: string;
  speaker?: string[];
  room?: string;
}



const NOT_A_SLOT = 'is not a slot number (see conclave schedule show)';

function slotIdOf(id: string): number {
  return idArgument(id, 'slot', NOT_A_SLOT);
}

/** A slot named as SLOT or by --after or --before: checked as the command line is read. */
const slotValue = (field: string) => idValue(field, NOT_A_SLOT);

/** --since of `schedule changes`, checked as the command line is read. */
function changeNumberOf(n: string): number {
  const v = Number(n.replace(/^#/, ''));
  if (!/^#?\d{1,9}$/.test(n) || !Number.isInteger(v) || v < 0) throw new UsageError('--since', `"${n}" is not a change number such as 3 (see conclave schedule changes)`);
  return v;
}

/** A slot as `schedule show --json` gives it (personId, topicNumber…), for add, edit and move. */
function shownSlot(s: ScheduleState, id: number): BuilderSlot {
  const slot = s.slots.find((x) => x.id === id);
  if (!slot) throw new Error(`slot ${id} is not in the schedule it was just written to`);
  return slot;
}

function withSlotOptions(cmd: Command): Command {
  return cmd
    .option('--date <YYYY-MM-DD>', 'the day', dateValue('--date'))
    .option('--start <HH:MM>', 'start time', timeValue('--start'))
    .option('--end <HH:MM>', 'end time', timeValue('--end'))
    .option('--length <minutes>', 'length instead of an end', minutesValue('--length'))
    .addOption(new Option('--kind <kind>', 'what the slot is (default: talk)').choices(SLOT_KINDS))
    .option('--title <text>', 'free title (empty for a topic: its title is shown)')
    .option('--topic <number>', 'an accepted topic, by its number in the edition (see conclave topics list)', topicNumber('--topic', true))
    .option(
      '--speaker <who>',
      "a speaker, in order: a name, slug or address, the #id of their invitation (conclave invite list) or their person #id (schedule show --json); repeat for several; '' alone for none (a topic's slot: its presenters)",
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--room <name>', 'room')
    .addOption(seriesOption())
    .option('--json', 'print as JSON');
}

/** The topic `--topic` names by its number in the edition; an empty `--topic ''` takes it off. */
async function topicOption(handle: Db, state: ScheduleState, given: string | undefined): Promise<number | null | undefined> {
  if (given === undefined) return undefined;
  if (given.trim() === '') return null;
  return (await topicByNumber({ db: handle.db }, state.edition, given, '--topic')).id;
}

/** The slot the options describe; on edit, what is not given stays as it is. */
async function slotInput(handle: Db, state: ScheduleState, o: SlotOpts, topicId: number | null | undefined, current?: BuilderSlot): Promise<SlotInput> {
  const missing = (name: string) => new InvalidInput(name, 'is required');
  const date = o.date ?? current?.date;
  const start = o.start ?? current?.start;
  const kind = o.kind ?? current?.kind ?? 'talk';
  if (!date) throw missing('--date');
  if (!start) throw missing('--start');
  const keepEnd = o.end === undefined && o.length === undefined;
  return {
    date,
    start,
    end: o.end ?? (keepEnd ? (current?.end ?? undefined) : undefined),
    lengthMinutes: o.length as unknown as number,
    kind: kind as SlotInput['kind'],
    title: o.title ?? current?.title ?? '',
    topicId: topicId === undefined ? (current?.topicId ?? null) : topicId,
    // An empty --speaker is the web form's "(none)": given alone, nobody (a topic's slot: its presenters).
    speakerIds: o.speaker
      ? await speakersNamed({ db: handle.db }, state, o.speaker.filter((v) => v.trim() !== ''), '--speaker')
      : (current?.speakers.map((s) => s.personId) ?? []),
    room: o.room ?? current?.room ?? '',
  };
}

/** A slot as saved, on one line: day, time (to the end it has, or the one it is read to have), kind, title, speakers, room. */
function slotLine(x: BuilderSlot): string {
  const topic = x.topicNumber !== null ? `, topic #${x.topicNumber}` : '';
  const speakers = x.speakers.length ? `; speakers ${x.speakers.map((p) => p.name).join(', ')}` : '';
  return `${x.date} ${x.start}–${x.end ?? x.effectiveEnd} “${x.label}” (${x.kind}${topic})${speakers}${x.room ? `; room ${x.room}` : ''}`;
}

/**
 * Where an added slot's end came from, when --end did not give it: --length, the length its
 * topic's proposers wished, or none at all (the slot then lasts until the next one, or 30
 * minutes as the day's last: what `schedule show` says beside it). Nothing when --end gave it.
 */
function endSource(s: ScheduleState, x: BuilderSlot, o: SlotOpts): string[] {
  if (o.end !== undefined) return [];
  if (o.length !== undefined) return [`end ${x.end}: ${o.length} minutes after the start (--length)`];
  const topic = s.topics.find((t) => t.id === x.topicId);
  if (x.end !== null && topic?.wishedMinutes != null) {
    return [`end ${x.end}: the ${topic.wishedMinutes} minutes the proposers of topic #${topic.number} wished (no --end or --length given)`];
  }
  if (x.end !== null) return [`end ${x.end}`];
  const why =
    x.endNote === OPEN_END.untilNext
      ? `it ends where the next slot starts, ${x.effectiveEnd} now`
      : x.endNote === OPEN_END.lastSlot
        ? `it counts as ${LAST_SLOT_MINUTES} minutes (to ${x.effectiveEnd}) while no slot follows it that day`
        : `${x.endNote ?? 'read as'} (${x.effectiveEnd} now)`;
  return [`no end saved (no --end or --length given): ${why}; schedule edit --end gives it one`];
}

/**
 * The width `schedule show` fits its days' tables to: the terminal's, else 80. A row whole (the
 * time with its note, a title, its speakers, the room) runs to 170 columns and more; piped to a
 * pager or into a mail it is wrapped as on a terminal. Scripts have --json.
 */
function showWidth(): number {
  return process.stdout.isTTY ? process.stdout.columns || 80 : 80;
}

/** What `schedule show` prints: each day's slots as a table `width` columns wide at most, times' notes, titles and speakers wrapped under their columns; the conflicts; topics not yet placed. */
function showLines(s: ScheduleState, width = showWidth()): string[] {
  const lines = [`${s.edition.title} — schedule ${s.edition.status}${s.edition.publishedAt ? ` (published ${s.edition.publishedAt.toISOString().slice(0, 10)})` : ''}`];
  for (const day of s.days) {
    lines.push('', `${dayName(day)} (${day.start}–${day.end})${day.inEdition ? '' : ' — not among the edition’s dates'}`);
    const slots = s.slots.filter((x) => x.date === day.date);
    if (slots.length === 0) {
      lines.push(day.inEdition ? '  (no slots)' : `  (no slots: conclave schedule remove-day ${s.edition.year} ${day.date} removes it)`);
      continue;
    }
    const rows = slots.map((x) => [
      `#${x.id}`,
      `${x.start}–${x.end ?? x.effectiveEnd}${x.endNote ? ` (${x.endNote})` : ''}`,
      x.kind,
      x.label,
      x.speakers.map((p) => p.name).join(', '),
      x.room ?? '',
      s.conflicts.some((c) => c.slotIds.includes(x.id)) ? '!' : '',
    ]);
    // Indented by two: the table has two columns less. The time's note, titles and speakers wrap, nothing of them cut.
    lines.push(...table([['SLOT', 'TIME', 'KIND', 'TITLE', 'SPEAKERS', 'ROOM', ''], ...rows], width - 2, [1, 3, 4]).map((l) => `  ${l}`));
  }
  lines.push('');
  if (s.conflicts.length === 0) lines.push('No conflicts.');
  // As the table: the terminal's width, or 80 columns piped; each wrapped under its own start.
  else lines.push(`${s.conflicts.length} conflict${s.conflicts.length === 1 ? '' : 's'}:`, ...s.conflicts.flatMap((c) => hanging('  ! ', c.message, width)));
  const unscheduled = s.topics.filter((t) => t.scheduledIn.length === 0);
  if (unscheduled.length) lines.push('', 'Accepted topics not scheduled yet:', ...unscheduled.flatMap((t) => hanging(`  topic #${t.number}: `, `${t.title} (${t.presenters.map((p) => p.name).join(', ')})`, width)));
  return lines;
}

/**
 * What the command line adds to a refusal of `schedule publish` (publication.ts): how to fix it or
 * publish anyway, in its own options' words. `again` is the --series to repeat (seriesAgain).
 */
function publishHow(reason: PublishRefusal['reason'], year: string, again: string): string {
  if (reason === 'conflicts') return ' — fix them, or publish anyway with --force';
  if (reason === 'no-time-zone') return `; set one with \`conclave edition update ${year}${again} --time-zone ZONE\` (such as Europe/Berlin), or publish anyway with --floating-times`;
  return '';
}

/**
 * `schedule check`: one line when publishing would go through; else what would refuse it, each
 * reason as `schedule publish` words it, the conflicts one a line as `schedule show` lists them.
 * `statusHow` is added to the status reason (checkFinalHow).
 */
function checkLines(c: PublicationCheck, year: string, again: string, statusHow = ''): string[] {
  const as = `the schedule of ${c.edition.title}`;
  if (c.refusals.length === 0) return [`${as} is fit to publish as ${c.to}: nothing would refuse it`];
  return [
    `${as} would not be published as ${c.to}:`,
    ...c.refusals.flatMap((r) =>
      r.reason === 'conflicts'
        ? [`${r.conflicts.length} conflict${r.conflicts.length === 1 ? '' : 's'}${publishHow(r.reason, year, again)}:`, ...r.conflicts.map((x) => `  ! ${x.message}`)]
        : [refusalWords(r, (reason) => (reason === 'status' ? statusHow : publishHow(reason, year, again)))],
    ),
  ];
}

/**
 * Whether all `schedule check` (without --final) finds is that the schedule is tentative already:
 * publish's refusal, so still exit code 1, but what the user likely means to ask is whether it
 * may be made final (checkFinalHow).
 */
function onlyTentativeAlready(c: PublicationCheck): boolean {
  return c.to === 'tentative' && c.edition.status === 'tentative' && c.refusals.every((r) => r.reason === 'status');
}

/** What checkLines adds to the status reason then: the command that checks marking it final, with the options given. */
function checkFinalHow(year: string, again: string, floatingTimes: boolean): string {
  return `; to check marking it final, run \`conclave schedule check ${year}${again} --final${floatingTimes ? ' --floating-times' : ''}\``;
}

/**
 * `schedule publish --dry-run`: whether it would publish (else checkLines' reasons), whether for
 * the first time, and whom its mail would go to and whom it could not tell, in the words of
 * publicationMailSentence and of the web's publish form; and that nothing was written.
 */
function dryRunLines(p: PublicationPreview, year: string, again: string): string[] {
  const m = p.mail;
  const what = m?.key === 'schedule-final' ? 'that it is final' : 'that it is published';
  const mail =
    m === null
      ? []
      : m.told.length === 0
        ? [`No one to tell: ${m.nobodyBecause ?? 'no speaker'}; nothing would be mailed.`]
        : [
            `would mail ${m.told.length === 1 ? 'the speaker' : `${m.told.length} speakers`} ${what}, with where they are on it (${m.key}):`,
            ...m.told.map((t) => `  ${t.name} <${t.address}>`),
            ...(m.untold.length ? ['not mailed, as no address of theirs is known:', ...m.untold.map((n) => `  ${n}`)] : []),
          ];
  return [
    ...(p.refusals.length ? checkLines(p, year, again) : [`the schedule of ${p.edition.title} would be published as ${p.to}`]),
    p.firstPublication ? 'its first publication' : `published here before${m === null ? ': publishing again mails nobody' : ''}`,
    ...mail,
    'nothing was written (--dry-run)',
  ];
}

export function scheduleCommand(): Command {
  const cmd = new Command('schedule').description('The schedule of an edition: show, add, edit, move, remove, day, remove-day, check, publish, notify, changes, export.');
  const common = (c: Command) => c.addOption(seriesOption()).option('--json', 'print as JSON');

  common(cmd.command('show').description('Show the days, slots and conflicts.').argument('<year>')).action(async (year: string, o: Common) =>
    withDb(async (handle, config) => {
      const s = await loadSchedule({ db: handle.db }, await editionRefOf(handle.db, config, year, o));
      output(o.json, s, () => showLines(s));
    }),
  );

  withSlotOptions(cmd.command('add').description('Add a slot (a topic brings its presenters as speakers).').argument('<year>')).action(
    async (year: string, o: SlotOpts) => {
      // A new slot's day and start are the command's to give: bad usage, before the database is opened.
      if (o.date === undefined) throw new UsageError('--date', 'is required');
      if (o.start === undefined) throw new UsageError('--start', 'is required');
      return withDb(async (handle, config) => {
        const ref = await editionRefOf(handle.db, config, year, o);
        const state = await loadSchedule({ db: handle.db }, ref);
        const slot = await addSlot((await invitationDeps(handle, config)), cliActor(), ref, await slotInput(handle, state, o, await topicOption(handle, state, o.topic)));
        const after = await loadSchedule({ db: handle.db }, ref);
        const shown = shownSlot(after, slot.id);
        output(o.json, { slot: shown, conflicts: after.conflicts.filter((c) => c.slotIds.includes(slot.id)) }, () => [
          `added slot #${slot.id}: ${slotLine(shown)}`,
          ...endSource(after, shown, o),
          ...after.conflicts.filter((c) => c.slotIds.includes(slot.id)).map((c) => `! ${c.message}`),
        ]);
      });
    },
  );

  withSlotOptions(cmd.command('edit').description('Change a slot; options not given stay as they are.').argument('<year>').addArgument(new Argument('<slot>').argParser(slotValue('slot')))).action(
    async (year: string, id: string, o: SlotOpts) => {
      // No option at all is a mistake of the command, not a change of nothing: bad usage, before the database is opened.
      if ([o.date, o.start, o.end, o.length, o.kind, o.title, o.topic, o.speaker, o.room].every((v) => v === undefined)) {
        throw new UsageError('--start', 'give --date, --start, --end, --length, --kind, --title, --topic, --speaker or --room: what to change');
      }
      return withDb(async (handle, config) => {
        const ref = await editionRefOf(handle.db, config, year, o);
        const state = await loadSchedule({ db: handle.db }, ref);
        const current = state.slots.find((s) => s.id === slotIdOf(id));
        if (!current) throw new InvalidInput('slot', `there is no slot ${id} in ${state.edition.title}`);
        const slot = await updateSlot((await invitationDeps(handle, config)), cliActor(), ref, current.id, { ...(await slotInput(handle, state, o, await topicOption(handle, state, o.topic), current)), version: current.version }).catch((err: unknown) => {
          // A new start alone past the old end: what was meant is most likely a move.
          if (err instanceof InvalidForm && err.fields.end && o.start !== undefined && o.end === undefined && o.length === undefined) {
            throw new InvalidForm({
              ...err.fields,
              end: `${err.fields.end}; the slot keeps its end (${current.end ?? 'none'}) unless given: to move it keeping its length, use conclave schedule move ${year} ${current.id} --start ${o.start}`,
            });
          }
          throw err;
        });
        // As add and move: the conflicts the slot is in now, which a publication would refuse.
        const after = await loadSchedule({ db: handle.db }, ref);
        const mine = after.conflicts.filter((c) => c.slotIds.includes(slot.id));
        // A new start alone that made the slot longer or shorter: said, as it may have been meant as a move.
        const length = (x: { start: string; end: string | null }) => (x.end === null ? null : minutes(x.end) - minutes(x.start));
        const resized = o.start !== undefined && o.end === undefined && o.length === undefined && length(current) !== null && length(slot) !== length(current);
        output(o.json, { slot: shownSlot(after, slot.id), conflicts: mine }, () => [
          `saved slot #${slot.id}: ${slot.date} ${slot.start}${slot.end ? `–${slot.end}` : ''} ${slot.title}`,
          ...(resized
            ? [`note: it kept its end, so it now lasts ${length(slot)} minutes instead of ${length(current)}; to move it keeping its length: conclave schedule move ${year} ${slot.id} --start ${slot.start}`]
            : []),
          ...mine.map((c) => `! ${c.message}`),
        ]);
      });
    },
  );

  common(
    cmd
      .command('move')
      .description(
        'Move a slot to another time or day, or next to another slot as a drag in the builder does; it keeps its length (the time that passes).',
      )
      .argument('<year>')
      .addArgument(new Argument('<slot>').argParser(slotValue('slot')))
      .option('--date <YYYY-MM-DD>', 'the new day (with --start, default: the same day; alone: the top of that day)', dateValue('--date'))
      .option('--start <HH:MM>', 'the new start; without it, --after, --before or --date say where the slot goes', timeValue('--start'))
      .option('--after <slot>', 'right after this slot, starting where it ends (with --start: after it among slots starting then)', slotValue('--after'))
      .option('--before <slot>', 'right before this slot, ending where it starts but not before its day starts (with --start: before it among slots starting then)', slotValue('--before')),
  ).action(async (year: string, id: string, o: Common & { date?: string; start?: string; before?: string; after?: string }) => {
    // Where to is the command's to say: bad usage, before the database is opened.
    if (o.start === undefined && o.date === undefined && o.before === undefined && o.after === undefined) {
      throw new UsageError('--start', 'give --start, --after SLOT, --before SLOT or --date (the top of that day)');
    }
    if (o.before !== undefined && o.after !== undefined) throw new UsageError('--after', 'give --before or --after, not both');
    return withDb(async (handle, config) => {
      const ref = await editionRefOf(handle.db, config, year, o);
      const state = await loadSchedule({ db: handle.db }, ref);
      const current = state.slots.find((s) => s.id === slotIdOf(id));
      if (!current) throw new InvalidInput('slot', `there is no slot ${id} in ${state.edition.title}`);
      const slot = await moveSlot((await invitationDeps(handle, config)), cliActor(), ref, current.id, {
        // With a start, the same day unless told; without, the day of the slot named, or the one given.
        date: o.date ?? (o.start !== undefined ? current.date : undefined),
        start: o.start,
        beforeSlotId: o.before ? idArgument(o.before, '--before', NOT_A_SLOT) : null,
        afterSlotId: o.after ? idArgument(o.after, '--after', NOT_A_SLOT) : null,
      });
      const after = await loadSchedule({ db: handle.db }, ref);
      const mine = after.conflicts.filter((c) => c.slotIds.includes(slot.id));
      output(o.json, { slot: shownSlot(after, slot.id), conflicts: mine }, () => [`moved slot #${slot.id} to ${slot.date} ${slot.start}${slot.end ? `–${slot.end}` : ''}`, ...mine.map((c) => `! ${c.message}`)]);
    });
  });

  common(cmd.command('remove').description('Remove a slot.').argument('<year>').addArgument(new Argument('<slot>').argParser(slotValue('slot')))).action(async (year: string, id: string, o: Common) =>
    withDb(async (handle, config) => {
      const slot = await removeSlot((await invitationDeps(handle, config)), cliActor(), await editionRefOf(handle.db, config, year, o), slotIdOf(id));
      const hidden = hiddenMaterialsSentence(slot.materialsHidden);
      output(o.json, slot, () => [`removed slot #${slot.id} (${slot.title})`, ...(hidden ? [hidden] : [])]);
    }),
  );

  common(
    cmd
      .command('day')
      .description('Set the hours (and label) of a day.')
      .argument('<year>')
      .addArgument(new Argument('<date>').argParser(dateValue('date')))
      .option('--start <HH:MM>', 'when the day starts', timeValue('--start'))
      .option('--end <HH:MM>', 'when it ends', timeValue('--end'))
      .option('--label <text>', 'how the day is named'),
  ).action(async (year: string, date: string, o: Common & { start?: string; end?: string; label?: string }) =>
    withDb(async (handle, config) => {
      const ref = await editionRefOf(handle.db, config, year, o);
      const d = await setDay((await invitationDeps(handle, config)), cliActor(), ref, { date, start: o.start, end: o.end, label: o.label });
      // As add, edit and move: the conflicts its slots are in now (new hours may leave one outside).
      const after = await loadSchedule({ db: handle.db }, ref);
      const mine = new Set(after.slots.filter((x) => x.date === d.date).map((x) => x.id));
      const conflicts = after.conflicts.filter((c) => c.slotIds.some((id) => typeof id === 'number' && mine.has(id)));
      output(o.json, { day: d, conflicts }, () => [`${dayName(d)}: ${d.start}–${d.end}`, ...conflicts.map((c) => `! ${c.message}`)]);
    }),
  );

  common(
    cmd
      .command('remove-day')
      .description('Remove a day that holds no slot: one outside the edition’s dates goes, one among them gets the default hours again.')
      .argument('<year>')
      .addArgument(new Argument('<date>').argParser(dateValue('date'))),
  ).action(async (year: string, date: string, o: Common) =>
    withDb(async (handle, config) => {
      const d = await removeDay((await invitationDeps(handle, config)), cliActor(), await editionRefOf(handle.db, config, year, o), { date });
      output(o.json, { date, day: d }, () => [d ? `${d.label}: ${d.start}–${d.end}` : `removed ${date} from the schedule`]);
    }),
  );

  common(
    cmd
      .command('publish')
      .description(
        'Publish the schedule as tentative, or with --final mark it final. The first publication mails each speaker on the schedule where they are (template schedule-published); marking a tentative schedule final mails each of them that it is final, with their slots (schedule-final). A speaker with no address known is not mailed, and the command names them; with no speaker on the schedule, nobody is, and the command says so.',
      )
      .argument('<year>')
      .option('--final', 'mark it final, mailing each speaker on the schedule that it is')
      .option('--force', 'publish despite conflicts')
      .option('--floating-times', 'publish though the edition has no time zone')
      .option('--dry-run', 'say what publishing would do, whom it would mail and what would refuse it (exit code 1), writing nothing'),
  ).action(async (year: string, o: Common & { final?: boolean; force?: boolean; floatingTimes?: boolean; dryRun?: boolean }) =>
    withDb(async (handle, config) => {
      const series = await seriesOf(handle.db, config, o);
      if (o.dryRun) {
        const p = await previewPublication({ db: handle.db }, { series, year: yearArgument(year) }, { final: !!o.final, force: !!o.force, floatingTimes: !!o.floatingTimes });
        if (p.refusals.length > 0) process.exitCode = 1;
        const again = p.refusals.some((r) => r.reason === 'no-time-zone') ? await seriesAgain(handle.db, series) : '';
        return output(o.json, { ...p, fit: p.refusals.length === 0 }, () => dryRunLines(p, year, again));
      }
      const e = await publishSchedule((await invitationDeps(handle, config)), cliActor(), { series, year: yearArgument(year) }, { final: !!o.final, force: !!o.force, floatingTimes: !!o.floatingTimes }).catch(async (err: unknown) => {
        // Every reason at once, each as `schedule check` words it.
        const refusals = refusalsOf(err);
        if (refusals === null) throw err;
        const again = refusals.some((r) => r.reason === 'no-time-zone') ? await seriesAgain(handle.db, series) : '';
        throw new Conflict(refusalsSentence(refusals, (reason) => publishHow(reason, year, again)));
      });
      output(o.json, e, () => [`the schedule of ${e.title} is ${e.status}`, publicationMailSentence(e.mailed)]);
    }),
  );

  common(
    cmd
      .command('check')
      .description(
        'Say whether `schedule publish` would publish the schedule, with --final and --floating-times as it takes them, or what it would refuse and why: its status, its conflicts (one a line, as show lists them; always reported: check has no --force), no slots, no time zone. Nothing is written. Exit code 1 when publishing would be refused, for a script or a cron job.',
      )
      .argument('<year>')
      .option('--final', 'check marking it final, as publish --final')
      .option('--floating-times', 'as publish --floating-times: a missing time zone is no refusal'),
  ).action(async (year: string, o: Common & { final?: boolean; floatingTimes?: boolean }) =>
    withDb(async (handle, config) => {
      const series = await seriesOf(handle.db, config, o);
      const c = await checkPublication({ db: handle.db }, { series, year: yearArgument(year) }, { final: !!o.final, floatingTimes: !!o.floatingTimes });
      if (c.refusals.length > 0) process.exitCode = 1;
      const finalInstead = onlyTentativeAlready(c);
      const again = finalInstead || c.refusals.some((r) => r.reason === 'no-time-zone') ? await seriesAgain(handle.db, series) : '';
      output(o.json, { ...c, fit: c.refusals.length === 0 }, () => checkLines(c, year, again, finalInstead ? checkFinalHow(year, again, !!o.floatingTimes) : ''));
    }),
  );

  common(
    cmd
      .command('notify')
      .description('Send the waiting change notices to speakers now (they otherwise wait 10 minutes for more changes).')
      .argument('<year>'),
  ).action(async (year: string, o: Common) =>
    withDb(async (handle, config) => {
      const n = await sendNoticesNow((await invitationDeps(handle, config)), cliActor(), await editionRefOf(handle.db, config, year, o));
      output(o.json, { notices: n }, () => [
        n === 0 ? 'no change notices were waiting' : `${n} change notice${n === 1 ? '' : 's'} due now: the server sends them, or run conclave mail send`,
      ]);
    }),
  );

  common(
    cmd.command('changes').description('The public changelog of a published schedule, newest first.').argument('<year>').option('--since <n>', 'only changes after number n of this changelog', (n: string) => {
      changeNumberOf(n);
      return n;
    }),
  ).action(async (year: string, o: Common & { since?: string }) =>
    withDb(async (handle, config) => {
      const changes = await listChanges({ db: handle.db }, await editionRefOf(handle.db, config, year, o), o.since ? { since: changeNumberOf(o.since) } : {});
      output(o.json, changes, () =>
        changes.length === 0 ? ['no changes'] : changes.map((c) => `#${c.number}  ${utcMinuteZoned(c.created_at)}  ${c.summary}`),
      );
    }),
  );

  cmd.addCommand(scheduleExportCommand());
  return cmd;
}
