/**
 * A worker thread of the export (render-pool.ts): renders the shares of the archive it is given
 * (archive-pages.ts) as they come, makes each page into its file — links made relative, the
 * privacy guard — and writes it, reporting to the main thread what it wrote and which links each
 * page holds.
 *
 * A page (HTML or JSON) linking a stored file without a name goes back to the main thread as
 * rendered: only the app knows the type that names its file.
 */
import { parentPort } from 'node:worker_threads';
import { answerOf, archivePages } from './archive-pages.js';
import type { Share } from './direct.js';
import { privacyGuard, type Guard } from './guard.js';
import { exportedFile, fileFor, isNameless, jsonLinks, rewriteHtmlLinks } from './site-paths.js';
import { TreeWriter, type TreePart, type TreeShare } from './write-tree.js';
import { withSiteName } from '../web/views/site.js';

/** What a worker is told: first how to write, then shares to render, then that there are no more. */
export type WorkerRequest =
  | {
      kind: 'start';
      baseUrl: string;
      /** The site's name, as the main thread's pages give it. */
      siteName: string;
      /** Addresses that must appear nowhere, lower case. */
      hidden: string[];
      tree: TreeShare;
    }
  | { kind: 'share'; share: Share }
  | { kind: 'end' };

/**
 * One page done: its file (null when it is not 200, with why for a 500) and, for HTML and JSON,
 * the exported links it holds; or a page to finish in the main thread, as rendered.
 */
export type PageReport =
  | { path: string; status: number; file: string | null; links: string[]; error?: string }
  | { path: string; html: string }
  | { path: string; json: string; type: string };

export type WorkerMessage =
  | { kind: 'pages'; pages: PageReport[] }
  | { kind: 'done'; part: TreePart }
  | { kind: 'error'; name: string; message: string; stack?: string };

/** Pages reported at once: fewer messages, but a progress bar that still moves. */
const BATCH = 64;

interface State {
  baseUrl: string;
  siteName: string;
  guard: Guard;
  tree: TreeWriter;
}

function render(state: State, share: Share, post: (m: WorkerMessage) => void): void {
  const { baseUrl, guard, tree } = state;
  let batch: PageReport[] = [];
  for (const [urlPath, page] of archivePages(share.editions, share.people, { baseUrl })) {
    const answer = answerOf(page);
    if (answer.status !== 200) {
      batch.push({ path: urlPath, status: answer.status, file: null, links: [], ...(answer.error !== undefined ? { error: answer.error } : {}) });
    } else if (answer.type.startsWith('text/html')) {
      const file = fileFor(urlPath);
      const out = rewriteHtmlLinks(answer.body, file, exportedFile, baseUrl);
      if (out.links.some(isNameless)) {
        batch.push({ path: urlPath, html: answer.body });
      } else {
        guard(urlPath, 'text/html', out.html);
        tree.putSync(file, Buffer.from(out.html, 'utf8'));
        batch.push({ path: urlPath, status: 200, file, links: out.links });
      }
    } else {
      const links = answer.type.startsWith('application/json') ? jsonLinks(answer.body) : [];
      if (links.some(isNameless)) {
        batch.push({ path: urlPath, json: answer.body, type: answer.type });
      } else {
        const file = fileFor(urlPath, answer.type);
        guard(urlPath, answer.type, answer.body);
        tree.putSync(file, Buffer.from(answer.body, 'utf8'));
        batch.push({ path: urlPath, status: 200, file, links });
      }
    }
    if (batch.length >= BATCH) {
      post({ kind: 'pages', pages: batch });
      batch = [];
    }
  }
  if (batch.length) post({ kind: 'pages', pages: batch });
}

const port = parentPort;
if (port) {
  let state: State | null = null;
  let failed = false;
  const post = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: WorkerRequest) => {
    if (failed) return;
    try {
      if (m.kind === 'start') state = { baseUrl: m.baseUrl, siteName: m.siteName, guard: privacyGuard(new Set(m.hidden)), tree: TreeWriter.forPart(m.tree) };
      else if (!state) throw new Error('an export worker was given work before it was started');
      else if (m.kind === 'share') withSiteName(state.siteName, () => render(state!, m.share, post));
      else {
        post({ kind: 'done', part: state.tree.part() });
        port.close();
      }
    } catch (err) {
      failed = true;
      const e = err instanceof Error ? err : new Error(String(err));
      post({ kind: 'error', name: e.name, message: e.message, stack: e.stack });
    }
  });
}
