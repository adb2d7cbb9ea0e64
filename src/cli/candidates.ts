/**
 * `conclave candidates`: whom to invite, from a git history — the miner's ranked table with the
 * evidence, as a table, JSON or CSV; with `--edition YEAR --add`, the top people become that
 * edition's candidates. A progress bar on a terminal; Ctrl-C stops cleanly.
 */
import v8 from 'node:v8';
import type cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { NotFound } from '../domain/errors.js';
import { formatCsv, formatTable, skippedSample } from '../domain/contributions/format.js';
import { Interrupted, mineContributions, type Progress } from '../domain/contributions/mine.js';
import { readWeightsFile } from '../domain/contributions/weights.js';
import { cliActor, invitationDeps, withDb, yearArgument } from './context.js';
import { dateValue, UsageError, wholeNumberOption, wholeNumberValue } from './usage-error.js';
import { seriesAgain, seriesOf, seriesOption } from './series-option.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface Opts {
  repo: string;
  path: string[];
  since?: string;
  until?: string;
  range?: string;
  lines?: boolean;
  top: string | number;
  format: 'table' | 'json' | 'csv';
  json?: boolean;
  mailmap?: string;
  exclude: string[];
  weights?: string;
  edition?: string;
  add?: boolean;
  series?: string;
  includeMerges?: boolean;
  includeBots?: boolean;
  cache: boolean;
  jobs?: string;
}

/**
 * A bar on stderr when it is a terminal: commits, commits per second, and the time left when the
 * total is known. Not on a terminal, no bar and no update (and the miner does not count the
 * total, which costs a second walk of the history).
 */
async function progressBar(): Promise<{ update?: (p: Progress) => void; stop: () => void }> {
  if (!process.stderr.isTTY) return { stop: () => {} };
  // Loaded only for a terminal, as --edition's modules only with --edition: a plain run starts sooner.
  const { default: cliProgress } = await import('cli-progress');
  let bar: cliProgress.SingleBar | null = null;
  const started = Date.now();
  return {
    update(p) {
      const rate = Math.round(p.done / Math.max(0.001, (Date.now() - started) / 1000));
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            hideCursor: true,
            format: (options, params, payload: { rate: number; known: boolean }) => {
              const done = params.value;
              if (!payload.known) return `mining ${done} commits | ${payload.rate} commits/s`;
              const eta = payload.rate > 0 ? Math.max(0, Math.round((params.total - done) / payload.rate)) : 0;
              const width = options.barsize ?? 30;
              const filled = Math.round(Math.min(1, params.progress) * width);
              return `mining [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${params.total} commits | ${payload.rate} commits/s | ${eta}s left`;
            },
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total ?? 0, p.done, { rate, known: p.total !== null });
      }
      if (p.total !== null) bar.setTotal(p.total);
      bar.update(p.done, { rate, known: p.total !== null });
    },
    stop() {
      bar?.stop();
    },
  };
}

