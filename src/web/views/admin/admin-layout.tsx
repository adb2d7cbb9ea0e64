import type { PropsWithChildren } from '@kitajs/html';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { urls } from '../../urls.js';
import { Layout } from '../layout.js';
import { Csrf } from './form.js';

/** Who is signed in, and what waits for the committee (shown in the navigation on every page). */
export type AdminAccount = SessionAccount & { waiting?: { inbound: number; failed: number; drafts: number } };

/** " (2 to read)": a count for a navigation link, or nothing. */
function waitingText(parts: [number, string][]): string {
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length ? ` (${said.join(', ')})` : '';
}

/** The pages of one edition's admin: the editions list's "Manage" column, and each page's links. */
export const EDITION_PAGES = [
  ['', 'Edit'],
  ['/invitations', 'Invitations'],
  ['/templates', 'Mail templates'],
  ['/topics', 'Topics'],
  ['/schedule', 'Schedule'],
  ['/materials', 'Materials'],
] as const;

/**
 * The admin root of the edition a page of it is at ("/admin/editions/netconf/2027" of
 * ".../2027/topics" or of the edition's own form), or null for a page of no edition (the
 * site-wide templates, the editions list).
 */
function editionAdminRoot(path: string): { root: string; series: string; year: number } | null {
  const m = /^(\/admin\/editions\/([^/]+)\/(\d+))(\/[a-z]+)?$/.exec(path);
  return m ? { root: m[1]!, series: decodeURIComponent(m[2]!), year: Number(m[3]) } : null;
}

/**
 * The links between an edition's admin pages and to its public page, so that a member reading
 * its invitations reaches its topics or schedule in one step (in lynx too) rather than through
 * the editions list. The page shown is named, not linked.
 */
function EditionNav(p: { root: string; series: string; year: number; here: string }): JSX.Element {
  return (
    <nav aria-label="This edition" class="edition-nav">
      <p>
        {'This edition: '}
        {EDITION_PAGES.map(([suffix, label]) => (
          <>
            {p.root + suffix === p.here ? <strong aria-current="page">{label}</strong> : <a href={p.root + suffix}>{label}</a>}
            {' · '}
          </>
        ))}
        <a href={urls.edition(p.series, p.year)}>Public page</a>
      </p>
    </nav>
  );
}

/**
 * The committee's pages: the site frame plus the admin's own navigation and who is signed in;
 * `edition`, the path of a page of one edition's admin, adds the links between its pages. The
 * editions list is "Manage editions", apart from the site header's "Editions" (the public
 * archive): in lynx's list of links and to a screen reader the two read alike otherwise.
 */
export function AdminLayout(p: PropsWithChildren<{ title: string; account: AdminAccount; csrf: string; notice?: string | undefined; edition?: string | undefined }>): JSX.Element {
  const root = p.edition ? editionAdminRoot(p.edition) : null;
  const w = p.account.waiting;
  return (
    <Layout title={`${p.title} — admin`}>
      <nav aria-label="Admin" class="admin-nav">
        <ul>
          <li>
            <a href="/admin/">Manage editions</a>
          </li>
          <li>
            <a href="/admin/committee">Committee</a>
          </li>
          <li>
            <a href="/admin/people">Manage people</a>
          </li>
          <li>
            <a href="/admin/mail">Mail</a>
            {w ? <strong safe>{waitingText([[w.failed, 'failed'], [w.drafts, 'held']])}</strong> : ''}
          </li>
          <li>
            <a href="/admin/mailbox">Local mailbox</a>
          </li>
          <li>
            <a href="/admin/inbound">Inbound mail</a>
            {w ? <strong safe>{waitingText([[w.inbound, 'to read']])}</strong> : ''}
          </li>
          <li>
            <a href="/admin/audit">Audit log</a>
          </li>
        </ul>
        <p class="muted">
          <span safe>{`Signed in as ${p.account.name} <${p.account.email}>`}</span>{' '}
          <form method="post" action="/signout" class="inline">
            <Csrf token={p.csrf} />
            <button type="submit">Sign out</button>
          </form>{' '}
          <form method="post" action="/signout/everywhere" class="inline">
            <Csrf token={p.csrf} />
            <button type="submit">Sign out everywhere</button>
          </form>
        </p>
      </nav>
      {p.notice ? (
        <p class="notice" role="status" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      <h1 safe>{p.title}</h1>
      {root ? <EditionNav {...root} here={p.edition!} /> : ''}
      {p.children}
    </Layout>
  );
}
