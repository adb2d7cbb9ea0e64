import type { SessionAccount } from '../../../domain/committee/sessions.js';
import type { Pipeline } from '../../../domain/invitations/pipeline.js';
import { RESENDABLE } from '../../../domain/invitations/send.js';
import { canTransition, INVITATION_STATES } from '../../../domain/invitations/states.js';
import { urls } from '../../urls.js';
import { AdminLayout } from './admin-layout.js';
import { Csrf, ErrorSummary, Field, namedBy } from './form.js';
import { utcMinute } from '../../../domain/invitations/dates.js';
import { FormKey } from '../../form-once.js';

/**
 * Why a candidate is on the list, as words: the miner's one-line summary (score, credits,
 * activity, directories) and what it read, or any other evidence as text.
 */
function evidenceLines(e: unknown): { summary: string; source: string; addresses: string } {
  const none = { summary: '', source: '', addresses: '' };
  if (e === null || e === undefined) return none;
  if (typeof e === 'string') return { ...none, summary: e };
  const o = e as Record<string, unknown>;
  if (typeof o.summary !== 'string') return { ...none, summary: JSON.stringify(e) };
  const rank = typeof o.rank === 'number' ? `#${o.rank} ` : '';
  const source = typeof o.query === 'string' ? `${rank}in ${typeof o.repository === 'string' ? o.repository : 'git'} (${o.query})` : '';
  const addresses = Array.isArray(o.addresses) && o.addresses.length > 1 ? `also as ${o.addresses.filter((a) => typeof a === 'string').join(', ')}` : '';
  return { summary: o.summary, source, addresses };
}

/** The evidence cell: summary, then where it came from and other addresses, muted. */
function Evidence(p: { evidence: unknown; note: string | null }): JSX.Element {
  const e = evidenceLines(p.evidence);
  return (
    <td>
      <span safe>{e.summary}</span>
      {e.source ? (
        <>
          <br />
          <span class="muted" safe>
            {e.source}
          </span>
        </>
      ) : (
        ''
      )}
      {e.addresses ? (
        <>
          <br />
          <span class="muted" safe>
            {e.addresses}
          </span>
        </>
      ) : (
        ''
      )}
      {p.note ? (
        <>
          {e.summary ? <br /> : ''}
          <span safe>{p.note}</span>
        </>
      ) : (
        ''
      )}
    </td>
  );
}

/** A row's action refused: its errors by field (reason, answerBy, state) and what was typed. */
export interface RowErrors {
  id: number;
  errors: Record<string, string>;
  values: Record<string, string>;
}

const ROW_FIELDS: Record<string, string> = { reason: 'Reason', answerBy: 'New answer-by', state: 'State' };

