import type { PersonView, Timeline } from '../../domain/people/load-person.js';
import { urls } from '../urls.js';
import { longDate, oneLine, slotTime } from './format.js';
import { Layout } from './layout.js';
import { count } from '../../domain/count.js';

const ROWS = [
  { key: 'attended', label: 'Attended', fill: '#1c71d8' },
  { key: 'spoke', label: 'Spoke', fill: '#2ec27e' },
  { key: 'committee', label: 'Committee', fill: '#e66100' },
] as const;

type Row = (typeof ROWS)[number]['key'];
type TimelineYear = Timeline['years'][number];

function did(y: TimelineYear, row: Row): boolean {
  return row === 'attended' ? y.attended : row === 'spoke' ? y.talks + y.topics > 0 : y.committee;
}


/** Whether the person had any part in the edition: a dot in any row of the chart. */
function hadPart(y: TimelineYear): boolean {
  return ROWS.some((row) => did(y, row.key));
}

/** "2011: attended, spoke (2 talks), committee (chair)" — the chart in words ("speaking" ahead). */
export function timelineText(y: TimelineYear): string {
  const parts: string[] = [];
  if (y.attended) parts.push(y.upcoming ? 'attending' : 'attended');
  const said = [y.talks ? count(y.talks, 'talk') : '', y.topics ? count(y.topics, 'topic') : ''].filter(Boolean);
  if (said.length > 0) parts.push(`${y.upcoming ? 'speaking' : 'spoke'} (${said.join(', ')})`);
  if (y.committee) parts.push(`committee${y.committeeRole ? ` (${y.committeeRole})` : ''}`);
  return `${y.year}: ${parts.length > 0 ? parts.join(', ') : 'no part on record'}`;
}

/**
 * The chart's words and lines in a dark scheme, as style.css's: an image does not take the page's
 * colour (currentColor is black in it), so it follows the reader's scheme itself.
 */
const CHART_DARK = '@media (prefers-color-scheme: dark) { .label, .year { fill: #e6e6e6 } .grid { stroke: #33373d } }';

/**
 * An attribute of the chart's SVG, written whole (name="value"). The image is XML, parsed
 * strictly: the views' JSX escapes an attribute's `&` and `"`, as HTML needs, but not its `<`,
 * and a name with one ("Carol <carol@example.org>") made the image fail to load. Characters XML
 * has no place for (control characters) are left out. The text nodes are escaped by `safe`.
 */
function svgAttribute(name: string, text: string): string {
  const value = text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  return `${name}="${value}"`;
}

/**
 * The person's part per edition as a dot chart (SVG, numbers and fixed words only, no style
 * attribute), followed by the same in words for text browsers and screen readers. The SVG is an
 * image with a data: address and an alt text rather than inline: a text browser (lynx) would
 * read an inline one's labels and years out as a line of loose words.
 */
function TimelineChart({ name, t }: { name: string; t: Timeline }): JSX.Element {
  const col = 40;
  const left = 92;
  const top = 10;
  const rowH = 24;
  const width = left + t.years.length * col + 8;
  const height = top + ROWS.length * rowH + 22;
  const first = t.years[0]?.year ?? 0;
  const last = t.years[t.years.length - 1]?.year ?? 0;
  // A series of one edition so far spans one year: "2025", not "2025–2025".
  const span = first === last ? String(first) : `${first}–${last}`;
  const spanWords = first === last ? String(first) : `${first} to ${last}`;
  const id = `chart-${t.seriesSlug}`;
  const cx = (i: number) => left + i * col + col / 2;
  const cy = (r: number) => top + r * rowH + rowH / 2;
  const svg = String(
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      attrs={svgAttribute('aria-label', `${name} at ${t.seriesName}, ${spanWords}: a dot for each edition where they attended, spoke or served on the committee`)}
      aria-describedby={`${id}-desc`}
      viewBox={`0 0 ${width} ${height}`}
      width={String(width)}
      height={String(height)}
      class="timeline-chart"
    >
      <title safe>{`${name} at ${t.seriesName}, ${span}`}</title>
      <desc id={`${id}-desc`}>A chart of dots by edition (attended, spoke, committee); the same follows in words. </desc>
      <style>{CHART_DARK}</style>
      {ROWS.map((row, r) => (
        <>
          <line x1={String(left - 4)} x2={String(width - 4)} y1={String(cy(r))} y2={String(cy(r))} stroke="#c0bfbc" stroke-width="1" class="grid" />
          <text x={String(left - 10)} y={String(cy(r) + 4)} text-anchor="end" font-size="12" fill="currentColor" class="label" safe>
            {`${row.label} `}
          </text>
        </>
      ))}
      {t.years.map((y, i) => (
        <>
          <text x={String(cx(i))} y={String(height - 6)} text-anchor="middle" font-size="11" fill="currentColor" class="year" safe>
            {`${Number(y.year)} `}
          </text>
          {ROWS.map((row, r) =>
            did(y, row.key) ? (
              <circle cx={String(cx(i))} cy={String(cy(r))} r="7" fill={row.fill} class={`mark mark-${row.key}`}>
                <title safe>{`${Number(y.year)}: ${row.label.toLowerCase()}`}</title>
              </circle>
            ) : (
              ''
            ),
          )}
        </>
      ))}
    </svg>,
  );
  return (
    <figure class="timeline">
      <div class="table-wrap">
        <img
          class="timeline-chart"
          src={`data:image/svg+xml,${encodeURIComponent(svg)}`}
          alt={`A chart of ${name}’s part in each edition of ${t.seriesName}, ${span}; the same follows in words.`}
          width={String(width)}
          height={String(height)}
        />
      </div>
      <figcaption>
        <p safe>{`${t.seriesName}, ${span}, in words:`}</p>
      </figcaption>
      {/* The chart's axis is every edition, so that its gaps show; in words, only the editions
          they had a part in: "2004: no part on record" for each other year, read out one a line
          by lynx or a screen reader, buried a newcomer's one year under all the series'. */}
      <ul class="timeline-text">
        {t.years.filter(hadPart).map((y) => (
          <li safe>{timelineText(y)}</li>
        ))}
      </ul>
    </figure>
  );
}

