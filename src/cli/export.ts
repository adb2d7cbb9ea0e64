/**
 * `conclave export --out DIR`: the whole public site as static files with relative links, for
 * any static host or file://. Re-running rewrites only what changed. A progress bar on a
 * terminal (stderr), a one-line summary otherwise.
 */
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { exportSite, type ExportProgress } from '../export/static-site.js';
import { baseUrlValue, commandSiteName, output, siteBaseUrl, withDb } from './context.js';
import { count } from '../domain/count.js';

function progressBar(): { update: (p: ExportProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'exporting [{bar}] {value}/{total} files | {file}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) {
        bar.start(p.total, p.done, { file: '' });
        started = true;
      }
      bar.setTotal(p.total);
      bar.update(p.done, { file: p.file ?? '' });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/**
 * The warning `conclave export` prints when its links would point at this machine: no
 * `--base-url` was given and the address it falls back on (BASE_URL, else what `conclave serve`
 * last ran with, else http://HOST:PORT) is a loopback one. Null when there is nothing to say.
 */
export function localBaseUrlWarning(baseUrl: string, given: boolean): string | null {
  if (given) return null;
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0' || host === '::';
  if (!local) return null;
  return `conclave: warning: no --base-url and no public BASE_URL: every page's search form, sign-in and admin links, and the links in the feed and schedules point at ${baseUrl}; give --base-url https://… (where conclave serves the site) to fix them`;
}

export function exportCommand(): Command {
  return new Command('export')
    .description('Write the public site as static files with relative links (any static host, or open it from disk); only what changed is rewritten.')
    .requiredOption('--out <dir>', 'the output directory: new, empty, or a previous export')
    .option('--base-url <url>', 'the running site (absolute links in the feed and schedules; where search goes) [BASE_URL]', baseUrlValue)
    .option('--concurrency <n>', 'pages asked for at once', wholeNumberValue('--concurrency', 1, 64), 4)
    .option('--threads <n>', 'worker threads rendering the editions and people (0: none) [default: one per CPU, at most 4, from 50 editions on]')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { out: string; baseUrl?: string; concurrency: string | number; threads?: string; json?: boolean }) => {
      const givenBase = opts.baseUrl;
      const concurrency = wholeNumberOption(opts.concurrency, '--concurrency', 1, 64);
      const threads = opts.threads === undefined ? undefined : wholeNumberOption(opts.threads, '--threads', 0, 64);
      // Ctrl-C or a stop: the export fails as on an error, so that a new directory is emptied
      // again rather than left half written (a second Ctrl-C ends it at once).
      const interrupt = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => interrupt.abort(Object.assign(new Error(`${signal}: the export was stopped`), { signal }));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await withDb(async (handle, config) => {
          const baseUrl = await siteBaseUrl(handle, config, givenBase);
          const bar = opts.json ? { update: () => {}, stop: () => {} } : progressBar();
          let result;
          try {
            result = await exportSite(
              { db: handle.db, filesDir: config.filesDir },
              {
                outDir: opts.out,
                baseUrl,
                siteName: await commandSiteName(handle, config),
                onProgress: bar.update,
                concurrency,
                threads,
                signal: interrupt.signal,
              },
            );
          } finally {
            bar.stop();
          }
          const r = result;
          output(opts.json, r, () => [
            `exported ${count(r.files, 'file')} to ${opts.out} in ${r.seconds.toFixed(1)} s: ${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed`,
            ...r.brokenLinks.map((b) => `conclave: warning: ${b.from} links to ${b.to}, which answers ${b.status}`),
          ]);
          // After the summary, where it is read; a refused export has no links to warn of.
          const warning = localBaseUrlWarning(baseUrl, givenBase !== undefined);
          if (warning) console.error(warning);
        });
      } catch (err) {
        if (!interrupt.signal.aborted || err !== interrupt.signal.reason) throw err;
        const { signal } = interrupt.signal.reason as { signal: NodeJS.Signals };
        console.error(`conclave: ${signal}: the export stopped; a new directory is left empty, a previous export keeps its list and the next run puts it right`);
        // As a shell reports a command a signal ended: 128 + its number.
        process.exitCode = 128 + (signal === 'SIGINT' ? 2 : 15);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
