/**
 * Topic proposals on the invitee's side, behind their personal link: their topics (as proposer
 * or co-presenter) with the committee's comment, the form to propose one, and the edit form.
 * Also the topic's summary, which the committee's page shares.
 */
import type { PropsWithChildren } from '@kitajs/html';
import type { TopicState } from '../../db/schema.js';
import { renderMarkdown } from '../../domain/markdown.js';
import type { MyTopic, TopicPresenter, TopicView } from '../../domain/program/topics.js';
import { Csrf, ErrorSummary, Field } from './admin/form.js';
import { Layout } from './layout.js';
import { FormKey } from '../form-once.js';

export const TOPIC_STATE_TEXT: Record<TopicState, string> = {
  proposed: 'Proposed: waiting for the committee',
  'changes-requested': 'The committee asks for changes',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

/** What the proposal form holds: as typed, so that a refused form keeps it. */
export interface TopicFormValues {
  title: string;
  abstract: string;
  wishedMinutes: string;
  coPresenterIds: number[];
}

export const EMPTY_TOPIC: TopicFormValues = { title: '', abstract: '', wishedMinutes: '', coPresenterIds: [] };

const LABELS: Record<string, string> = { title: 'Title', abstract: 'Abstract', wishedMinutes: 'Wished length', coPresenterIds: 'Co-presenters', proposerId: 'You' };

/** The committee's comment, plain text kept in its paragraphs. */
export function CommitteeComment({ text }: { text: string | null }): JSX.Element {
  if (!text) return '';
  return (
    <blockquote class="topic-comment">
      {text.split(/\n{2,}/).map((para) => (
        <p safe>{para}</p>
      ))}
    </blockquote>
  );
}

const DECIDED: readonly TopicView['state'][] = ['accepted', 'declined', 'changes-requested'];

/** The id of the element holding a topic's title in its TopicSummary. */
export function topicTitleId(topicId: number): string {
  return `topic-${topicId}-title`;
}

/** One topic: number, title, state, presenters, wished length, abstract, the committee's word. */
/**
 * A topic's facts, its abstract and the committee's comment. `notComing` (the committee's page)
 * marks a presenter whose invitation was declined, withdrawn, revoked or let expire.
 */
export function TopicSummary({ t, level = 3, notComing, children }: PropsWithChildren<{ t: TopicView; level?: 2 | 3; notComing?: ReadonlyMap<number, string> | undefined }>): JSX.Element {
  const safeAbstract = t.origin === 'proposal' ? renderMarkdown(t.abstract, level) : '';
  // The title has an id of its own (topicTitleId), which the committee's controls below it name
  // themselves by (aria-labelledby) instead of saying it again.
  return (
    <article class="topic" id={`topic-${t.id}`}>
      {level === 2 ? (
        <h2>
          {t.number}.{' '}
          <span id={topicTitleId(t.id)} safe>
            {t.title}
          </span>
        </h2>
      ) : (
        <h3>
          {t.number}.{' '}
          <span id={topicTitleId(t.id)} safe>
            {t.title}
          </span>
        </h3>
      )}
      <dl class="facts">
        <dt>State</dt>
        <dd>
          <strong safe>{TOPIC_STATE_TEXT[t.state]}</strong>
          {/* Edited after changes were asked, or withdrawn, it waits on no decision: no date of one. */}
          {t.decidedAt && DECIDED.includes(t.state) ? <span class="muted" safe>{` (decided ${t.decidedAt.toISOString().slice(0, 10)})`}</span> : ''}
        </dd>
        <dt>Presenters</dt>
        <dd safe>{t.presenters.map((p) => (notComing?.has(p.id) ? `${p.name} (the invitation is ${notComing.get(p.id)})` : p.name)).join(', ') || 'none named'}</dd>
        <dt>Wished length</dt>
        <dd>{t.wishedMinutes ? `${t.wishedMinutes} minutes` : 'no wish'}</dd>
      </dl>
      {safeAbstract ? <div class="topic-abstract">{safeAbstract}</div> : t.abstract ? <p safe>{t.abstract}</p> : ''}
      {t.decisionComment ? (
        <>
          <p>
            <strong>The committee’s comment:</strong>
          </p>
          <CommitteeComment text={t.decisionComment} />
        </>
      ) : (
        ''
      )}
      {children ?? ''}
    </article>
  );
}

/**
 * Title, abstract and length: the proposer's fields, which the committee's edit form shares
 * (`length` names the length as the committee grants it rather than as a wish).
 */
export function TopicTextFields(p: { values: Pick<TopicFormValues, 'title' | 'abstract' | 'wishedMinutes'>; errors: Record<string, string>; length?: 'wished' | 'granted' }): JSX.Element {
  const granted = p.length === 'granted';
  return (
    <>
      <Field name="title" label="Title" value={p.values.title} error={p.errors.title} required />
      <Field name="abstract" label="Abstract" rows={10} value={p.values.abstract} error={p.errors.abstract} hint="Markdown: blank lines between paragraphs, *emphasis*, `code`, lists and links." />
      <Field
        name="wishedMinutes"
        label={granted ? 'Length, in minutes' : 'Wished length, in minutes'}
        type="number"
        value={p.values.wishedMinutes}
        error={p.errors.wishedMinutes}
        hint={granted ? '5 to 480; leave empty for none. A slot already on the schedule keeps its times.' : '5 to 480; leave empty if you have no wish.'}
      />
    </>
  );
}

/** Title, abstract, wished length and co-presenters (checkboxes: no JavaScript needed). */
export function TopicFields(p: { values: TopicFormValues; errors: Record<string, string>; attendees: TopicPresenter[] }): JSX.Element {
  const coError = p.errors.coPresenterIds;
  return (
    <>
      <TopicTextFields values={p.values} errors={p.errors} />
      <fieldset id="f-coPresenterIds" class={coError ? 'error' : undefined} aria-describedby={coError ? 'f-coPresenterIds-error' : undefined}>
        <legend>Co-presenters (other attendees who have accepted)</legend>
        {p.attendees.length === 0 ? <p class="muted">No other attendee has accepted yet.</p> : ''}
        {p.attendees.map((a) => (
          <div>
            <label>
              <input type="checkbox" name="coPresenterIds" value={String(a.id)} checked={p.values.coPresenterIds.includes(a.id)} /> <span safe>{a.name}</span>
            </label>
          </div>
        ))}
        {coError ? (
          <>
            {' '}
            <strong id="f-coPresenterIds-error" class="error-text" safe>
              {coError}
            </strong>
          </>
        ) : (
          ''
        )}
      </fieldset>
    </>
  );
}

interface InviteeHead {
  name: string;
  edition: { title: string };
}

/** The invitee's topics page: theirs, and the form to propose one (accepted invitees only). */
export function InviteeTopicsPage(p: {
  invitee: InviteeHead;
  token: string;
  csrf: string;
  canPropose: boolean;
  /** Why the invitee cannot propose (not accepted; the invitation expired), or null. */
  closed: string | null;
  topics: MyTopic[];
  attendees: TopicPresenter[];
  values: TopicFormValues;
  errors: Record<string, string>;
  notice?: string | undefined;
}): JSX.Element {
  const base = `/invitation/${p.token}`;
  return (
    <Layout title={`Your topics for ${p.invitee.edition.title}`}>
      <p>
        <a href={base}>Back to your invitation</a>
      </p>
      <h1 safe>{`Your topics for ${p.invitee.edition.title}`}</h1>
      {p.notice ? (
        <p class="notice" role="status" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      {p.closed ? (
        <p class="notice" role="status" safe>
          {p.closed}
        </p>
      ) : (
        ''
      )}
      {p.topics.length === 0 ? (
        <p class="muted">You have not proposed any topic yet, and nobody has named you as a co-presenter.</p>
      ) : (
        p.topics.map((t) => (
          // Under the page's h1, as "Propose a topic" is: an h3 here skipped a level.
          <TopicSummary t={t} level={2}>
            {t.role === 'co-presenter' ? (
              <p class="muted" safe>{`${t.proposer?.name ?? 'Someone'} proposed this topic and named you as a co-presenter; only they can change it.`}</p>
            ) : t.editable ? (
              <p>
                <a href={`${base}/topics/${t.id}`} safe>{`Edit “${t.title}”`}</a>{' '}
                <form method="post" action={`${base}/topics/${t.id}/withdraw`} class="inline">
                  <Csrf token={p.csrf} />
                  <button type="submit" class="danger">
                    Withdraw this topic
                  </button>
                </form>
              </p>
            ) : (
              ''
            )}
          </TopicSummary>
        ))
      )}
      {p.canPropose ? (
        <>
          <h2 id="propose">Propose a topic</h2>
          <p class="muted">The committee reads every proposal and mails you its decision. You can edit or withdraw a proposal until then.</p>
          <ErrorSummary errors={p.errors} labels={LABELS} />
          <form method="post" action={`${base}/topics`}>
            <Csrf token={p.csrf} />
            <FormKey />
            <TopicFields values={p.values} errors={p.errors} attendees={p.attendees} />
            <button type="submit" class="primary">
              Propose this topic
            </button>
          </form>
        </>
      ) : (
        ''
      )}
      <p class="muted">This page is reached only through your personal link: please do not share it.</p>
    </Layout>
  );
}

/** The edit form of one of the invitee's topics. */
export function InviteeTopicEditPage(p: {
  invitee: InviteeHead;
  token: string;
  csrf: string;
  topic: MyTopic;
  attendees: TopicPresenter[];
  values: TopicFormValues;
  errors: Record<string, string>;
}): JSX.Element {
  const base = `/invitation/${p.token}`;
  const t = p.topic;
  return (
    <Layout title={`Edit “${t.title}”`}>
      <p>
        <a href={`${base}/topics`}>Back to your topics</a>
      </p>
      <h1 safe>{`Edit “${t.title}”`}</h1>
      {t.state === 'changes-requested' ? (
        <>
          <p>The committee asks for changes:</p>
          <CommitteeComment text={t.decisionComment} />
          <p class="muted">When you save, the topic goes back to the committee.</p>
        </>
      ) : (
        ''
      )}
      <ErrorSummary errors={p.errors} labels={LABELS} />
      <form method="post" action={`${base}/topics/${t.id}`}>
        <Csrf token={p.csrf} />
        <TopicFields values={p.values} errors={p.errors} attendees={p.attendees} />
        <button type="submit" class="primary">
          Save
        </button>
      </form>
      <p class="muted">This page is reached only through your personal link: please do not share it.</p>
    </Layout>
  );
}
