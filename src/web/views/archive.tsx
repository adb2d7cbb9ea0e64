import type { EditionSummary, PeopleBy } from '../../domain/editions/list-editions.js';
import { ordinalSuffix } from '../../domain/editions/ordinals.js';
import { urls } from '../urls.js';
import { Badge } from './badge.js';
import { dateRange } from './format.js';
import { Layout } from './layout.js';
import { siteName } from './site.js';
import { count } from '../../domain/count.js';

/**
 * Who took part, as the edition page lists them, each person once: "16 attendees, 1 more on the
 * committee", "23 speakers", "16 invitees, 2 more on the committee".
 */
function peopleWords(by: PeopleBy): string {
  const parts: string[] = [];
  const add = (n: number, one: string, many: string) => {
    if (n > 0) parts.push(parts.length ? `${n} more ${n === 1 ? one : many}` : count(n, one, many));
  };
  add(by.attendees, 'attendee', 'attendees');
  add(by.invitees, 'invitee', 'invitees');
  add(by.speakers, 'speaker', 'speakers');
  if (by.committee > 0) parts.push(`${parts.length ? `${by.committee} more` : by.committee} on the committee`);
  return parts.join(', ');
}

/**
 * Every edition, newest first; the next one stands out, and any to come says if tentative. With
 * `oneSeries`, the editions of one series (/netconf/): editions.json, which holds every series,
 * is not offered as the page's JSON.
 */
export function ArchivePage({ editions, oneSeries = false }: { editions: EditionSummary[]; oneSeries?: boolean }): JSX.Element {
  const series = [...new Set(editions.map((e) => e.seriesName))];
  // No editions yet: the site's name is the heading, and the page says how to begin.
  const heading = series.length > 0 ? `${series.join(', ')}: all editions` : siteName();
  return (
    <Layout title={heading} alternates={oneSeries ? [] : [{ type: 'application/json', href: urls.archiveJson(), title: 'All editions as JSON' }]}>
      <h1 safe>{heading}</h1>
      {editions.length === 0 ? (
        <>
          <p>The archive is empty. To begin, on the command line:</p>
          <ul>
            <li>
              create the first edition: <code>conclave edition create YEAR --series NAME</code>;
            </li>
            <li>
              add a committee member, who may then sign in: <code>conclave committee add EMAIL --name NAME</code>;
            </li>
            <li>
              or import the pages of past editions: <code>conclave import FILE…</code>.
            </li>
          </ul>
        </>
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
                    <Badge word="Next edition" />
                  </>
                ) : (
                  ''
                )}
                {e.status === 'tentative' && e.isUpcoming ? (
                  <>
                    {' '}
                    <Badge word="Tentative" tag="span" />
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
                  `${ordinalSuffix(e.ordinal)} edition in the archive (of ${e.editionsKnown})`,
                  e.talks ? count(e.talks, 'session') : '',
                  e.topics ? count(e.topics, 'topic') : '',
                  peopleWords(e.peopleBy),
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
