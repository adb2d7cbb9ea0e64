/**
 * An edition's schedule files, by format: the name each has beside the edition page, its media
 * type and its pure renderer. The web routes serve them and `conclave schedule export` writes
 * them from this one table, so that the two give the same bytes.
 */
import { renderIcs } from './ical.js';
import type { ScheduleExport } from './schedule.js';
import { renderScheduleJson } from './schedule-json.js';
import { renderScheduleXml } from './schedule-xml.js';

export const SCHEDULE_FORMAT_NAMES = ['ics', 'xml', 'json'] as const;
export type ScheduleFormat = (typeof SCHEDULE_FORMAT_NAMES)[number];

export const SCHEDULE_FORMATS: Record<ScheduleFormat, { file: string; type: string; render: (s: ScheduleExport, o: { baseUrl: string }) => string }> = {
  ics: { file: 'schedule.ics', type: 'text/calendar; charset=utf-8', render: renderIcs },
  xml: { file: 'schedule.xml', type: 'application/xml; charset=utf-8', render: renderScheduleXml },
  json: { file: 'schedule.json', type: 'application/json; charset=utf-8', render: renderScheduleJson },
};
