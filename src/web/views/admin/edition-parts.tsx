import type { listEditionParts } from '../../../domain/editions/edition-parts.js';
import { AdminLayout, type AdminAccount } from './admin-layout.js';
import { ActionButton, Csrf, ErrorSummary, Field, namedBy } from './form.js';
import { FormKey } from '../../form-once.js';

/** The summary names each field as its form does. */
const PART_LABELS: Record<string, string> = { sponsorName: 'Sponsor', sponsorUrl: 'Web address', memberName: 'Member', memberEmail: 'Their address', refTitle: 'Title of the reference', refUrl: 'Address of the reference' };

const SPONSOR_FIELDS = ['sponsorName', 'kind', 'sponsorUrl', 'logo'];
const MEMBER_FIELDS = ['memberName', 'memberEmail', 'role', 'newPerson'];
const REFERENCE_FIELDS = ['refTitle', 'refUrl'];
const PART_FIELDS = [...SPONSOR_FIELDS, ...MEMBER_FIELDS, ...REFERENCE_FIELDS];

/** The errors of one part's form: each part shows its own, above its form (where its post lands). */
function only(errors: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => keys.includes(k)));
}

/** A sponsor's logo to upload, with the types taken and its error; on the add and the edit form. */
function LogoField(p: { label: string; error: string | undefined }): JSX.Element {
  return (
    <div class={p.error ? 'field error' : 'field'}>
      <label for="f-logo" safe>{`${p.label} (PNG, JPEG, GIF or WebP, at most 5 MB)`}</label>
      <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp" aria-invalid={p.error ? 'true' : undefined} />
      {p.error ? (
        <strong class="error-text" safe>
          {p.error}
        </strong>
      ) : (
        ''
      )}
    </div>
  );
}

export type Parts = Awaited<ReturnType<typeof listEditionParts>>;

