/**
 * `conclave schedule` from a terminal: add (refusing a wrong slot with the field named), show with
 * conflicts, move, publish (refused while conflicts remain, then forced), and the changelog; days
 * that hold no slot, removed or exported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openDb } from '../../src/db/connect.js';
import { runCommand } from '../support/cli-in-process.js';
import { commandData } from '../support/db.js';

/**
 * Runs `conclave …` in this process (the executable itself is tested in test/cli.test.ts): a
 * process per command would spend most of its time starting. Returns what it printed.
 */
const conclave = runCommand;

/**
 * The first day's slots as `schedule show` prints them, as a reader reads them: each cell whole,
 * the lines it is wrapped onto under its column joined by a space; and the table's widest line
 * and number of lines.
 */
/**
 * The items `schedule show` lists after `heading` (a line matching it), each starting with `mark`
 * and wrapped under its own text: each item whole, its lines joined.
 */
function shownItems(stdout: string, heading: RegExp, mark: RegExp): string[] {
  const lines = stdout.split('\n');
  const out: string[] = [];
  for (const l of lines.slice(lines.findIndex((x) => heading.test(x)) + 1)) {
    if (mark.test(l)) out.push(l.replace(mark, ''));
    else if (out.length && /^ {4,}\S/.test(l)) out[out.length - 1] += ` ${l.trim()}`;
    else if (out.length) break;
  }
  return out;
}

function shownSlots(stdout: string): { width: number; lines: number; slots: string[][] } {
  const lines = stdout.split('\n');
  const head = lines.findIndex((l) => l.startsWith('  SLOT '));
  const rows = lines.slice(head, lines.indexOf('', head));
  const at = ['SLOT', 'TIME', 'KIND', 'TITLE', 'SPEAKERS', 'ROOM'].map((h) => rows[0]!.indexOf(h));
  const slots: string[][] = [];
  for (const line of rows.slice(1)) {
    const cells = at.map((from, i) => line.slice(from, at[i + 1]).trim());
    if (cells[0] !== '') slots.push(cells);
    else slots[slots.length - 1] = slots[slots.length - 1]!.map((c, i) => [c, cells[i]].filter(Boolean).join(' '));
  }
  return { width: Math.max(...rows.map((l) => l.length)), lines: rows.length, slots };
}

