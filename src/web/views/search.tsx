import { escapeHtml } from '@kitajs/html';
import type { Segment } from '../../domain/search/highlight.js';
import type { SearchHit, SearchResult } from '../../domain/search/search.js';
import { MAX_QUERY_LENGTH } from '../../domain/search/search.js';
import { urls } from '../urls.js';
import { longDate, oneLine, slotTime } from './format.js';
import { Layout } from './layout.js';


/** A search page address: the query, a year, a first result. */
export function searchUrl(q: string, opts: { year?: number | null; offset?: number } = {}): string {
  const params = new URLSearchParams({ q });
  if (opts.year) params.set('year', String(opts.year));
  if (opts.offset) params.set('offset', String(opts.offset));
  return `${urls.search()}?${params.toString()}`;
}

/**
 * Highlighted text: every segment escaped, the matching ones in <mark>, between asterisks for
 * text browsers, which show no <mark> ("a *bonding* alternative"; the style sheet hides them).
 */
function Marked({ segs, oneLine: joined = false }: { segs: Segment[]; oneLine?: boolean }): JSX.Element {
  return (
    <>
      {segs.map((s) => {
        const safeText = escapeHtml(joined ? oneLine(s.text) : s.text.replace(/\s*\n\s*/g, ' '));
        return s.match ? (
          <>
            <span class="text-only">*</span>
            <mark>{safeText}</mark>
            <span class="text-only">*</span>
          </>
        ) : (
          safeText
        );
      })}
    </>
  );
}

const textOf = (segs: Segment[]) => segs.map((s) => s.text).join('').trim();