/** Sponsors (with logo upload), the edition's committee with roles, and references. */
export function EditionParts(p: { parts: Parts; base: string; csrf: string; errors: Record<string, string>; values: Record<string, string> }): JSX.Element {
  const { sponsors, committee, references } = p.parts;
  return (
    <>
      <ErrorSummary errors={Object.fromEntries(Object.entries(p.errors).filter(([k]) => !PART_FIELDS.includes(k)))} labels={PART_LABELS} />
      <section aria-labelledby="a-sponsors">
        <h2 id="a-sponsors">Sponsors</h2>
        <ul class="plain">
          {sponsors.map((s) => (
            <li>
              {s.logo_thumb_sha256 ? <img src={`/files/${s.logo_thumb_sha256}`} alt={s.logo_alt ?? s.name} height="32" /> : ''}{' '}
              <span id={`sponsor-${s.id}`} safe>
                {s.name}
              </span>
              <span safe>{` (${s.kind})${s.url ? ` ${s.url}` : ''}`}</span>{' '}
              <a href={`${p.base}/sponsor/${s.id}`} {...namedBy(`sponsor-${s.id}-edit`, `sponsor-${s.id}`)}>
                Edit
              </a>{' '}
              <ActionButton action={`${p.base}/sponsor/${s.id}/remove`} csrf={p.csrf} label="Remove" named={{ id: `sponsor-${s.id}-remove`, by: `sponsor-${s.id}` }} danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, SPONSOR_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/sponsors#a-sponsors`} enctype="multipart/form-data">
          <Csrf token={p.csrf} />
          <FormKey />
          <Field name="sponsorName" label="Sponsor" value={p.values.sponsorName} error={p.errors.sponsorName} />
          <Field name="kind" label="Kind" options={['company', 'event']} value={p.values.kind ?? 'company'} />
          <Field name="sponsorUrl" label="Web address" value={p.values.sponsorUrl} error={p.errors.sponsorUrl} />
          <LogoField label="Logo" error={p.errors.logo} />
          <button type="submit">Add sponsor</button>
        </form>
      </section>
      <section aria-labelledby="a-committee">
        <h2 id="a-committee">Committee of this edition</h2>
        <ul class="plain">
          {committee.map((m) => (
            <li>
              <span id={`member-${m.id}`} safe>
                {m.name}
              </span>
              {m.role ? <span safe>{`, ${m.role}`}</span> : ''}{' '}
              <a href={`${p.base}/committee-role/${m.id}`} {...namedBy(`member-${m.id}-edit`, `member-${m.id}`)}>
                Edit role
              </a>{' '}
              <ActionButton action={`${p.base}/committee-role/${m.id}/remove`} csrf={p.csrf} label="Remove" named={{ id: `member-${m.id}-remove`, by: `member-${m.id}` }} danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, MEMBER_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/committee-roles#a-committee`}>
          <Csrf token={p.csrf} />
          <FormKey />
          <Field name="memberName" label="Member" value={p.values.memberName} error={p.errors.memberName} />
          <Field name="memberEmail" label="Their address (not shown)" type="email" value={p.values.memberEmail} error={p.errors.memberEmail} />
          <Field name="role" label="Role" value={p.values.role} error={p.errors.role} hint='e.g. "netdev maintainer"' />
          <div class="field">
            <label>
              <input type="checkbox" name="newPerson" value="yes" checked={p.values.newPerson === 'yes'} /> Add as a new person (when the archive knows nobody by
              this name or address)
            </label>
          </div>
          <button type="submit">Add to the committee</button>
        </form>
      </section>
      <section aria-labelledby="a-references">
        <h2 id="a-references">References</h2>
        <ul class="plain">
          {references.map((r) => (
            <li>
              <span id={`reference-${r.id}`} safe>
                {r.title}
              </span>
              {r.url ? <span safe>{` ${r.url}`}</span> : ''}{' '}
              <a href={`${p.base}/reference/${r.id}`} {...namedBy(`reference-${r.id}-edit`, `reference-${r.id}`)}>
                Edit
              </a>{' '}
              <ActionButton action={`${p.base}/reference/${r.id}/remove`} csrf={p.csrf} label="Remove" named={{ id: `reference-${r.id}-remove`, by: `reference-${r.id}` }} danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, REFERENCE_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/references#a-references`}>
          <Csrf token={p.csrf} />
          <FormKey />
          <Field name="refTitle" label="Title" value={p.values.refTitle} error={p.errors.refTitle} />
          <Field name="refUrl" label="Address" value={p.values.refUrl} error={p.errors.refUrl} />
          <button type="submit">Add reference</button>
        </form>
      </section>
    </>
  );
}

/** The one part an edit page is about, with its current values. */
export type EditedPart =
  | { part: 'sponsor'; id: number; name: string; kind: string; url: string | null; logoThumb: string | null; logoAlt: string | null; logoSrc: string | null }
  | { part: 'committee-role'; id: number; name: string; role: string | null }
  | { part: 'reference'; id: number; title: string; url: string | null };

const EDIT_LABELS: Record<string, string> = { name: 'Sponsor', kind: 'Kind', url: 'Web address', logo: 'Logo', removeLogo: 'Remove the logo', role: 'Role', title: 'Title' };

/**
 * Editing one sponsor, committee role or reference in place (its id and place in the list stay):
 * a form of its fields with their current values, or with what was typed when it was refused.
 */
export function EditPartPage(p: {
  account: AdminAccount;
  csrf: string;
  editionTitle: string;
  /** The edition's admin page. */
  back: string;
  target: EditedPart;
  values: Record<string, string>;
  errors: Record<string, string>;
}): JSX.Element {
  const t = p.target;
  const v = (k: string, current: string | null) => (k in p.values ? p.values[k] : (current ?? ''));
  const action = `${p.back}/${t.part}/${t.id}`;
  const heading = t.part === 'sponsor' ? `Edit the sponsor ${t.name}` : t.part === 'committee-role' ? `Edit ${t.name}’s committee role` : `Edit the reference ${t.title}`;
  return (
    <AdminLayout title={`${heading} — ${p.editionTitle}`} account={p.account} csrf={p.csrf}>
      <p>
        <a href={p.back} safe>{`Back to ${p.editionTitle}`}</a>
      </p>
      <ErrorSummary errors={p.errors} labels={EDIT_LABELS} />
      {t.part === 'sponsor' ? (
        <form method="post" action={action} enctype="multipart/form-data" novalidate>
          <Csrf token={p.csrf} />
          <Field name="name" label="Sponsor" value={v('name', t.name)} error={p.errors.name} required />
          <Field name="kind" label="Kind" options={['company', 'event']} value={v('kind', t.kind)} error={p.errors.kind} />
          <Field name="url" label="Web address" value={v('url', t.url)} error={p.errors.url} hint="Empty for none." />
          {t.logoThumb ? (
            <p>
              Logo now: <img src={`/files/${t.logoThumb}`} alt={t.logoAlt ?? `${t.name} logo`} height="32" />
            </p>
          ) : t.logoAlt || t.logoSrc ? (
            <p safe>{`Logo now: the one the imported page showed${t.logoAlt ? ` (“${t.logoAlt}”)` : ''}; its image is not kept here.`}</p>
          ) : (
            <p>No logo now.</p>
          )}
          <LogoField label={t.logoThumb || t.logoAlt || t.logoSrc ? 'A new logo in its place' : 'A logo'} error={p.errors.logo} />
          {t.logoThumb || t.logoAlt || t.logoSrc ? (
            <div class="field">
              <label>
                <input type="checkbox" name="removeLogo" value="yes" checked={p.values.removeLogo === 'yes'} /> Remove the logo
              </label>
            </div>
          ) : (
            ''
          )}
          <button type="submit">Save the sponsor</button>
        </form>
      ) : t.part === 'committee-role' ? (
        <form method="post" action={action} novalidate>
          <Csrf token={p.csrf} />
          <Field name="role" label="Role" value={v('role', t.role)} error={p.errors.role} hint='e.g. "netdev maintainer"; empty for none. Another member: remove this one and add them.' />
          <button type="submit">Save the role</button>
        </form>
      ) : (
        <form method="post" action={action} novalidate>
          <Csrf token={p.csrf} />
          <Field name="title" label="Title" value={v('title', t.title)} error={p.errors.title} required />
          <Field name="url" label="Address" value={v('url', t.url)} error={p.errors.url} hint="Empty for none." />
          <button type="submit">Save the reference</button>
        </form>
      )}
    </AdminLayout>
  );
}