describe('conclave schedule', () => {
  it('builds, shows, moves and publishes a schedule', async () => {
    const env = { ...(await commandData('conclave-sched-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2027-07-14', '--end', '2027-07-15'], env)).code).toBe(0);

    const bad = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '10:00', '--end', '09:00', '--title', 'Oops'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('end: must be after the start (10:00)');
    const unknown = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '10:00', '--title', 'X', '--speaker', 'Nobody Here'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--speaker: "Nobody Here" is neither invited to Netconf 2027 nor on its schedule (give a name, a slug, #id or an address;');

    // A length too long for the day is refused as --length, the option given, not by the form's name.
    const tooLong = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '23:00', '--length', '120', '--title', 'Late'], env);
    expect(tooLong.stderr).toBe('conclave: --length: the slot would end after midnight\n');
    const lunch = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '12:00', '--length', '60', '--kind', 'meal', '--title', 'Lunch', '--room', 'Terrace', '--json'], env);
    expect(lunch.code, lunch.stderr).toBe(0);
    const lunchSlot = JSON.parse(lunch.stdout) as { slot: { id: number; end: string } };
    expect(lunchSlot.slot.end).toBe('13:00');
    const talk = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '12:30', '--end', '13:00', '--title', 'Working lunch talk', '--room', 'Main', '--json'], env);
    expect(talk.code, talk.stderr).toBe(0);
    const talkId = (JSON.parse(talk.stdout) as { slot: { id: number } }).slot.id;

    const shown = await conclave(['schedule', 'show', '2027'], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Wednesday, July 14, 2027 (08:00–20:00)');
    expect(shown.stdout).toMatch(new RegExp(`#${lunchSlot.slot.id}\\s+12:00–13:00\\s+meal\\s+Lunch`));
    expect(shown.stdout).toContain('Thursday, July 15, 2027 (08:00–20:00)');
    expect(shown.stdout).toContain('No conflicts.');

    // Putting the lunch in the talk's room makes them overlap there (without a room it would be
    // there too: in the one room the talks name).
    // A new start alone past the old end points to `schedule move`.
    const late = await conclave(['schedule', 'edit', '2027', String(lunchSlot.slot.id), '--start', '13:30'], env);
    expect(late.code).toBe(1);
    expect(late.stderr).toBe(
      `conclave: --end: must be after the start (13:30); the slot keeps its end (13:00) unless given: to move it keeping its length, use conclave schedule move 2027 ${lunchSlot.slot.id} --start 13:30\n`,
    );
    // A new start alone before the end makes the slot longer: said, with the way to move it instead.
    const longer = await conclave(['schedule', 'edit', '2027', String(lunchSlot.slot.id), '--start', '11:30'], env);
    expect([longer.code, longer.stdout]).toEqual([
      0,
      `saved slot #${lunchSlot.slot.id}: 2027-07-14 11:30–13:00 Lunch\nnote: it kept its end, so it now lasts 90 minutes instead of 60; to move it keeping its length: conclave schedule move 2027 ${lunchSlot.slot.id} --start 11:30\n`,
    ]);
    expect((await conclave(['schedule', 'edit', '2027', String(lunchSlot.slot.id), '--start', '12:00', '--end', '13:00'], env)).stdout).toBe(`saved slot #${lunchSlot.slot.id}: 2027-07-14 12:00–13:00 Lunch\n`);
    const clash = await conclave(['schedule', 'edit', '2027', String(lunchSlot.slot.id), '--room', 'main'], env);
    expect([clash.code, clash.stdout]).toEqual([0, `saved slot #${lunchSlot.slot.id}: 2027-07-14 12:00–13:00 Lunch\n! Room “main” holds two overlapping slots on 2027-07-14: 12:00–13:00 “Lunch” and 12:30–13:00 “Working lunch talk”\n`]);
    const refused = await conclave(['schedule', 'publish', '2027'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the schedule has 1 conflict: Room “main” holds two overlapping slots');
    // The missing time zone too, at once.
    expect(refused.stderr).toMatch(/ — fix them, or publish anyway with --force; and Netconf 2027 has no time zone: .*, or publish anyway with --floating-times\n$/);

    const moved = await conclave(['schedule', 'move', '2027', String(talkId), '--date', '2027-07-15', '--start', '09:00', '--json'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ slot: { date: '2027-07-15', start: '09:00', end: '09:30' }, conflicts: [] });
    // The slot as `schedule show --json` gives it, speakers by personId, the topic by its number.
    const showSlot = (JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { slots: { id: number }[] }).slots.find((x) => x.id === talkId);
    expect((JSON.parse(moved.stdout) as { slot: unknown }).slot).toEqual(showSlot);
    // No time zone: refused, saying how to set one, or to publish with floating times.
    const zoneless = await conclave(['schedule', 'publish', '2027', '--force'], env);
    expect([zoneless.code, zoneless.stderr]).toEqual([
      1,
      'conclave: Netconf 2027 has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in; set one with `conclave edition update 2027 --time-zone ZONE` (such as Europe/Berlin), or publish anyway with --floating-times\n',
    ]);
    expect((await conclave(['schedule', 'show', '2027'], env)).stdout).toMatch(/^Netconf 2027 — schedule planned\n/);
    // Nobody to mail, said before publishing as after.
    expect((await conclave(['schedule', 'publish', '2027', '--floating-times', '--dry-run'], env)).stdout).toBe(
      'the schedule of Netconf 2027 would be published as tentative\nits first publication\nNo one to tell: no slot names a speaker, and Netconf 2027 has no accepted invitee; nothing would be mailed.\nnothing was written (--dry-run)\n',
    );
    const pub = await conclave(['schedule', 'publish', '2027', '--floating-times'], env);
    expect(pub.code, pub.stderr).toBe(0);
    // Nobody invited, nobody speaking: said, rather than nothing.
    expect(pub.stdout).toBe('the schedule of Netconf 2027 is tentative\nNo one to tell: no slot names a speaker, and Netconf 2027 has no accepted invitee; nothing was mailed.\n');

    expect((await conclave(['schedule', 'move', '2027', String(talkId), '--start', '10:00'], env)).code).toBe(0);
    // Only its end changed: it did not move, it got longer.
    expect((await conclave(['schedule', 'edit', '2027', String(talkId), '--end', '11:15'], env)).code).toBe(0);
    const changes = await conclave(['schedule', 'changes', '2027', '--json'], env);
    expect((JSON.parse(changes.stdout) as { kind: string; summary: string }[]).map((c) => [c.kind, c.summary])).toEqual([
      ['move', '“Working lunch talk” now ends at 11:15 (Thursday 10:00–11:15, was 10:00–10:30)'],
      ['move', '“Working lunch talk” moved from Thursday 09:00–09:30 to Thursday 10:00–10:30'],
      ['publish', 'The schedule is published (tentative).'],
    ]);
    // The times name their zone, as the web changelog's do.
    const listed = (await conclave(['schedule', 'changes', '2027'], env)).stdout.split('\n');
    expect(listed[0]).toMatch(/^#3  \d{4}-\d\d-\d\d \d\d:\d\d UTC  “Working lunch talk” now ends at 11:15 /);
    expect(listed.filter((l) => / UTC  /.test(l))).toHaveLength(3);
  });

  it('takes a slot’s speakers off with an empty --speaker, as the web form’s “(none)”', async () => {
    const env = { ...(await commandData('conclave-sched-speakers-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--end', '2027-07-15', '--answer-by', '2027-06-01'], env)).code).toBe(0);
    expect((await conclave(['invite', 'add', '2027', 'ana@example.org', '--name', 'Ana Speaker'], env)).code).toBe(0);
    expect((await conclave(['invite', 'send', '2027'], env)).code).toBe(0);
    expect((await conclave(['invite', 'override', '1', 'accepted', '--reason', 'said yes in the hallway'], env)).code).toBe(0);
    const added = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '10:00', '--end', '10:30', '--title', 'Coffee', '--speaker', 'Ana Speaker', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const id = String((JSON.parse(added.stdout) as { slot: { id: number } }).slot.id);
    // Made a break, it has nobody speaking: the other options leave the speakers as they are.
    const edited = await conclave(['schedule', 'edit', '2027', id, '--kind', 'break', '--speaker', '', '--json'], env);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)).toMatchObject({ slot: { kind: 'break', title: 'Coffee', speakers: [] } });
    const kept = await conclave(['schedule', 'edit', '2027', id, '--room', 'Hall', '--json'], env);
    expect(JSON.parse(kept.stdout)).toMatchObject({ slot: { room: 'Hall', speakers: [] } });
  });

  it('fits `schedule show` to the terminal, or 80 columns when piped, wrapping times, titles and speakers under their columns', async () => {
    const env = { ...(await commandData('conclave-sched-width-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--end', '2027-07-15', '--answer-by', '2027-06-01'], env)).code).toBe(0);
    const names = ['Annabelle Fitzgerald', 'Bartholomew Longname', 'Constance Presenter'];
    for (const [i, name] of names.entries()) expect((await conclave(['invite', 'add', '2027', `p${i}@example.org`, '--name', name], env)).code).toBe(0);
    expect((await conclave(['invite', 'send', '2027'], env)).code).toBe(0);
    for (const id of ['1', '2', '3']) expect((await conclave(['invite', 'override', id, 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    const title = 'Programmable packet processing in the kernel fast path: what three years of XDP hardware offloads taught the drivers';
    const add = async (...args: string[]) => {
      const r = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', ...args, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { slot: { id: number } }).slot.id;
    };
    const talk = await add('--start', '10:00', '--title', title, '--room', 'Main hall', ...names.flatMap((n) => ['--speaker', n]));
    const lunch = await add('--start', '12:00', '--length', '60', '--kind', 'meal', '--title', 'Lunch');
    const slots = [
      [`#${talk}`, '10:00–12:00 (until the next slot)', 'talk', title, names.join(', '), 'Main hall'],
      [`#${lunch}`, '12:00–13:00', 'meal', 'Lunch', '', ''],
    ];

    // Piped: 80 columns, every cell whole, read back from under its column.
    const piped = await conclave(['schedule', 'show', '2027'], env);
    expect(piped.code, piped.stderr).toBe(0);
    const p = shownSlots(piped.stdout);
    expect(p.width).toBeLessThanOrEqual(80);
    expect(p.slots).toEqual(slots);
    expect(piped.stdout).not.toContain('...');

    // On a terminal: its width, here 120, in fewer lines.
    const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
    const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    Object.defineProperty(process.stdout, 'isTTY', { value: true, configurable: true });
    Object.defineProperty(process.stdout, 'columns', { value: 120, configurable: true });
    let wide: string;
    try {
      wide = (await conclave(['schedule', 'show', '2027'], env)).stdout;
    } finally {
      for (const [key, d] of [['isTTY', tty], ['columns', columns]] as const) {
        if (d) Object.defineProperty(process.stdout, key, d);
        else delete (process.stdout as unknown as Record<string, unknown>)[key];
      }
    }
    const w = shownSlots(wide);
    expect(w.width).toBeLessThanOrEqual(120);
    expect(w.width).toBeGreaterThan(80);
    expect(w.slots).toEqual(slots);
    expect(w.lines).toBeLessThan(p.lines);
  });

  it('wraps `schedule show`’s conflicts and unplaced topics at 80 columns piped, each under its own start', async () => {
    const env = { ...(await commandData('conclave-sched-wrap-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--end', '2027-07-15', '--answer-by', '2027-06-01'], env)).code).toBe(0);
    expect((await conclave(['invite', 'add', '2027', 'ana@example.org', '--name', 'Annabelle Fitzgerald'], env)).code).toBe(0);
    expect((await conclave(['invite', 'send', '2027'], env)).code).toBe(0);
    expect((await conclave(['invite', 'override', '1', 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    const long = (n: number) => `Talk ${n} about programmable packet processing in the kernel fast path and the drivers`;
    for (const [n, start] of [[1, '10:00'], [2, '10:15']] as const) {
      const r = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', start, '--length', '30', '--title', long(n), '--speaker', 'Annabelle Fitzgerald'], env);
      expect(r.code, r.stderr).toBe(0);
    }
    const topic = 'Unplaced: what three years of XDP hardware offloads taught the drivers, and what they did not';
    expect((await conclave(['topics', 'propose', '2027', '--by', 'ana@example.org', '--title', topic], env)).code).toBe(0);
    expect((await conclave(['topics', 'accept', '2027', '1', '--comment', 'ok'], env)).code).toBe(0);
    const json = JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { conflicts: { message: string }[] };
    expect(json.conflicts.length).toBeGreaterThan(0);

    const shown = await conclave(['schedule', 'show', '2027'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines.filter((l) => l.length > 80)).toEqual([]);
    // Each conflict starts on a "  ! " line, its further lines under its text; joined, it is whole.
    expect(shownItems(shown.stdout, /^\d+ conflicts?:$/, /^  ! /)).toEqual(json.conflicts.map((c) => c.message));
    expect(shownItems(shown.stdout, /^Accepted topics not scheduled yet:$/, /^  topic #\d+: /)).toEqual([`${topic} (Annabelle Fitzgerald)`]);
  });

  it('takes a --speaker as --by takes a person, and their person #id, refusing a #id of two people', async () => {
    const env = { ...(await commandData('conclave-sched-who-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-05-10', '--end', '2027-05-11', '--answer-by', '2027-04-01'], env)).code).toBe(0);
    // People of the archive first, so that the invitations' ids and the people's differ.
    for (const name of ['Pat One', 'Pat Two', 'Pat Three']) expect((await conclave(['edition', 'role', '2027', '--name', name, '--new-person'], env)).code).toBe(0);
    for (const [email, name] of [['ana@example.net', 'Ana Lee'], ['carol@example.net', 'Carol Jones'], ['eve@example.net', 'Eve Park'], ['dan@example.net', 'Dan Wu']]) {
      expect((await conclave(['invite', 'add', '2027', email!, '--name', name!], env)).code).toBe(0);
    }
    expect((await conclave(['invite', 'send', '2027'], env)).code).toBe(0);
    const invitations = (JSON.parse((await conclave(['invite', 'list', '2027', '--json'], env)).stdout) as { rows: { id: number; name: string }[] }).rows;
    const inv = (name: string) => invitations.find((r) => r.name === name)!.id;
    for (const name of ['Ana Lee', 'Carol Jones', 'Eve Park']) expect((await conclave(['invite', 'override', String(inv(name)), 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    const choices = (JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { speakerChoices: { personId: number; name: string }[] }).speakerChoices;
    const person = (name: string) => choices.find((c) => c.name === name)!.personId;
    // What the test relies on: Carol's person #id is nobody's invitation, Ana's is Dan's invitation.
    expect(invitations.map((r) => r.id)).not.toContain(person('Carol Jones'));
    expect(person('Ana Lee')).toBe(inv('Dan Wu'));

    const speakers = async (...who: string[]) => {
      const r = await conclave(['schedule', 'add', '2027', '--date', '2027-05-10', '--start', '10:00', '--title', 'Talk', ...who.flatMap((w) => ['--speaker', w]), '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const { slot } = JSON.parse(r.stdout) as { slot: { id: number; speakers: { name: string }[] } };
      expect((await conclave(['schedule', 'remove', '2027', String(slot.id)], env)).code).toBe(0);
      return slot.speakers.map((p) => p.name);
    };
    // An address in any case, the invitation's #id as `invite list` shows it, a slug, a name, and
    // the person #id taken so far.
    expect(await speakers('CAROL@example.net', `#${inv('Ana Lee')}`, 'eve-park')).toEqual(['Carol Jones', 'Ana Lee', 'Eve Park']);
    expect(await speakers('eve PARK', `#${person('Carol Jones')}`)).toEqual(['Eve Park', 'Carol Jones']);

    const refused = async (who: string) => {
      const r = await conclave(['schedule', 'add', '2027', '--date', '2027-05-10', '--start', '10:00', '--title', 'Talk', '--speaker', who], env);
      return [r.code, r.stderr];
    };
    // One #id of two people: refused, naming both and how to name each.
    expect(await refused(`#${inv('Dan Wu')}`)).toEqual([
      1,
      `conclave: --speaker: "#${inv('Dan Wu')}" names 2 people of Netconf 2027: person #${inv('Dan Wu')} is Ana Lee's, invitation #${inv('Dan Wu')} is Dan Wu's; say which by name or address ("Ana Lee" or ana@example.net; "Dan Wu" or dan@example.net)\n`,
    ]);
    // Invited but not accepted, and unknown, are told apart.
    expect(await refused('dan@example.net')).toEqual([
      1,
      'conclave: --speaker: Dan Wu is invited to Netconf 2027 but has not accepted (the invitation is invited): a speaker is an accepted attendee, a presenter of an accepted topic or somebody already on the schedule\n',
    ]);
    expect(await refused('zoe@example.net')).toEqual([
      1,
      'conclave: --speaker: "zoe@example.net" is neither invited to Netconf 2027 nor on its schedule (give a name, a slug, #id or an address; see conclave invite list, or conclave schedule show --json for a person #id)\n',
    ]);
  });

  it('prints the conflicts new hours of a day leave its slots in, as add, edit and move do', async () => {
    const env = await commandData('conclave-sched-dayhours-');
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-05-10', '--end', '2027-05-11'], env)).code).toBe(0);
    const add = async (date: string, start: string, title: string) =>
      (JSON.parse((await conclave(['schedule', 'add', '2027', '--date', date, '--start', start, '--length', '30', '--title', title, '--json'], env)).stdout) as { slot: { id: number } }).slot.id;
    const welcome = await add('2027-05-10', '09:00', 'Welcome');
    await add('2027-05-11', '07:30', 'Early bird');
    const conflicts = (JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { conflicts: { message: string }[] }).conflicts;
    expect(conflicts.map((c) => c.message)).toEqual([expect.stringContaining('Early bird')]);

    // The other day's conflict is not this change's.
    const day = await conclave(['schedule', 'day', '2027', '2027-05-10', '--start', '10:00'], env);
    expect([day.code, day.stderr]).toEqual([0, '']);
    const outside = (JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { conflicts: { message: string }[] }).conflicts.find((c) =>
      c.message.includes('Welcome'),
    )!;
    expect(day.stdout).toBe(`Monday, May 10, 2027: 10:00–20:00\n! ${outside.message}\n`);
    const json = await conclave(['schedule', 'day', '2027', '2027-05-10', '--start', '10:00', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ day: { date: '2027-05-10', start: '10:00', end: '20:00' }, conflicts: [{ rule: 'outside-day', slotIds: [welcome], message: outside.message }] });
    // Hours that hold the slot again: no conflict left to print.
    expect((await conclave(['schedule', 'day', '2027', '2027-05-10', '--start', '09:00'], env)).stdout).toBe('Monday, May 10, 2027: 09:00–20:00\n');
  });

  it('reads a value not of its option’s form as bad usage before anything runs, one the rules refuse as refused', async () => {
    const env = await commandData('conclave-sched-usage-');
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-05-10', '--end', '2027-05-11'], env)).code).toBe(0);
    const slot = ['schedule', 'add', '2027', '--date', '2027-05-10', '--start', '10:00', '--title', 'Talk'];
    const choices = (option: string, value: string, allowed: string) => `${option}' argument '${value}' is invalid. Allowed choices are ${allowed}.`;
    const minutes = (value: string) => `conclave: --length: must be a whole number of minutes, not "${value}"`;
    const usage: [string[], string][] = [
      [[...slot, '--kind', 'lecture'], choices('--kind <kind>', 'lecture', 'talk, discussion, break, meal, social')],
      [[...slot, '--length', '-5'], minutes('-5')],
      [[...slot, '--length', 'abc'], minutes('abc')],
      [[...slot, '--length', '1.5'], minutes('1.5')],
      // Checked before the slot is looked for, or the attendee.
      [['schedule', 'edit', '2027', '99', '--length', 'abc'], minutes('abc')],
      [['schedule', 'edit', '2027', '99', '--kind', 'lecture'], choices('--kind <kind>', 'lecture', 'talk, discussion, break, meal, social')],
      [['topics', 'propose', '2027', '--by', 'nobody', '--title', 'T', '--length', '20min'], minutes('20min')],
      [['topics', 'update', '2027', '1', '--length', '-5'], minutes('-5')],
      [['topics', 'list', '2027', '--state', 'bogus'], choices('--state <state>', 'bogus', 'proposed, changes-requested, accepted, declined, withdrawn')],
      [['mail', 'list', '--state', 'bogus'], "option '--state <state>' argument 'bogus' is invalid. Allowed choices are "],
      [['mail', 'inbound', '--status', 'bogus'], "option '--status <status>' argument 'bogus' is invalid. Allowed choices are "],
      [['mail', 'review', '1', 'maybe'], "value 'maybe' is invalid for argument 'action'. Allowed choices are accept, "],
      [['invite', 'override', '1', 'maybe', '--reason', 'x'], 'conclave: state: must be one of “candidate”, “invited”, “accepted”, '],
      [['edition', 'update', '2027', '--status', 'done'], choices('--status <status>', 'done', 'planned, tentative, final')],
      [['template', 'show', '2027', 'nope'], "value 'nope' is invalid for argument 'key'. Allowed choices are "],
    ];
    for (const [args, said] of usage) {
      const r = await conclave(args, env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, expect.stringContaining(said)]);
    }
    expect((JSON.parse((await conclave(['schedule', 'show', '2027', '--json'], env)).stdout) as { slots: unknown[] }).slots).toEqual([]);
    // Of the option's form, but refused by the rules: a refused request.
    const short = await conclave([...slot, '--length', '2'], env);
    expect([short.code, short.stderr]).toEqual([1, 'conclave: --length: must be at least 5 minutes\n']);
  });

  it('removes a day that holds no slot, and exports a day of the edition without slots', async () => {
    const env = { ...(await commandData('conclave-sched-days-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2027-07-14', '--end', '2027-07-15'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', '09:00', '--title', 'Opening'], env)).code).toBe(0);

    // A day far off the edition's dates is a typo: refused, naming how far.
    const typo = await conclave(['schedule', 'add', '2027', '--date', '2072-07-14', '--start', '09:00', '--title', 'x'], env);
    expect([typo.code, typo.stderr]).toEqual([1, 'conclave: --date: Thursday, July 14, 2072 is about 45 years after Netconf 2027 (July 14–15, 2027): a day of its schedule is at most 31 days off its dates\n']);
    // A slot put on a day that is not the edition's, then removed: the day goes with it.
    const stray = await conclave(['schedule', 'add', '2027', '--date', '2027-08-01', '--start', '09:00', '--title', 'x', '--json'], env);
    expect(stray.code, stray.stderr).toBe(0);
    expect((await conclave(['schedule', 'show', '2027'], env)).stdout).toContain('Sunday, August 1, 2027 (08:00–20:00) — not among the edition’s dates');
    const strayId = (JSON.parse(stray.stdout) as { slot: { id: number } }).slot.id;
    expect((await conclave(['schedule', 'remove', '2027', String(strayId)], env)).code).toBe(0);
    expect((await conclave(['schedule', 'show', '2027'], env)).stdout).not.toContain('August');

    // One with hours of its own stays, and is removed by name.
    expect((await conclave(['schedule', 'day', '2027', '2027-08-02', '--start', '10:00'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'show', '2027'], env)).stdout).toContain(
      'Monday, August 2, 2027 (10:00–20:00) — not among the edition’s dates\n  (no slots: conclave schedule remove-day 2027 2027-08-02 removes it)',
    );
    const removed = await conclave(['schedule', 'remove-day', '2027', '2027-08-02'], env);
    expect([removed.code, removed.stdout, removed.stderr]).toEqual([0, 'removed 2027-08-02 from the schedule\n', '']);
    expect((await conclave(['schedule', 'show', '2027'], env)).stdout).not.toContain('August');
    const again = await conclave(['schedule', 'remove-day', '2027', '2027-08-02'], env);
    expect([again.code, again.stderr]).toEqual([1, 'conclave: Monday, August 2, 2027 is not a day of the schedule of Netconf 2027\n']);
    const busy = await conclave(['schedule', 'remove-day', '2027', '2027-07-14'], env);
    expect([busy.code, busy.stderr]).toEqual([1, 'conclave: Wednesday, July 14, 2027 holds 1 slot: move or remove it first, then remove the day\n']);

    // A day of the edition with hours but no slot, once published: in every schedule file.
    expect((await conclave(['schedule', 'publish', '2027', '--floating-times'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'day', '2027', '2027-07-15', '--start', '10:00', '--end', '17:00'], env)).code).toBe(0);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-sched-site-')), 'site');
    const exported = await conclave(['export', '--out', out, '--json'], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ brokenLinks: [] });
    expect(fs.readFileSync(path.join(out, 'netconf/2027/schedule.xml'), 'utf8')).toMatch(/<day index="2" date="2027-07-15" start="2027-07-15T10:00:00[^"]*" end="2027-07-15T17:00:00[^"]*">\n  <\/day>/);
    expect(fs.readFileSync(path.join(out, 'netconf/2027/schedule.ics'), 'utf8')).toContain('SUMMARY:Opening');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'netconf/2027/schedule.json'), 'utf8')).schedule.conference.daysCount).toBe(2);

    // A series is named by its name or its slug, in every command as in `edition create`.
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netdev Conf', '--start', '2027-09-01', '--end', '2027-09-02'], env)).code).toBe(0);
    for (const series of ['Netdev Conf', 'netdev-conf']) {
      const shown = await conclave(['schedule', 'show', '2027', '--series', series], env);
      expect([shown.code, shown.stdout.split('\n')[0]]).toEqual([0, 'Netdev Conf 2027 — schedule planned']);
    }
  });

  it('counts a planned schedule in `edition show`, which the public view hides', async () => {
    const env = { ...(await commandData('conclave-sched-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2027', '--series', 'Netconf', '--start', '2027-07-14', '--end', '2027-07-15'], env)).code).toBe(0);
    for (const start of ['09:00', '10:00']) {
      const added = await conclave(['schedule', 'add', '2027', '--date', '2027-07-14', '--start', start, '--length', '30', '--title', `At ${start}`], env);
      expect(added.code, added.stderr).toBe(0);
    }
    const shown = await conclave(['edition', 'show', '2027'], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('agenda:     1 day, 2 slots (planned: not public until published)\n');
    // Published, counted in the same words.
    expect((await conclave(['schedule', 'publish', '2027', '--floating-times'], env)).code).toBe(0);
    expect((await conclave(['edition', 'show', '2027'], env)).stdout).toContain('agenda:     1 day, 2 slots\n');
    // Somebody the archive does not know is refused, as every command refuses a name it does not
    // know, with the people it may mean; --new-person adds them.
    const unknown = await conclave(['edition', 'role', '2027', '--name', 'Pat Chair', '--role', 'chair'], env);
    expect([unknown.code, unknown.stderr, unknown.stdout]).toEqual([1, 'conclave: --name: no person "Pat Chair" in the archive; add --new-person to add them\n', '']);
    // A committee role is said once, not in a second pair of parentheses.
    const role = await conclave(['edition', 'role', '2027', '--name', 'Pat Chair', '--role', 'chair', '--new-person'], env);
    expect(role.stdout).toMatch(/^added Pat Chair to the committee as chair \(#\d+\)\n$/);
    const typo = await conclave(['edition', 'role', '2027', '--name', 'Pat Chai'], env);
    expect([typo.code, typo.stderr]).toEqual([1, 'conclave: --name: no person "Pat Chai" in the archive (close: Pat Chair); add --new-person to add them\n']);
  });

  it('names --before, the option given, when a move cannot go before that slot', async () => {
    const env = await commandData('conclave-sched-before-');
    expect((await conclave(['edition', 'create', '2101', '--series', 'Netconf', '--start', '2101-05-10', '--end', '2101-05-10'], env)).code).toBe(0);
    const add = async (start: string, title: string) =>
      (JSON.parse((await conclave(['schedule', 'add', '2101', '--date', '2101-05-10', '--start', start, '--length', '30', '--title', title, '--json'], env)).stdout) as { slot: { id: number } }).slot.id;
    const first = await add('09:00', 'First');
    const second = await add('10:00', 'Second');

    const r = await conclave(['schedule', 'move', '2101', String(second), '--start', '08:30', '--before', String(first)], env);
    expect([r.code, r.stderr]).toEqual([
      1,
      `conclave: --before: slot #${first} does not start at 08:30 on 2101-05-10: a slot goes before another only among slots starting together\n`,
    ]);
  });
  it('moves a slot next to another as a drag does, the start worked out in time that passes', async () => {
    const env = await commandData('conclave-sched-place-');
    // New York's clocks go back from 02:00 to 01:00 on Sunday, November 7, 2100.
    expect((await conclave(['edition', 'create', '2100', '--series', 'Netconf', '--start', '2100-11-06', '--end', '2100-11-07', '--time-zone', 'America/New_York'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'day', '2100', '2100-11-07', '--start', '00:00'], env)).code).toBe(0);
    const add = async (date: string, start: string, end: string, title: string) => {
      const r = await conclave(['schedule', 'add', '2100', '--date', date, '--start', start, '--end', end, '--title', title, '--room', 'Main', '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { slot: { id: number } }).slot.id;
    };
    // Two hours on the clock that night, three that pass.
    const night = await add('2100-11-07', '00:30', '02:30', 'Night shift');
    const talk = await add('2100-11-06', '12:00', '13:00', 'Talk');
    const move = async (...args: string[]) => {
      const r = await conclave(['schedule', 'move', '2100', ...args, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { slot: { date: string; start: string; end: string }; conflicts: unknown[] };
    };
    // Before the talk: it ends where the talk starts, three hours after it starts (not two).
    expect(await move(String(night), '--before', String(talk))).toMatchObject({ slot: { date: '2100-11-06', start: '09:00', end: '12:00' }, conflicts: [] });
    // After it: where it ends. Alone, a day is its top: at its start when it has no slot, as that
    // night's (three hours from midnight end at 02:00 there).
    expect(await move(String(night), '--after', String(talk))).toMatchObject({ slot: { date: '2100-11-06', start: '13:00', end: '16:00' }, conflicts: [] });
    expect(await move(String(night), '--date', '2100-11-07')).toMatchObject({ slot: { date: '2100-11-07', start: '00:00', end: '02:00' } });
    // Bad usage exits 2; a place the schedule refuses, 1.
    const refused: [string[], number, string][] = [
      // Its top is the day's start, as the night shift starts then: an hour on, the clocks pass 01:00 twice.
      [
        [String(talk), '--date', '2100-11-07'],
        1,
        '--start: keeping its length, the slot would end at 01:00, which happens twice on Sunday, November 7, 2100 in America/New_York: the clocks go back from 02:00 to 01:00; choose a start or a length that ends it outside 01:00–02:00',
      ],
      [[String(talk)], 2, '--start: give --start, --after SLOT, --before SLOT or --date (the top of that day)'],
      [[String(talk), '--after', String(night), '--before', String(night)], 2, '--after: give --before or --after, not both'],
      [[String(talk), '--after', String(night), '--date', '2100-11-06'], 1, `--after: “Night shift” (#${night}) is on Sunday, November 7, 2100, not Saturday, November 6, 2100: nothing was moved`],
      [[String(talk), '--before', String(talk)], 1, '--before: a slot cannot go before itself'],
    ];
    for (const [args, code, said] of refused) {
      const r = await conclave(['schedule', 'move', '2100', ...args], env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([code, `conclave: ${said}\n`]);
    }
  });

  it('refuses control characters in what the committee types, naming the option', async () => {
    const env = { ...(await commandData('conclave-sched-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2101', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2101-07-14', '--end', '2101-07-15'], env)).code).toBe(0);
    const slot = ['schedule', 'add', '2101', '--date', '2101-07-14', '--start', '09:00'];
    const refused: [string[], string][] = [
      [[...slot, '--title', 'a\x1b[31m'], '--title'],
      [[...slot, '--title', 'Talk', '--room', 'Main\x07'], '--room'],
      [['schedule', 'day', '2101', '2101-07-14', '--label', 'Day\x1b[2J one'], '--label'],
      [['edition', 'sponsor', '2101', '--name', 'Acme\x1b[5m'], '--name'],
      [['edition', 'role', '2101', '--name', 'Pat\x1b[0m Chair'], '--name'],
      [['edition', 'role', '2101', '--name', 'Pat Chair', '--role', 'ch\rair'], '--role'],
      [['edition', 'reference', '2101', '--title', 'LWN\x1b]8;;x\x07'], '--title'],
    ];
    for (const [args, option] of refused) {
      const r = await conclave(args, env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([1, `conclave: ${option}: must be one line of text, without control characters\n`]);
    }
    expect((await conclave([...slot, '--title', 'Plain title', '--room', 'Main'], env)).code).toBe(0);
  });
  it('echoes an added slot as saved, saying where its end came from when --end did not give it', async () => {
    const env = { ...(await commandData('conclave-sched-end-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2103', '--series', 'Netconf', '--start', '2103-07-14', '--end', '2103-07-14', '--answer-by', '2103-06-01'], env)).code).toBe(0);
    expect((await conclave(['invite', 'add', '2103', 'ana@example.org', '--name', 'Ana Speaker'], env)).code).toBe(0);
    expect((await conclave(['invite', 'send', '2103'], env)).code).toBe(0);
    expect((await conclave(['invite', 'override', '1', 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    expect((await conclave(['topics', 'propose', '2103', '--by', 'Ana Speaker', '--title', 'XDP offloads', '--length', '45'], env)).code).toBe(0);
    expect((await conclave(['topics', 'accept', '2103', '1'], env)).code).toBe(0);
    const add = async (...args: string[]) => {
      const r = await conclave(['schedule', 'add', '2103', '--date', '2103-07-14', ...args], env);
      expect(r.stderr).toBe('');
      return r.stdout.replace(/#\d+/, '#N');
    };
    // Given: the line alone.
    expect(await add('--start', '08:00', '--end', '08:30', '--kind', 'break', '--title', 'Coffee', '--room', 'Hall')).toBe('added slot #N: 2103-07-14 08:00–08:30 “Coffee” (break); room Hall\n');
    expect(await add('--start', '12:00', '--length', '60', '--kind', 'meal', '--title', 'Lunch')).toBe(
      'added slot #N: 2103-07-14 12:00–13:00 “Lunch” (meal)\nend 13:00: 60 minutes after the start (--length)\n',
    );
    expect(await add('--start', '09:00', '--topic', '1')).toBe(
      'added slot #N: 2103-07-14 09:00–09:45 “XDP offloads” (talk, topic #1); speakers Ana Speaker\nend 09:45: the 45 minutes the proposers of topic #1 wished (no --end or --length given)\n',
    );
    // None: none is saved, and what ends it is said, as `show` says it.
    expect(await add('--start', '10:00', '--title', 'Open words')).toBe(
      'added slot #N: 2103-07-14 10:00–12:00 “Open words” (talk)\nno end saved (no --end or --length given): it ends where the next slot starts, 12:00 now; schedule edit --end gives it one\n',
    );
    expect(await add('--start', '15:00', '--title', 'Last words')).toBe(
      'added slot #N: 2103-07-14 15:00–15:30 “Last words” (talk)\nno end saved (no --end or --length given): it counts as 30 minutes (to 15:30) while no slot follows it that day; schedule edit --end gives it one\n',
    );
  });

  it('says how many speakers publishing mailed, names those it could not, and that the help says who is mailed', async () => {
    const env = { ...(await commandData('conclave-sched-told-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2104', '--series', 'Netconf', '--start', '2104-07-14', '--end', '2104-07-14', '--answer-by', '2104-06-01'], env)).code).toBe(0);
    for (const [email, name] of [['ana@example.org', 'Ana Speaker'], ['bo@example.org', 'Bo Speaker']]) {
      expect((await conclave(['invite', 'add', '2104', email!, '--name', name!], env)).code).toBe(0);
    }
    expect((await conclave(['invite', 'send', '2104'], env)).code).toBe(0);
    for (const id of ['1', '2']) expect((await conclave(['invite', 'override', id, 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    const slot = ['schedule', 'add', '2104', '--date', '2104-07-14', '--end', '09:30'];
    expect((await conclave([...slot, '--start', '09:00', '--title', 'Panel', '--speaker', 'Ana Speaker', '--speaker', 'Bo Speaker'], env)).code).toBe(0);
    // A third speaker, an attendee as an archive lists one: a name, no address anywhere. No
    // command makes such a person, so the rows are written directly.
    const handle = await openDb(loadConfig(env));
    try {
      const cy = await handle.db.insertInto('people').values({ slug: 'cy-archive', name: 'Cy Archive', name_key: 'cy archive' }).returning('id').executeTakeFirstOrThrow();
      const panel = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Panel').executeTakeFirstOrThrow();
      const edition = await handle.db.selectFrom('editions').select('id').where('year', '=', 2104).executeTakeFirstOrThrow();
      await handle.db.insertInto('attendances').values({ edition_id: edition.id, person_id: cy.id, name_as_listed: 'Cy Archive', email_as_listed: null, source: 'invitees', position: 1, affiliation_as_listed: null }).execute();
      await handle.db.insertInto('slot_speakers').values({ slot_id: panel.id, person_id: cy.id, name_as_listed: 'Cy Archive', position: 2 }).execute();
    } finally {
      await handle.close();
    }
    const pub = await conclave(['schedule', 'publish', '2104', '--floating-times'], env);
    expect([pub.code, pub.stdout, pub.stderr]).toEqual([
      0,
      'the schedule of Netconf 2104 is tentative\n2 of its 3 speakers are mailed that it is published, with where they are on it (schedule-published). Not mailed, as no address of theirs is known: Cy Archive.\n',
      '',
    ]);
    const final = await conclave(['schedule', 'publish', '2104', '--final', '--floating-times', '--json'], env);
    expect(JSON.parse(final.stdout)).toMatchObject({ status: 'final', mailed: { key: 'schedule-final', told: 2, untold: ['Cy Archive'], nobodyBecause: null } });
    const { program } = await import('../../src/cli/main.js');
    const publish = (await program()).commands.find((c) => c.name() === 'schedule')!.commands.find((c) => c.name() === 'publish')!;
    expect(publish.description()).toContain('marking a tentative schedule final mails each of them that it is final, with their slots (schedule-final)');
    expect(publish.description()).toContain('with no speaker on the schedule, nobody is, and the command says so');
    expect(publish.options.find((o) => o.long === '--final')!.description).toBe('mark it final, mailing each speaker on the schedule that it is');
  });

  it('checks what publishing would refuse, each reason as publish says it, exiting 1 until nothing would', async () => {
    const env = { ...(await commandData('conclave-sched-check-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2105', '--series', 'Netconf', '--start', '2105-07-14', '--end', '2105-07-14'], env)).code).toBe(0);
    const check = async (...args: string[]) => {
      const r = await conclave(['schedule', 'check', '2105', '--series', 'netconf', ...args], env);
      expect(r.stderr).toBe('');
      return [r.code, r.stdout];
    };
    const publishRefusal = async (...args: string[]) => {
      const r = await conclave(['schedule', 'publish', '2105', ...args], env);
      expect(r.code).toBe(1);
      return r.stderr.replace(/^conclave: /, '');
    };
    const zone =
      'Netconf 2105 has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in; set one with `conclave edition update 2105 --time-zone ZONE` (such as Europe/Berlin), or publish anyway with --floating-times';
    // No slots and no zone: both said, by check as by publish, each in the same words.
    expect(await check()).toEqual([1, `the schedule of Netconf 2105 would not be published as tentative:\nthe schedule has no slots yet\n${zone}\n`]);
    expect(await publishRefusal()).toBe(`the schedule has no slots yet; and ${zone}\n`);
    expect(await publishRefusal('--floating-times')).toBe('the schedule has no slots yet\n');
    expect(await check('--floating-times')).toEqual([1, 'the schedule of Netconf 2105 would not be published as tentative:\nthe schedule has no slots yet\n']);

    // Two slots in one room at once, and one before the day starts: the conflicts as show lists them.
    const add = async (start: string, title: string) =>
      expect((await conclave(['schedule', 'add', '2105', '--date', '2105-07-14', '--start', start, '--length', '30', '--title', title, '--room', 'Hall'], env)).code).toBe(0);
    await add('09:00', 'Keynote');
    await add('09:15', 'Lightning talks');
    await add('07:00', 'Early bird');
    // Wrapped at 80 columns by show (shownItems joins each back), one a line in check's list.
    const shownConflicts = shownItems((await conclave(['schedule', 'show', '2105'], env)).stdout, /^\d+ conflicts?:$/, /^  ! /);
    expect(shownConflicts).toHaveLength(2);
    expect(await check()).toEqual([1, ['the schedule of Netconf 2105 would not be published as tentative:', '2 conflicts — fix them, or publish anyway with --force:', ...shownConflicts.map((c) => `  ! ${c}`), zone, ''].join('\n')]);
    expect(await publishRefusal()).toBe(`the schedule has 2 conflicts: ${shownConflicts.join('; ')} — fix them, or publish anyway with --force; and ${zone}\n`);
    expect(await publishRefusal('--floating-times')).toMatch(/^the schedule has 2 conflicts: .* — fix them, or publish anyway with --force\n$/);
    // --json: the reasons by name, publish's words, and every conflict as show --json gives it.
    const shown = JSON.parse((await conclave(['schedule', 'show', '2105', '--json'], env)).stdout) as { edition: unknown; conflicts: { message: string }[] };
    const json = await conclave(['schedule', 'check', '2105', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      edition: shown.edition,
      to: 'tentative',
      fit: false,
      refusals: [
        { reason: 'conflicts', message: `the schedule has 2 conflicts: ${shown.conflicts.map((c) => c.message).join('; ')}`, conflicts: shown.conflicts },
        { reason: 'no-time-zone', message: zone.replace(/; set one with .*$/, '') },
      ],
    });

    // Fixed: fit, exit 0, one line.
    expect((await conclave(['edition', 'update', '2105', '--time-zone', 'Europe/Berlin'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'day', '2105', '2105-07-14', '--start', '07:00'], env)).code).toBe(0);
    const keynote = (JSON.parse((await conclave(['schedule', 'show', '2105', '--json'], env)).stdout) as { slots: { id: number; title: string }[] }).slots.find((x) => x.title === 'Keynote')!;
    expect((await conclave(['schedule', 'move', '2105', String(keynote.id), '--start', '10:00'], env)).code).toBe(0);
    expect(await check()).toEqual([0, 'the schedule of Netconf 2105 is fit to publish as tentative: nothing would refuse it\n']);
    expect(JSON.parse((await conclave(['schedule', 'check', '2105', '--json'], env)).stdout)).toMatchObject({ to: 'tentative', fit: true, refusals: [] });

    // Published: publishing again is refused for its status, marking it final is not; check says
    // how to check that, with the options given (--series once it is not the only series).
    expect((await conclave(['schedule', 'publish', '2105'], env)).code).toBe(0);
    const tentative = (how: string) => [1, `the schedule of Netconf 2105 would not be published as tentative:\nthe schedule is already tentative; to check marking it final, run \`conclave schedule check 2105 ${how}\`\n`];
    expect(await check()).toEqual(tentative('--final'));
    expect(await check('--floating-times')).toEqual(tentative('--final --floating-times'));
    expect(await publishRefusal()).toBe('the schedule is already tentative\n');
    expect((await conclave(['edition', 'create', '2000', '--series', 'Other', '--start', '2000-07-14', '--end', '2000-07-14'], env)).code).toBe(0);
    expect(await check()).toEqual(tentative('--series netconf --final'));
    expect(JSON.parse((await conclave(['schedule', 'check', '2105', '--series', 'netconf', '--json'], env)).stdout)).toMatchObject({ to: 'tentative', fit: false, refusals: [{ reason: 'status', message: 'the schedule is already tentative' }] });
    expect(await check('--final')).toEqual([0, 'the schedule of Netconf 2105 is fit to publish as final: nothing would refuse it\n']);
    expect((await conclave(['schedule', 'publish', '2105', '--final'], env)).code).toBe(0);
    expect(await check()).toEqual([1, 'the schedule of Netconf 2105 would not be published as tentative:\nthe schedule is final\n']);
    expect(await check('--final')).toEqual([1, 'the schedule of Netconf 2105 would not be published as final:\nthe schedule is already final\n']);

    // An edition that is not there: refused as show refuses it.
    const missing = await conclave(['schedule', 'check', '2999'], env);
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', (await conclave(['schedule', 'show', '2999'], env)).stderr]);
    expect(missing.stderr).not.toBe('');
  });

  it('says with --dry-run what publishing would do and whom it would mail, writing nothing', async () => {
    const env = { ...(await commandData('conclave-sched-dry-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2106', '--series', 'Netconf', '--start', '2106-07-14', '--end', '2106-07-14', '--answer-by', '2106-06-01'], env)).code).toBe(0);
    for (const [email, name] of [['ana@example.org', 'Ana Speaker'], ['bo@example.org', 'Bo Speaker']]) {
      expect((await conclave(['invite', 'add', '2106', email!, '--name', name!], env)).code).toBe(0);
    }
    expect((await conclave(['invite', 'send', '2106'], env)).code).toBe(0);
    for (const id of ['1', '2']) expect((await conclave(['invite', 'override', id, 'accepted', '--reason', 'said yes'], env)).code).toBe(0);
    expect((await conclave(['schedule', 'add', '2106', '--date', '2106-07-14', '--start', '09:00', '--end', '09:30', '--title', 'Panel', '--speaker', 'Ana Speaker', '--speaker', 'Bo Speaker'], env)).code).toBe(0);
    // A speaker as an archive lists one, with no address anywhere: written directly, as no command
    // makes one. The database is opened only between commands: an embedded one takes one process.
    const handle = await openDb(loadConfig(env));
    try {
      const cy = await handle.db.insertInto('people').values({ slug: 'cy-archive', name: 'Cy Archive', name_key: 'cy archive' }).returning('id').executeTakeFirstOrThrow();
      const panel = await handle.db.selectFrom('slots').select('id').where('title', '=', 'Panel').executeTakeFirstOrThrow();
      const edition = await handle.db.selectFrom('editions').select('id').where('year', '=', 2106).executeTakeFirstOrThrow();
      await handle.db.insertInto('attendances').values({ edition_id: edition.id, person_id: cy.id, name_as_listed: 'Cy Archive', email_as_listed: null, source: 'invitees', position: 1, affiliation_as_listed: null }).execute();
      await handle.db.insertInto('slot_speakers').values({ slot_id: panel.id, person_id: cy.id, name_as_listed: 'Cy Archive', position: 2 }).execute();
    } finally {
      await handle.close();
    }
    /** What a publication writes: the edition's status, its mail, its audit entries and its changelog. */
    const written = async () => {
      const h = await openDb(loadConfig(env));
      try {
        return {
          edition: await h.db.selectFrom('editions').select(['status', 'schedule_published_at']).where('year', '=', 2106).executeTakeFirstOrThrow(),
          outbox: await h.db.selectFrom('outbox').select(['id', 'kind', 'to_address', 'state']).orderBy('id').execute(),
          audit: await h.db.selectFrom('audit_log').select(['id', 'action']).orderBy('id').execute(),
          changes: await h.db.selectFrom('schedule_changes').select('id').orderBy('id').execute(),
        };
      } finally {
        await h.close();
      }
    };
    const before = await written();
    const dry = async (...args: string[]) => {
      const r = await conclave(['schedule', 'publish', '2106', '--dry-run', ...args], env);
      expect(r.stderr).toBe('');
      return [r.code, r.stdout];
    };
    const mailed = (what: string, key: string) =>
      `would mail 2 speakers ${what}, with where they are on it (${key}):\n  Ana Speaker <ana@example.org>\n  Bo Speaker <bo@example.org>\nnot mailed, as no address of theirs is known:\n  Cy Archive\n`;
    // Refused for want of a zone, as check says it, and what it would mail once it goes through.
    expect(await dry()).toEqual([
      1,
      'the schedule of Netconf 2106 would not be published as tentative:\nNetconf 2106 has no time zone: its schedule would be published with floating times, which calendars and conference apps show at that hour in whatever zone the reader is in; set one with `conclave edition update 2106 --time-zone ZONE` (such as Europe/Berlin), or publish anyway with --floating-times\n' +
        `its first publication\n${mailed('that it is published', 'schedule-published')}nothing was written (--dry-run)\n`,
    ]);
    expect(await dry('--floating-times')).toEqual([
      0,
      `the schedule of Netconf 2106 would be published as tentative\nits first publication\n${mailed('that it is published', 'schedule-published')}nothing was written (--dry-run)\n`,
    ]);
    const json = await conclave(['schedule', 'publish', '2106', '--dry-run', '--floating-times', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      edition: { title: 'Netconf 2106', status: 'planned' },
      to: 'tentative',
      fit: true,
      refusals: [],
      firstPublication: true,
      mail: { key: 'schedule-published', told: [{ name: 'Ana Speaker', address: 'ana@example.org' }, { name: 'Bo Speaker', address: 'bo@example.org' }], untold: ['Cy Archive'], nobodyBecause: null },
    });
    // Nothing written: the edition as it was, no mail, no audit entry, no changelog.
    expect(await written()).toEqual(before);

    // Published, it mailed whom the dry run said; marking it final would mail them again.
    expect(JSON.parse((await conclave(['schedule', 'publish', '2106', '--floating-times', '--json'], env)).stdout)).toMatchObject({ mailed: { told: 2, untold: ['Cy Archive'] } });
    const published = await written();
    expect(published.outbox.filter((m) => m.kind === 'schedule-published').map((m) => m.to_address)).toEqual(['ana@example.org', 'bo@example.org']);
    expect(await dry('--final', '--floating-times')).toEqual([
      0,
      `the schedule of Netconf 2106 would be published as final\npublished here before\n${mailed('that it is final', 'schedule-final')}nothing was written (--dry-run)\n`,
    ]);
    expect(await dry('--floating-times')).toEqual([
      1,
      'the schedule of Netconf 2106 would not be published as tentative:\nthe schedule is already tentative\npublished here before: publishing again mails nobody\nnothing was written (--dry-run)\n',
    ]);
    expect(await written()).toEqual(published);
  });

  it('says in `show` what ends a slot without an end: the next slot, or 30 minutes for the day’s last', async () => {
    const env = { ...(await commandData('conclave-sched-')), BASE_URL: 'https://netconf.example.org' };
    expect((await conclave(['edition', 'create', '2102', '--series', 'Netconf', '--city', 'Ottawa', '--start', '2102-07-14', '--end', '2102-07-14'], env)).code).toBe(0);
    for (const [start, title] of [['09:00', 'First words'], ['10:00', 'Last words']] as const) {
      expect((await conclave(['schedule', 'add', '2102', '--date', '2102-07-14', '--start', start, '--title', title], env)).code).toBe(0);
    }
    const shown = await conclave(['schedule', 'show', '2102'], env);
    expect(shownSlots(shown.stdout).slots.map((x) => x.slice(1, 4))).toEqual([
      ['09:00–10:00 (until the next slot)', 'talk', 'First words'],
      ['10:00–10:30 (30 minutes: no slot follows)', 'talk', 'Last words'],
    ]);
  });
});
