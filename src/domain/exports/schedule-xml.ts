/**
 * schedule.xml in the frab/C3VOC format that conference apps (Giggity, ConfClerk,
 * EventFahrplan) read, valid against the C3VOC schema (see ../shared/schemas/README.md). Every
 * day of the edition is a <day>; a slot without a room is put in the room the talks name, or
 * in "Main room" (roomName, as the conflict check places it). An edition whose zone is unknown gives its times as local times
 * without an offset and no <time_zone_name>: floating, as in schedule.ics, where the C3VOC schema
 * wants an offset that nobody knows (+00:00 would say UTC, and move every time in the apps).
 * Pure: ScheduleExport in, text out.
 */
import { urls } from '../../web/urls.js';
import { absoluteUrl, duration, hhmm, kindLabel, linkUri, materialName, type ExportSlot, type ScheduleExport } from './schedule.js';
import { elapsedMinutes, zonedDateTime } from './time-zone.js';
import { uuid5 } from './uuid.js';
import { programRoom, slotRoom } from '../program/conflicts.js';

export interface ScheduleXmlOptions {
  baseUrl: string;
  /** conclave's version, for <generator>. */
  version?: string;
}

/** Text for XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** frab's conference acronym: the series and the year, in the characters both schemas allow. */
export function acronym(series: string, year: number): string {
  return `${series.replace(/[^a-z0-9_]/g, '_')}${year}`;
}

const ONLY_ROOM = new WeakMap<ScheduleExport, string | null>();

/** The one room the edition's program names (programRoom), worked out once per export. */
function onlyRoom(s: ScheduleExport): string | null {
  if (!ONLY_ROOM.has(s)) ONLY_ROOM.set(s, programRoom(s.days.flatMap((d) => d.slots.map((x) => x.slot))));
  return ONLY_ROOM.get(s)!;
}

/**
 * A slot's room (program/conflicts.ts slotRoom). One without a room (a break, a meal) is in the
 * room the talks and discussions name, when they name one, as a workshop in one room is; else in
 * DEFAULT_ROOM. A made-up room beside the real one would show in the apps as a second track. The
 * conflict check places it in the same room, so that the apps show no clash it did not flag.
 */
export function roomName(s: ScheduleExport, x: ExportSlot): string {
  return slotRoom(x.slot.room, onlyRoom(s));
}

/** The room's guid, the same for a name in every export of the edition. */
export function roomGuid(s: ScheduleExport, name: string): string {
  return uuid5(`conclave:room:${s.edition.series.slug}/${s.edition.year}/${name}`);
}

/** A speaker's guid: one person, one guid across every edition. */
export function personGuid(slug: string): string {
  return uuid5(`conclave:person:${slug}`);
}

/**
 * The abstract: the abstract of the slot's accepted topic (its Markdown source, which reads as
 * plain text), the slot's whole text when the title is shorter, its materials.
 */
export function abstractOf(x: ExportSlot): string {
  return [x.slot.abstract, x.detail, x.slot.materials.length > 0 ? `Materials: ${x.slot.materials.map((m) => materialName(m, x.slot.materials)).join(', ')}` : null]
    .filter((l): l is string => !!l)
    .join('\n\n');
}

/** Rooms of a day in order of first use, each with its slots in time order. */
export function roomsOf(s: ScheduleExport, slots: ExportSlot[]): Map<string, ExportSlot[]> {
  const rooms = new Map<string, ExportSlot[]>();
  for (const x of slots) rooms.set(roomName(s, x), [...(rooms.get(roomName(s, x)) ?? []), x]);
  return rooms;
}

function el(name: string, value: string, indent: string): string {
  return `${indent}<${name}>${escapeXml(value)}</${name}>`;
}

function eventXml(s: ScheduleExport, x: ExportSlot, opts: ScheduleXmlOptions, pageUrl: string): string[] {
  const i = '        ';
  const links = x.slot.materials.filter((m) => m.url);
  return [
    `      <event id="${x.numericId}" guid="${x.guid}">`,
    el('date', zonedDateTime(s.timeZone, x.date, x.start), i),
    el('start', hhmm(x.start), i),
    el('duration', duration(elapsedMinutes(s.timeZone, x.date, x.start, x.end)), i),
    el('room', roomName(s, x), i),
    el('title', x.summary, i),
    el('track', kindLabel(x.slot.kind), i),
    el('type', x.slot.kind, i),
    el('language', 'en', i),
    el('abstract', abstractOf(x), i),
    ...(x.slot.speakers.length === 0
      ? [`${i}<persons/>`]
      : [
          `${i}<persons>`,
          ...x.slot.speakers.map((p) => `${i}  <person id="${p.personId}" guid="${personGuid(p.slug)}">${escapeXml(p.nameAsListed)}</person>`),
          `${i}</persons>`,
        ]),
    ...(links.length === 0
      ? []
      : [
          `${i}<links>`,
          ...links.map((m) => `${i}  <link href="${escapeXml(linkUri(opts.baseUrl, m.url!))}">${escapeXml(materialName(m, x.slot.materials))}</link>`),
          `${i}</links>`,
        ]),
    el('url', `${pageUrl}#${x.slot.anchor}`, i),
    `      </event>`,
  ];
}

export function renderScheduleXml(s: ScheduleExport, opts: ScheduleXmlOptions): string {
  const e = s.edition;
  const pageUrl = absoluteUrl(opts.baseUrl, urls.edition(e.series.slug, e.year));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<schedule>',
    `  <generator name="conclave"${opts.version ? ` version="${escapeXml(opts.version)}"` : ''}/>`,
    el('url', absoluteUrl(opts.baseUrl, urls.scheduleXml(e.series.slug, e.year)), '  '),
    el('version', s.stamp.toISOString(), '  '),
    '  <conference>',
    el('title', e.title, '    '),
    el('acronym', acronym(e.series.slug, e.year), '    '),
    el('start', s.start, '    '),
    el('end', s.end, '    '),
    el('days', String(s.days.length), '    '),
    el('timeslot_duration', '00:15', '    '),
    el('base_url', `${opts.baseUrl.replace(/\/+$/, '')}/`, '    '),
    el('url', pageUrl, '    '),
    ...(s.timeZone ? [el('time_zone_name', s.timeZone, '    ')] : []),
    '  </conference>',
    ...s.days.flatMap((d) => [
      `  <day index="${d.index}" date="${d.date}" start="${zonedDateTime(s.timeZone, d.date, d.start)}" end="${zonedDateTime(s.timeZone, d.date, d.end)}">`,
      ...[...roomsOf(s, d.slots)].flatMap(([name, slots]) => [
        `    <room name="${escapeXml(name)}" guid="${roomGuid(s, name)}">`,
        ...slots.flatMap((x) => eventXml(s, x, opts, pageUrl)),
        '    </room>',
      ]),
      '  </day>',
    ]),
    '</schedule>',
  ];
  return lines.join('\n') + '\n';
}
