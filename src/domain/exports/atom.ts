/**
 * feed.atom (RFC 4287): every edition (a new one is announced when it is created, and updated
 * when it changes) and the announcements of published schedules, from their public changelog
 * (schedule_changes; never those of a planned edition). Newest first. loadFeed reads, renderAtom
 * is pure.
 */
import type { Kysely } from 'kysely';
import type { Database, EditionStatus, ScheduleChangeKind } from '../../db/schema.js';
import { urls } from '../../web/urls.js';
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
  createdAt: Date;
  updatedAt: Date;
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
}

/** How many schedule announcements the feed carries, newest first. */
export const FEED_CHANGES = 100;

export async function loadFeed(deps: { db: Kysely<Database> }): Promise<FeedData> {
  const [editions, changes] = await Promise.all([
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
      createdAt: r.created_at,
      updatedAt: r.updated_at,
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
      updated: e.updatedAt,
      published: e.createdAt,
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
  const names = [...new Set(feed.editions.map((e) => e.series.name))];
  const title = names.length > 0 ? `${names.join(', ')}: editions and announcements` : 'Editions and announcements';
  const updated = entries.length > 0 ? entries[0]!.updated : new Date(0);
  const self = absoluteUrl(opts.baseUrl, urls.feed());
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title type="text">${escapeXml(title)}</title>`,
    `  <id>${escapeXml(self)}</id>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(absoluteUrl(opts.baseUrl, urls.home()))}"/>`,
    `  <author><name>${escapeXml(names.length > 0 ? `${names.join(', ')} committee` : 'The committee')}</name></author>`,
    `  <generator${opts.version ? ` version="${escapeXml(opts.version)}"` : ''}>conclave</generator>`,
    ...entries.flatMap(entryXml),
    '</feed>',
  ].join('\n') + '\n';
}
