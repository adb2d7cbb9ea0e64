/**
 * The committee's topic proposals of an edition: filter by state, read each (abstract rendered
 * safely), and decide — accept, decline or ask for changes — with a comment mailed to the
 * presenters.
 */
import type { TopicState } from '../../../db/schema.js';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { decisionAllowed, DECISIONS, TOPIC_STATES, type Decision, type PresenterChoice, type TopicPresenter, type TopicView } from '../../../domain/program/topics.js';
import { EMPTY_TOPIC, TopicFields, TopicSummary, TopicTextFields, topicTitleId, type TopicFormValues } from '../topics.js';
import { AdminLayout } from './admin-layout.js';
import { Csrf, ErrorSummary, namedBy } from './form.js';
import { FormKey } from '../../form-once.js';

const DECISION_LABEL: Record<Decision, string> = { accept: 'Accept', decline: 'Decline', 'request-changes': 'Ask for changes' };

/**
 * The form's first choice, which decides nothing and is checked unless a refused form says
 * otherwise: the topic's decision as it stands, so that an accepted topic reads as accepted.
 */
const KEEP_LABEL: Partial<Record<TopicState, string>> = {
  accepted: 'Accepted: keep it so',
  declined: 'Declined: keep it so',
  'changes-requested': 'Changes asked: wait for the proposer',
};
/** A choice that reverses the topic's decision, said as such. */
const REVERSE_LABEL: Partial<Record<Decision, string>> = { accept: 'Accept it instead', decline: 'Decline it instead' };

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
  // The topic's heading just above names it: the legend and the button say it for a screen reader
  // only (namedBy), where lynx would read the title again on each.
  const title = topicTitleId(t.id);
  return (
    <form method="post" action={`${p.base}/${t.id}/decide`} class="decision">
      <Csrf token={p.csrf} />
      <fieldset aria-labelledby={`${id}-legend ${title}`}>
        <legend id={`${id}-legend`}>
          {reversal ? `Change the decision, now ${t.state}` : 'Decide'}
        </legend>
        {/* Checked, so that lynx (which shows the first of unchecked buttons as chosen) answers nothing unasked. */}
        <label>
          <input type="radio" name="decision" value="" checked={!r || !allowed.includes(r.decision as never)} /> <span safe>{KEEP_LABEL[t.state] ?? 'Not decided yet'}</span>{' '}
        </label>
        {allowed.map((d) => (
          <label>
            <input type="radio" name="decision" value={d} required checked={r ? r.decision === d : false} /> <span safe>{(reversal ? REVERSE_LABEL[d] : undefined) ?? DECISION_LABEL[d]}</span>{' '}
          </label>
        ))}
        {reversal ? (
          <p class="muted">
            {t.state === 'accepted'
              ? 'Declining it takes back the acceptance: the presenters are mailed your comment, and it can no longer be scheduled (take it off the schedule first).'
              : 'Accepting it takes back the decline: the presenters are mailed your comment, and it can be scheduled.'}
          </p>
        ) : (
          ''
        )}
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
        <button type="submit" class="primary" {...namedBy(`${id}-submit`, title)}>
          {reversal ? 'Change the decision and mail the presenters' : 'Decide and mail the presenters'}
        </button>
      </fieldset>
    </form>
  );
}

/** The proposal form for an attendee, as typed (a refused one keeps it). */
export interface ProposeRetry {
  values: TopicFormValues & { proposerId: string };
  errors: Record<string, string>;
}

const PROPOSE_LABELS: Record<string, string> = { proposerId: 'Proposer', title: 'Title', abstract: 'Abstract', wishedMinutes: 'Wished length', coPresenterIds: 'Co-presenters' };

