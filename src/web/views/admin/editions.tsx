import type { PropsWithChildren } from '@kitajs/html';
import type { Edition } from '../../../db/schema.js';
import type { EditionSummary } from '../../../domain/editions/list-editions.js';
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { AdminLayout } from './admin-layout.js';
import { Csrf, ErrorSummary, Field } from './form.js';

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
          {p.editions.map((e) => (
            <tr>
              <th scope="row">
                <a href={`/${e.seriesSlug}/${e.year}/`} safe>
                  {e.title}
                </a>
              </th>
              <td>{e.status + (e.isNext ? ' (next)' : '')}</td>
              <td safe>{e.locationText ?? ''}</td>
              <td>
                <a href={`/admin/editions/${e.seriesSlug}/${e.year}`}>Edit</a> ·{' '}
                <a href={`/admin/editions/${e.seriesSlug}/${e.year}/invitations`}>Invitations</a> ·{' '}
                <a href={`/admin/editions/${e.seriesSlug}/${e.year}/templates`}>Mail templates</a>
              </td>
            </tr>
          ))}
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

export function EditionForm(p: PropsWithChildren<{
  account: SessionAccount;
  csrf: string;
  action: string;
  heading: string;
  values: EditionFormValues;
  errors: Record<string, string>;
  creating: boolean;
  notice?: string | undefined;
}>): JSX.Element {
  const v = p.values;
  const f = (name: string, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={label} value={v[name]} error={p.errors[name]} {...extra} />
  );
  return (
    <AdminLayout title={p.heading} account={p.account} csrf={p.csrf} notice={p.notice}>
      <ErrorSummary errors={p.errors} />
      <form method="post" action={p.action} novalidate>
        <Csrf token={p.csrf} />
        {p.creating ? f('year', 'Year', { type: 'number', required: true }) : ''}
        <fieldset>
          <legend>Edition</legend>
          {f('title', 'Title', { required: true })}
          {f('subtitle', 'Subtitle')}
          {f('motto', 'Motto', { rows: 2 })}
          {f('intro', 'Introduction', { rows: 6, hint: 'Paragraphs separated by a blank line.' })}
          {f('status', 'Status', { options: ['planned', 'tentative', 'final'] })}
        </fieldset>
        <fieldset>
          <legend>Place and dates</legend>
          {f('city', 'City')}
          {f('region', 'Region (state, province)')}
          {f('country', 'Country')}
          {f('locationText', 'Place as shown', { hint: 'Default: city, region, country.' })}
          {f('startDate', 'First day', { type: 'date' })}
          {f('endDate', 'Last day', { type: 'date' })}
          {f('timeZone', 'Time zone', { hint: 'IANA name, e.g. America/Toronto.' })}
        </fieldset>
        <fieldset>
          <legend>Co-located event</legend>
          {f('colocatedName', 'Name')}
          {f('colocatedStart', 'First day', { type: 'date' })}
          {f('colocatedEnd', 'Last day', { type: 'date' })}
          {f('colocatedPlace', 'Place')}
        </fieldset>
        <fieldset>
          <legend>Invitations</legend>
          {f('cap', 'Accepted places (cap)', { type: 'number' })}
          {f('answerBy', 'Answer by', { type: 'date' })}
          {f('reminderDays', 'Remind this many days before the answer-by date', { type: 'number' })}
        </fieldset>
        <button type="submit" class="primary">
          {p.creating ? 'Create edition' : 'Save changes'}
        </button>
      </form>
      {p.children}
    </AdminLayout>
  );
}
