/**
 * The static site's /search/: a search needs the server, so the page says so and points to the
 * running site (and to the pages that list everything without one).
 */
import { urls } from '../web/urls.js';
import { Layout } from '../web/views/layout.js';

export function StaticSearchPage({ baseUrl }: { baseUrl: string }): JSX.Element {
  const live = `${baseUrl}${urls.search()}`;
  return (
    <Layout title="Search">
      <h1>Search</h1>
      <p>
        This is a static copy of the archive: searching it needs the conclave server it was copied from, at{' '}
        <a href={live} safe>
          {live}
        </a>
        .
      </p>
      <p>
        Without it, every edition is listed on <a href={urls.home()}>the archive page</a> and everybody on{' '}
        <a href={urls.people()}>the people page</a>; the whole archive is also available as <a href={urls.archiveJson()}>JSON</a>.
      </p>
    </Layout>
  );
}