/** A topic sent to the committee (by private mail, say), entered for its accepted proposer. */
function ProposeForAttendee(p: { base: string; csrf: string; attendees: TopicPresenter[]; retry?: ProposeRetry | undefined }): JSX.Element {
  const values = p.retry?.values ?? { ...EMPTY_TOPIC, proposerId: '' };
  const errors = p.retry?.errors ?? {};
  const proposerError = errors.proposerId;
  return (
    <section aria-labelledby="propose">
      <h2 id="propose">Propose a topic for an attendee</h2>
      <p class="muted">
        For a topic an attendee sent the committee. It is theirs: they can edit or withdraw it on their page until you decide on it above. Nobody is mailed.
      </p>
      {p.attendees.length === 0 ? (
        <p class="muted">Nobody has accepted an invitation yet: only accepted attendees present topics.</p>
      ) : (
        <>
          <ErrorSummary errors={errors} labels={PROPOSE_LABELS} />
          <form method="post" action={p.base}>
            <Csrf token={p.csrf} />
            <FormKey />
            <div class={proposerError ? 'field error' : 'field'}>
              <label for="f-proposerId">Proposer</label>{' '}
              <select id="f-proposerId" name="proposerId" required aria-describedby={proposerError ? 'f-proposerId-error' : undefined} aria-invalid={proposerError ? 'true' : undefined}>
                <option value="" selected={values.proposerId === ''}>
                  (choose an accepted attendee)
                </option>
                {p.attendees.map((a) => (
                  <option value={String(a.id)} selected={values.proposerId === String(a.id)} safe>
                    {a.name}
                  </option>
                ))}
              </select>
              {proposerError ? (
                <>
                  {' '}
                  <strong id="f-proposerId-error" class="error-text" safe>
                    {proposerError}
                  </strong>
                </>
              ) : (
                ''
              )}
            </div>
            <TopicFields values={values} errors={errors} attendees={p.attendees} />
            <button type="submit" class="primary">
              Propose this topic for them
            </button>
          </form>
        </>
      )}
    </section>
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
  attendees: TopicPresenter[];
  /** Presenters who will not be there (their invitation declined, withdrawn, revoked or expired), by person id. */
  notComing?: ReadonlyMap<number, string>;
  propose?: ProposeRetry | undefined;
}): JSX.Element {
  const total = Object.values(p.counts).reduce((a, b) => a + b, 0);
  return (
    <AdminLayout title={`Topics: ${p.editionTitle}`} account={p.account} csrf={p.csrf} notice={p.notice} edition={p.base}>
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
        <TopicSummary t={t} level={2} notComing={p.notComing}>
          <p class="muted" safe>{`#${t.number}, ${t.origin === 'proposal' ? `proposed ${t.createdAt.toISOString().slice(0, 10)}, last changed ${t.updatedAt.toISOString().slice(0, 10)}` : 'from the imported page'}`}</p>
          <p>
            <a href={`${p.base}/${t.id}/edit`} {...namedBy(`topic-${t.id}-edit`, topicTitleId(t.id))}>
              Edit the title, abstract, length or presenters
            </a>
          </p>
          <DecisionForm t={t} base={p.base} csrf={p.csrf} retry={p.retry} />
        </TopicSummary>
      ))}
      <ProposeForAttendee base={p.base} csrf={p.csrf} attendees={p.attendees} retry={p.propose} />
    </AdminLayout>
  );
}

/** The committee's edit form as typed: title, abstract, length and the presenters ticked (person ids). */
export type TopicEditValues = Pick<TopicFormValues, 'title' | 'abstract' | 'wishedMinutes'> & { presenterIds: string[] };

const EDIT_LABELS: Record<string, string> = { title: 'Title', abstract: 'Abstract', wishedMinutes: 'Length', presenterIds: 'Presenters' };

/** The topic's presenters as checkboxes (no JavaScript needed): its own first, then the other accepted attendees. */
function PresenterFields(p: { choices: PresenterChoice[]; ticked: string[]; error: string | undefined }): JSX.Element {
  return (
    <fieldset id="f-presenterIds" class={p.error ? 'error' : undefined} aria-describedby={p.error ? 'f-presenterIds-error' : undefined}>
      <legend>Presenters (accepted attendees; the proposer stays first)</legend>
      <input type="hidden" name="presentersShown" value="1" />
      {p.choices.length === 0 ? <p class="muted">Nobody has accepted an invitation yet.</p> : ''}
      {p.choices.map((c) => (
        <div>
          <label>
            <input type="checkbox" name="presenterIds" value={String(c.id)} checked={p.ticked.includes(String(c.id))} /> <span safe>{c.name}</span>
            {c.problem ? <strong class="error-text" safe>{` (${c.problem}: untick to take them off)`}</strong> : ''}
          </label>
        </div>
      ))}
      {p.error ? (
        <strong id="f-presenterIds-error" class="error-text" safe>
          {p.error}
        </strong>
      ) : (
        ''
      )}
    </fieldset>
  );
}

/**
 * The committee's change of a topic's title, abstract, length or presenters, in any state. Its
 * state stays, nobody is mailed, and a slot already made for it keeps its times and speakers.
 */
export function AdminTopicEditPage(p: {
  account: SessionAccount;
  csrf: string;
  editionTitle: string;
  base: string;
  topic: TopicView;
  values: TopicEditValues;
  errors: Record<string, string>;
  choices: PresenterChoice[];
}): JSX.Element {
  const t = p.topic;
  return (
    <AdminLayout title={`Edit “${t.title}”: ${p.editionTitle}`} account={p.account} csrf={p.csrf}>
      <p>
        <a href={`${p.base}#topic-${t.id}`} safe>{`Back to the topics of ${p.editionTitle}`}</a>
      </p>
      <h1 safe>{`Edit topic #${t.number}, “${t.title}”`}</h1>
      <p class="muted" safe>
        {`${t.state}; ${t.presenters.length ? `presented by ${t.presenters.map((x) => x.name).join(', ')}` : 'no presenter named'}. Saving keeps its state and mails nobody. A slot made for it shows the new title (and the schedule's changelog says so once published), but keeps its times and its speakers: change those on the schedule.`}
      </p>
      <ErrorSummary errors={p.errors} labels={EDIT_LABELS} />
      <form method="post" action={`${p.base}/${t.id}/edit`}>
        <Csrf token={p.csrf} />
        <TopicTextFields values={p.values} errors={p.errors} length="granted" />
        <PresenterFields choices={p.choices} ticked={p.values.presenterIds} error={p.errors.presenterIds} />
        <button type="submit" class="primary">
          Save
        </button>
      </form>
    </AdminLayout>
  );
}
