/**
 * The seeds' agendas, row for row: every edition's imported schedule, as its public page shows
 * it, against the table of the page it came from. Each rendered row must hold exactly the words
 * of the matching row of the source (times compared as times; the order of columns differs in
 * 2014, and the "(slides)" markers of a title become links in the Materials column, which must
 * then hold as many links as the row had markers), in the same order, with none left over.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledPages } from '../../src/domain/archive/bundled.js';
import { importPages } from '../../src/domain/archive/import-pages.js';
import { buildApp } from '../../src/web/app.js';
import { freshPglite } from '../support/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const MATERIAL_WORDS = new Set(['slides', 'pdf', 'animations']);

function decode(s: string): string {
  return s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Minutes since midnight of "9:00:00", "10:00am", "12:00pm", "3:00pm+", "15:00". */
function timeToken(t: string): string {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?\s*(am|pm)?\+?$/i.exec(t)!;
  let h = Number(m[1]);
  const ampm = m[3]?.toLowerCase();
  if (ampm === 'pm' && h < 12) h += 12;
  // "12:00am Lunch!" (2004) means noon; the import reads it so, and so does everyone.
  return `@${h * 60 + Number(m[2])}`;
}

/** Words of a row, without case, punctuation or quotes; times as "@minutes". */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm)?\+?|[\p{L}\p{N}_]+/giu)) {
    out.push(/^\d{1,2}:\d{2}/.test(m[0]) ? timeToken(m[0].replace(/\s+/g, '')) : m[0].toLowerCase());
  }
  return out;
}

const bag = (xs: string[]) => [...xs].sort();

interface Row {
  words: string[];
  materials: number;
}

/** The rows of the page's rendered agenda (or 2019's topics-per-invitee table). */
function renderedRows(html: string): Row[] {
  const rows: Row[] = [];
  const tables = [...html.matchAll(/<table class="agenda">([\s\S]*?)<\/table>/g)].map((m) => m[1]!);
  const invitees = /<h2 id="invitee-topics">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html);
  if (invitees) tables.push(invitees[1]!);
  for (const t of tables) {
    const body = /<tbody>([\s\S]*)<\/tbody>/.exec(t)?.[1] ?? t;
    for (const tr of body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)) {
      const cells = [...tr[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => decode(c[1]!));
      const isAgenda = cells.length === 4;
      const materials = isAgenda ? [...cells[3]!.matchAll(/\S[^,]*/g)].length : 0;
      rows.push({ words: words((isAgenda ? cells.slice(0, 3) : cells).join(' ')), materials });
    }
  }
  return rows;
}

/** The source page's agenda lines: from its first table header (or day) to the next bullet. */
function sourceLines(year: number): string[] {
  const lines = fs.readFileSync(path.join(root, `archive/netconf/netconf-${year}.txt`), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^\s*(Time (Name|Speaker|Topic)|July 14th:|Name Topic)/.test(l));
  const next = lines.findIndex((l, i) => i > start && /^\s*•/.test(l));
  return lines
    .slice(start, next < 0 ? lines.length : next)
    // "(ILA, in PDF)" (2015) is the marker "PDF" about ILA: the page shows "(ILA)" and a PDF link.
    .map((l) => l.replace(/\u00a0/g, ' ').replace(/\bin (PDF|slides)\b/g, '$1').trim())
    .filter((l) => l !== '' && !/^Time (Name|Speaker|Topic)|^Name Topic$|^July 1\dth:$|^(Mon|Tues|Wednes|Thurs|Fri)day, /.test(l));
}

describe('the seed editions’ agendas', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const handle = await freshPglite();
    close = () => handle.close();
    await importPages({ db: handle.db }, bundledPages());
    app = await buildApp({ db: handle.db, clock: () => new Date('2026-11-22T12:00:00Z') });
  });
  afterAll(async () => {
    await app?.close();
    await close?.();
  });

  it.each([2004, 2011, 2014, 2015, 2019])('%i: the page shows its source table row for row', async (year) => {
    const html = (await app.inject(`/netconf/${year}/`)).body;
    const rows = renderedRows(html);
    expect(rows.length).toBeGreaterThan(0);
    // The source's words in order; each rendered row takes exactly its share, in turn.
    const stream = sourceLines(year).flatMap((l) => words(l));
    let at = 0;
    for (const [i, row] of rows.entries()) {
      const markers = stream.slice(at, at + row.words.length + row.materials).filter((w) => MATERIAL_WORDS.has(w)).length;
      const take = row.words.length + markers;
      const source = stream.slice(at, at + take).filter((w) => !MATERIAL_WORDS.has(w) || row.words.includes(w));
      expect(bag(row.words), `${year} row ${i + 1}`).toEqual(bag(source));
      expect(row.materials, `${year} row ${i + 1}: materials`).toBe(markers);
      at += take;
    }
    expect(stream.slice(at), `${year}: source words no row shows`).toEqual([]);
  });
});