/** "Took part in 2 editions: 2011, 2015. Taking part in 2027." */
function tookPart(years: PersonView['years']): string {
  const past = years.filter((y) => !y.upcoming).map((y) => y.year);
  const coming = years.filter((y) => y.upcoming).map((y) => y.year);
  return [
    past.length ? `Took part in ${past.length} edition${past.length === 1 ? '' : 's'}: ${past.join(', ')}.` : '',
    coming.length ? `Taking part in ${coming.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Their public addresses; one known only from imported pages with the years they listed it
 * ("davem@redhat.com (listed 2004)"): it was theirs then, and may not be now.
 */
function emailsText(p: PersonView): string {
  const listed = new Map(p.emailsListed.map((l) => [l.email, l.years]));
  return p.emails.map((e) => (listed.has(e) ? `${e} (listed ${listed.get(e)!.join(', ')})` : e)).join(', ');
}

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
      {p.emails.length > 0 ? <p safe>{emailsText(p)}</p> : ''}
      <p safe>{tookPart(p.years)}</p>
      <section aria-labelledby="over-the-years">
        <h2 id="over-the-years">Over the years</h2>
        {p.timelines.map((t) => (
          <TimelineChart name={p.name} t={t} />
        ))}
      </section>
      {p.years.map((y) => (
        <section aria-labelledby={`y${y.year}-${y.seriesSlug}`}>
          <h2 id={`y${y.year}-${y.seriesSlug}`}>
            <a href={urls.edition(y.seriesSlug, y.year)} safe>
              {y.title}
            </a>
          </h2>
          <ul class="plain">
            {y.attended ? <li>{y.upcoming ? 'Attending (accepted the invitation)' : 'Attended'}</li> : ''}
            {y.onCommittee ? <li safe>{`Committee${y.committeeRole ? `: ${y.committeeRole}` : ''}`}</li> : ''}
            {y.talks.map((t) => (
              <li>
                <span safe>{`${longDate(t.date)}, ${slotTime(t.start, null, false)}: `}</span>
                <a href={`${urls.edition(y.seriesSlug, y.year)}#${t.anchor}`} safe>
                  {oneLine(t.title) || t.talkTitle || '(untitled)'}
                </a>
                {t.talkTitle && t.title ? <span safe>{` — “${t.talkTitle}”`}</span> : ''}
                {t.coSpeakers.length > 0 ? <span safe>{` (with ${t.coSpeakers.join(', ')})`}</span> : ''}
              </li>
            ))}
            {y.topics.map((t, i) => (
              <li>
                {'Topic: '}
                <a href={`${urls.edition(y.seriesSlug, y.year)}#${y.topicAnchors[i]}`} safe>
                  {t}
                </a>
              </li>
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
      <p safe>{`${count(people.length, 'person', 'people')} across the archive, each with the number of editions they attended, spoke at or served on the committee of.`}</p>
      <ul class="people-index">
        {people.map((p) => (
          <li>
            <a href={urls.person(p.slug)} safe>
              {p.name}
            </a>
            <span class="muted" safe>{` (${count(p.editions, 'edition')})`}</span>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/**
 * In the static export, the address of another name a person was listed under (the server
 * answers it with a redirect, which a static host cannot): a page that sends the browser on, and
 * says where, for a browser that does not follow it (lynx asks).
 */
export function PersonMovedPage(p: { name: string; slug: string; refresh: string }): JSX.Element {
  return (
    <Layout title={p.name} refresh={p.refresh}>
      <h1 safe>{p.name}</h1>
      <p>
        This address is for another spelling of the name. <a href={urls.person(p.slug)} safe>{`${p.name}’s page`}</a> is
        here.
      </p>
    </Layout>
  );
}
