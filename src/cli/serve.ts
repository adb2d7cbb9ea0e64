/**
 * `conclave serve`: the site, the outbox worker and the hourly jobs in one process — or, with
 * `--workers N` on PostgreSQL, in N worker processes under a primary (ops/cluster.ts), each of
 * them running serve-process.ts. This module only reads the command line: the primary loads
 * nothing of the web app, and a worker loads it once it knows it serves.
 */
import cluster from 'node:cluster';
import os from 'node:os';
import { Command } from 'commander';
import { checkDataDirs, loadConfig } from '../config.js';
import { wholeNumberOption, wholeNumberValue } from './usage-error.js';
import type { ServeOptions } from './serve-process.js';

function workersOf(value: string | number): number {
  if (value === 'auto') return os.availableParallelism();
  return wholeNumberOption(value, '--workers', 1, 256, ', or auto (one per core)');
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the site and send queued mail (PORT, HOST; embedded database in CONCLAVE_DATA, or DATABASE_URL; SMTP_URL, else a local mailbox).')
    .option('--bootstrap', 'on an empty database, import the bundled Netconf archive and create a demo committee member')
    .option('--no-mail-worker', 'do not send mail from this process')
    .option('--workers <n>', 'serve from N processes sharing the port, or "auto" for one per core (PostgreSQL only)', (value: string): string | number => (workersOf(value), value), 1)
    .option('--no-cache', 'render every public page on every request (as CONCLAVE_CACHE=off)')
    .option('--log', 'log each request but cache hits (the default now; LOG_LEVEL=warn for less)')
    .option('--smtp-port <n>', 'also take inbound mail (answers by mail) over SMTP on this port (docs/inbound-mail.md)', wholeNumberValue('--smtp-port', 0, 65535))
    .option('--smtp-host <host>', 'the address the SMTP listener binds (default: HOST)')
    .action(async (opts: ServeOptions & { workers: string | number }) => {
      const config = loadConfig();
      const workers = workersOf(opts.workers);
      // Once, before any worker: where it keeps files and mail must be writable.
      if (cluster.isPrimary) checkDataDirs(config);
      if (workers > 1 && cluster.isPrimary) {
        const { runPrimary } = await import('../ops/cluster.js');
        return runPrimary({ config, workers, bootstrap: !!opts.bootstrap });
      }
      const { serveProcess } = await import('./serve-process.js');
      return serveProcess(config, opts);
    });
}
