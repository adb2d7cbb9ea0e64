import type { PersonView } from '../../domain/people/load-person.js';
import { urls } from '../urls.js';
import { longDate, slotTime } from './format.js';
import { Layout } from './layout.js';

/** One person across the years: attended, committee, talks with links. */
export function PersonPage({ p }: { p: PersonView }): JSX.Element {
  return (
    <Layout
      title={p.name}
      alternates={[{ type: 'application/json', href: urls.personJson(p.slug), title: 'This person as JSON' }]}
    >
      <h1 safe>{p.name}</h1>
      {p.otherNames.length > 0 ? <p class="muted" safe>{`Also listed as ${p.otherNames.join(', ')}.`}</p> : ''}
      {p.affiliation ? <p safe>{p.affiliation}</p> : ''}
      {p.emails.length > 0 ? <p safe>{p.emails.join(', ')}</p> : ''}
      <p safe>{`Took part in ${p.years.length} edition${p.years.length === 1 ? '' : 's'}: ${p.years.map((y) => y.year).join(', ')}.`}</p>
      {p.years.map((y) => (
        <section aria-labelledby={`y${y.year}-${y.seriesSlug}`}>
          <h2 id={`y${y.year}-${y.seriesSlug}`}>
            <a href={urls.edition(y.seriesSlug, y.year)} safe>
              {y.title}
            </a>
          </h2>
          <ul class="plain">
            {y.attended ? <li>Attended</li> : ''}
            {y.onCommittee ? <li safe>{`Committee${y.committeeRole ? `: ${y.committeeRole}` : ''}`}</li> : ''}
            {y.talks.map((t) => (
              <li>
                <span safe>{`${longDate(t.date)}, ${slotTime(t.start, null, false)}: `}</span>
                <a href={`${urls.edition(y.seriesSlug, y.year)}#agenda`} safe>
                  {t.title.replace(/\n/g, '; ') || t.talkTitle || '(untitled)'}
                </a>
                {t.talkTitle && t.title ? <span safe>{` — “${t.talkTitle}”`}</span> : ''}
                {t.coSpeakers.length > 0 ? <span safe>{` (with ${t.coSpeakers.join(', ')})`}</span> : ''}
              </li>
            ))}
            {y.topics.map((t) => (
              <li safe>{`Topic: ${t}`}</li>
            ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

export function PeoplePage({ people }: { people: { slug: string; name: string; editions: number }[] }): JSX.Element {
  return (
    <Layout title="People">
      <h1>People</h1>
      <p safe>{`${people.length} people across the archive.`}</p>
      <ul class="people-index">
        {people.map((p) => (
          <li>
            <a href={urls.person(p.slug)} safe>
              {p.name}
            </a>
            <span class="muted" safe>{` (${p.editions})`}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
