/** Form pieces for the admin: labelled fields that show their error and keep what was typed. */

export interface FieldProps {
  name: string;
  label: string;
  value?: string | number | null | undefined;
  error?: string | undefined;
  type?: string;
  hint?: string;
  required?: boolean;
  rows?: number;
  options?: string[];
  /** Suggestions for a text field (a datalist): any other text may still be typed. */
  list?: string[];
}

/**
 * A labelled field. A date field is followed by the format to type, for text browsers, which
 * have no date picker (hidden where the browser shows its own).
 */
export function Field(p: FieldProps): JSX.Element {
  const id = `f-${p.name}`;
  const described = [p.hint ? `${id}-hint` : '', p.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const value = p.value === null || p.value === undefined ? '' : String(p.value);
  let control: JSX.Element;
  if (p.options) {
    control = (
      <select id={id} name={p.name} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined}>
        {p.options.map((o) => (
          <option value={o} selected={o === value} safe>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (p.rows) {
    control = (
      <textarea id={id} name={p.name} rows={String(p.rows)} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} safe>
        {value}
      </textarea>
    );
  } else {
    control = (
      <>
        <input
          id={id}
          name={p.name}
          type={p.type ?? 'text'}
          value={value}
          required={p.required}
          list={p.list ? `${id}-list` : undefined}
          aria-describedby={described}
          aria-invalid={p.error ? 'true' : undefined}
        />
        {p.list ? (
          <datalist id={`${id}-list`}>
            {p.list.map((o) => (
              <option value={o} />
            ))}
          </datalist>
        ) : (
          ''
        )}
      </>
    );
  }
  return (
    <div class={p.error ? 'field error' : 'field'}>
      <label for={id} safe>
        {p.label}
      </label>
      {/* lynx puts a select right against the text before it ("Kind[company]"); the grid drops this space. */}
      {' '}
      {control}
      {p.type === 'date' ? <span class="text-only"> (YYYY-MM-DD)</span> : ''}
      {p.hint ? (
        <>
          {' '}
          <small id={`${id}-hint`} class="muted" safe>
            {p.hint}
          </small>
        </>
      ) : (
        ''
      )}
      {/* In lynx, the error on a line of its own, not run into the hint ("…as written.unknown placeholder"); the grid has it on its own row. */}
      {p.error ? (
        <>
          {' '}
          <span class="text-only">
            <br />
          </span>
          <strong id={`${id}-error`} class="error-text" safe>
            {p.error}
          </strong>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

export function Csrf({ token }: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={token} />;
}

/**
 * The attributes that name a link or button for what it acts on, where the row around it names
 * that already: the control's own words ("Edit"), then those of the element `nameId` (the row's
 * name, "Acme"), so that a screen reader's list of links or buttons reads "Edit Acme" and tells
 * the rows apart. lynx has no ARIA and no style sheet: it reads the row as the eye does, the name
 * once ("Acme (company) Edit Remove"), where words hidden beside each control read it three times.
 * `nameId` may list several ids, space-separated (a slot's time, then its title).
 */
export function namedBy(ownId: string, nameId: string): { id: string; 'aria-labelledby': string } {
  return { id: ownId, 'aria-labelledby': `${ownId} ${nameId}` };
}

/**
 * A one-button form: every state-changing action is a POST with its CSRF token. `named` names the
 * button for what it acts on (see namedBy): "Remove" beside a sponsor, for a screen reader
 * "Remove Acme".
 */
export function ActionButton(p: { action: string; csrf: string; label: string; named?: { id: string; by: string }; fields?: Record<string, string>; danger?: boolean }): JSX.Element {
  return (
    <form method="post" action={p.action} class="inline">
      <Csrf token={p.csrf} />
      {Object.entries(p.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={p.danger ? 'danger' : undefined} {...(p.named ? namedBy(p.named.id, p.named.by) : {})} safe>
        {p.label}
      </button>
    </form>
  );
}

/**
 * A new line named for what follows it ("Room: "), read only where there is no style sheet: a
 * text browser runs a table row's cells together, far below the column heads, so that each cell
 * past the first starts a line of its own there, named as its column is.
 */
export function TextOnlyLine({ name }: { name: string }): JSX.Element {
  return (
    <span class="text-only">
      <br />
      <span safe>{`${name}: `}</span>
    </span>
  );
}

/** A field's name as words, where a page gives no label for it: "answerBy" → "Answer by". */
function fieldWords(field: string): string {
  const words = field.replace(/\./g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The form's errors at the top, each linking to its field, named as the form names it. */
export function ErrorSummary({ errors, labels = {} }: { errors: Record<string, string>; labels?: Record<string, string> }): JSX.Element {
  const list = Object.entries(errors);
  if (list.length === 0) return '';
  return (
    <div class="error-summary" role="alert">
      <p>
        <strong safe>{`Please correct ${list.length === 1 ? 'this field' : `these ${list.length} fields`}:`}</strong>
      </p>
      <ul>
        {list.map(([k, v]) => (
          <li>
            <a href={`#f-${k}`} safe>{`${labels[k] ?? fieldWords(k)}: ${v}`}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}
