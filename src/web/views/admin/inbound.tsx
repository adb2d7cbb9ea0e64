/**
 * Inbound mail for the committee: every message with what it did, filtered by status (the review
 * queue first), and one message with its text, where a message waiting for review is decided on:
 * accept, decline or propose its topic for an invitation chosen from a list, or dismiss it.
 */
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import type { InboundDetail, InboundFilter, InboundSummary } from '../../../domain/inbound/review.js';
import { INBOUND_FILTERS } from '../../../domain/inbound/review.js';
import { AdminLayout } from './admin-layout.js';
import { Csrf } from './form.js';
import { utcMinute } from '../../../domain/invitations/dates.js';

const FILTER_LABEL: Record<InboundFilter, string> = {
  queue: 'waiting for review',
  applied: 'applied',
  review: 'review',
  ignored: 'ignored',
  refused: 'refused',
  dismissed: 'dismissed',
};

function when(d: Date): string {
  return utcMinute(d);
}

function outcome(m: Pick<InboundSummary, 'status' | 'action'>): string {
  return m.action ? `${m.status} (${m.action})` : m.status;
}

function sender(m: Pick<InboundSummary, 'from_name' | 'from_address'>): string {
  if (!m.from_address) return '(no From)';
  return m.from_name ? `${m.from_name} <${m.from_address}>` : m.from_address;
}

