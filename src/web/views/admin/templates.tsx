import type { SessionAccount } from '../../../domain/committee/sessions.js';
import type { TemplateOrigin, TemplateText, TemplateView } from '../../../domain/mail/templates.js';
import { isSiteWide, type TemplateKey, type TemplateKeySpec } from '../../../domain/mail/template-keys.js';
import { AdminLayout } from './admin-layout.js';
import { ActionButton, Csrf, ErrorSummary, Field, TextOnlyLine } from './form.js';
import { utcMinute } from '../../../domain/invitations/dates.js';

/** Where the text in force comes from, as the committee reads it. */
export function originLabel(origin: TemplateOrigin): string {
  if (origin === 'edition') return 'this edition’s own';
  if (origin === 'site') return 'site-wide';
  return 'built-in default';
}

function when(d: Date | null): string {
  return d ? utcMinute(d) : '';
}

/** Every kind of mail of an edition, with where its text comes from. */
export function TemplatesPage(p: {
  account: SessionAccount;
  csrf: string;
  title: string;
  base: string;
  /** `note`: what to say beside the text in force (templates.ts defaultBesideNote), or null. */
  rows: { key: TemplateKey; about: string; view: TemplateView; note: string | null }[];
  notice?: string | undefined;
}): JSX.Element {
  return (
    <AdminLayout title={`Mail templates: ${p.title}`} account={p.account} csrf={p.csrf} notice={p.notice} edition={p.base}>
      <p class="muted">
        Each mail is written from its template: a subject and a plain-text body with placeholders such as {'{{name}}'}. Until the
        committee saves its own text for this edition, the site-wide or the built-in one is used.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Template</th>
            <th scope="col">Used for</th>
            <th scope="col">Text in force</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          {/* lynx ran a row's cells together ("invitation the personal invitation to an edition
              built-in default Subject of …"), and its rows into each other: each cell starts a
              line of its own there, named as its column ("Template: invitation", "Used for: …"). */}
          {p.rows.map((r) => (
            <tr>
              <th scope="row">
                <TextOnlyLine name="Template" />
                <a href={isSiteWide(r.key) ? `/admin/templates/${encodeURIComponent(r.key)}` : `${p.base}/${encodeURIComponent(r.key)}`}>
                  {r.key}
                </a>
              </th>
              <td>
                <TextOnlyLine name="Used for" />
                <span safe>{r.about}</span>
              </td>
              <td>
                <TextOnlyLine name="Text in force" />
                <span safe>{originLabel(r.view.origin) + (r.view.updatedAt ? `, saved ${when(r.view.updatedAt)}` : '') + (isSiteWide(r.key) ? ' (the same for every edition)' : '')}</span>
                {r.note ? (
                  <>
                    <br />
                    <strong safe>{`Note: ${r.key} ${r.note}.`}</strong>
                  </>
                ) : (
                  ''
                )}
              </td>
              <td>
                <TextOnlyLine name="Subject" />
                <span safe>{r.view.subject}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

/** What the list of placeholders says after one's meaning: where it must be, and where it may not. */
function placeholderNote(required: boolean, secret: boolean): string {
  const notes = [...(required ? ['must appear in the body'] : []), ...(secret ? ['never in the subject: it is a secret'] : [])];
  return notes.length ? ` (${notes.join('; ')})` : '';
}

/** The placeholders a template may use: name, meaning, and what a preview puts in. */
function Placeholders({ spec }: { spec: TemplateKeySpec }): JSX.Element {
  return (
    <aside class="template-placeholders" aria-labelledby="placeholders-heading">
      <h2 id="placeholders-heading">Placeholders</h2>
      <p class="muted">Only these may appear; any other is refused when saving. Values go in as plain text.</p>
      <dl>
        {Object.entries(spec.placeholders).map(([name, ph]) => (
          <>
            <dt>
              <code safe>{`{{${name}}}`}</code>
            </dt>
            <dd>
              <span safe>{ph.about + placeholderNote(spec.required?.includes(name) ?? false, ph.secret !== undefined)}</span>
              <br />
              <span class="muted" safe>{`e.g. ${ph.sample}`}</span>
            </dd>
          </>
        ))}
      </dl>
    </aside>
  );
}

/**
 * The body's textarea: like Field, in a monospace font (class "mono"). It starts with a newline
 * because a browser drops one right after <textarea>: that one, rather than the text's own.
 */
function BodyField(p: { value: string; error?: string | undefined }): JSX.Element {
  const described = ['f-body-hint', p.error ? 'f-body-error' : ''].filter(Boolean).join(' ');
  return (
    <div class={p.error ? 'field error wide' : 'field wide'}>
      <label for="f-body">Body</label>
      <textarea id="f-body" name="body" rows="20" cols="76" class="mono" spellcheck="false" aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} safe>
        {`\n${p.value}`}
      </textarea>
      <small id="f-body-hint" class="muted">
        Plain text, read at 72 columns. After filling, a paragraph (lines between blank lines) with a line longer than that is
        rewrapped as a whole, unless one of its lines is indented, quoted ("&gt; ") or a list item ("- "): those keep their line
        breaks. Indent a link or a list to keep it on its own lines. The signature ("-- " and after) is left as written.
      </small>
      {p.error ? (
        <>
          {/* As Field's: a line of its own in lynx, not run into the hint. */}
          <span class="text-only">
            <br />
          </span>
          <strong id="f-body-error" class="error-text" safe>
            {p.error}
          </strong>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

/**
 * One template's editor: subject and body with the allowed placeholders beside them, Preview
 * (the text in the form with the edition's own values and samples, nothing saved) and Save in one form, and a reset.
 */
export function TemplateEditPage(p: {
  account: SessionAccount;
  csrf: string;
  title: string;
  base: string;
  /** A site-wide template (edition null): the sign-in mail's, which belongs to no edition. */
  siteWide?: boolean;
  key: TemplateKey;
  spec: TemplateKeySpec;
  current: TemplateView;
  values: TemplateText;
  errors: Record<string, string>;
  preview?: TemplateText | undefined;
  notice?: string | undefined;
}): JSX.Element {
  const action = `${p.base}/${encodeURIComponent(p.key)}`;
  const c = p.current;
  return (
    <AdminLayout title={`Mail template “${p.key}”: ${p.title}`} account={p.account} csrf={p.csrf} notice={p.notice}>
      {p.siteWide ? (
        <p class="muted">This mail belongs to no edition: its text is the same for every edition.</p>
      ) : (
        <p>
          <a href={p.base}>All templates of this edition</a>
        </p>
      )}
      <p safe>{`Used for ${p.spec.about}.`}</p>
      <p safe>{`Text in force: ${originLabel(c.origin)}${c.updatedAt ? `, saved ${when(c.updatedAt)}` : ''}.`}</p>
      <ErrorSummary errors={p.errors} />
      {p.preview ? (
        <section aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p class="muted">The text in the form below, filled with this edition's title, dates, place and committee, and sample values for the rest. Nothing has been saved.</p>
          <pre class="mail" safe>{`Subject: ${p.preview.subject}\n\n${p.preview.body}`}</pre>
        </section>
      ) : (
        ''
      )}
      <div class="template-editor">
        <form method="post" action={action} novalidate>
          <Csrf token={p.csrf} />
          <Field name="subject" label="Subject" value={p.values.subject} error={p.errors.subject} hint="One line." required />
          <BodyField value={p.values.body} error={p.errors.body} />
          <button type="submit" name="op" value="preview">
            Preview
          </button>{' '}
          <button type="submit" name="op" value="save" class="primary">
            Save
          </button>
        </form>
        <Placeholders spec={p.spec} />
      </div>
      <h2>Reset</h2>
      {p.siteWide ? (
        c.origin === 'site' ? (
          <>
            <p class="muted">Removes the site’s own text: the built-in one applies again.</p>
            <ActionButton action={`${action}/reset`} csrf={p.csrf} label="Reset to default" danger />
          </>
        ) : (
          <p class="muted">The built-in text applies. Saving makes it the site’s own.</p>
        )
      ) : c.origin === 'edition' ? (
        <>
          <p class="muted">Removes this edition’s own text: the site-wide text, or else the built-in one, applies again.</p>
          <ActionButton action={`${action}/reset`} csrf={p.csrf} label="Reset to default" danger />
        </>
      ) : (
        <p class="muted" safe>{`This edition has no text of its own: the ${originLabel(c.origin)} text applies. Saving makes it this edition’s own.`}</p>
      )}
    </AdminLayout>
  );
}
