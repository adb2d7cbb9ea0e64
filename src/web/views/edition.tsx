import { LOGO_NOT_IN_ARCHIVE, type EditionView } from '../../domain/editions/load-edition.js';
import { ordinalSuffix } from '../../domain/editions/ordinals.js';
import { renderMarkdown, withoutOwnTitle } from '../../domain/markdown.js';
import { hasScheduleFiles, scheduleHasSlots, uriOf } from '../../domain/exports/schedule.js';
import { urls } from '../urls.js';
import { AgendaSection, InviteeTopicsSection, MaterialLinks, NOT_IN_ARCHIVE, ProposedTopicsSection } from './agenda.js';
import { Badge } from './badge.js';
import { dateRange } from './format.js';
import { Layout } from './layout.js';

function PersonLink(props: { slug: string; name: string; listed?: string }): JSX.Element {
  return (
    <a href={urls.person(props.slug)} safe>
      {props.listed ?? props.name}
    </a>
  );
}

/** A material's author: linked to their page, or named only when they have none. */
function AuthorName({ author }: { author: { slug: string; name: string; hasPage: boolean } }): JSX.Element {
  return author.hasPage ? <PersonLink slug={author.slug} name={author.name} /> : <span safe>{author.name}</span>;
}

function Facts({ e }: { e: EditionView }): JSX.Element {
  const c = e.colocated;
  return (
    <dl class="facts">
      {e.location.text ? (
        <>
          <dt>Location</dt>
          <dd safe>{e.location.text}</dd>
        </>
      ) : (
        ''
      )}
      {e.dates.start ? (
        <>
          <dt>Dates</dt>
          <dd>
            <time datetime={e.dates.start} safe>
              {dateRange(e.dates.start, e.dates.end)}
            </time>
            {e.timeZone ? <span class="muted" safe>{` (time zone ${e.timeZone})`}</span> : ''}
          </dd>
        </>
      ) : (
        ''
      )}
      {c ? (
        <>
          <dt>Held with</dt>
          <dd>
            <span safe>{c.name}</span>
            {c.start ? <span safe>{`, ${dateRange(c.start, c.end)}`}</span> : ''}
            {c.place ? <span safe>{`, ${c.place}`}</span> : ''}
          </dd>
        </>
      ) : (
        ''
      )}
    </dl>
  );
}

