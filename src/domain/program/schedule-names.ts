/**
 * How the schedule names what it holds, in the builder, the changelog and mail alike: a day by
 * its date or its given name, a slot by its title, a room, a slot's day and time.
 */
import type { SlotKind } from '../../db/schema.js';
import { longDate } from '../invitations/dates.js';

const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });

/** "Tuesday, May 12, 2026". */
export function dayLabel(date: string): string {
  const wd = WEEKDAY.format(new Date(`${date}T12:00:00Z`));
  return `${wd}, ${longDate(date)}`;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/**
 * Whether a day's label only says its date, as an imported page's do ("July 14th:", "Tuesday,
 * June 14, 2011"): it names the date's month and day of the month, and nothing else is left but
 * a weekday, the year and punctuation ("Monday, June 9 — Hackathon" is a name).
 */
export function labelIsDate(day: { date: string; label: string }): boolean {
  // "2027-03-27", or the day's own weekday alone ("Monday"), says nothing the date does not.
  const wd = WEEKDAY.format(new Date(`${day.date}T12:00:00Z`)).toLowerCase();
  if (day.label.trim() === day.date || day.label.trim().toLowerCase().replace(/[,.:]$/, '') === wd) return true;
  const month = MONTHS[Number(day.date.slice(5, 7)) - 1]!;
  const dom = Number(day.date.slice(8, 10));
  const words = day.label.toLowerCase().split(/[\s,.:;]+/).filter((w) => w !== '');
  const isMonth = (w: string) => w === month || (w.length >= 3 && month.startsWith(w));
  const isDay = (w: string) => new RegExp(`^0?${dom}(st|nd|rd|th)?$`).test(w);
  const isWeekday = (w: string) => WEEKDAYS.some((d) => w === d || (w.length >= 3 && d.startsWith(w)));
  return (
    words.some(isMonth) &&
    words.some(isDay) &&
    words.every((w) => isMonth(w) || isDay(w) || isWeekday(w) || w === day.date.slice(0, 4))
  );
}

/**
 * A day as the schedule names it: its date ("Tuesday, June 8, 2027"), after the name it was
 * given when it has one ("Hacking day — Tuesday, June 8, 2027").
 */
export function dayName(day: { date: string; label: string }): string {
  return labelIsDate(day) || day.label.trim() === '' ? dayLabel(day.date) : `${day.label} — ${dayLabel(day.date)}`;
}

/** What the schedule shows for a slot: its title, else its topic's, else the imported talk's, else its kind. */
export function slotTitle(s: { title: string; topicTitle: string | null; talkTitle: string | null; kind: SlotKind }): string {
  return s.title.trim() || s.topicTitle || s.talkTitle || s.kind;
}

/** A slot's room in a sentence: "room B", but "Room B" or "Main room" as named, not "room Room B". */
export function roomText(room: string): string {
  return /\broom\b/i.test(room) ? room : `room ${room}`;
}

/** "Tuesday 10:00–10:30". */
export function dayTime(date: string, start: string, end: string | null): string {
  const wd = WEEKDAY.format(new Date(`${date}T12:00:00Z`));
  return `${wd} ${start}${end ? `–${end}` : ''}`;
}

export const q = (s: string) => `“${s}”`;
