/**
 * Materials forms and lists shared by the speaker's page and the committee's: upload a file
 * (multipart, the CSRF token first so the check sees it before the file), add a link, and the
 * list of what is there. Every field is labelled and shows its error in place; no JavaScript.
 */
import type { PropsWithChildren } from '@kitajs/html';
import type { MaterialItem, MaterialTarget } from '../../domain/program/material-queries.js';
import { ACCEPTED_TEXT, sizeText } from '../../domain/files/material-types.js';
import { KIND_NAMES, UPLOAD_KINDS } from '../../domain/program/materials.js';
import { ActionButton, Csrf } from './admin/form.js';
import { Layout } from './layout.js';
import { OPTION_MAX, optionText } from './format.js';

export type FormErrors = Record<string, string>;
export type FormValues = Record<string, string>;

/** The id of a form's field and what describes it (hint, error). */
function fieldIds(form: string, name: string, hint: string | undefined, error: string | undefined): { id: string; described: string | undefined } {
  const id = `${form}-${name}`;
  return { id, described: [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined };
}

/** A labelled control with its hint and error; the control's id is `${form}-${name}`. */
export function MField(p: PropsWithChildren<{ id: string; label: string; error?: string | undefined; hint?: string | undefined }>): JSX.Element {
  return (
    <div class={p.error ? 'field error' : 'field'}>
      <label for={p.id} safe>
        {p.label}
      </label>
      {/* lynx puts a select right against the text before it ("Kindtalk"); the grid drops this space. */}
      {' '}
      {p.children}
      {p.hint ? (
        <>
          {' '}
          <small id={`${p.id}-hint`} class="muted" safe>
            {p.hint}
          </small>
        </>
      ) : (
        ''
      )}
      {p.error ? (
        <>
          {' '}
          <strong id={`${p.id}-error`} class="error-text" safe>
            {p.error}
          </strong>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

function Select(p: { form: string; name: string; label: string; options: { value: string; text: string }[]; value?: string | undefined; error?: string | undefined }): JSX.Element {
  const { id, described } = fieldIds(p.form, p.name, undefined, p.error);
  const control = (
    <select id={id} name={p.name} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined}>
      {p.options.map((o) => (
        <option value={o.value} selected={o.value === p.value} title={o.text.length > OPTION_MAX ? o.text : undefined} safe>
          {optionText(o.text)}
        </option>
      ))}
    </select>
  );
  return <MField id={id} label={p.label} error={p.error}>
    {control}
  </MField>;
}

export function Text(p: { form: string; name: string; label: string; value?: string | undefined; error?: string | undefined; hint?: string; type?: string; rows?: number }): JSX.Element {
  const { id, described } = fieldIds(p.form, p.name, p.hint, p.error);
  const control = p.rows ? (
    <textarea id={id} name={p.name} rows={String(p.rows)} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} safe>
      {p.value ?? ''}
    </textarea>
  ) : (
    <input id={id} name={p.name} type={p.type ?? 'text'} value={p.value ?? ''} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} />
  );
  return <MField id={id} label={p.label} error={p.error} hint={p.hint}>
    {control}
  </MField>;
}

export function FileField(p: { form: string; label: string; error?: string | undefined; hint: string; accept?: string }): JSX.Element {
  const { id, described } = fieldIds(p.form, 'file', p.hint, p.error);
  const control = <input id={id} name="file" type="file" accept={p.accept} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} />;
  return <MField id={id} label={p.label} error={p.error} hint={p.hint}>
    {control}
  </MField>;
}

const KIND_OPTIONS = UPLOAD_KINDS.map((k) => ({ value: k, text: KIND_NAMES[k] }));

export interface UploadFormProps {
  action: string;
  csrf: string;
  targets: MaterialTarget[];
  /** The committee may attach to the edition as a whole. */
  editionTarget?: boolean;
  /** The target first selected; none given, an empty choice comes first and must be changed. */
  preferred?: string | null;
  values: FormValues;
  errors: FormErrors;
  maxUploadBytes: number;
  credit?: boolean;
}

/**
 * The "For" menu: the edition (for the committee), then the talks and topics. A speaker given no
 * preferred target (preferredTarget) starts on an empty choice, refused if sent unchanged.
 */
function targetOptions(p: Pick<UploadFormProps, 'editionTarget' | 'preferred' | 'targets'>): { value: string; text: string }[] {
  return [
    ...(p.preferred === null && p.targets.length > 1 ? [{ value: '', text: 'Choose your talk or topic' }] : []),
    ...(p.editionTarget ? [{ value: 'edition', text: 'The edition as a whole' }] : []),
    ...p.targets,
  ];
}

/** Upload a file for a talk, a topic (or the edition). */
export function UploadForm(p: UploadFormProps): JSX.Element {
  const targets = targetOptions(p);
  return (
    <form method="post" action={p.action} enctype="multipart/form-data" class="stacked">
      <Csrf token={p.csrf} />
      <Select form="upload" name="target" label="For" options={targets} value={p.values.target ?? p.preferred ?? undefined} error={p.errors.target} />
      <Select form="upload" name="kind" label="Kind" options={KIND_OPTIONS} value={p.values.kind ?? 'slides'} error={p.errors.kind} />
      <Text form="upload" name="label" label="Label (optional)" value={p.values.label} error={p.errors.label} hint="Shown for the file, e.g. “Slides (updated)”." />
      {p.credit ? <Text form="upload" name="credit" label="Credit (optional)" value={p.values.credit} error={p.errors.credit} hint="Who made it, if not the speaker." /> : ''}
      <FileField form="upload" label="File" error={p.errors.file} hint={`Accepted: ${ACCEPTED_TEXT}. At most ${sizeText(p.maxUploadBytes)}.`} />
      <button type="submit" class="primary">
        Upload
      </button>
    </form>
  );
}

/** Add a link (http or https) for a talk, a topic (or the edition). */
export function LinkForm(p: Omit<UploadFormProps, 'maxUploadBytes'>): JSX.Element {
  const targets = targetOptions(p);
  return (
    <form method="post" action={p.action} class="stacked">
      <Csrf token={p.csrf} />
      <Select form="link" name="target" label="For" options={targets} value={p.values.target ?? p.preferred ?? undefined} error={p.errors.target} />
      <Select form="link" name="kind" label="Kind" options={KIND_OPTIONS} value={p.values.kind ?? 'slides'} error={p.errors.kind} />
      <Text form="link" name="label" label="Label (optional)" value={p.values.label} error={p.errors.label} />
      {p.credit ? <Text form="link" name="credit" label="Credit (optional)" value={p.values.credit} error={p.errors.credit} /> : ''}
      <Text form="link" name="url" label="Address" type="url" value={p.values.url} error={p.errors.url} hint="An http:// or https:// address." />
      <button type="submit">Add the link</button>
    </form>
  );
}

/** A material as a link to its file or address, with its file name and size. */
export function MaterialCell({ m, id }: { m: MaterialItem; id?: string }): JSX.Element {
  const detail = [m.fileName, m.size !== null ? sizeText(m.size) : null].filter(Boolean).join(', ');
  return (
    <>
      {m.url ? (
        <a href={m.url} id={id} safe>
          {m.label}
        </a>
      ) : (
        <span id={id} safe>
          {m.label}
        </span>
      )}
      {detail ? <span class="muted" safe>{` (${detail})`}</span> : ''}
    </>
  );
}

export interface SpeakerPageProps {
  token: string;
  csrf: string;
  editionTitle: string;
  personName: string;
  closed: string | null;
  /** Whether the edition's program is public (see SpeakerMaterials). */
  published: boolean;
  targets: MaterialTarget[];
  preferred: string | null;
  materials: (MaterialItem & { mine: boolean })[];
  maxUploadBytes: number;
  notice?: string | undefined;
  form?: 'upload' | 'link';
  values?: FormValues;
  errors?: FormErrors;
}

/** The speaker's page: what is attached to their talks and topics, and forms to add more. */
export function SpeakerMaterialsPage(p: SpeakerPageProps): JSX.Element {
  const base = `/invitation/${p.token}`;
  const errs = (f: 'upload' | 'link') => (p.form === f ? (p.errors ?? {}) : {});
  const vals = (f: 'upload' | 'link') => (p.form === f ? (p.values ?? {}) : {});
  return (
    <Layout title={`Your materials for ${p.editionTitle}`}>
      <h1 safe>{`Your slides and materials for ${p.editionTitle}`}</h1>
      {p.notice ? (
        <p class="notice" role="status" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      {p.errors && Object.keys(p.errors).length ? (
        <div class="error-summary" role="alert">
          <p>
            <strong>Nothing was saved:</strong>
          </p>
          <ul>
            {Object.entries(p.errors).map(([k, v]) => (
              <li>
                <a href={`#${p.form ?? 'upload'}-${k}`} safe>
                  {v}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      <p safe>{`Hello ${p.personName}.`}</p>
      {p.closed ? (
        <p safe>{p.closed}</p>
      ) : (
        <>
          <section aria-labelledby="yours">
            <h2 id="yours">Materials of your talks and topics</h2>
            {p.materials.length === 0 ? (
              <p class="muted">Nothing yet.</p>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">For</th>
                      <th scope="col">Material</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Remove</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.materials.map((m) => (
                      <tr>
                        <td id={`material-${m.id}-for`} safe>
                          {m.target}
                        </td>
                        <td>
                          <MaterialCell m={m} id={`material-${m.id}`} />
                        </td>
                        <td safe>{KIND_NAMES[m.kind]}</td>
                        {/* The row names what "Remove" removes, to the eye and to lynx; to a screen reader the button's name does ("Remove Slides Queue API"). */}
                        <td>{m.mine ? <ActionButton action={`${base}/materials/${m.id}/remove`} csrf={p.csrf} label="Remove" named={{ id: `material-${m.id}-remove`, by: `material-${m.id} material-${m.id}-for` }} danger /> : <span class="muted">{m.uploadedBy?.startsWith('invitee:') ? 'added by a co-speaker' : 'added by the committee'}</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p class="muted">
              {p.published
                ? "Materials appear on the edition's public page as soon as they are added."
                : "The program is not published yet: materials appear on the edition's public page once the committee publishes it. Until then, no public page lists them, though a file's own link works for anyone who has it."}
            </p>
          </section>
          <section aria-labelledby="upload">
            <h2 id="upload">Upload a file</h2>
            <UploadForm action={`${base}/materials`} csrf={p.csrf} targets={p.targets} preferred={p.preferred} values={vals('upload')} errors={errs('upload')} maxUploadBytes={p.maxUploadBytes} />
          </section>
          <section aria-labelledby="link">
            <h2 id="link">Or add a link</h2>
            <LinkForm action={`${base}/materials/link`} csrf={p.csrf} targets={p.targets} preferred={p.preferred} values={vals('link')} errors={errs('link')} />
          </section>
        </>
      )}
      <p>
        <a href={base}>Back to your invitation</a>
      </p>
      <p class="muted">This page is reached only through your personal link: please do not share it.</p>
    </Layout>
  );
}