/** The pipeline at a glance: counts per state, who and since when, and the committee's actions. */
export function InvitationsPage(p: {
  account: SessionAccount;
  csrf: string;
  pipeline: Pipeline;
  base: string;
  errors: Record<string, string>;
  values: Record<string, string>;
  notice?: string | undefined;
  links?: { name: string; email: string; link: string }[];
  /** The links are in drafts held for the committee to read, not sent yet. */
  linksHeld?: boolean;
  rowErrors?: RowErrors;
  /** The people of the name given, known by other addresses: which of them, or somebody else? */
  namesakes?: { name: string; addresses: string[] }[];
}): JSX.Element {
  const pl = p.pipeline;
  const candidates = pl.rows.filter((r) => r.state === 'candidate');
  // A refused row action is listed at the top by the person's name, linking to the row's field.
  const refused = p.rowErrors;
  const refusedName = refused ? (pl.rows.find((r) => r.id === refused.id)?.name ?? `invitation ${refused.id}`) : '';
  const summary = { ...p.errors, ...Object.fromEntries(Object.entries(refused?.errors ?? {}).map(([k, v]) => [`${k}-${refused!.id}`, v])) };
  const labels = {
    ids: 'Candidates to invite',
    email: 'Address',
    note: 'Note (why)',
    person: 'Who is this',
    ...Object.fromEntries(Object.keys(refused?.errors ?? {}).map((k) => [`${k}-${refused!.id}`, `${refusedName}, ${ROW_FIELDS[k] ?? k}`])),
  };
  return (
    <AdminLayout title={`Invitations: ${pl.title}`} account={p.account} csrf={p.csrf} notice={p.notice} edition={p.base}>
      <p safe>{`${pl.accepted} of ${pl.cap} places taken.`}</p>
      <ul class="plain">
        {INVITATION_STATES.filter((s) => pl.counts[s] > 0).map((s) => (
          <li safe>{`${s}: ${pl.counts[s]}`}</li>
        ))}
      </ul>
      <ErrorSummary errors={summary} labels={labels} />
      <table>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Evidence</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {pl.rows.map((r) => {
            const mine = refused?.id === r.id ? refused : undefined;
            const err = (k: string) =>
              mine?.errors[k] ? (
                <>
                  {' '}
                  <strong id={`f-${k}-${r.id}-error`} class="error-text" safe>
                    {mine.errors[k]}
                  </strong>
                </>
              ) : (
                ''
              );
            const asks = r.state === 'invited' || r.state === 'expired' || r.state === 'declined';
            return (
              <tr id={`invitation-${r.id}`} class={mine ? 'error' : undefined}>
                <th scope="row">
                  {/* Only a person the public site names has a page there: a candidate has none. */}
                  {r.hasPage ? (
                    <a href={urls.person(r.personSlug)} id={`invitation-${r.id}-name`} safe>
                      {r.name}
                    </a>
                  ) : (
                    <span id={`invitation-${r.id}-name`} safe>
                      {r.name}
                    </span>
                  )}
                  <br />
                  <span class="muted" safe>
                    {r.email}
                  </span>
                  <br />
                  {/* The number the terminal's commands take: conclave invite revoke|resend|override N. */}
                  <span class="muted" safe>{`invitation #${r.id}`}</span>
                </th>
                <td safe>{`${r.state}${r.promoted ? ' (moved up from the waiting list)' : ''}${r.heldIn ? ` (mail held in batch ${r.heldIn}, not sent yet)` : ''}${r.waitlistRank ? ` #${r.waitlistRank}` : ''}${r.answerBy ? ` (answer by ${r.answerBy})` : ''}${r.remindersSent ? `, reminded` : ''}`}</td>
                <td safe>{utcMinute(r.since)}</td>
                <Evidence evidence={r.evidence} note={r.note} />
                <td>
                  <form method="post" action={`${p.base}/${r.id}/act#invitation-${r.id}`} class="inline">
                    <Csrf token={p.csrf} />
                    <FormKey />
                    <label for={`f-reason-${r.id}`}>
                      <span class="muted">Reason </span>
                    </label>
                    <input id={`f-reason-${r.id}`} name="reason" size="14" value={mine?.values.reason ?? ''} />
                    {err('reason')}{' '}
                    {asks ? (
                      <>
                        <label for={`f-answerBy-${r.id}`}>
                          <span class="muted">New answer-by </span>
                        </label>
                        <input id={`f-answerBy-${r.id}`} name="answerBy" type="date" size="10" value={mine?.values.answerBy ?? ''} title="For a re-send; empty: the invitation's own date, or the edition's once that has passed (YYYY-MM-DD)" />
                        {err('answerBy')}{' '}
                      </>
                    ) : (
                      ''
                    )}
                    {(RESENDABLE as readonly string[]).includes(r.state) ? (
                      <>
                        <button type="submit" name="act" value="resend" {...namedBy(`invitation-${r.id}-resend`, `invitation-${r.id}-name`)}>
                          Re-send
                        </button>{' '}
                        <input id={`f-hold-${r.id}`} name="hold" type="checkbox" value="yes" checked={mine?.values.hold === 'yes'} />
                        <label for={`f-hold-${r.id}`}>
                          <span class="muted">hold the re-sent mail as a draft</span>
                        </label>
                      </>
                    ) : (
                      ''
                    )}{' '}
                    {canTransition(r.state, 'revoked') ? (
                      <button type="submit" name="act" value="revoke" class="danger" {...namedBy(`invitation-${r.id}-revoke`, `invitation-${r.id}-name`)}>
                        {/* A candidate was never invited: revoking takes them off the list. */}
                        {r.state === 'candidate' ? 'Remove' : 'Revoke'}
                      </button>
                    ) : (
                      ''
                    )}{' '}
                    <select id={`f-state-${r.id}`} name="state" aria-label="Override to state">
                      {INVITATION_STATES.map((s) => (
                        <option value={s} selected={s === (mine?.values.state || r.state)}>
                          {s}
                        </option>
                      ))}
                    </select>{' '}
                    <button type="submit" name="act" value="override" {...namedBy(`invitation-${r.id}-override`, `invitation-${r.id}-name`)}>
                      Override
                    </button>{' '}
                    <input id={`f-force-${r.id}`} name="force" type="checkbox" value="yes" checked={mine?.values.force === 'yes'} />
                    <label for={`f-force-${r.id}`}>
                      <span class="muted">force past the cap</span>
                    </label>
                    {err('state')}
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {p.links?.length ? (
        <>
          <h2>{p.linksHeld ? 'Links in the held drafts (not sent yet)' : 'Links just sent'}</h2>
          <ul class="plain">
            {p.links.map((l) => (
              <li safe>{`${l.name} <${l.email}>: ${l.link}`}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      <h2>Add a candidate</h2>
      <form method="post" action={`${p.base}/candidates`}>
        <Csrf token={p.csrf} />
        <FormKey />
        <Field name="name" label="Name" value={p.values.name} error={p.errors.name} required />
        <Field name="email" label="Address" type="email" value={p.values.email} error={p.errors.email} required />
        <Field name="note" label="Note (why)" value={p.values.note} error={p.errors.note} />
        {p.namesakes ? <WhoIsIt namesakes={p.namesakes} error={p.errors.person} value={p.values.person} /> : ''}
        <button type="submit" class="primary">
          Add candidate
        </button>
      </form>
      <h2>Invite</h2>
      {candidates.length === 0 ? (
        <p class="muted">No candidates waiting to be invited.</p>
      ) : (
        <form method="post" action={`${p.base}/send`}>
          <Csrf token={p.csrf} />
          <FormKey />
          <fieldset>
            <legend>Candidates to invite</legend>
            {p.errors.ids ? (
              <p class="error-text" role="alert" safe>
                {`Nothing was sent: ${p.errors.ids}.`}
              </p>
            ) : (
              ''
            )}
            {candidates.map((c) => (
              <div>
                <label>
                  <input type="checkbox" name="ids" value={String(c.id)} checked />{' '}
                  <span safe>{`${c.name} <${c.email}>`}</span>
                </label>
              </div>
            ))}
          </fieldset>
          <Field name="answerBy" label="Answer by" type="date" value={p.values.answerBy} error={p.errors.answerBy} hint="Default: the edition's answer-by date." />
          <div class="field">
            <label>
              <input type="checkbox" name="hold" value="yes" /> Hold the mail as drafts to read before sending
            </label>
          </div>
          <button type="submit" class="primary">
            Send invitations
          </button>
        </form>
      )}
      <h2>Reminders and expiry</h2>
      <form method="post" action={`${p.base}/remind`}>
        <Csrf token={p.csrf} />
        <p class="muted">The server does this every hour by itself; this runs it now.</p>
        <button type="submit">Send due reminders and expire overdue invitations</button>
      </form>
    </AdminLayout>
  );
}

/**
 * Asked when the archive knows somebody of the name given by other addresses: is the address a
 * new one of theirs (which of them, when several share the name), or is this somebody else? A
 * menu whose first choice is none, not radio buttons: lynx shows the first of a group of buttons
 * none of which is checked as chosen, and would answer for the committee.
 */
function WhoIsIt(p: { namesakes: { name: string; addresses: string[] }[]; error: string | undefined; value: string | undefined }): JSX.Element {
  const options = [
    { value: '', text: 'Choose who this is' },
    ...p.namesakes.map((n) => ({ value: n.addresses[0]!, text: `The ${n.name} known by ${n.addresses.join(', ')}: a new address of theirs` })),
    { value: 'new', text: 'Somebody else of that name: a new person' },
  ];
  return (
    <div id="f-person" class={p.error ? 'field error' : 'field'}>
      <label for="person">Who is this?</label>
      {p.error ? (
        <p class="error-text" id="person-error" safe>
          {p.error}
        </p>
      ) : (
        ''
      )}
      <select id="person" name="person" required aria-describedby={p.error ? 'person-error' : undefined}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? '')} safe>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}