function Hit({ hit }: { hit: SearchHit }): JSX.Element {
  const where = [hit.date ? longDate(hit.date) : null, hit.time ? slotTime(hit.time, null, false) : null].filter((x) => x !== null).join(', ');
  return (
    <li class="hit">
      <p class="hit-what">
        <span safe>{hit.what}</span>
        {/* An edition's heading is its title, linked to it: not again here. */}
        {hit.edition && hit.type !== 'edition' ? (
          <>
            {' · '}
            <a href={urls.edition(hit.edition.series, hit.edition.year)} safe>
              {hit.edition.title}
            </a>
          </>
        ) : (
          ''
        )}
        {where ? <span safe>{` · ${where}`}</span> : ''}
      </p>
      <h3>
        {/* An untitled talk ("9:00 Jeff Kirsher") is named by its talk title, else said to be untitled: never an empty link. */}
        <a href={urls.hit(hit)}>{textOf(hit.title) ? <Marked segs={hit.title} oneLine /> : hit.subtitle && textOf(hit.subtitle) ? <Marked segs={hit.subtitle} oneLine /> : '(untitled)'}</a>
      </h3>
      {hit.subtitle && textOf(hit.title) ? (
        <p class="hit-subtitle">
          {hit.type === 'person' ? 'Also listed as ' : ''}
          <Marked segs={hit.subtitle} />
        </p>
      ) : (
        ''
      )}
      {hit.people.length > 0 ? (
        <p class="hit-people">
          {hit.type === 'notes' ? 'By ' : hit.type === 'topic' ? 'Brought by ' : 'With '}
          {hit.people.map((p, i) => (
            <>
              {i > 0 ? ', ' : ''}
              <a href={urls.person(p.slug)}>
                <Marked segs={p.highlighted} />
              </a>
            </>
          ))}
        </p>
      ) : (
        ''
      )}
      {hit.snippet ? (
        <p class="snippet">
          <Marked segs={hit.snippet} />
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

function YearCounts({ r }: { r: SearchResult }): JSX.Element {
  const all = r.perYear.reduce((s, y) => s + y.count, r.people);
  return (
    <nav aria-labelledby="per-year" class="per-year">
      <h2 id="per-year">Results per year</h2>
      <ul>
        <li>
          {r.year === null ? (
            <strong aria-current="page" safe>{`All years (${all})`}</strong>
          ) : (
            <a href={searchUrl(r.query)} safe>{`All years (${all})`}</a>
          )}
        </li>
        {r.perYear.map((y) => (
          <li>
            {r.year === y.year ? (
              <strong aria-current="page" safe>{`${y.year} (${y.count})`}</strong>
            ) : (
              <a href={searchUrl(r.query, { year: y.year })} safe>{`${y.year} (${y.count})`}</a>
            )}
          </li>
        ))}
        {r.people > 0 && r.year === null ? <li safe>{`People (${r.people})`}</li> : ''}
      </ul>
    </nav>
  );
}

function Results({ r }: { r: SearchResult }): JSX.Element {
  const scope = r.year === null ? '' : ` in ${r.year}`;
  const summary =
    r.total === 0
      ? `Nothing found for “${r.query}”${scope}.`
      : `${r.total} result${r.total === 1 ? '' : 's'} for “${r.query}”${scope}` +
        (r.hits.length === 0 ? `, best first; none from number ${r.offset + 1} on.` : `${r.total > r.hits.length ? `, ${r.offset + 1}–${r.offset + r.hits.length} shown` : ''}, best first.`);
  // Past the last result (an old link, an offset typed by hand): back to the last page of them.
  const prev = r.offset > 0 ? (r.hits.length === 0 ? Math.floor((r.total - 1) / r.limit) * r.limit : Math.max(0, r.offset - r.limit)) : null;
  const next = r.offset + r.hits.length < r.total ? r.offset + r.limit : null;
  return (
    <>
      {r.notices.map((n, i) => (
        // A query with nothing to search for: its last notice is the answer, in place of the summary.
        <p class="notice" role={r.unsearchable && i === r.notices.length - 1 ? 'status' : undefined} safe>
          {n}
        </p>
      ))}
      {r.unsearchable ? (
        ''
      ) : (
        <p role="status" safe>
          {summary}
        </p>
      )}
      {r.hint !== null ? (
        <p class="muted" safe>
          {r.hint}
        </p>
      ) : (
        ''
      )}
      {r.perYear.length > 0 ? <YearCounts r={r} /> : ''}
      {r.hits.length > 0 ? (
        <section aria-labelledby="results">
          <h2 id="results">Results</h2>
          <ol class="search-hits" start={r.offset + 1}>
            {r.hits.map((h) => (
              <Hit hit={h} />
            ))}
          </ol>
          {prev !== null || next !== null ? (
            <nav aria-label="More results" class="pages">
              {prev !== null ? <a href={searchUrl(r.query, { year: r.year, offset: prev })}>Previous results</a> : ''}
              {prev !== null && next !== null ? ' · ' : ''}
              {next !== null ? <a href={searchUrl(r.query, { year: r.year, offset: next })}>More results</a> : ''}
            </nav>
          ) : (
            ''
          )}
        </section>
      ) : r.total > 0 && prev !== null ? (
        <nav aria-label="More results" class="pages">
          <a href={searchUrl(r.query, { year: r.year, offset: prev })}>Last results</a>
        </nav>
      ) : (
        ''
      )}
    </>
  );
}

export interface SearchPageProps {
  /** What was typed, kept in the form. */
  q: string;
  result: SearchResult | null;
  /** Why the query could not be searched, shown at the field. */
  error: string | null;
}

/** The search form, a message if the query could not be read, then the ranked results. */
export function SearchPage({ q, result, error }: SearchPageProps): JSX.Element {
  return (
    <Layout title={result ? `Search: ${result.query}` : 'Search'}>
      <h1>Search the archive</h1>
      <form method="get" action={urls.search()} role="search" class="search">
        <div class={error ? 'field error' : 'field'}>
          <label for="q">Words to look for</label>
          {error ? (
            <p class="error-text" id="q-error" safe>
              {error}
            </p>
          ) : (
            ''
          )}
          <input
            type="search"
            id="q"
            name="q"
            value={q}
            maxlength={String(MAX_QUERY_LENGTH)}
            aria-describedby={error ? 'q-error q-help' : 'q-help'}
            aria-invalid={error ? 'true' : undefined}
          />
          <p id="q-help" class="muted">
            Talks and their slides, topics, speakers and meeting notes of every edition, and its subtitle, where it was held, with what and whose sponsorship. Any form of a word matches (bond, bonding).{' '}
            <code>"two words"</code> match as a phrase, <code>-word</code> leaves a word out, <code>or</code> between
            words finds either.
          </p>
        </div>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      {result ? <Results r={result} /> : ''}
    </Layout>
  );
}
