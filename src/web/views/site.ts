/**
 * The site's name (SITE_NAME, config.ts) as the page frame shows it: in every page's title, the
 * header's brand, the archive's heading. It is the same for every page an app serves, yet the
 * views are plain functions called from many routes: the app (buildApp) runs each request's
 * rendering inside `withSiteName`, and Layout reads it here, rather than every page passing it on.
 * Outside of one (a test rendering a view by itself) it is conclave's own name.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_SITE_NAME } from '../../domain/editions/site-name.js';

const current = new AsyncLocalStorage<string>();

/** Runs `render` (and whatever it awaits) with `name` as the site's name. */
export function withSiteName<T>(name: string, render: () => T): T {
  return current.run(name, render);
}

/** The site's name for the page being rendered. */
export function siteName(): string {
  return current.getStore() ?? DEFAULT_SITE_NAME;
}

/** A page's title as the browser shows it: the page's own, then the site's, unless it names the site already. */
export function pageTitle(title: string): string {
  const name = siteName();
  return title.includes(name) ? title : `${title} — ${name}`;
}
