import type { ScheduleChange } from '../../domain/program/schedule-changelog.js';
import { urls } from '../urls.js';
import { Layout } from './layout.js';
import { utcMinuteZoned } from '../../domain/invitations/dates.js';

export interface ChangesPageProps {
  series: string;
  year: number;
  title: string;
  changes: ScheduleChange[];
  /** The number of the last change the reader saw (from ?since= or their last visit): later ones are new. */
  seen: number | null;
  /** False for a static copy, which has one file for the page: `?since=N` does nothing there. */
  offersSince?: boolean;
  /** Whether the edition's page shows an agenda to go back to (else the link goes to its top). */
  hasAgenda: boolean;
  /** The archive page the edition was imported from, and when last, if it was (EditionView's source). */
  importedFrom: { file: string | null; importedAt: string | null };
}

/** The public changelog of a published schedule: what moved, newest first. */
export function ChangesPage(p: ChangesPageProps): JSX.Element {
  const fresh = p.seen === null ? [] : p.changes.filter((c) => c.number > p.seen!);
  return (
    <Layout title={`${p.title}: schedule changes`}>
      <article>
        <h1 safe>{`${p.title}: schedule changes`}</h1>
        <p>
          {p.hasAgenda ? <a href={`${urls.edition(p.series, p.year)}#agenda`}>Back to the agenda</a> : <a href={urls.edition(p.series, p.year)} safe>{`Back to ${p.title}`}</a>}
        </p>
        {p.changes.length === 0 && p.importedFrom.file !== null ? (
          <p safe>{`The schedule was imported from the archive page ${p.importedFrom.file}${p.importedFrom.importedAt ? ` on ${utcMinuteZoned(new Date(p.importedFrom.importedAt))}` : ''}; no change to it has been published in conclave since.`}</p>
        ) : p.changes.length === 0 ? (
          <p>The schedule has not been published yet, or nothing has changed since.</p>
        ) : p.seen === null ? (
          ''
        ) : fresh.length === 0 ? (
          <p role="status">Nothing has changed since you last looked.</p>
        ) : (
          <p role="status" safe>{`${fresh.length} change${fresh.length === 1 ? '' : 's'} since you last looked, marked “new”.`}</p>
        )}
        {p.changes.length > 0 ? (
          <ul class="changes">
            {p.changes.map((c) => (
              <li id={`change-${c.number}`} class={fresh.includes(c) ? 'new' : undefined}>
                <a href={`#change-${c.number}`} class="muted" safe>{`#${c.number}`}</a>{' '}
                {fresh.includes(c) ? <strong class="badge">new</strong> : ''} <time datetime={c.created_at.toISOString()} safe>{utcMinuteZoned(c.created_at)}</time>
                {': '}
                <span safe>{c.summary}</span>
              </li>
            ))}
          </ul>
        ) : (
          ''
        )}
        {p.offersSince === false ? (
          ''
        ) : (
          <p class="muted">
            Link to what is new from a given point with <code>?since=N</code>, where N is the number of the last change you
            saw.
          </p>
        )}
      </article>
    </Layout>
  );
}
