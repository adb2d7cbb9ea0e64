/**
 * schedule.json: the same schedule as schedule.xml, in the C3VOC JSON form
 * (https://c3voc.de/schedule/schema.json; see ../shared/schemas/README.md). An edition whose
 * zone is unknown gives local times without an offset, as schedule.xml does. Pure:
 * ScheduleExport in, text out.
 */
import slugify from '@sindresorhus/slugify';
import type { MaterialKind } from '../../db/schema.js';
import { urls } from '../../web/urls.js';
import { absoluteUrl, duration, hhmm, kindLabel, linkUri, materialName, type ExportSlot, type ScheduleExport } from './schedule.js';
import { abstractOf, acronym, personGuid, roomGuid, roomName, roomsOf } from './schedule-xml.js';
import { elapsedMinutes, zonedDateTime } from './time-zone.js';

export interface ScheduleJsonOptions {
  baseUrl: string;
  version?: string;
}

const LINK_TYPE: Record<MaterialKind, string> = {
  slides: 'slides',
  whitepaper: 'paper',
  video: 'media',
  animation: 'media',
  photo: 'media',
  'group-photo': 'media',
  notes: 'related',
  other: 'related',
};

const ZONE_NAME = /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/;

/** An event's slug: acronym, id and title, in the characters the schema allows. */
export function eventSlug(s: ScheduleExport, x: ExportSlot): string {
  const words = slugify(x.summary).slice(0, 50);
  return `${acronym(s.edition.series.slug, s.edition.year)}-${x.numericId}${words ? `-${words}` : ''}`.replace(/[^a-z0-9]+$/, '');
}

function eventJson(s: ScheduleExport, x: ExportSlot, opts: ScheduleJsonOptions, pageUrl: string) {
  return {
    guid: x.guid,
    id: x.numericId,
    date: zonedDateTime(s.timeZone, x.date, x.start),
    start: hhmm(x.start),
    end: zonedDateTime(s.timeZone, x.date, x.end),
    duration: duration(elapsedMinutes(s.timeZone, x.date, x.start, x.end)),
    room: roomName(s, x),
    slug: eventSlug(s, x),
    url: `${pageUrl}#${x.slot.anchor}`,
    title: x.summary,
    subtitle: null,
    track: kindLabel(x.slot.kind),
    type: x.slot.kind,
    language: 'en',
    abstract: abstractOf(x),
    description: null,
    persons: x.slot.speakers.map((p) => ({
      id: p.personId,
      name: p.nameAsListed,
      guid: personGuid(p.slug),
      url: absoluteUrl(opts.baseUrl, urls.person(p.slug)),
    })),
    links: x.slot.materials.flatMap((m) =>
      m.url
        ? [{ type: LINK_TYPE[m.kind], url: linkUri(opts.baseUrl, m.url), title: materialName(m, x.slot.materials) }]
        : [],
    ),
  };
}

/** The schedule as a JSON value (see renderScheduleJson for the text). */
export function scheduleJson(s: ScheduleExport, opts: ScheduleJsonOptions) {
  const e = s.edition;
  const pageUrl = absoluteUrl(opts.baseUrl, urls.edition(e.series.slug, e.year));
  const rooms = [...new Set(s.days.flatMap((d) => d.slots.map((x) => roomName(s, x))))];
  return {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: { name: 'conclave', ...(opts.version ? { version: opts.version } : {}) },
    schedule: {
      version: s.stamp.toISOString(),
      base_url: `${opts.baseUrl.replace(/\/+$/, '')}/`,
      conference: {
        acronym: acronym(e.series.slug, e.year),
        title: e.title,
        ...(e.subtitle ? { description: e.subtitle } : {}),
        start: s.start,
        end: s.end,
        daysCount: s.days.length,
        timeslot_duration: '00:15',
        // The schema's pattern takes 'Area/Place' names and UTC; others ('US/Pacific') are left
        // out, and so is an unknown zone: its times are floating (no offset), not UTC.
        ...(s.timeZone && ZONE_NAME.test(s.timeZone) ? { time_zone_name: s.timeZone } : {}),
        url: pageUrl,
        rooms: rooms.map((name) => ({ name, guid: roomGuid(s, name) })),
        days: s.days.map((d) => ({
          index: d.index,
          date: d.date,
          day_start: zonedDateTime(s.timeZone, d.date, d.start),
          day_end: zonedDateTime(s.timeZone, d.date, d.end),
          rooms: Object.fromEntries([...roomsOf(s, d.slots)].map(([name, slots]) => [name, slots.map((x) => eventJson(s, x, opts, pageUrl))])),
        })),
      },
    },
  };
}

export function renderScheduleJson(s: ScheduleExport, opts: ScheduleJsonOptions): string {
  return JSON.stringify(scheduleJson(s, opts), null, 2) + '\n';
}
