/**
 * The web's side of a create form saved once (domain/form-once.ts): the form's hidden key, and
 * the page a form sent again is led to.
 */
import { FORM_KEY_FIELD, newFormKey } from '../domain/form-once.js';

/** What a create form sent again is told, on the page its first send led to. */
export const SENT_AGAIN = 'This form was sent already; it was saved once.';

/** A create form's one-time key: a new one each time the form is shown. */
export function FormKey(): JSX.Element {
  return <input type="hidden" name={FORM_KEY_FIELD} value={newFormKey()} />;
}

/** Where the first send led (an admin page with its notice), saying instead that this one saved nothing. */
export function sentAgain(landing: string): string {
  const url = new URL(landing, 'http://conclave.invalid');
  url.searchParams.set('notice', SENT_AGAIN);
  return `${url.pathname}${url.search}${url.hash}`;
}
