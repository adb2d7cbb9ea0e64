/**
 * The one place that builds paths. Every public page is a directory ("/netconf/2014/") so that
 * the static export can write it as index.html.
 */
export const urls = {
  home: () => '/',
  /** A series' editions (the archive page, of one series). */
  series: (series: string) => `/${encodeURIComponent(series)}/`,
  edition: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/`,
  editionJson: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/edition.json`,
  archiveJson: () => '/editions.json',
  people: () => '/people/',
  person: (slug: string) => `/people/${encodeURIComponent(slug)}/`,
  personJson: (slug: string) => `/people/${encodeURIComponent(slug)}/person.json`,
  /** The public changelog of a published schedule. */
  changes: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/changes/`,
  scheduleIcs: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/schedule.ics`,
  scheduleXml: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/schedule.xml`,
  scheduleJson: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/schedule.json`,
  feed: () => '/feed.atom',
  search: () => '/search/',
  /** Where a search hit is shown: the person's page, or its row or section of the edition page. */
  hit: (hit: { personSlug: string | null; edition: { series: string; year: number } | null; anchor: string | null }): string =>
    hit.personSlug
      ? urls.person(hit.personSlug)
      : hit.edition
        ? `${urls.edition(hit.edition.series, hit.edition.year)}${hit.anchor ? `#${encodeURIComponent(hit.anchor)}` : ''}`
        : urls.home(),
  /** A stored file under the name it was uploaded with (the name is for the person saving it). */
  file: (sha256: string, name?: string | null) => (name ? `/files/${sha256}/${encodeURIComponent(name)}` : `/files/${sha256}`),
  style: () => '/static/style.css',
  favicon: () => '/static/favicon.svg',
};
