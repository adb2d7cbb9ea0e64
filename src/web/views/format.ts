/** Small formatting rules shared by the views. Pure functions, no HTML. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2014-08-19" → "August 19, 2014". */
export function longDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

/** "2015-02-12".."2015-02-13" → "February 12–13, 2015". */
export function dateRange(start: string | null, end: string | null): string {
  if (!start) return '';
  if (!end || end === start) return longDate(start);
  const [ys, ms, ds] = start.split('-').map(Number);
  const [ye, me, de] = end.split('-').map(Number);
  if (ys === ye && ms === me) return `${MONTHS[(ms ?? 1) - 1]} ${ds}–${de}, ${ys}`;
  if (ys === ye) return `${MONTHS[(ms ?? 1) - 1]} ${ds} – ${MONTHS[(me ?? 1) - 1]} ${de}, ${ys}`;
  return `${longDate(start)} – ${longDate(end)}`;
}

/** "09:00" → "9:00"; with an end "9:00–10:45"; open-ended "15:00+". */
export function slotTime(start: string, end: string | null, openEnded: boolean): string {
  const t = (s: string) => s.replace(/^0(\d)/, '$1');
  return `${t(start)}${end ? `–${t(end)}` : ''}${openEnded ? '+' : ''}`;
}

/** One formatter for every call: building an Intl formatter costs more than using it. */
const WEEKDAY = new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' });

/** The weekday of an ISO date, computed in UTC (dates carry no time). */
export function weekday(iso: string): string {
  return WEEKDAY.format(new Date(`${iso}T12:00:00Z`));
}

/** Longest option text of a select: with its label, one line of an 80-column text browser. */
export const OPTION_MAX = 56;

/**
 * An option's text cut to `max` characters at a word, ending in "...". lynx draws a select as
 * wide as its longest option: past the screen's width it wraps, and with non-ASCII text in it
 * the fields after it come out garbled. The whole text is in the option's title attribute.
 */
export function optionText(text: string, max = OPTION_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 3);
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${(atWord.length >= max / 2 ? atWord : cut).replace(/[\s,;:(–—-]+$/, '')}...`;
}

/**
 * A title of several lines (an archive page's cell) on one line: lines joined by "; ", or by a
 * space after a line that ends in punctuation ("Recent TCP developments. Things to do …").
 */
export function oneLine(text: string): string {
  return text.replace(/(?<=[.,;:!?])[ \t]*\n\s*/g, ' ').replace(/\s*\n\s*/g, '; ');
}
