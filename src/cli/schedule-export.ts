/**
 * `conclave schedule export YEAR --format ics|xml|json`: one edition's schedule file, the bytes
 * the site serves at /SERIES/YEAR/schedule.{ics,xml,json} for the same database and base URL
 * (the same loader and renderers as the web routes and the static export), on standard output
 * or in a file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { fileProblem, InvalidInput } from '../domain/errors.js';
import { loadSchedule } from '../domain/exports/schedule.js';
import { SCHEDULE_FORMAT_NAMES, SCHEDULE_FORMATS, type ScheduleFormat } from '../domain/exports/schedule-formats.js';
import { baseUrlValue, siteBaseUrl, withDb } from './context.js';
import { editionRefOf, seriesOption } from './series-option.js';

/**
 * Writes `text` to `file` whole or not at all: to a temporary name beside it, flushed to disk,
 * then renamed over it; a failure removes the temporary file and leaves `file` as it was.
 */
async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = await fs.open(tmp, 'w');
    try {
      await fd.writeFile(text);
      await fd.sync();
    } finally {
      await fd.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${path.dirname(file)} is not a directory that exists` : fileProblem(err);
    throw new InvalidInput('--out', `cannot write ${file}: ${why}`);
  }
}

export function scheduleExportCommand(): Command {
  return new Command('export')
    .description(
      'Write one edition’s schedule file, byte for byte what the site serves at /SERIES/YEAR/schedule.ics, .xml or .json (a planned edition’s: the edition and its days, no slots).',
    )
    .argument('<year>')
    .addOption(new Option('--format <format>', 'ics (iCalendar), xml (frab, for Giggity and ConfClerk) or json (C3VOC)').choices(SCHEDULE_FORMAT_NAMES).makeOptionMandatory())
    .option('--out <file>', 'write to this file (whole or not at all: a temporary file renamed over it) instead of standard output')
    .option(
      '--base-url <url>',
      'the running site, under which the file’s links are absolute [default: BASE_URL, else the address `conclave serve` last ran with on this database, else http://HOST:PORT]',
      baseUrlValue,
    )
    .addOption(seriesOption())
    .action(async (year: string, o: { format: ScheduleFormat; out?: string; baseUrl?: string; series?: string }) => {
      const given = o.baseUrl;
      const format = SCHEDULE_FORMATS[o.format];
      const { ref, text } = await withDb(async (handle, config) => {
        const ref = await editionRefOf(handle.db, config, year, o);
        return { ref, text: format.render(await loadSchedule({ db: handle.db }, ref.series, ref.year), { baseUrl: await siteBaseUrl(handle, config, given) }) };
      });
      if (o.out === undefined) {
        process.stdout.write(text);
        return;
      }
      await writeWhole(o.out, text);
      console.log(`wrote ${format.file} of ${ref.series} ${ref.year} to ${o.out} (${Buffer.byteLength(text)} bytes)`);
    });
}
