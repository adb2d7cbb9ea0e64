/** The committee's people: everybody with their editions, a merge of two records (with a page saying what will move first) and a rename. */
import type { MergePlan, PersonRecord } from '../../../domain/people/merge.js';
import { urls } from '../../urls.js';
import { AdminLayout, type AdminAccount } from './admin-layout.js';
import { Csrf, ErrorSummary } from './form.js';

function PersonSelect(p: { name: string; label: string; people: PersonRecord[]; value?: string | undefined }): JSX.Element {
  return (
    <p>
      <label for={`f-${p.name}`} safe>
        {p.label}
      </label>{' '}
      <select id={`f-${p.name}`} name={p.name}>
        {p.people.map((x) => (
          <option value={x.slug} selected={x.slug === p.value} safe>
            {`${x.name} (${x.slug})`}
          </option>
        ))}
      </select>
    </p>
  );
}

export function PeoplePage(p: { account: AdminAccount; csrf: string; notice?: string | undefined; people: PersonRecord[]; errors: Record<string, string>; values: Record<string, string> }): JSX.Element {
  return (
    <AdminLayout title="People" account={p.account} csrf={p.csrf} notice={p.notice}>
      <ErrorSummary errors={p.errors} />
      <h2>Merge two records of one person</h2>
      <p>Everything of the first moves to the second; the next page says what, before anything is done.</p>
      <form method="get" action="/admin/people/merge">
        <PersonSelect name="from" label="Record that goes:" people={p.people} value={p.values.from} />
        <PersonSelect name="into" label="Record kept:" people={p.people} value={p.values.into} />
        <p>
          <button type="submit">Show what would move</button>
        </p>
      </form>
      <h2>Rename a person</h2>
      <form method="post" action="/admin/people/rename">
        <Csrf token={p.csrf} />
        <PersonSelect name="slug" label="Person:" people={p.people} value={p.values.slug} />
        <p>
          <label for="f-name">New shown name:</label> <input id="f-name" name="name" type="text" value={p.values.name ?? ''} />
        </p>
        <p>
          <button type="submit">Rename</button>
        </p>
      </form>
      <h2>Everybody</h2>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Slug</th>
            <th>Other names</th>
            <th>Editions</th>
          </tr>
        </thead>
        <tbody>
          {p.people.map((x) => (
            <tr>
              <td safe>{x.name}</td>
              <td>
                <a href={urls.person(x.slug)} safe>
                  {x.slug}
                </a>
              </td>
              <td safe>{x.otherNames.join(', ') || '—'}</td>
              <td safe>{x.editions.map((e) => `${e.edition}: ${e.parts.join(', ')}`).join('; ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </AdminLayout>
  );
}

export function MergeConfirmPage(p: { account: AdminAccount; csrf: string; plan: MergePlan }): JSX.Element {
  const { plan } = p;
  return (
    <AdminLayout title={`Merge ${plan.from.name} into ${plan.into.name}`} account={p.account} csrf={p.csrf}>
      <p safe>{`${plan.from.name} (${plan.from.slug}) goes; ${plan.into.name} (${plan.into.slug}) is kept, with everything below.`}</p>
      <h2>What moves</h2>
      {plan.items.length === 0 ? (
        <p>Nothing to move.</p>
      ) : (
        <ul>
          {plan.items.map((i) => (
            <li>
              <span safe>{`${i.what}:`}</span>
              {i.moved.length ? <span safe>{` ${i.moved.length} moved (${i.moved.join('; ')})`}</span> : ''}
              {i.collapsed.length ? <span safe>{` ${i.collapsed.length} made one with theirs (${i.collapsed.join('; ')})`}</span> : ''}
            </li>
          ))}
        </ul>
      )}
      {plan.clashes.length ? (
        <>
          <h2>What clashes</h2>
          <ul>
            {plan.clashes.map((c) => (
              <li safe>{c}</li>
            ))}
          </ul>
          <p>The merge cannot be done until these are resolved.</p>
        </>
      ) : (
        <form method="post" action="/admin/people/merge">
          <Csrf token={p.csrf} />
          <input type="hidden" name="from" value={plan.from.slug} />
          <input type="hidden" name="into" value={plan.into.slug} />
          <p>
            <button type="submit" class="danger">
              Merge them
            </button>
          </p>
        </form>
      )}
      <p>
        <a href="/admin/people">Back to people</a>
      </p>
    </AdminLayout>
  );
}