function Sponsors({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="sponsors">
      <h2 id="sponsors">Sponsors</h2>
      {e.sponsors.length === 0 ? (
        <p class="muted">None listed.</p>
      ) : (
        <ul class="sponsors">
          {e.sponsors.map((s) => {
            const body = s.logo?.src ? <img src={s.logo.src} alt={s.logo.alt ?? s.name} /> : <span safe>{s.name}</span>;
            return (
              <li>
                {s.url ? <a href={uriOf(s.url)}>{body}</a> : body}
                {s.kind === 'event' ? <span class="muted"> (event)</span> : ''}
                {s.logo && !s.logo.src ? <span class="muted">{` (logo ${LOGO_NOT_IN_ARCHIVE})`}</span> : ''}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Committee({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="committee">
      <h2 id="committee">Committee</h2>
      <ul class="plain">
        {e.committee.map((m) => (
          <li>
            <PersonLink slug={m.slug} name={m.name} />
            {m.email ? <span safe>{` <${m.email}>`}</span> : ''}
            {m.role ? <span safe>{`, ${m.role}`}</span> : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Attendees({ e }: { e: EditionView }): JSX.Element {
  if (!e.attendees) return '';
  return (
    <section aria-labelledby="attendees">
      <h2 id="attendees" safe>
        {e.attendeesLabel ?? 'Attendees'}
      </h2>
      {e.attendees.length === 0 ? (
        <p class="muted">Nobody yet.</p>
      ) : (
        <ul class="plain">
          {e.attendees.map((a) => (
            <li>
              <PersonLink slug={a.slug} name={a.name} listed={a.nameAsListed} />
              {a.affiliation ? <span safe>{`, ${a.affiliation}`}</span> : ''}
              {a.email ? <span safe>{` (${a.email})`}</span> : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Notes({ e }: { e: EditionView }): JSX.Element {
  const kept = e.meetingNotes.filter((n) => n.body === null);
  const written = e.meetingNotes.filter((n) => n.body !== null);
  return (
    <section aria-labelledby="notes">
      <h2 id="notes">Meeting notes</h2>
      {kept.length > 0 ? (
        <ul class="plain">
          {kept.map((n) => (
            <li>
              {n.url ? (
                <a href={uriOf(n.url)} safe>
                  {n.label}
                </a>
              ) : (
                <span safe>{n.label}</span>
              )}
              {n.author ? (
                <>
                  {' '}
                  by <AuthorName author={n.author} />
                </>
              ) : (
                ''
              )}
              {n.url ? '' : <span class="muted"> (the notes themselves are not in the archive)</span>}
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {written.map((n, i) => {
        // Written in conclave: Markdown made safe by renderMarkdown (raw HTML shown as text).
        const safeBody = renderMarkdown(withoutOwnTitle(n.body ?? '', ['Meeting notes', n.label]), 3);
        // Right under the section's heading, a title that repeats it is left out (lynx read it twice).
        const headed = !(i === 0 && kept.length === 0 && n.label.trim().toLowerCase() === 'meeting notes');
        return (
          <article class="meeting-notes">
            {headed ? <h3 safe>{n.label}</h3> : ''}
            {n.author ? (
              <p class="muted">
                by <AuthorName author={n.author} />
              </p>
            ) : n.credit ? (
              <p class="muted" safe>{`by ${n.credit}`}</p>
            ) : (
              ''
            )}
            {safeBody}
          </article>
        );
      })}
    </section>
  );
}

function Materials({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="materials">
      <h2 id="materials" safe>
        {e.materialsLabel ?? 'Slides and photos'}
      </h2>
      <ol>
        {e.materials.map((m) => (
          <li>
            <MaterialLinks materials={[m]} useLabel noteMissing={false} />
            {m.credit || m.author ? <span safe>{` - From ${m.author?.name ?? m.credit}`}</span> : ''}
            {m.url ? '' : <span class="muted">{NOT_IN_ARCHIVE}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

function References({ e }: { e: EditionView }): JSX.Element {
  // An imported page's empty "References/Resources" heading is kept; a new edition shows none.
  if (e.references.length === 0 && !e.source.file) return '';
  return (
    <section aria-labelledby="references">
      <h2 id="references">References and resources</h2>
      {e.references.length === 0 ? <p class="muted">None recorded on the original page.</p> : ''}
      <ul class="plain">
        {e.references.map((r) =>
          r.url ? (
            <li>
              <a href={uriOf(r.url)} safe>
                {r.title}
              </a>
            </li>
          ) : (
            <li safe>{r.title}</li>
          ),
        )}
      </ul>
    </section>
  );
}

/** A photo's credit without its own "Photo:" or "Photo by", which the caption says already. */
export function creditName(credit: string): string {
  return credit.replace(/^photo(graph)?\s*(by\s*)?:\s*|^photo(graph)?\s+by\s+/i, '');
}

/**
 * The group photo, its caption naming it: the image itself has an empty alt (a text browser
 * would show the caption twice), and a link to it by the caption, for those who see no image.
 * The caption is a paragraph: lynx sets a figure apart from nothing, and would run the caption
 * on from the paragraph above.
 */
function GroupPhoto({ e }: { e: EditionView }): JSX.Element {
  const p = e.groupPhoto;
  if (!p) return '';
  // Uploaded in conclave, or a page's image linking to the full size: the thumbnail, linking to
  // the full photo, and who took it.
  if (p.thumbUrl && p.url) {
    return (
      <figure class="photo" id="group-photo">
        <a href={p.url} tabindex="-1" aria-hidden="true">
          <img src={p.thumbUrl} alt="" />
        </a>
        <figcaption>
          <p>
            <span safe>{p.label}</span>
            {p.credit ? <span class="muted" safe>{` (photo: ${creditName(p.credit)})`}</span> : ''}{' '}
            <a href={p.url}>Full size</a>
          </p>
        </figcaption>
      </figure>
    );
  }
  return (
    <figure class="photo" id="group-photo">
      {p.url ? (
        <a href={p.url} tabindex="-1" aria-hidden="true">
          <img src={p.url} alt="" />
        </a>
      ) : (
        ''
      )}
      <figcaption>
        <p>
          <span safe>{p.label}</span>
          {p.url ? (
            <>
              {' '}
              <a href={p.url}>Full size</a>
            </>
          ) : (
            <span class="muted"> (the photo itself is not in the archive)</span>
          )}
        </p>
      </figcaption>
    </figure>
  );
}

/** The sections of an edition, in the order its source page gave them. */
const SECTIONS: Record<string, (p: { e: EditionView }) => JSX.Element> = {
  sponsors: Sponsors,
  committee: Committee,
  attendees: Attendees,
  notes: Notes,
  agenda: AgendaSection,
  'invitee-topics': InviteeTopicsSection,
  'proposed-topics': ProposedTopicsSection,
  materials: Materials,
  references: References,
};

/** The sections the edition's page shows, in its order. */
export function shownSections(e: EditionView): string[] {
  // A section with data but missing from the recorded order (added later in conclave) goes last.
  const present: Record<string, boolean> = {
    sponsors: e.sponsors.length > 0,
    committee: e.committee.length > 0,
    attendees: (e.attendees?.length ?? 0) > 0,
    notes: e.meetingNotes.length > 0,
    agenda: e.agenda.length > 0,
    'invitee-topics': e.inviteeTopics.length > 0,
    'proposed-topics': e.proposedTopics.length > 0,
    materials: e.materials.length > 0,
    references: e.references.length > 0,
  };
  // An imported page keeps every section it had; an edition made in conclave shows only those
  // with something in them (no empty "Committee" heading while nobody is on it).
  const order = e.sections.filter((k) => k in SECTIONS && (e.source.file !== null || present[k]));
  for (const [k, has] of Object.entries(present)) if (has && !order.includes(k)) order.push(k);
  return order;
}

export function EditionPage({ e }: { e: EditionView }): JSX.Element {
  const order = shownSections(e);
  return (
    <Layout
      title={e.title}
      description={`${e.title}${e.location.text ? `, ${e.location.text}` : ''}`}
      alternates={[
        { type: 'application/json', href: urls.editionJson(e.series.slug, e.year), title: 'This edition as JSON' },
        ...(hasScheduleFiles(e) ? [{ type: 'text/calendar', href: urls.scheduleIcs(e.series.slug, e.year), title: 'Schedule (iCalendar)' }] : []),
      ]}
    >
      <article>
        <h1 safe>{e.title}</h1>
        {e.subtitle ? (
          <p class="subtitle" safe>
            {e.subtitle}
          </p>
        ) : (
          ''
        )}
        <p class="ordinal">
          <span safe>{`The ${ordinalSuffix(e.ordinal)} edition of ${e.series.name} in the archive (of ${e.editionsKnown}).`}</span>
          {e.status === 'planned' ? (
            <>
              {' '}
              <Badge word="Planned" />
            </>
          ) : (
            ''
          )}
        </p>
        {e.motto ? (
          <blockquote class="motto">
            {e.motto.split('\n').map((line) => (
              <p safe>{line}</p>
            ))}
          </blockquote>
        ) : (
          ''
        )}
        {e.intro.map((p) => (
          <p safe>{p}</p>
        ))}
        <GroupPhoto e={e} />
        <Facts e={e} />
        {order.map((key) => SECTIONS[key]!({ e }))}
        {hasScheduleFiles(e) && !scheduleHasSlots(e) && e.status !== 'planned' ? (
          // The files hold the edition's dates only: the schedule XML and JSON, an empty
          // program, are left out (still served); the calendar has the dates.
          <p class="downloads">
            Downloads: <a href={urls.scheduleIcs(e.series.slug, e.year)} type="text/calendar">calendar (.ics)</a> of the dates only (no
            talk has a time),{' '}
            <a href={urls.editionJson(e.series.slug, e.year)} type="application/json">
              edition JSON
            </a>
            .
          </p>
        ) : hasScheduleFiles(e) ? (
          <p class="downloads">
            Downloads: <a href={urls.scheduleIcs(e.series.slug, e.year)} type="text/calendar">calendar (.ics)</a>,{' '}
            <a href={urls.scheduleXml(e.series.slug, e.year)} type="application/xml">
              schedule XML
            </a>{' '}
            (Giggity, ConfClerk),{' '}
            <a href={urls.scheduleJson(e.series.slug, e.year)} type="application/json">
              schedule JSON
            </a>
            ,{' '}
            <a href={urls.editionJson(e.series.slug, e.year)} type="application/json">
              edition JSON
            </a>
            .
          </p>
        ) : (
          <p class="muted">
            Also as <a href={urls.editionJson(e.series.slug, e.year)}>JSON</a>.
          </p>
        )}
        {e.source.file ? (
          <p class="muted" safe>
            {`Imported from ${e.source.file}.`}
          </p>
        ) : (
          ''
        )}
      </article>
    </Layout>
  );
}
