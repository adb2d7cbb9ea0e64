/**
 * The export's writer and its last guard, without a database: a re-export tells unchanged files
 * by the hashes its manifest recorded, without reading them back — but a file changed on disk
 * since is still found out and written again; and the address scan finds exactly what a plain
 * `matchAll` of the address pattern finds.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addressesIn, privacyGuard } from '../../src/export/guard.js';
import { MANIFEST, TreeWriter } from '../../src/export/write-tree.js';

const files: Record<string, string> = {
  'index.html': '<p>the archive</p>',
  'netconf/2015/index.html': '<p>2015</p>',
  'netconf/2015/schedule.ics': 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
};

async function exportAll(dir: string, content: Record<string, string>) {
  const tree = await TreeWriter.open(dir);
  for (const [f, text] of Object.entries(content)) await tree.put(f, Buffer.from(text));
  return tree.finish();
}

describe('TreeWriter', () => {
  afterEach(() => vi.restoreAllMocks());

  it('records a hash per file and tells unchanged files without reading them', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-tree-')), 'site');
    const first = await exportAll(dir, files);
    expect(first.written).toBe(3);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: string[]; recorded: Record<string, { sha256: string }> };
    expect(manifest.files).toEqual(Object.keys(files).sort());
    expect(manifest.recorded['netconf/2015/index.html']!.sha256).toMatch(/^[0-9a-f]{64}$/);

    const reads = vi.spyOn(fsp, 'readFile');
    const again = await exportAll(dir, files);
    expect({ written: again.written, unchanged: again.unchanged }).toEqual({ written: 0, unchanged: 3 });
    // Only the manifest is read.
    expect(reads.mock.calls.map((c) => path.basename(String(c[0])))).toEqual([MANIFEST]);
  });

  it('leaves no temporary file behind when a file cannot take its place', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-tree-')), 'site');
    const tree = await TreeWriter.open(dir);
    await tree.put('files/abc/slides.pdf', Buffer.from('%PDF'));
    // A directory is where the file would go.
    await expect(tree.put('files/abc', Buffer.from('x'))).rejects.toThrow();
    expect(fs.readdirSync(path.join(dir, 'files'))).toEqual(['abc']);
  });

  it('empties a new or empty directory after a failed export, and keeps a previous export', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-tree-'));
    for (const dir of [path.join(parent, 'new'), fs.mkdtempSync(path.join(parent, 'empty-'))]) {
      const tree = await TreeWriter.open(dir);
      await tree.put('netconf/2015/index.html', Buffer.from('<p>half</p>'));
      const part = TreeWriter.forPart(tree.share());
      part.putSync('people/x/index.html', Buffer.from('<p>from a worker</p>'));
      await tree.abandon();
      expect(fs.readdirSync(dir)).toEqual([]);
      // The next export takes the directory.
      expect((await exportAll(dir, files)).written).toBe(3);
    }
    const kept = path.join(parent, 'new');
    const tree = await TreeWriter.open(kept);
    await tree.put('index.html', Buffer.from('<p>the archive, changed</p>'));
    await tree.abandon();
    expect(fs.readFileSync(path.join(kept, 'netconf/2015/index.html'), 'utf8')).toBe('<p>2015</p>');
    expect(JSON.parse(fs.readFileSync(path.join(kept, MANIFEST), 'utf8')).files).toEqual(Object.keys(files).sort());
    // What it replaced is whole, and the next export puts the directory right.
    expect(fs.readFileSync(path.join(kept, 'index.html'), 'utf8')).toBe('<p>the archive, changed</p>');
    expect((await exportAll(kept, files)).changed).toEqual(['index.html']);
  });

  it('writes again a file changed on disk since, even of the same size', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-tree-')), 'site');
    await exportAll(dir, files);
    const file = path.join(dir, 'netconf/2015/index.html');
    // Edited by hand: same length, other bytes, a later time.
    fs.writeFileSync(file, '<p>2016</p>');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    const again = await exportAll(dir, files);
    expect(again.changed).toEqual(['netconf/2015/index.html']);
    expect(fs.readFileSync(file, 'utf8')).toBe('<p>2015</p>');
    // A changed page is written with its new bytes (and the next run finds it unchanged).
    const changed = await exportAll(dir, { ...files, 'index.html': '<p>the archive, again</p>' });
    expect(changed.changed).toEqual(['index.html']);
    expect((await exportAll(dir, { ...files, 'index.html': '<p>the archive, again</p>' })).written).toBe(0);
  });

  it('reads a manifest of an older export (no hashes) and compares bytes instead', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-tree-')), 'site');
    await exportAll(dir, files);
    const manifestFile = path.join(dir, MANIFEST);
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
    delete m.recorded;
    fs.writeFileSync(manifestFile, JSON.stringify(m));
    const again = await exportAll(dir, { ...files, 'index.html': '<p>the archive!</p>' });
    expect({ written: again.changed, unchanged: again.unchanged }).toEqual({ written: ['index.html'], unchanged: 2 });
  });
});

describe('addressesIn', () => {
  const PATTERN = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
  it.each([
    'write to Dave.Miller@Example.org, or to netdev@vger.kernel.org.',
    'a@b.cc.d@e.ff, x@y, @@z.org, q@@r.st, .d@e.ff@g.hh',
    'mailto:someone+tag@sub.example.co.uk?subject=x joe@localhost not@valid.c ok@valid.io',
    "o'brien@example.ie (folded\r\n line) \u00e9t\u00e9@example.org KELVIN\u212a@example.org",
    'no address here at all',
    '',
  ])('finds what matchAll finds in %j', (text) => {
    expect([...addressesIn(text)]).toEqual([...text.matchAll(PATTERN)].map((m) => m[0]));
  });
});

describe('privacyGuard', () => {
  const guard = privacyGuard(new Set(['secret@example.org']));
  it.each([
    ['text/html', '<p>secret@example.org</p>'],
    ['text/calendar', 'DESCRIPTION:Contact:\\nsecret@example.org\r\n'],
    ['text/calendar', 'DESCRIPTION:Contact: sec\r\n ret@example.org\r\n'],
    ['application/json', JSON.stringify({ abstract: 'Contact:\nsecret@example.org\tor me' })],
    ['application/xml', '<abstract>Contact:\nSECRET@example.org</abstract>'],
  ])('stops a %s file that shows a hidden address: %j', (type, body) => {
    expect(() => guard('/x', type, body)).toThrow('refusing to export /x: it shows an address that is not public');
  });

  it('lets public addresses and other types through', () => {
    expect(() => guard('/x', 'application/json', JSON.stringify({ a: 'Contact:\npublic@example.org' }))).not.toThrow();
    expect(() => guard('/x', 'image/png', 'secret@example.org')).not.toThrow();
  });
});
