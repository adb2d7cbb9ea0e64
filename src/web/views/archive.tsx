import type { EditionSummary } from '../../domain/editions/list-editions.js';
import { ordinalSuffix } from '../../domain/editions/ordinals.js';
import { urls } from '../urls.js';
import { dateRange } from './format.js';
import { Layout } from './layout.js';
import { count } from '../../domain/count.js';

/**
 * Every edition, newest first; the next one stands out, and any to come says if tentative. With
 * `oneSeries`, the editions of one series (/netconf/): editions.json, which holds every series,
 * is not offered as the page's JSON.
 */
export function ArchivePage({ editions, oneSeries = false }: { editions: EditionSummary[]; oneSeries?: boolean }): JSX.Element {
  const series = [...new Set(editions.map((e) => e.seriesName))];
  return (
    <Layout
      title={`${series.join(', ') || 'conclave'}: all editions`}
      alternates={oneSeries ? [] : [{ type: 'application/json', href: urls.archiveJson(), title: 'All editions as JSON' }]}
    >
      <h1 safe>{`${series.join(', ') || 'No editions yet'}: all editions`}</h1>
      {editions.length === 0 ? (
        <p>
          The archive is empty. Import pages with <code>conclave import FILE…</code>.
        </p>
      ) : (
        <ul class="editions">
          {editions.map((e) => (
            <li class={e.isNext ? 'next' : ''}>
              <h2>
                <a href={urls.edition(e.seriesSlug, e.year)} safe>
                  {e.title}
                </a>
                {e.isNext ? (
                  <>
                    {' '}
                    <strong class="badge next">Next edition</strong>
                  </>
                ) : (
                  ''
                )}
                {e.status === 'tentative' && e.isUpcoming ? (
                  <>
                    {' '}
                    <span class="badge tentative">Tentative</span>
                  </>
                ) : (
                  ''
                )}
              </h2>
              {e.subtitle ? <p class="subtitle" safe>{e.subtitle}</p> : ''}
              <p>
                <span safe>{[e.locationText, dateRange(e.startDate, e.endDate)].filter(Boolean).join(' · ')}</span>
                {e.colocatedName ? <span safe>{` · with ${e.colocatedName}`}</span> : ''}
              </p>
              <p class="muted" safe>
                {[
                  `${ordinalSuffix(e.ordinal)} edition`,
                  e.talks ? count(e.talks, 'session') : '',
                  e.topics ? count(e.topics, 'topic') : '',
                  e.people ? count(e.people, 'person', 'people') : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
