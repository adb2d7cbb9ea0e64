import type { PropsWithChildren } from '@kitajs/html';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { Layout } from '../layout.js';
import { Csrf } from './form.js';

/** Who is signed in, and what waits for the committee (shown in the navigation on every page). */
export type AdminAccount = SessionAccount & { waiting?: { inbound: number; failed: number; drafts: number } };

/** " (2 to read)": a count for a navigation link, or nothing. */
function waitingText(parts: [number, string][]): string {
  const said = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return said.length ? ` (${said.join(', ')})` : '';
}

/** The committee's pages: the site frame plus the admin's own navigation and who is signed in. */
export function AdminLayout(p: PropsWithChildren<{ title: string; account: AdminAccount; csrf: string; notice?: string | undefined }>): JSX.Element {
  const w = p.account.waiting;
  return (
    <Layout title={`${p.title} — admin`}>
      <nav aria-label="Admin" class="admin-nav">
        <ul>
          <li>
            <a href="/admin/">Editions</a>
          </li>
          <li>
            <a href="/admin/committee">Committee</a>
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
      {p.children}
    </Layout>
  );
}
