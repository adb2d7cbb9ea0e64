import { Csrf, Field } from './admin/form.js';
import { Layout } from './layout.js';
import { siteName } from './site.js';

/** The page a sign-in leads to, carried through the forms (see returnPath). */
function Next({ next }: { next?: string | null }): JSX.Element {
  return next ? <input type="hidden" name="next" value={next} /> : '';
}

export function SigninForm(p: { csrf: string; email?: string; error?: string; next?: string | null; notice?: string | undefined }): JSX.Element {
  return (
    <Layout title="Committee sign-in">
      <h1>Committee sign-in</h1>
      {p.notice ? (
        <p class="notice" role="status" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      <p>There are no passwords: give your address and a one-time link is mailed to it. The link works once, for 15 minutes.</p>
      <form method="post" action="/signin">
        <Csrf token={p.csrf} />
        <Next next={p.next} />
        <Field name="email" label="Your address" type="email" value={p.email} error={p.error} required />
        <button type="submit" class="primary">
          Mail me a sign-in link
        </button>
      </form>
    </Layout>
  );
}

/**
 * What the sign-in form answers. Without SMTP, `mailbox` says where the mail went: its directory
 * (`shown`) only to one who may know it (a member signed in, a visitor on this machine); to
 * anyone else, a sentence that names no path on the server.
 */
function mailboxSentence(shown: string | null): string {
  return shown
    ? `This server has no SMTP server configured: mail goes to the local mailbox, as .eml files in ${shown}.`
    : 'If no mail comes within a few minutes, ask whoever runs this site: it may not be set up to send mail yet.';
}

export function SigninSent(p: { email: string; mailbox: { shown: string | null } | null }): JSX.Element {
  return (
    <Layout title="Check your mail">
      <h1>Check your mail</h1>
      <p safe>{`If ${p.email} belongs to a committee member, a sign-in link is on its way. It works once, within 15 minutes.`}</p>
      {p.mailbox ? (
        <p class="muted" safe>
          {mailboxSentence(p.mailbox.shown)}
        </p>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** The link's landing page: a button, so that mail scanners that follow links do not use it up. */
export function SigninConfirm(p: { csrf: string; token: string; next?: string | null }): JSX.Element {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      {p.next ? (
        <p>
          Then on to the page you asked for: <code safe>{p.next}</code>
        </p>
      ) : (
        ''
      )}
      <form method="post" action={`/signin/${p.token}`}>
        <Csrf token={p.csrf} />
        <Next next={p.next} />
        <button type="submit" class="primary" safe>
          {`Sign in to ${siteName()}`}
        </button>
      </form>
    </Layout>
  );
}
