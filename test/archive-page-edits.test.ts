/**
 * Importing a page over what the committee did in conclave, and what an HTML page gives that a
 * text page does not: the group photo's thumbnail linking to the full-size photo, and a Speaker
 * column that names no one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { bundledPages } from '../src/domain/archive/bundled.js';
import { importPages } from '../src/domain/archive/import-pages.js';
import { loadEdition } from '../src/domain/editions/load-edition.js';
import { setGroupPhoto } from '../src/domain/program/materials.js';
import { testDatabases } from './support/db.js';

const BASE = 'http://vger.kernel.org/netconf2015.html';
const COMMITTEE = { accountId: null, label: 'test' };
const seed = (year: number) => bundledPages().filter((p) => p.file.endsWith(`${year}.txt`));

/** A small HTML page of `year`, with `head` between its title and its fields. */
function htmlPage(year: number, head: string, rows = ''): { file: string; content: Buffer } {
  const html = [
    `<html><body><h1>Linux Kernel Developers' Netconf ${year}</h1>`,
    head,
    `<ul><li><b>Location</b> : Ottawa, Canada</li><li><b>Dates</b> : February 12, ${year}</li>`,
    rows ? `<li>Topics/Agenda/Schedule :<p>Thursday, February 12, ${year}</p><table><tr><th>Time</th><th>Speaker</th><th>Topics</th></tr>${rows}</table></li>` : '',
    '</ul></body></html>',
  ].join('\n');
  return { file: `netconf-${year}.html`, content: Buffer.from(html, 'utf8') };
}

describe.each(testDatabases())('importing pages on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => handle?.close());

  it('keeps the full-size group photo an HTML page links its image to, the image as its thumbnail', async () => {
    const head = '<p><a href="netconf2015/group.jpg"><img src="netconf2015/group-small.jpg"></a><br>NetConf 2061 Ottawa Group Photo</p>';
    await importPages({ db: handle.db }, [htmlPage(2061, head)], { baseUrl: BASE });
    const e = await loadEdition({ db: handle.db }, 'netconf', 2061);
    expect(e.groupPhoto).toMatchObject({
      label: 'NetConf 2061 Ottawa Group Photo',
      url: 'http://vger.kernel.org/netconf2015/group.jpg',
      thumbUrl: 'http://vger.kernel.org/netconf2015/group-small.jpg',
    });
  });

  it('makes no person of "Open Discussion" in an HTML Speaker column', async () => {
    const rows = '<tr><td>9:00am</td><td>Jamal Hadi Salim</td><td>Introduction</td></tr><tr><td>10:00am</td><td>Open Discussion</td><td>TBD</td></tr>';
    await importPages({ db: handle.db }, [htmlPage(2062, '', rows)], { baseUrl: BASE });
    const e = await loadEdition({ db: handle.db }, 'netconf', 2062);
    expect(e.agenda[0]!.slots.map((s) => [s.start, s.title, s.speakers.map((p) => p.name)])).toEqual([
      ['09:00', 'Introduction', ['Jamal Hadi Salim']],
      ['10:00', 'Open Discussion TBD', []],
    ]);
    expect(await handle.db.selectFrom('people').select('slug').where('slug', '=', 'open-discussion').execute()).toEqual([]);
  });

  it("keeps the caption of the group photo an upload replaces, unless it is given a new one", async () => {
    await importPages({ db: handle.db }, seed(2014));
    const e = await loadEdition({ db: handle.db }, 'netconf', 2014);
    expect(e.groupPhoto?.label).toBe("LKS NetConf '14 Group Photo");
    const { id } = await handle.db.selectFrom('editions').select('id').where('year', '=', 2014).executeTakeFirstOrThrow();
    const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conclave-files-'));
    const deps = { db: handle.db, filesDir };
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#111' } }).png().toBuffer();
    await setGroupPhoto(deps, COMMITTEE, { editionId: id, fileName: 'group.png', bytes: png });
    expect((await loadEdition({ db: handle.db }, 'netconf', 2014)).groupPhoto?.label).toBe("LKS NetConf '14 Group Photo");
    await setGroupPhoto(deps, COMMITTEE, { editionId: id, fileName: 'group.png', bytes: png, label: 'Netconf 2014, Chicago' });
    expect((await loadEdition({ db: handle.db }, 'netconf', 2014)).groupPhoto?.label).toBe('Netconf 2014, Chicago');
    // Imported again, the page's photo does not come back beside the uploaded one: the upload stays, noted.
    const [again] = await importPages({ db: handle.db }, seed(2014));
    const photos = await handle.db.selectFrom('materials').select(['label', 'imported']).where('edition_id', '=', id).where('kind', '=', 'group-photo').execute();
    expect(photos).toEqual([{ label: 'Netconf 2014, Chicago', imported: false }]);
    expect(again!.notes.map((n) => n.message)).toContain("kept the group photo uploaded in conclave, “Netconf 2014, Chicago”; the page gives “LKS NetConf '14 Group Photo”");
    fs.rmSync(filesDir, { recursive: true, force: true });
  });
});
