import fs from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { importPages, SERIES_NEEDS } from '../domain/archive/import-pages.js';
import { seriesSlug } from '../domain/editions/find-edition.js';
import { baseAddress } from '../domain/archive/link-target.js';
import { reportItems, type ImportReport } from '../domain/archive/import-report.js';
import { fileProblem, ImportError } from '../domain/errors.js';
import { cliActor, openInUse } from './context.js';
import { count } from '../domain/count.js';
import { UsageError } from './usage-error.js';

/**
 * --base-url as commander reads it, by the archive's own reading of a base address: anything
 * else is bad usage, before any database is opened. The value becomes the address as read.
 */
function baseUrlValue(value: string): string {
  const base = baseAddress(value);
  if (base === null) throw new UsageError('--base-url', `“${value}” is not an absolute http or https address`);
  return base;
}

/** --series as commander reads it: a name or slug with something to name a series by, else bad usage. */
function seriesValue(value: string): string {
  if (seriesSlug(value) === '') throw new UsageError('--series', SERIES_NEEDS);
  return value.trim();
}

/** A page's skipped lines and notes, in the order of its lines, as `FILE:LINE: …`. */
export function pageReport(r: ImportReport & { file: string }): string[] {
  // Line 0: about the page as a whole (a field kept as set in conclave), not a line of it.
  return reportItems(r).map((x) => `  ${r.file}${x.line > 0 ? `:${x.line}` : ''}: ${x.kind}: ${x.text}`);
}

export function importCommand(): Command {
  return new Command('import')
    .description('Import legacy edition pages (plain text as a browser shows them, or HTML) into the archive.')
    .argument('<file...>', 'pages to import; re-importing a page updates its edition in place')
    .option('--strict', 'fail, writing nothing, if any line of any page had to be skipped')
    .option('--base-url <url>', "where the pages were on the web, to resolve their relative links (an HTML page's <base href> wins); without it such links are left out, with a note", baseUrlValue)
    .option('--overwrite-schedule', 'replace an edition’s schedule and topics even if they were changed in conclave since its last import (materials added to them stay on the edition)')
    .option('--series <name>', "the series to put every page into, by name or slug (a new name starts a series); without it, each page's title names its series: all it says before the year, less a lead-in such as \"Linux Kernel Developers'\"", seriesValue)
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], opts: { strict?: boolean; json?: boolean; baseUrl?: string; overwriteSchedule?: boolean; series?: string }) => {
      const baseUrl = opts.baseUrl;
      const inputs = files.map((file) => {
        try {
          return { file, content: fs.readFileSync(file) };
        } catch (err) {
          throw new ImportError(file, 0, `cannot read it: ${fileProblem(err)}`);
        }
      });
      const config = loadConfig();
      const handle = await openInUse(config);
      try {
        const results = await importPages({ db: handle.db, filesDir: config.filesDir }, inputs, { strict: !!opts.strict, overwriteSchedule: !!opts.overwriteSchedule, actor: cliActor(), ...(baseUrl ? { baseUrl } : {}), ...(opts.series !== undefined ? { series: opts.series } : {}) });
        if (opts.json) {
          console.log(JSON.stringify(results, null, 2));
          return;
        }
        for (const r of results) {
          console.log(
            `${r.file}: ${r.created ? 'created' : 'updated'} ${r.title} (${count(r.slots, 'agenda row')}, ${count(r.people, 'person', 'people')}) in series “${r.series.name}” (--series ${r.series.slug})`,
          );
          for (const line of pageReport(r)) console.log(line);
          if (r.untied.length > 0) {
            const n = r.untied.length === 1 ? '1 material' : `${r.untied.length} materials`;
            console.log(`  ${n} added in conclave to what the page replaced, now among the edition's materials: ${r.untied.map((l) => `“${l}”`).join(', ')}`);
          }
        }
      } finally {
        await handle.close();
      }
    });
}
