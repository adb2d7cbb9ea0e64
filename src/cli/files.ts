/**
 * `conclave files check [--content]` and `conclave files prune [--dry-run]`: the uploaded files
 * on disk against the database (domain/files/check.ts). A check that finds a recorded file
 * missing or damaged exits 1, for a cron job to mail; bytes nothing records are only reported,
 * and prune removes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { Conflict } from '../domain/errors.js';
import { checkFiles, pruneFiles, type LooseFile } from '../domain/files/check.js';
import { sizeText } from '../domain/files/material-types.js';
import { output, withDb } from './context.js';

const total = (files: LooseFile[]) => sizeText(files.reduce((n, f) => n + f.size, 0));
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The files directory serves both databases (CONCLAVE_DATA/files): refuses to prune from one
 * whose view of it may be partial. On PostgreSQL, an embedded database beside it has files of its
 * own there (unless --force: it is no longer used). An embedded database moved to PostgreSQL,
 * which knows only the files of before the move, is not opened at all (withDb).
 */
async function sharedFiles(handle: Db, config: Config, force: boolean): Promise<void> {
  if (handle.kind === 'postgres' && !force && fs.existsSync(path.join(config.dataDir, 'pgdata'))) {
    throw new Conflict(`an embedded database in ${config.dataDir} shares ${config.filesDir}, and its files look unrecorded from here: move it away if it is no longer used, or pass --force`);
  }
}

export function filesCommand(): Command {
  const cmd = new Command('files').description('The uploaded files (slides, photos, logos) on disk against the database: check them, remove what nothing records.');
  cmd
    .command('check')
    .description('Check that every recorded file is on disk with its size (--content: and its hash); report bytes nothing records. Exit code 1 when a recorded file is missing or damaged.')
    .option('--content', 'also read each file and compare its SHA-256 with its name (reads every byte)')
    .option('--json', 'print the report as JSON')
    .option('--quiet', 'print nothing when every recorded file is there (for cron, which mails what a job prints)')
    .action(async (opts: { content?: boolean; json?: boolean; quiet?: boolean }) =>
      withDb(async (handle, config) => {
        const r = await checkFiles({ db: handle.db, filesDir: config.filesDir }, { content: !!opts.content });
        if (r.damaged.length) process.exitCode = 1;
        if (opts.quiet && !r.damaged.length) return;
        output(opts.json, r, () => [
          `${count(r.recorded, 'file')} recorded (${sizeText(r.recordedBytes)}) in ${r.filesDir}: ${r.damaged.length ? `${r.damaged.length} missing or damaged` : `all there${r.contentChecked ? ', each with the content its hash says' : ' with their sizes'}`}`,
          ...r.damaged.flatMap((d) => [
            `  ${d.sha256}: ${d.problem}`,
            ...(d.usedBy.length ? d.usedBy.map((u) => `    used by ${u}: upload it again`) : ['    used by nothing any more']),
          ]),
          ...(r.unrecorded.length ? [`${count(r.unrecorded.length, 'file')} (${total(r.unrecorded)}) on disk that nothing records, neither served nor backed up: \`conclave files prune\` removes them`] : []),
          ...(r.partial.length ? [`${count(r.partial.length, 'partial copy', 'partial copies')} (${total(r.partial)}) left by a write that stopped: \`conclave files prune\` removes those older than an hour`] : []),
          ...(r.other.length ? [`not written by conclave, left alone: ${r.other.join(', ')}`] : []),
        ]);
      }),
    );
  cmd
    .command('prune')
    .description('Remove the bytes of files nothing records (and partial copies older than an hour); recorded files are never touched.')
    .option('--dry-run', 'only list what would be removed')
    .option('--force', 'prune on PostgreSQL although an embedded database lives beside it in CONCLAVE_DATA')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dryRun?: boolean; force?: boolean; json?: boolean }) =>
      withDb(async (handle, config) => {
        await sharedFiles(handle, config, !!opts.force);
        const r = await pruneFiles({ db: handle.db, filesDir: config.filesDir }, { dryRun: !!opts.dryRun });
        output(opts.json, r, () => [
          ...r.removed.map((f) => `${r.dryRun ? 'would remove' : 'removed'} ${f.name} (${sizeText(f.size)})`),
          `${r.dryRun ? 'would remove' : 'removed'} ${count(r.removed.length, 'file')} (${sizeText(r.bytes)}) from ${config.filesDir}`,
          ...(r.young.length ? [`kept ${count(r.young.length, 'partial copy', 'partial copies')} younger than an hour: a write may be under way`] : []),
          ...r.left.map((f) => `kept ${f.name}: recorded meanwhile, or it could not be removed`),
        ]);
      }),
    );
  return cmd;
}
