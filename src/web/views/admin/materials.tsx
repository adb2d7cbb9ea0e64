/**
 * The committee's materials page of an edition: everything attached to it (imported or added),
 * with forms to upload a file, add a link, write meeting notes crediting their author, set the
 * group photo, and remove.
 */
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { sizeText } from '../../../domain/files/material-types.js';
import type { MaterialItem, MaterialTarget } from '../../../domain/program/material-queries.js';
import { KIND_NAMES } from '../../../domain/program/materials.js';
import { FileField, LinkForm, MaterialCell, Text, UploadForm, type FormErrors, type FormValues } from '../materials.js';
import { AdminLayout } from './admin-layout.js';
import { ActionButton, Csrf } from './form.js';

export type MaterialsForm = 'upload' | 'link' | 'notes' | 'photo';

export interface AdminMaterialsProps {
  account: SessionAccount;
  csrf: string;
  title: string;
  base: string;
  editionPath: string;
  materials: MaterialItem[];
  targets: MaterialTarget[];
  people: { id: number; name: string; slug: string }[];
  maxUploadBytes: number;
  notice?: string | undefined;
  form?: MaterialsForm | undefined;
  values?: FormValues;
  errors?: FormErrors;
}

export function AdminMaterialsPage(p: AdminMaterialsProps): JSX.Element {
  const errs = (f: MaterialsForm) => (p.form === f ? (p.errors ?? {}) : {});
  const vals = (f: MaterialsForm) => (p.form === f ? (p.values ?? {}) : {});
  const notes = errs('notes');
  const photo = errs('photo');
  return (
    <AdminLayout title={`Materials of ${p.title}`} account={p.account} csrf={p.csrf} notice={p.notice} edition={p.base}>
      <p>
        <a href={p.editionPath}>Back to the edition</a>
      </p>
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
      <section aria-labelledby="list">
        <h2 id="list">Materials</h2>
        {p.materials.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">For</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Material</th>
                  <th scope="col">Credit</th>
                  <th scope="col">Added by</th>
                  <th scope="col">Remove</th>
                </tr>
              </thead>
              <tbody>
                {p.materials.map((m) => (
                  <tr>
                    <td safe>{String(m.id)}</td>
                    <td safe>{m.target}</td>
                    <td safe>{KIND_NAMES[m.kind]}</td>
                    <td>
                      <MaterialCell m={m} />
                      {m.hasBody ? <span class="muted"> (notes written here)</span> : ''}
                    </td>
                    <td safe>{m.author ? `by ${m.author.name}` : (m.credit ?? '')}</td>
                    <td safe>{m.imported ? 'imported' : (m.uploadedBy ?? '')}</td>
                    <td>
                      <ActionButton action={`${p.base}/${m.id}/remove`} csrf={p.csrf} label={`Remove ${m.id}`} danger />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="upload">
        <h2 id="upload">Upload a file</h2>
        <UploadForm action={`${p.base}/file`} csrf={p.csrf} targets={p.targets} editionTarget credit values={vals('upload')} errors={errs('upload')} maxUploadBytes={p.maxUploadBytes} />
      </section>
      <section aria-labelledby="link">
        <h2 id="link">Add a link</h2>
        <LinkForm action={`${p.base}/link`} csrf={p.csrf} targets={p.targets} editionTarget credit values={vals('link')} errors={errs('link')} />
      </section>
      <section aria-labelledby="notes">
        <h2 id="notes">Meeting notes</h2>
        <form method="post" action={`${p.base}/notes`} class="stacked">
          <Csrf token={p.csrf} />
          <div class={notes.authorId ? 'field error' : 'field'}>
            <label for="notes-authorId">Author</label>{' '}
            <select id="notes-authorId" name="authorId" aria-invalid={notes.authorId ? 'true' : undefined} aria-describedby={notes.authorId ? 'notes-authorId-error' : undefined}>
              <option value="">Choose the author</option>
              {p.people.map((x) => (
                <option value={String(x.id)} selected={vals('notes').authorId === String(x.id)} safe>
                  {x.name}
                </option>
              ))}
            </select>
            {notes.authorId ? (
              <>
                {' '}
                <strong id="notes-authorId-error" class="error-text" safe>
                  {notes.authorId}
                </strong>
              </>
            ) : (
              ''
            )}
          </div>
          <Text form="notes" name="label" label="Title (optional)" value={vals('notes').label} error={notes.label} hint="Default: Meeting notes." />
          <Text form="notes" name="body" label="Notes (Markdown)" rows={14} value={vals('notes').body} error={notes.body} />
          <button type="submit">Add the notes</button>
        </form>
      </section>
      <section aria-labelledby="photo">
        <h2 id="photo">Group photo</h2>
        <form method="post" action={`${p.base}/photo`} enctype="multipart/form-data" class="stacked">
          <Csrf token={p.csrf} />
          <Text form="photo" name="label" label="Caption (optional)" value={vals('photo').label} error={photo.label} hint="Default: the caption of the group photo there is, else Group photo." />
          <Text form="photo" name="credit" label="Credit (optional)" value={vals('photo').credit} error={photo.credit} hint="Who took it." />
          <FileField form="photo" label="Photo" error={photo.file} accept="image/png,image/jpeg,image/gif,image/webp" hint={`PNG, JPEG, GIF or WebP, at most ${sizeText(p.maxUploadBytes)}. It replaces the group photo there is; a thumbnail is made.`} />
          <button type="submit">Set the group photo</button>
        </form>
      </section>
    </AdminLayout>
  );
}
