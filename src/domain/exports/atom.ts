/**
 * feed.atom (RFC 4287): every edition (a new one is announced when it is created, and updated
 * when it changes) and the announcements of published schedules, from their public changelog
 * (schedule_changes; never those of a planned edition). Newest first. loadFeed reads, renderAtom
 * is pure.
 *
 * An edition imported from an archive page is not news of the day it was imported: its entry is
 * published when the edition began (its start date, else the first day of its year; the import
 * time if that is earlier, as for a page of an edition still to come), and updated when it last
 * changed in a way the audit trail records (entryDates), not at every import of an
 * unchanged page.
 */
import type { Kysely } from 'kysely';
import type { Database, EditionStatus, ScheduleChangeKind } from '../../db/schema.js';
import { urls } from '../../web/urls.js';
import { DEFAULT_SITE_NAME } from '../editions/site-name.js';
import { dateRange } from '../invitations/dates.js';
import { absoluteUrl, editionGuid } from './schedule.js';
import { escapeXml } from './schedule-xml.js';
import { uuid5 } from './uuid.js';

export interface FeedEdition {
  series: { slug: string; name: string };
  year: number;
  title: string;
  subtitle: string | null;
  /** The dates as the edition's page shows them (its own dates, else the imported page's words). */
  datesText: string | null;
  locationText: string | null;
  status: EditionStatus;
  /** When the entry was published and last updated (see entryDates). */
  published: Date;
  updated: Date;
}

export interface FeedChange {
  id: number;
  series: { slug: string; name: string };
  year: number;
  editionTitle: string;
  kind: ScheduleChangeKind;
  summary: string;
  createdAt: Date;
}

export interface FeedData {
  editions: FeedEdition[];
  changes: FeedChange[];
}

export interface AtomOptions {
  baseUrl: string;
  version?: string;
  /** The site's name (siteNameOf): the feed's title and author name it; default conclave. */
  siteName?: string;
  /** When the feed is written: its <updated> when it has no entry (default now). */
  now?: Date;
}

/** How many schedule announcements the feed carries, newest first. */
export const FEED_CHANGES = 100;

/** The audit entries importedEntryDates reads, of one edition, in the order they were written. */
export interface EntryAuditRow {
  action: string;
  at: Date | string;
  after: unknown;
}

/** The audit actions importedEntryDates reads (loadFeed selects by them). */
const ENTRY_AUDIT_ACTIONS = ['edition.import', 'edition.update', 'schedule.publish'];

/**
 * The published and updated times of an edition's entry. One made in conclave: its creation and
 * its row's last change. One imported from an archive page (`sourceFile` set), where both of those
 * are import times: published at its start (midnight UTC of its start date, else of 1 January of
 * its year), or at its creation if that is earlier; updated at the last of its edits in conclave
 * (edition.update), its schedule's publications (schedule.publish), and the imports that brought
 * a page other than the one before (its sha256 changed), never before it was published.
 */
