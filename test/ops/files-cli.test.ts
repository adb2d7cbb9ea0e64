/**
 * `conclave files check` and `conclave files prune` as an operator runs them: a check that finds a
 * recorded file gone exits 1 and says what uses it; bytes nothing records are pointed to prune,
 * which removes them (after a dry run that removes nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../support/cli-in-process.js';
import { commandData } from '../support/db.js';

/**
 * The commands run in this process, on a database of the test's own (commandData) beside the
 * files of its data directory: what they check is what `files` does and says to the files, not
 * the executable (a Node process and the bundle's loading each) or the embedded database.
 */
const conclave = (args: string[], env: Record<string, string>) => runCommand(args, env);

describe('conclave files', () => {
  it('checks the uploaded files and prunes what nothing records', async () => {
    const env = await commandData('conclave-files-cli-');
    const dir = env.CONCLAVE_DATA;
    expect((await conclave(['edition', 'create', '2103', '--series', 'Netconf', '--title', 'Netconf 2103'], env)).code).toBe(0);
    const photo = path.join(dir, 'group.png');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#369' } }).png().toFile(photo);
    expect((await conclave(['materials', 'photo', '2103', '--file', photo], env)).code).toBe(0);

    const ok = await conclave(['files', 'check', '--content'], env);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    // Quiet, for cron: nothing to say when all is there, so no mail.
    expect(await conclave(['files', 'check', '--content', '--quiet'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(ok.stdout).toMatch(/^2 files recorded \([\d.]+ (bytes|KB)\) in .*files: all there, each with the content its hash says\n$/);

    // The thumbnail gone, and bytes nothing records beside it.
    const files = path.join(dir, 'files');
    const [thumbDir] = fs.readdirSync(files);
    const stored = fs.readdirSync(files, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    const { id, thumbUrl } = JSON.parse((await conclave(['materials', 'list', '2103', '--json'], env)).stdout)[0] as { id: number; thumbUrl: string };
    const gone = stored.find((f) => thumbUrl.includes(f.name))!;
    fs.rmSync(path.join(gone.parentPath, gone.name));
    const stray = `${thumbDir}${'0'.repeat(62)}`;
    fs.writeFileSync(path.join(files, thumbDir!, stray), 'left by a crash');

    const bad = await conclave(['files', 'check'], env);
    expect(bad.code).toBe(1);
    // Quiet, for cron, it still reports what is wrong, the same way.
    expect(await conclave(['files', 'check', '--quiet'], env)).toEqual(bad);
    expect(bad.stdout).toContain(`  ${gone.name}: missing (`);
    expect(bad.stdout).toContain(`    used by Netconf 2103: material “Group photo” (#${id}), its thumbnail: upload it again\n`);
    expect(bad.stdout).toContain('1 file (15 bytes) on disk that nothing records, neither served nor backed up: `conclave files prune` removes them\n');

    const dry = await conclave(['files', 'prune', '--dry-run'], env);
    expect(dry.stdout).toBe(`would remove ${thumbDir}/${stray} (15 bytes)\nwould remove 1 file (15 bytes) from ${files}\n`);
    expect(fs.existsSync(path.join(files, thumbDir!, stray))).toBe(true);
    const pruned = await conclave(['files', 'prune'], env);
    expect([pruned.code, pruned.stdout]).toEqual([0, `removed ${thumbDir}/${stray} (15 bytes)\nremoved 1 file (15 bytes) from ${files}\n`]);
    expect(fs.existsSync(path.join(files, thumbDir!, stray))).toBe(false);
    expect((await conclave(['files', 'check'], env)).stdout).not.toContain('nothing records');
  });
});
