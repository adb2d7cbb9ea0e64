/**
 * The one place that builds paths. Every public page is a directory ("/netconf/2014/") so that
 * the static export can write it as index.html.
 */
export const urls = {
  home: () => '/',
  edition: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/`,
  editionJson: (series: string, year: number) => `/${encodeURIComponent(series)}/${year}/edition.json`,
  archiveJson: () => '/editions.json',
  people: () => '/people/',
  person: (slug: string) => `/people/${encodeURIComponent(slug)}/`,
  personJson: (slug: string) => `/people/${encodeURIComponent(slug)}/person.json`,
  style: () => '/static/style.css',
};