export function entryDates(
  e: { year: number; startDate: string | null; sourceFile: string | null; createdAt: Date; updatedAt: Date },
  audit: readonly EntryAuditRow[],
): { published: Date; updated: Date } {
  if (e.sourceFile === null) return { published: e.createdAt, updated: e.updatedAt };
  const began = new Date(`${e.startDate ?? `${String(e.year).padStart(4, '0')}-01-01`}T00:00:00Z`);
  const published = Number.isNaN(began.getTime()) || began > e.createdAt ? e.createdAt : began;
  let updated = published.getTime();
  let sha: unknown = undefined;
  for (const r of audit) {
    const at = new Date(r.at).getTime();
    if (r.action === 'edition.import') {
      const after = (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as { sha256?: unknown; created?: unknown } | null;
      // The first import made the entry; a later one changes it only when the page changed.
      if (sha !== undefined && after?.created !== true && after?.sha256 !== sha) updated = Math.max(updated, at);
      sha = after?.sha256 ?? null;
    } else {
      updated = Math.max(updated, at);
    }
  }
  return { published, updated: new Date(updated) };
}

export async function loadFeed(deps: { db: Kysely<Database> }): Promise<FeedData> {
  const [editions, changes, audit] = await Promise.all([
    deps.db
      .selectFrom('editions')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select([
        'series.slug as seriesSlug',
        'series.name as seriesName',
        'editions.year',
        'editions.title',
        'editions.subtitle',
        'editions.dates_text',
        'editions.start_date',
        'editions.end_date',
        'editions.location_text',
        'editions.status',
        'editions.id',
        'editions.source_file',
        'editions.created_at',
        'editions.updated_at',
      ])
      .orderBy('editions.year', 'desc')
      .orderBy('series.slug')
      .execute(),
    deps.db
      .selectFrom('schedule_changes')
      .innerJoin('editions', 'editions.id', 'schedule_changes.edition_id')
      .innerJoin('series', 'series.id', 'editions.series_id')
      .select([
        'schedule_changes.id',
        'schedule_changes.kind',
        'schedule_changes.summary',
        'schedule_changes.created_at',
        'series.slug as seriesSlug',
        'series.name as seriesName',
        'editions.year',
        'editions.title',
      ])
      .where('editions.status', '!=', 'planned')
      .orderBy('schedule_changes.created_at', 'desc')
      .orderBy('schedule_changes.id', 'desc')
      .limit(FEED_CHANGES)
      .execute(),
    deps.db
      .selectFrom('audit_log')
      .innerJoin('editions', 'editions.id', 'audit_log.edition_id')
      .select(['audit_log.edition_id', 'audit_log.action', 'audit_log.at', 'audit_log.after'])
      .where('editions.source_file', 'is not', null)
      .where('audit_log.action', 'in', ENTRY_AUDIT_ACTIONS)
      .orderBy('audit_log.id')
      .execute(),
  ]);
  return {
    editions: editions.map((r) => ({
      series: { slug: r.seriesSlug, name: r.seriesName },
      year: r.year,
      title: r.title,
      subtitle: r.subtitle,
      datesText: r.start_date ? dateRange(r.start_date, r.end_date) : r.dates_text,
      locationText: r.location_text,
      status: r.status,
      ...entryDates(
        { year: r.year, startDate: r.start_date, sourceFile: r.source_file, createdAt: r.created_at, updatedAt: r.updated_at },
        audit.filter((a) => a.edition_id === r.id),
      ),
    })),
    changes: changes.map((r) => ({
      id: r.id,
      series: { slug: r.seriesSlug, name: r.seriesName },
      year: r.year,
      editionTitle: r.title,
      kind: r.kind,
      summary: r.summary,
      createdAt: r.created_at,
    })),
  };
}


interface Entry {
  id: string;
  title: string;
  updated: Date;
  published: Date;
  href: string;
  summary: string;
  category: string;
  /** Ties of `updated` (editions imported together) go newest edition first. */
  year: number;
}

function entryXml(x: Entry): string[] {
  return [
    '  <entry>',
    `    <id>${escapeXml(x.id)}</id>`,
    `    <title type="text">${escapeXml(x.title)}</title>`,
    `    <updated>${x.updated.toISOString()}</updated>`,
    `    <published>${x.published.toISOString()}</published>`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(x.href)}"/>`,
    `    <category term="${escapeXml(x.category)}"/>`,
    `    <summary type="text">${escapeXml(x.summary)}</summary>`,
    '  </entry>',
  ];
}

export function renderAtom(feed: FeedData, opts: AtomOptions): string {
  const entries: Entry[] = [
    ...feed.editions.map((e) => ({
      id: `urn:uuid:${editionGuid(e.series.slug, e.year)}`,
      title: e.title,
      updated: e.updated,
      published: e.published,
      href: absoluteUrl(opts.baseUrl, urls.edition(e.series.slug, e.year)),
      summary: [e.subtitle, e.datesText, e.locationText, e.status === 'planned' ? 'Planned' : null].filter(Boolean).join('. '),
      category: 'edition',
      year: e.year,
    })),
    ...feed.changes.map((c) => ({
      id: `urn:uuid:${uuid5(`conclave:schedule-change:${c.id}`)}`,
      title: `${c.editionTitle}: ${c.summary}`,
      updated: c.createdAt,
      published: c.createdAt,
      href: absoluteUrl(opts.baseUrl, urls.changes(c.series.slug, c.year)),
      summary: c.summary,
      category: `schedule-${c.kind}`,
      year: c.year,
    })),
  ].sort((a, b) => b.updated.getTime() - a.updated.getTime() || b.year - a.year || a.id.localeCompare(b.id));
  const site = opts.siteName ?? DEFAULT_SITE_NAME;
  // An empty feed changed last when it was written (RFC 4287 wants an <updated> all the same).
  const updated = entries.length > 0 ? entries[0]!.updated : (opts.now ?? new Date());
  const self = absoluteUrl(opts.baseUrl, urls.feed());
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title type="text">${escapeXml(`${site}: editions and announcements`)}</title>`,
    `  <id>${escapeXml(self)}</id>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(opts.baseUrl, urls.home()))}"/>`,
    `  <author><name>${escapeXml(`${site} committee`)}</name></author>`,
    `  <generator${opts.version ? ` version="${escapeXml(opts.version)}"` : ''}>conclave</generator>`,
    ...entries.flatMap(entryXml),
    '</feed>',
  ].join('\n') + '\n';
}
