/**
 * The committee's topic proposals of an edition: filter by state, read each (abstract rendered
 * safely), and decide — accept, decline or ask for changes — with a comment mailed to the
 * presenters.
 */
import type { TopicState } from '../../../db/schema.js';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { decisionAllowed, DECISIONS, TOPIC_STATES, type Decision, type TopicView } from '../../../domain/program/topics.js';
import { TopicSummary } from '../topics.js';
import { AdminLayout } from './admin-layout.js';
import { Csrf } from './form.js';

const DECISION_LABEL: Record<Decision, string> = { accept: 'Accept', decline: 'Decline', 'request-changes': 'Ask for changes' };

/** A refused decision, shown at its topic with what was typed. */
export interface DecisionRetry {
  topicId: number;
  decision: string;
  comment: string;
  errors: Record<string, string>;
}

function DecisionForm(p: { t: TopicView; base: string; csrf: string; retry?: DecisionRetry | undefined }): JSX.Element {
  const { t } = p;
  const allowed = DECISIONS.filter((d) => decisionAllowed(t.state, d));
  if (t.origin !== 'proposal' || allowed.length === 0) return '';
  const r = p.retry?.topicId === t.id ? p.retry : undefined;
  const id = `c-${t.id}`;
  const error = r?.errors.comment ?? r?.errors.decision;
  const reversal = t.state === 'accepted' || t.state === 'declined';
  return (
    <form method="post" action={`${p.base}/${t.id}/decide`} class="decision">
      <Csrf token={p.csrf} />
      <fieldset>
        <legend safe>{`Decide on “${t.title}”`}</legend>
        {/* Checked, so that lynx (which shows the first of unchecked buttons as chosen) answers nothing unasked. */}
        <label>
          <input type="radio" name="decision" value="" checked={!r || !allowed.includes(r.decision as never)} /> Not decided yet{' '}
        </label>
        {allowed.map((d) => (
          <label>
            <input type="radio" name="decision" value={d} required checked={r ? r.decision === d : false} /> <span safe>{DECISION_LABEL[d]}</span>{' '}
          </label>
        ))}
        <div class={error ? 'field error' : 'field'}>
          <label for={id}>
            {reversal ? 'Comment, mailed to the presenters (required: say why the decision changes)' : 'Comment, mailed to the presenters (required to decline or ask for changes)'}
          </label>
          <textarea id={id} name="comment" rows="4" aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? 'true' : undefined} safe>
            {r?.comment ?? ''}
          </textarea>
          {error ? (
            <strong id={`${id}-error`} class="error-text" safe>
              {error}
            </strong>
          ) : (
            ''
          )}
        </div>
        <button type="submit" class="primary">
          Decide and mail the presenters
        </button>
      </fieldset>
    </form>
  );
}

export function AdminTopicsPage(p: {
  account: SessionAccount;
  csrf: string;
  editionTitle: string;
  base: string;
  topics: TopicView[];
  counts: Record<TopicState, number>;
  state?: TopicState | undefined;
  retry?: DecisionRetry | undefined;
  notice?: string | undefined;
}): JSX.Element {
  const total = Object.values(p.counts).reduce((a, b) => a + b, 0);
  return (
    <AdminLayout title={`Topics: ${p.editionTitle}`} account={p.account} csrf={p.csrf} notice={p.notice}>
      <form method="get" action={p.base} class="topic-filter">
        <label for="f-state">Show</label>{' '}
        <select id="f-state" name="state">
          <option value="" selected={!p.state} safe>{`all topics (${total})`}</option>
          {TOPIC_STATES.map((s) => (
            <option value={s} selected={p.state === s} safe>{`${s} (${p.counts[s]})`}</option>
          ))}
        </select>{' '}
        <button type="submit">Filter</button>
      </form>
      {p.retry ? (
        <div class="error-summary" role="alert">
          <p>
            <a href={`#c-${p.retry.topicId}`} safe>{`The decision was not saved: ${Object.values(p.retry.errors).join('; ')}`}</a>
          </p>
        </div>
      ) : (
        ''
      )}
      {p.topics.length === 0 ? <p class="muted">{p.state ? 'No topic in this state.' : 'No topic proposed yet.'}</p> : ''}
      {p.topics.map((t) => (
        <TopicSummary t={t} level={2}>
          <p class="muted" safe>{`#${t.number}, ${t.origin === 'proposal' ? `proposed ${t.createdAt.toISOString().slice(0, 10)}, last changed ${t.updatedAt.toISOString().slice(0, 10)}` : 'from the imported page'}`}</p>
          <DecisionForm t={t} base={p.base} csrf={p.csrf} retry={p.retry} />
        </TopicSummary>
      ))}
    </AdminLayout>
  );
}