export function candidatesCommand(): Command {
  return new Command('candidates')
    .description('Whom to invite: rank the people in a git history by their contributions, with the evidence.')
    .requiredOption('--repo <path>', 'the git repository (a clone, bare or not)')
    .option('--path <path>', 'only commits touching this path (repeatable)', collect, [])
    .option('--since <date>', 'only commits since this day (YYYY-MM-DD, UTC)', dateValue('--since'))
    .option('--until <date>', 'only commits until the end of this day (YYYY-MM-DD, UTC)', dateValue('--until'))
    .option('--range <A..B>', 'only the commits of this range (default: HEAD)')
    .option('--lines', 'count lines added and removed, and the paths touched (one git per core)')
    .option('--top <n>', 'how many people to show (and to add)', wholeNumberValue('--top', 1, 100000), 15)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--json', 'same as --format json')
    .option('--mailmap <file>', 'a .mailmap applied after the repository\'s own')
    .option('--exclude <pattern>', 'leave out people whose address or name matches (* and ?; repeatable)', collect, [])
    .option('--weights <file>', 'JSON overriding the default weights (see docs/candidates.md)')
    .option('--edition <year>', 'with --add: the edition whose candidates the top people become')
    .option('--add', 'add the top people to --edition\'s candidates, with their evidence')
    .addOption(seriesOption('the series of --edition'))
    .option('--include-merges', 'count merge commits too (skipped by default)')
    .option('--include-bots', 'keep bots and robots (left out by default)')
    .option('--no-cache', 'neither read nor write the cache: a cold run')
    .option('--jobs <n>', 'line counters to run with --lines (default: one per core)')
    .action(async (opts: Opts) => {
      if (opts.add && !opts.edition) throw new UsageError('edition', '--add needs --edition YEAR');
      if (opts.edition && !opts.add) throw new UsageError('add', '--edition YEAR needs --add (to add the top people as candidates)');
      const top = wholeNumberOption(opts.top, '--top', 1, 100000);
      const jobs = opts.jobs === undefined ? undefined : wholeNumberOption(opts.jobs, '--jobs', 1, 256);
      const weights = opts.weights ? readWeightsFile(opts.weights) : undefined;
      const format = opts.json ? 'json' : opts.format;
      // Without the cache and without --edition there is nothing to read or write in a database:
      // none is opened (nor, on a new data directory, created), and a server holding it is no bar.
      const needsDb = opts.cache || !!opts.edition;
      // Ctrl-C at any point stops the command: while git runs, while the results are cached
      // and ranked, and while --add writes (its one transaction then rolls back).
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const mine = async (handle: Db | null, config: Config | null) => {
        // A history of any length streams through this process, leaving big short-lived strings
        // (git's output, the cache's chunks) that only a full collection frees; after one, V8
        // lets the heap grow up to 4× what stayed live before the next, which a million commits
        // reach. At most 2× keeps the peak near the live size, no slower (docs/benchmarks.md,
        // "Memory at any history size"). V8 reads it at each collection, so it may be set now;
        // set before the embedded database is compiled, it cost that 6 MB and 0.05 s.
        v8.setFlagsFromString('--heap-growing-percent=100');
        const series = opts.edition ? await seriesOf(handle!.db, config!, { series: opts.series, json: format === 'json' }) : '';
        const edition = opts.edition
          ? await (await import('../domain/editions/edit-edition.js')).getEdition({ db: handle!.db }, series, yearArgument(opts.edition, '--edition')).catch(async (err: unknown) => {
              if (err instanceof NotFound) {
                // Not the site's only series, the command names it: without, `edition create` could take another.
                const again = await seriesAgain(handle!.db, series);
                throw new NotFound(`${err.message}: create it first (\`conclave edition create ${opts.edition}${again}\`, or in the admin)`);
              }
              throw err;
            })
          : null;
        const bar = await progressBar();
        let result;
        try {
          result = await mineContributions(
            {
              ...(handle ? { db: handle.db } : {}),
              clock: () => new Date(),
              signal: controller.signal,
              ...(bar.update ? { onProgress: bar.update } : {}),
              warn: (m) => console.error(`conclave: warning: ${m}`),
              ...(jobs ? { jobs } : {}),
            },
            {
              repo: opts.repo,
              paths: opts.path,
              ...(opts.since ? { since: opts.since } : {}),
              ...(opts.until ? { until: opts.until } : {}),
              ...(opts.range ? { range: opts.range } : {}),
              lines: !!opts.lines,
              top,
              ...(opts.mailmap ? { mailmap: opts.mailmap } : {}),
              exclude: opts.exclude,
              ...(weights ? { weights } : {}),
              includeMerges: !!opts.includeMerges,
              includeBots: !!opts.includeBots,
              cache: opts.cache,
            },
          );
        } finally {
          bar.stop();
        }
        let added = null;
        if (edition) {
          const deps = await invitationDeps(handle!, config!);
          const { addMinedCandidates } = await import('../domain/contributions/add-candidates.js');
          added = await addMinedCandidates({ ...deps, signal: controller.signal }, cliActor(), edition.id, result);
        }
        if (format === 'json') console.log(JSON.stringify(added ? { ...result, candidates: added } : result, null, 2));
        else if (format === 'csv') {
          process.stdout.write(formatCsv(result));
          // The rows stay the CSV's only content; the trailers skipped are said beside them.
          for (const [i, l] of skippedSample(result).entries()) console.error(i ? l : `conclave: ${l}`);
        }
        else for (const l of formatTable(result)) console.log(l);
        if (added && format !== 'json') {
          const say = format === 'csv' ? console.error : console.log;
          // One a line, as those not added are: a name may hold a comma ("Quoted, Name").
          say(`${added.added.length} added as candidates of ${edition!.title}`);
          for (const c of added.added) say(`  added: ${c.name} <${c.email}>`);
          // A refusal that names the person already ("X <x@…> is already on the list") is not prefixed with them again.
          for (const l of added.left) say(`  not added: ${l.why.toLowerCase().includes(`<${l.email.toLowerCase()}>`) ? l.why : `${l.name} <${l.email}>: ${l.why}`}`);
        }
      };
      try {
        if (needsDb) await withDb(mine);
        else await mine(null, null);
      } catch (err) {
        if (!(err instanceof Interrupted)) throw err;
        console.error(`conclave: ${err.message}`);
        process.exitCode = 130;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
