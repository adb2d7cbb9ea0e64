import { acceptWaitsSentence, type InviteeView } from '../../domain/invitations/invitee-view.js';
import { Csrf } from './admin/form.js';
import { Layout } from './layout.js';

const ACTION_TEXT = { accept: 'Yes, I will come', decline: 'No, I cannot come', withdraw: 'Withdraw: I can no longer come' } as const;

/** The invitee's page, reached from their personal link: the edition, their answer, their details. */
export function InvitationPage(p: {
  v: InviteeView;
  token: string;
  csrf: string;
  notice?: string | undefined;
  /** A refused affiliation: its error, and what was typed, shown again. */
  error?: string;
  typed?: { affiliation: string; showEmail: boolean };
}): JSX.Element {
  const v = p.v;
  const base = `/invitation/${p.token}`;
  // The details travel with "Yes, I will come" (Enter in a field then accepts). Once answered,
  // they have a form and a Save button of their own: Enter must never decline or withdraw.
  const detailsWithAnswer = v.canEditDetails && v.actions.includes('accept');
  // Only one who has not answered, and still may, is asked to; one who answered is told until
  // when the answer may change (the notice says when it no longer may).
  const asked = v.state === 'invited' && v.canChange && v.answerByText !== null;
  return (
    <Layout title={`Your invitation to ${v.edition.title}`}>
      <h1 safe>{`Your invitation to ${v.edition.title}`}</h1>
      {p.notice ? (
        <p class="notice" role="status" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      <p safe>{`Hello ${v.person.name},`}</p>
      <dl class="facts">
        <dt>Dates</dt>
        <dd safe>{v.edition.dates || 'to be announced'}</dd>
        <dt>Place</dt>
        <dd safe>{v.edition.place || 'to be announced'}</dd>
        {v.edition.colocated ? (
          <>
            <dt>Held with</dt>
            <dd safe>{v.edition.colocated}</dd>
          </>
        ) : (
          ''
        )}
        {asked ? (
          <>
            <dt>Please answer by</dt>
            <dd safe>{v.answerByText}</dd>
          </>
        ) : (
          ''
        )}
        <dt>Your answer</dt>
        <dd>
          <strong safe>{v.stateText}</strong>
          {v.waitlistRank ? <span safe>{` You are number ${v.waitlistRank} on it; we will mail you if a place opens up.`}</span> : ''}
        </dd>
        {v.canChange && !asked ? (
          <>
            <dt>You may change it until</dt>
            <dd safe>{v.answerByText}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {v.notice ? <p safe>{v.notice}</p> : ''}
      {v.speaksIn && v.actions.some((a) => a !== 'accept') ? (
        <>
          <p>You are on the schedule:</p>
          <ScheduleList text={v.speaksIn} />
          {v.committeeHears ? <p>If you cannot come after all, the committee is told at once, so that someone can take your place on it.</p> : ''}
        </>
      ) : (
        ''
      )}
      {v.actions.length ? (
        <form method="post" action={`${base}/answer`}>
          <Csrf token={p.csrf} />
          {detailsWithAnswer ? <InviteeDetails v={v} error={p.error} typed={p.typed} /> : ''}
          {v.actions.includes('accept') ? (
            <p class="muted">Coming puts your name, with your affiliation, on the list of attendees on the edition's public page.</p>
          ) : (
            ''
          )}
          {v.acceptWaitRank ? <p safe>{acceptWaitsSentence(v.acceptWaitRank)}</p> : ''}
          {v.actions.map((a) => (
            <>
              <button type="submit" name="answer" value={a} class={a === 'accept' ? 'primary' : a === 'withdraw' ? 'danger' : undefined}>
                {ACTION_TEXT[a]}
              </button>{' '}
            </>
          ))}
        </form>
      ) : (
        ''
      )}
      {v.canEditDetails && !detailsWithAnswer ? (
        <form method="post" action={`${base}/details`}>
          <Csrf token={p.csrf} />
          <InviteeDetails v={v} error={p.error} typed={p.typed} />
          <button type="submit">Save</button>
        </form>
      ) : (
        ''
      )}
      {asked ? <p class="muted">You may change your answer until the answer-by date.</p> : ''}
      {v.state === 'accepted' ? (
        <section aria-labelledby="your-topics">
          <h2 id="your-topics">Your topics and slides</h2>
          <p>
            <a href={`${base}/topics`}>Propose a topic, or see and edit the ones you proposed</a>
          </p>
          <p>
            <a href={`${base}/materials`}>Your slides and materials: upload them for your talks</a>
          </p>
        </section>
      ) : (
        ''
      )}
      <p class="muted">This page is reached only through your personal link: please do not share it.</p>
    </Layout>
  );
}

/**
 * The slots of a speaker as their notices give them (schedule-notices.ts slotsOf: a slot on a
 * line, indented by two after the first; its other speakers and room on the next, indented by
 * four; last, the time zone in parentheses) as a list, each line of a slot a line of its item:
 * preformatted, a line past a text browser's width was broken inside a word.
 */
function ScheduleList({ text }: { text: string }): JSX.Element {
  const entries = text.split(/\n {2}(?! )/);
  const note = entries.length > 1 && entries[entries.length - 1]!.startsWith('(') ? entries.pop()! : null;
  return (
    <>
      <ul class="slots">
        {entries.map((entry) => (
          <li>
            {entry.split(/\n\s+/).map((line, i) => (
              <>
                {i ? <br /> : ''}
                <span safe>{line}</span>
              </>
            ))}
          </li>
        ))}
      </ul>
      {note ? <p safe>{note}</p> : ''}
    </>
  );
}

function InviteeDetails({ v, error, typed }: { v: InviteeView; error?: string | undefined; typed?: { affiliation: string; showEmail: boolean } | undefined }): JSX.Element {
  return (
    <fieldset>
      <legend>About you</legend>
      <div class={error ? 'field error' : 'field'}>
        <label for="f-affiliation">Affiliation (shown with your name)</label>
        <input
          id="f-affiliation"
          name="affiliation"
          maxlength="200"
          value={typed ? typed.affiliation : (v.person.affiliation ?? '')}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'f-affiliation-error' : undefined}
        />
        {error ? (
          <strong id="f-affiliation-error" class="error-text" safe>
            {`Affiliation: ${error}`}
          </strong>
        ) : (
          ''
        )}
      </div>
      <div class="field">
        <label>
          <input type="checkbox" name="showEmail" value="yes" checked={typed ? typed.showEmail : v.person.showEmail} />{' '}
          <span safe>{`Show my address (${v.person.email}) on the public pages`}</span>
        </label>
      </div>
    </fieldset>
  );
}
