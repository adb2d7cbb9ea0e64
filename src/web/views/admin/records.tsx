import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../../../db/schema.js';
import { auditSubject } from '../../../domain/audit/record.js';
import type { CommitteeMember } from '../../../domain/committee/accounts.js';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { messageForCommittee, supersededText, type OutboxMessage } from '../../../domain/mail/outbox.js';
import { AdminLayout } from './admin-layout.js';
import { AuditChanges } from './audit-changes.js';
import { ActionButton, Csrf, ErrorSummary, Field, namedBy } from './form.js';
import { utcMinute } from '../../../domain/invitations/dates.js';
import { FormKey } from '../../form-once.js';

export function CommitteePage(p: { account: SessionAccount; csrf: string; members: CommitteeMember[]; errors: Record<string, string>; values: Record<string, string>; notice?: string }): JSX.Element {
  // A refused "Disable" or "Sign out" is said above the list; the rest are the add form's fields.
  const { disable, signout, ...errors } = p.errors;
  return (
    <AdminLayout title="Committee" account={p.account} csrf={p.csrf} notice={p.notice}>
      {disable ? (
        <p class="error-text" role="alert" safe>
          {`Not disabled: ${disable}.`}
        </p>
      ) : (
        ''
      )}
      {signout ? (
        <p class="error-text" role="alert" safe>
          {`Nobody signed out: ${signout}.`}
        </p>
      ) : (
        ''
      )}
      <ul class="plain">
        {p.members.map((m) => (
          <li>
            <span safe>{`${m.name} <${m.email}>, since ${m.createdAt.toISOString().slice(0, 10)}${m.disabled ? ' (disabled: add the address again to bring them back)' : ''}`}</span>{' '}
            {m.disabled ? '' : <ActionButton action="/admin/committee/signout" csrf={p.csrf} label={`Sign ${m.name} out everywhere`} fields={{ email: m.email }} />}{' '}
            {m.disabled ? '' : <ActionButton action="/admin/committee/disable" csrf={p.csrf} label={`Disable ${m.name}`} fields={{ email: m.email }} danger />}
          </li>
        ))}
      </ul>
      <p class="muted">
        Signing a member out everywhere ends their sessions on every device (a lost laptop); they sign in again with a new link from the
        sign-in page. Disabling a member ends their sessions and their sign-in links at once.
      </p>
      <h2>Add a member</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action="/admin/committee">
        <Csrf token={p.csrf} />
        <FormKey />
        <Field name="email" label="Address" type="email" value={p.values.email} error={p.errors.email} required />
        <Field name="name" label="Name" value={p.values.name} error={p.errors.name} hint="Needed when the address is new to the archive." />
        <button type="submit" class="primary">
          Add
        </button>
      </form>
    </AdminLayout>
  );
}

/** The id of a held batch's line on the Mail page, which the edition page links to. */
export function batchAnchor(batch: string): string {
  return `batch-${encodeURIComponent(batch)}`;
}