export function InboundListPage(p: {
  account: SessionAccount;
  csrf: string;
  rows: InboundSummary[];
  counts: Record<InboundFilter, number>;
  status?: InboundFilter | undefined;
  notice?: string | undefined;
}): JSX.Element {
  return (
    <AdminLayout title="Inbound mail" account={p.account} csrf={p.csrf} notice={p.notice}>
      <p>
        Replies to invitations and topic proposals by mail (<code>conclave mail ingest</code>, or the SMTP listener of{' '}
        <code>conclave serve --smtp-port</code>). A message that was not clearly matched and clear waits for review here.
      </p>
      <form method="get" action="/admin/inbound" class="inbound-filter">
        <label for="f-status">Show</label>{' '}
        <select id="f-status" name="status">
          <option value="" selected={!p.status} safe>
            {`all (${INBOUND_FILTERS.filter((k) => k !== 'queue').reduce((a, k) => a + p.counts[k], 0)})`}
          </option>
          {INBOUND_FILTERS.map((f) => (
            <option value={f} selected={p.status === f} safe>
              {`${FILTER_LABEL[f]} (${p.counts[f]})`}
            </option>
          ))}
        </select>{' '}
        <button type="submit">Show</button>
      </form>
      {p.rows.length === 0 ? (
        <p>No messages here.</p>
      ) : (
        <table class="inbound">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Outcome</th>
              <th scope="col">What it did</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((m) => (
              <tr>
                <td safe>{String(m.id)}</td>
                <td safe>{when(m.received_at)}</td>
                <td safe>{sender(m)}</td>
                <th scope="row">
                  <a href={`/admin/inbound/${m.id}`} safe>
                    {m.subject || '(no subject)'}
                  </a>
                </th>
                <td safe>{outcome(m)}</td>
                <td safe>{m.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </AdminLayout>
  );
}

const REVIEW_ERROR = 'review-error';

/** A refused decision, shown on the message with what was chosen. */
export interface ReviewRetry {
  action: string;
  invitationId: string;
  error: string;
  /** Where to go on from the refusal (an invitation's row, to override its state). */
  link?: { href: string; text: string } | undefined;
}

function ReviewForm(p: { m: InboundDetail; csrf: string; retry?: ReviewRetry | undefined }): JSX.Element {
  const { m, retry } = p;
  const chosen = retry?.invitationId ?? String(m.invitation_id ?? m.choices[0]?.id ?? '');
  const errorId = REVIEW_ERROR;
  return (
    <form method="post" action={`/admin/inbound/${m.id}/review`} class="inbound-review">
      <Csrf token={p.csrf} />
      <fieldset>
        <legend>Decide what this message means</legend>
        {m.choices.length ? (
          <div class="field">
            <label for="f-invitationId">The invitation it is about</label>{' '}
            <select id="f-invitationId" name="invitationId" aria-describedby={retry ? errorId : undefined}>
              {m.choices.map((c) => (
                <option value={String(c.id)} selected={String(c.id) === chosen} safe>
                  {`${c.name} <${c.email}>, ${c.editionTitle} (${c.state})`}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div class="field">
            <label for="f-invitationId">The invitation it is about, by number</label>
            <input id="f-invitationId" name="invitationId" type="number" min="1" value={retry?.invitationId ?? ''} aria-describedby="f-invitationId-hint" />
            {' '}
            <small id="f-invitationId-hint" class="muted">
              No invitation has this sender’s address. If the message is about one, give its number (the ID in{' '}
              <code>conclave invite list</code>); else dismiss it.
            </small>
          </div>
        )}
        {m.from_address ? (
          <>
            <button type="submit" name="action" value="accept">
              Accept for them
            </button>{' '}
            <button type="submit" name="action" value="decline">
              Decline for them
            </button>{' '}
            <button type="submit" name="action" value="propose">
              Propose its topic
            </button>{' '}
          </>
        ) : (
          ''
        )}
        <button type="submit" name="action" value="dismiss">
          Dismiss
        </button>
        <p class="muted">Accept, decline and propose act as the invitee’s page would, and answer them in this thread.</p>
      </fieldset>
    </form>
  );
}

export function InboundMessagePage(p: { account: SessionAccount; csrf: string; m: InboundDetail; retry?: ReviewRetry | undefined; notice?: string | undefined }): JSX.Element {
  const { m } = p;
  const facts: [string, string | null][] = [
    ['From', sender(m)],
    ['Subject', m.subject],
    ['Date', m.sent_at ? `${when(m.sent_at)} UTC` : null],
    ['Received', `${when(m.received_at)} UTC by ${m.via}, ${m.size_bytes} bytes${m.raw_truncated ? ' (only its start was kept)' : ''}`],
    ['Message-ID', m.message_id],
    ['In-Reply-To', m.in_reply_to],
    ['Outcome', outcome(m)],
    ['What it did', m.reason],
    ['Matched', m.matched_by ? (m.matched_by === 'token' ? 'by the token of its reply address' : 'by its thread and From') : null],
    ['Automatic', m.auto_reply],
    ['Decided by', m.decided_by ? `${m.decided_by}${m.decided_at ? ` at ${when(m.decided_at)} UTC` : ''}` : null],
  ];
  return (
    <AdminLayout title={`Inbound #${m.id}: ${m.subject || '(no subject)'}`} account={p.account} csrf={p.csrf} notice={p.notice}>
      <p>
        <a href="/admin/inbound?status=queue">Back to the review queue</a> · <a href="/admin/inbound">all inbound mail</a>
        {m.reply_outbox_id ? (
          <>
            {' '}
            · <a href={`/admin/mail/${m.reply_outbox_id}`}>our reply</a>
          </>
        ) : (
          ''
        )}
        {m.duplicate_of ? (
          <>
            {' '}
            · <a href={`/admin/inbound/${m.duplicate_of}`}>the first delivery</a>
          </>
        ) : (
          ''
        )}
      </p>
      <dl class="facts">
        {facts
          .filter((f): f is [string, string] => !!f[1])
          .map(([k, v]) => (
            <>
              <dt safe>{k}</dt>
              <dd safe>{v}</dd>
            </>
          ))}
      </dl>
      {p.retry ? (
        <p id={REVIEW_ERROR} class="error-text" role="alert">
          <span safe>{p.retry.error}</span>
          {p.retry.link ? (
            <>
              {' '}
              <a href={p.retry.link.href} safe>
                {p.retry.link.text}
              </a>
            </>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      {m.reviewable ? <ReviewForm m={m} csrf={p.csrf} retry={p.retry} /> : ''}
      <h2>Its text</h2>
      <pre class="mail" safe>
        {m.text || '(no text could be read)'}
      </pre>
    </AdminLayout>
  );
}
