import type { PropsWithChildren } from '@kitajs/html';
import { urls } from '../urls.js';
import { pageTitle, siteName } from './site.js';

export interface LayoutProps {
  /** The page's own title: the browser's names the site after it (pageTitle). */
  title: string;
  /** Extra <link rel=alternate> entries, e.g. the edition's JSON. */
  alternates?: { type: string; href: string; title: string }[];
  description?: string;
  /** Where a browser goes at once (a page kept at an old address, in the static export). */
  refresh?: string;
}

/** The page frame: landmarks, skip link, navigation. Whole without CSS and without JavaScript. */
export function Layout(props: PropsWithChildren<LayoutProps>): JSX.Element {
  return (
    <>
      {'<!doctype html>'}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{pageTitle(props.title)}</title>
          {props.description ? <meta name="description" content={props.description} /> : ''}
          {props.refresh ? <meta http-equiv="refresh" content={`0; url=${props.refresh}`} /> : ''}
          <link rel="stylesheet" href={urls.style()} />
          <link rel="icon" type="image/svg+xml" href={urls.favicon()} />
          {(props.alternates ?? []).map((a) => (
            <link rel="alternate" type={a.type} href={a.href} title={a.title} />
          ))}
          <link rel="alternate" type="application/atom+xml" href={urls.feed()} title="Editions and announcements (Atom)" />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="site">
            <nav aria-label="Site">
              <ul>
                <li>
                  <a class="brand" href={urls.home()} safe>
                    {siteName()}
                  </a>
                </li>
                <li>
                  <a href={urls.home()}>Editions</a>
                </li>
                <li>
                  <a href={urls.people()}>People</a>
                </li>
                <li>
                  <form method="get" action={urls.search()} role="search" class="site-search">
                    <label for="site-q">Search</label> <input type="search" id="site-q" name="q" maxlength="200" placeholder="Search the archive" />{' '}
                    <button type="submit">Go</button>
                  </form>
                </li>
              </ul>
            </nav>
          </header>
          <main id="main">{props.children}</main>
          <footer class="site">
            <p>
              Served by conclave. Every page is plain HTML: it reads the same in lynx, and each edition is also
              available as JSON.
            </p>
          </footer>
        </body>
      </html>
    </>
  );
}