export function OutboxPage(p: { account: SessionAccount; csrf: string; title: string; rows: OutboxMessage[]; counts?: Record<string, number>; state?: string; notice?: string }): JSX.Element {
  const batches = [...new Set(p.rows.filter((r) => r.state === 'draft' && r.batch).map((r) => r.batch!))];
  return (
    <AdminLayout title={p.title} account={p.account} csrf={p.csrf} notice={p.notice}>
      {p.counts ? (
        <p>
          {Object.entries(p.counts).map(([state, n]) => (
            <>
              <a href={`/admin/mail?state=${state}`} safe>{`${state}: ${n}`}</a>{' '}
            </>
          ))}
          <a href="/admin/mail">all</a>
        </p>
      ) : (
        ''
      )}
      {/* The line names its batch, once; to a screen reader each button is named by it as well
          (namedBy): "Send all round-2". The edition page's refusal to delete links here (batchAnchor). */}
      {batches.map((b, i) => (
        <p id={batchAnchor(b)}>
          {'Drafts held in batch '}
          <span id={`held-${i}`} safe>
            {b}
          </span>
          {': '}
          <ActionButton action="/admin/mail/release" csrf={p.csrf} label="Send all" named={{ id: `held-${i}-send`, by: `held-${i}` }} fields={{ batch: b }} />{' '}
          <ActionButton action="/admin/mail/discard" csrf={p.csrf} label="Discard" named={{ id: `held-${i}-discard`, by: `held-${i}` }} fields={{ batch: b }} danger />
        </p>
      ))}
      {p.rows.some((r) => r.state === 'failed') ? <ActionButton action="/admin/mail/retry" csrf={p.csrf} label="Retry all failed" fields={{ ids: 'all' }} /> : ''}
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">State</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr>
              <td safe>{r.state === 'queued' && !r.sent_at ? `due ${utcMinute(r.next_attempt_at)}` : utcMinute(r.sent_at ?? r.created_at)}</td>
              <td id={`message-${r.id}-to`} safe>
                {r.to_address}
              </td>
              <th scope="row">
                {/* One subject goes to many (every invitation of a send), one address may get it twice
                    (a re-send): the row's address and the message's number (the one "Retry" and
                    the CLI take) tell the links apart, to the eye and to lynx beside the link, to a
                    screen reader in its name ("Invitation to Netconf 2027 ada@example.org #12"). */}
                <a href={`/admin/mail/${r.id}`} {...namedBy(`message-${r.id}`, `message-${r.id}-to message-${r.id}-number`)} safe>
                  {r.subject}
                </a>{' '}
                <span class="muted" id={`message-${r.id}-number`} safe>{`#${r.id}`}</span>
              </th>
              <td>
                {r.state === 'queued' && r.attempts > 0
                  ? `queued, ${r.attempts} failed ${r.attempts === 1 ? 'attempt' : 'attempts'}, next at ${r.next_attempt_at.toISOString().slice(11, 16)} UTC`
                  : r.state === 'superseded'
                    ? supersededText(r)
                    : r.state}
              </td>
              <td safe>{r.state === 'sent' ? '' : (r.last_error ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export function MessagePage(p: { account: SessionAccount; csrf: string; m: OutboxMessage }): JSX.Element {
  const m = p.m;
  const { headers, body } = messageForCommittee(m);
  return (
    <AdminLayout title={m.subject} account={p.account} csrf={p.csrf}>
      <dl class="facts">
        {headers.map(([k, v]) => (
          <>
            <dt safe>{k}</dt>
            <dd safe>{v}</dd>
          </>
        ))}
      </dl>
      <pre class="mail" safe>
        {body}
      </pre>
      {m.state === 'failed' ? <ActionButton action="/admin/mail/retry" csrf={p.csrf} label="Retry" fields={{ ids: String(m.id) }} /> : ''}
    </AdminLayout>
  );
}

export function AuditPage(p: {
  account: SessionAccount;
  csrf: string;
  rows: Selectable<AuditLogTable>[];
  filter: Record<string, string>;
  errors: Record<string, string>;
  /** Every edition as the filter names it (netconf/2015). */
  editions: string[];
  /** The id to read on from when there are older entries, else null. */
  older: number | null;
  /** Showing a later page: a way back to the newest entries. */
  paged: boolean;
}): JSX.Element {
  const query = (extra: Record<string, string>) => `/admin/audit?${new URLSearchParams({ ...p.filter, ...extra }).toString()}`;
  return (
    <AdminLayout title="Audit log" account={p.account} csrf={p.csrf}>
      <ErrorSummary errors={p.errors} labels={{ edition: 'Edition' }} />
      <form method="get" action="/admin/audit">
        <Field name="edition" label="Edition (a year, or series/year)" value={p.filter.edition} list={p.editions} error={p.errors.edition} />
        <Field name="actor" label="Who" value={p.filter.actor} />
        <Field name="action" label="Action (e.g. edition.update, or session for all of its kind)" value={p.filter.action} />
        <Field name="entity" label="Entity (e.g. invitation)" value={p.filter.entity} />
        <button type="submit">Filter</button>
      </form>
      {p.rows.length === 0 && !p.errors.edition ? <p>No entries{Object.keys(p.filter).length ? ' match' : ''}.</p> : ''}
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Before → after</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.map((r) => (
            <tr>
              <td safe>{r.at.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td safe>{r.actor}</td>
              <td safe>{`${r.action} ${auditSubject(r)}${r.reason ? ` — ${r.reason}` : ''}`}</td>
              {r.before == null && r.after == null ? (
                // A sign-in or a sign-out changes no record: nothing to unfold.
                <td class="muted">none</td>
              ) : (
                <td>
                  <AuditChanges id={r.id} before={r.before} after={r.after} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {p.older !== null || p.paged ? (
        <nav aria-label="Pages of the log">
          <ul class="plain">
            {p.paged ? (
              <li>
                <a href={query({})}>Newest entries</a>
              </li>
            ) : (
              ''
            )}
            {p.older !== null ? (
              <li>
                <a href={query({ before: String(p.older) })}>Older entries</a>
              </li>
            ) : (
              ''
            )}
          </ul>
        </nav>
      ) : (
        ''
      )}
    </AdminLayout>
  );
}

/**
 * One entry of the audit log in full: its before and after as pretty JSON, which the log's row
 * gives as a short list of the fields changed (AuditChanges).
 */
export function AuditEntryPage(p: { account: SessionAccount; csrf: string; entry: Selectable<AuditLogTable> }): JSX.Element {
  const r = p.entry;
  return (
    <AdminLayout title={`Audit log entry #${r.id}`} account={p.account} csrf={p.csrf}>
      <p>
        <a href="/admin/audit">The audit log</a>
      </p>
      <dl class="facts">
        <dt>When</dt>
        <dd safe>{r.at.toISOString().replace('T', ' ').slice(0, 19)}</dd>
        <dt>Who</dt>
        <dd safe>{r.actor}</dd>
        <dt>What</dt>
        <dd safe>{`${r.action} ${auditSubject(r)}${r.reason ? ` — ${r.reason}` : ''}`}</dd>
      </dl>
      <h2>Before</h2>
      <pre safe>{JSON.stringify(r.before, null, 1) ?? 'null'}</pre>
      <h2>After</h2>
      <pre safe>{JSON.stringify(r.after, null, 1) ?? 'null'}</pre>
    </AdminLayout>
  );
}
