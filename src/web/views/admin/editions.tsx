import type { PropsWithChildren } from '@kitajs/html';
import type { Edition } from '../../../db/schema.js';
import { statusLabel, type EditionSummary } from '../../../domain/editions/list-editions.js';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { refusalWords, type EditionContents } from '../../../domain/editions/delete-edition.js';
import { AdminLayout, EDITION_PAGES } from './admin-layout.js';
import { Csrf, ErrorSummary, Field, namedBy } from './form.js';
import { batchAnchor } from './records.js';
import { reportItems, reportItemText, type LastImport } from '../../../domain/archive/import-report.js';
import { utcMinuteZoned } from '../../../domain/invitations/dates.js';
import { count } from '../../../domain/count.js';
import { FormKey } from '../../form-once.js';

/**
 * The editions list: each edition's public page, and its admin pages in the "Manage" column.
 * Every row has an "Edit" and an "Invitations", alike in a screen reader's list of links: each is
 * named by the row's first cell as well ("Edit Netconf 2027", namedBy), which lynx reads once at
 * the start of the row.
 */
export function AdminHome(p: { account: SessionAccount; csrf: string; editions: EditionSummary[]; notice?: string }): JSX.Element {
  return (
    <AdminLayout title="Editions" account={p.account} csrf={p.csrf} notice={p.notice}>
      <p>
        <a href="/admin/editions/new">Create the next edition</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Edition</th>
            <th scope="col">Status</th>
            <th scope="col">Place</th>
            <th scope="col">Manage</th>
          </tr>
        </thead>
        <tbody>
          {p.editions.map((e) => {
            const named = `edition-${e.seriesSlug}-${e.year}`;
            return (
              <tr>
                <th scope="row">
                  <a href={`/${e.seriesSlug}/${e.year}/`} id={named} safe>
                    {e.title}
                  </a>
                </th>
                <td safe>{statusLabel(e)}</td>
                <td safe>{e.locationText ?? ''}</td>
                <td>
                  {EDITION_PAGES.map(([suffix, label], i) => (
                    <>
                      {i > 0 ? ' · ' : ''}
                      <a href={`/admin/editions/${e.seriesSlug}/${e.year}${suffix}`} {...namedBy(`${named}-${i}`, named)}>
                        {label}
                      </a>
                    </>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export type EditionFormValues = Record<string, string | number | null | undefined>;

/** Values for the form from a stored edition. */
export function editionFormValues(e: Edition): EditionFormValues {
  return {
    title: e.title, subtitle: e.subtitle, motto: e.motto, intro: e.intro.join('\n\n'), city: e.city, region: e.region,
    country: e.country, locationText: e.location_text, startDate: e.start_date, endDate: e.end_date, timeZone: e.time_zone,
    colocatedName: e.colocated_name, colocatedStart: e.colocated_start, colocatedEnd: e.colocated_end,
    colocatedPlace: e.colocated_place, status: e.status, cap: e.cap, reminderDays: e.reminder_days, answerBy: e.answer_by,
  };
}

/** The edition form's fields and their labels (also naming them in the error summary). */
const EDITION_LABELS = {
  series: 'Series',
  year: 'Year',
  title: 'Title',
  subtitle: 'Subtitle',
  motto: 'Motto',
  intro: 'Introduction',
  status: 'Status',
  city: 'City',
  region: 'Region (state, province)',
  country: 'Country',
  locationText: 'Place as shown',
  startDate: 'First day',
  endDate: 'Last day',
  timeZone: 'Time zone',
  colocatedName: 'Co-located event',
  colocatedStart: 'Its first day',
  colocatedEnd: 'Its last day',
  colocatedPlace: 'Its place',
  cap: 'Accepted places (cap)',
  answerBy: 'Answer by',
  reminderDays: 'Remind this many days before the answer-by date',
};

export function EditionForm(p: PropsWithChildren<{
  account: SessionAccount;
  csrf: string;
  action: string;
  heading: string;
  values: EditionFormValues;
  errors: Record<string, string>;
  creating: boolean;
  /** On creation: the series there are, offered for the series field. */
  seriesNames?: string[];
  /** On creation refused for a year taken: the admin page of the edition there is. */
  existing?: { href: string; title: string } | undefined;
  /** An edition still to come: its status is shown, not asked; publishing its schedule sets it. */
  statusBy?: { status: string; builder: string } | undefined;
  notice?: string | undefined;
}>): JSX.Element {
  const v = p.values;
  const f = (name: keyof typeof EDITION_LABELS, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={EDITION_LABELS[name]} value={v[name]} error={p.errors[name]} {...extra} />
  );
  return (
    <AdminLayout title={p.heading} account={p.account} csrf={p.csrf} notice={p.notice} edition={p.creating ? undefined : p.action}>
      <ErrorSummary errors={p.errors} labels={EDITION_LABELS} />
      <form method="post" action={p.action} novalidate>
        <Csrf token={p.csrf} />
        {p.creating ? <FormKey /> : ''}
        {p.creating ? (
          <>
            {f('series', { required: true, list: p.seriesNames ?? [], hint: 'A new name starts a new series.' })}
            {f('year', { type: 'number', required: true })}
            {p.existing ? (
              <p id="f-year-existing" class="error-text">
                <a href={p.existing.href} safe>{`Open ${p.existing.title}`}</a> to change it instead.
              </p>
            ) : (
              ''
            )}
          </>
        ) : (
          ''
        )}
        <fieldset>
          <legend>Edition</legend>
          {p.creating ? f('title', { hint: 'Default: the series’ name and the year.' }) : f('title', { required: true })}
          {f('subtitle')}
          {f('motto', { rows: 2 })}
          {f('intro', { rows: 6, hint: 'Paragraphs separated by a blank line.' })}
          {p.statusBy ? (
            <p>
              Status: <strong safe>{p.statusBy.status}</strong>. Publishing the schedule in the <a href={p.statusBy.builder}>schedule builder</a> sets it, after
              checking the schedule for conflicts, and tells the speakers.
            </p>
          ) : (
            f('status', { options: ['planned', 'tentative', 'final'], hint: p.creating ? 'For an edition that is over. One still to come starts planned: publishing its schedule sets its status.' : undefined })
          )}
        </fieldset>
        <fieldset>
          <legend>Place and dates</legend>
          {f('city')}
          {f('region')}
          {f('country')}
          {f('locationText', { hint: 'Default: city, region, country, following them as they change. Typed here, it stays; emptied, it is the default again.' })}
          {f('startDate', { type: 'date' })}
          {f('endDate', { type: 'date' })}
          {f('timeZone', { hint: 'IANA name, e.g. America/Toronto.' })}
        </fieldset>
        <fieldset>
          <legend>Held with another event</legend>
          {f('colocatedName')}
          {f('colocatedStart', { type: 'date' })}
          {f('colocatedEnd', { type: 'date' })}
          {f('colocatedPlace')}
        </fieldset>
        <fieldset>
          <legend>Invitations</legend>
          {f('cap', { type: 'number' })}
          {f('answerBy', { type: 'date' })}
          {f('reminderDays', { type: 'number' })}
        </fieldset>
        <button type="submit" class="primary">
          {p.creating ? 'Create edition' : 'Save changes'}
        </button>
      </form>
      {p.children}
    </AdminLayout>
  );
}

/**
 * What the page's last import skipped and noted, a line each in the page's order: above all a
 * committee edit the page overrode ("… losing its logo uploaded there"), which a member who did
 * not run the import learns here. Nothing for an edition never imported or an empty report.
 * The lines quote the imported page: escaped.
 */
export function LastImportReport(p: { report: LastImport | null }): JSX.Element {
  const r = p.report;
  if (!r) return <></>;
  const items = reportItems(r);
  const said = [r.skipped.length > 0 ? `skipped ${count(r.skipped.length, 'line')}` : '', r.notes.length > 0 ? `made ${count(r.notes.length, 'note')}` : ''].filter(Boolean).join(' and ');
  return (
    <section aria-labelledby="a-import">
      <h2 id="a-import">Last import</h2>
      <p>
        <span safe>{`The page ${r.file} was last imported on ${utcMinuteZoned(r.at)}`}</span>
        {r.auditId !== null ? (
          <>
            {' '}
            (<a href={`/admin/audit/${r.auditId}`} safe>{`audit log entry #${r.auditId}`}</a>)
          </>
        ) : (
          ''
        )}
        <span safe>{`. It ${said}:`}</span>
      </p>
      <ul>
        {items.map((i) => (
          <li safe>{reportItemText(i)}</li>
        ))}
      </ul>
    </section>
  );
}

/** Where a held batch is discarded on the web, as a refusal to delete an edition says it (refusalWords). */
export const discardHeld = (batches: string[]) => `under Mail (batch ${batches.join(', ')})`;

/** Stands for the way out in refusalWords' sentence, which the page says with links instead. */
const WAY_OUT = '\u0000';

/**
 * The refusal to delete, as discardHeld words it, each batch a link to its line on the Mail page
 * (its Send all and Discard buttons). The batch is a name anybody may have given: escaped.
 */
function Refusal(p: Pick<EditionContents, 'refusal' | 'heldBatches'>): JSX.Element {
  const [before, after] = (refusalWords(p, () => WAY_OUT) ?? '').split(WAY_OUT);
  return (
    <p>
      <span safe>{`It cannot be deleted: ${before}`}</span>
      {after === undefined ? (
        ''
      ) : (
        <>
          under <a href="/admin/mail?state=draft">Mail</a> (batch{' '}
          {p.heldBatches.map((b, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={`/admin/mail?state=draft#${batchAnchor(b)}`} safe>
                {b}
              </a>
            </>
          ))}
          )<span safe>{after}</span>
        </>
      )}
      .
    </p>
  );
}

/**
 * The end of an edition's page: deleting it, for one made by mistake. Says what would go with
 * it, and asks for a tick; or says why it cannot be deleted.
 */
export function DeleteEdition(p: { action: string; csrf: string; title: string; contents: string; refusal: string | null; heldBatches: string[]; error?: string | undefined }): JSX.Element {
  return (
    <section aria-labelledby="a-delete">
      <h2 id="a-delete">Delete this edition</h2>
      {p.refusal ? (
        <Refusal refusal={p.refusal} heldBatches={p.heldBatches} />
      ) : (
        <form method="post" action={p.action}>
          <Csrf token={p.csrf} />
          <p safe>{`For an edition made by mistake. Everything in it goes with it${p.contents ? ` (${p.contents})` : ''}; its people stay in the archive. It cannot be undone.`}</p>
          <div class={p.error ? 'field error' : 'field'} id="f-confirm">
            {p.error ? (
              <p class="error-text" role="alert" safe>
                {p.error}
              </p>
            ) : (
              ''
            )}
            <label>
              <input type="checkbox" name="confirm" value="yes" required /> <span safe>{`Yes, delete ${p.title}`}</span>
            </label>
          </div>
          <button type="submit" class="danger" safe>
            {`Delete ${p.title}`}
          </button>
        </form>
      )}
    </section>
  );
}
