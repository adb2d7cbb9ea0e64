/**
 * Worker threads for the export: each renders and writes the shares of the archive it is handed
 * (render-worker.ts) while the main thread loads the next share and crawls the rest. Started
 * before the archive is loaded, so that they load their modules while the database is read.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Conflict } from '../domain/errors.js';
import type { Share } from './direct.js';
import type { PageReport, WorkerMessage, WorkerRequest } from './render-worker.js';
import type { TreePart, TreeShare } from './write-tree.js';

/** Below this many editions a worker costs more to start than it saves. */
const SMALL_ARCHIVE = 50;

/** Worker threads for an archive of `editions` editions when none were asked for: one per CPU, at most 4. */
export function defaultThreads(editions: number): number {
  if (editions < SMALL_ARCHIVE) return 0;
  return Math.min(4, Math.max(1, os.availableParallelism()));
}

/**
 * A worker running render-worker: the compiled module, or, when this runs from the TypeScript
 * sources (tests, benchmarks), the source itself through tsx's loader, registered in the worker.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./render-worker.js', import.meta.url));
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const source = new URL('./render-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true });
}

/** An error of a worker, as the main thread throws it: a Conflict stays one (the privacy guard). */
function rethrown(m: Extract<WorkerMessage, { kind: 'error' }>): Error {
  const err = m.name === 'Conflict' ? new Conflict(m.message) : new Error(m.message);
  if (m.stack) err.stack = m.stack;
  return err;
}

export class RenderPool {
  /** The first failure of any worker: the export fails with it. */
  private failure: Error | null = null;
  private readonly parts: Promise<TreePart>[];
  private next = 0;

  private constructor(private readonly workers: Worker[]) {
    // Each worker's end, as a promise that is always listened to: a worker that fails while the
    // main thread is busy elsewhere must not go unheard (nor bring the process down).
    this.parts = workers.map(
      (w) =>
        new Promise<TreePart>((resolve, reject) => {
          let settled = false;
          const fail = (err: Error) => {
            if (settled) return;
            settled = true;
            this.failure ??= err;
            reject(err);
          };
          w.on('message', (m: WorkerMessage) => {
            if (m.kind === 'pages') for (const p of m.pages) this.onPage?.(p);
            else if (m.kind === 'error') fail(rethrown(m));
            else if (!settled) {
              settled = true;
              resolve(m.part);
            }
          });
          w.on('error', fail);
          w.on('exit', (code) => fail(new Error(`an export worker stopped (exit code ${code}) before it was done`)));
        }),
    );
    for (const p of this.parts) p.catch(() => {});
  }

  private onPage: ((r: PageReport) => void) | null = null;

  static start(threads: number): RenderPool {
    return new RenderPool(Array.from({ length: threads }, startWorker));
  }

  /** Tells the workers how to write into the tree; `onPage` hears of each page as it is done. */
  begin(opts: { baseUrl: string; siteName: string; hidden: string[]; tree: TreeShare }, onPage: (r: PageReport) => void): void {
    this.onPage = onPage;
    this.post({ kind: 'start', ...opts });
  }

  /** Hands a share to the next worker (round robin). */
  render(share: Share): void {
    if (this.failure) throw this.failure;
    const w = this.workers[this.next++ % this.workers.length]!;
    w.postMessage({ kind: 'share', share } satisfies WorkerRequest);
  }

  /** Waits for every worker to finish what it was handed: what each wrote into the tree. */
  finish(): Promise<TreePart[]> {
    this.post({ kind: 'end' });
    return Promise.all(this.parts);
  }

  private post(m: WorkerRequest): void {
    for (const w of this.workers) w.postMessage(m);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
