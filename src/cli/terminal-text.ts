/**
 * Stored text as a terminal may be given it: without control characters (an imported page of an
 * older conclave may hold ESC, BEL, backspace …, which a terminal would act on: retitle the
 * window, recolour, overwrite the line). Tab and newline are spacing and stay. A module of its
 * own: the command line's error handling (main.ts) needs it, not the table's width counting.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
