/**
 * Reading a page as a kernel maintainer's text browser does: `lynx -dump` of HTML given on its
 * standard input, in UTF-8. Tests that need it run only where lynx is installed (`hasLynx`);
 * `.ci/run` installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';

export const hasLynx = spawnSync('lynx', ['-version']).status === 0;

/** The page as `lynx -dump` prints it at `width` columns; `list: false` leaves out the list of links at the end. */
export function lynxDump(html: string, opts: { width?: number; list?: boolean } = {}): string {
  const args = ['-dump', '-stdin', ...(opts.list === false ? ['-nolist'] : []), ...(opts.width ? [`-width=${opts.width}`] : []), '-assume_charset=utf-8', '-display_charset=utf-8'];
  return execFileSync('lynx', args, { input: html, encoding: 'utf8', timeout: 20_000 });
}
