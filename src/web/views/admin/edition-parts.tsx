import type { listEditionParts } from '../../../domain/editions/edition-parts.js';
import { ActionButton, Csrf, ErrorSummary, Field } from './form.js';

/** The summary names each field as its form does. */
const PART_LABELS: Record<string, string> = { sponsorName: 'Sponsor', sponsorUrl: 'Web address', memberName: 'Member', memberEmail: 'Their address', refTitle: 'Title of the reference', refUrl: 'Address of the reference' };

const SPONSOR_FIELDS = ['sponsorName', 'kind', 'sponsorUrl', 'logo'];
const MEMBER_FIELDS = ['memberName', 'memberEmail', 'role'];
const REFERENCE_FIELDS = ['refTitle', 'refUrl'];
const PART_FIELDS = [...SPONSOR_FIELDS, ...MEMBER_FIELDS, ...REFERENCE_FIELDS];

/** The errors of one part's form: each part shows its own, above its form (where its post lands). */
function only(errors: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter(([k]) => keys.includes(k)));
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
              <span safe>{`${s.name} (${s.kind})${s.url ? ` ${s.url}` : ''}`}</span>{' '}
              <ActionButton action={`${p.base}/sponsor/${s.id}/remove`} csrf={p.csrf} label="Remove" danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, SPONSOR_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/sponsors#a-sponsors`} enctype="multipart/form-data">
          <Csrf token={p.csrf} />
          <Field name="sponsorName" label="Sponsor" value={p.values.sponsorName} error={p.errors.sponsorName} />
          <Field name="kind" label="Kind" options={['company', 'event']} value={p.values.kind ?? 'company'} />
          <Field name="sponsorUrl" label="Web address" value={p.values.sponsorUrl} error={p.errors.sponsorUrl} />
          <div class={p.errors.logo ? 'field error' : 'field'}>
            <label for="f-logo">Logo (PNG, JPEG, GIF or WebP, at most 5 MB)</label>
            <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg,image/gif,image/webp" />
            {p.errors.logo ? (
              <strong class="error-text" safe>
                {p.errors.logo}
              </strong>
            ) : (
              ''
            )}
          </div>
          <button type="submit">Add sponsor</button>
        </form>
      </section>
      <section aria-labelledby="a-committee">
        <h2 id="a-committee">Committee of this edition</h2>
        <ul class="plain">
          {committee.map((m) => (
            <li>
              <span safe>{`${m.name}${m.role ? `, ${m.role}` : ''}`}</span>{' '}
              <ActionButton action={`${p.base}/committee-role/${m.id}/remove`} csrf={p.csrf} label="Remove" danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, MEMBER_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/committee-roles#a-committee`}>
          <Csrf token={p.csrf} />
          <Field name="memberName" label="Member" value={p.values.memberName} error={p.errors.memberName} />
          <Field name="memberEmail" label="Their address (not shown)" type="email" value={p.values.memberEmail} error={p.errors.memberEmail} />
          <Field name="role" label="Role" value={p.values.role} error={p.errors.role} hint='e.g. "netdev maintainer"' />
          <button type="submit">Add to the committee</button>
        </form>
      </section>
      <section aria-labelledby="a-references">
        <h2 id="a-references">References</h2>
        <ul class="plain">
          {references.map((r) => (
            <li>
              <span safe>{`${r.title}${r.url ? ` ${r.url}` : ''}`}</span>{' '}
              <ActionButton action={`${p.base}/reference/${r.id}/remove`} csrf={p.csrf} label="Remove" danger />
            </li>
          ))}
        </ul>
        <ErrorSummary errors={only(p.errors, REFERENCE_FIELDS)} labels={PART_LABELS} />
        <form method="post" action={`${p.base}/references#a-references`}>
          <Csrf token={p.csrf} />
          <Field name="refTitle" label="Title" value={p.values.refTitle} error={p.errors.refTitle} />
          <Field name="refUrl" label="Address" value={p.values.refUrl} error={p.errors.refUrl} />
          <button type="submit">Add reference</button>
        </form>
      </section>
    </>
  );
}
