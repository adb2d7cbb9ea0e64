import { agendaTentative, topicAnchor, type EditionView, type MaterialView, type SlotView } from '../../domain/editions/load-edition.js';
import { renderMarkdown } from '../../domain/markdown.js';
import { uriOf } from '../../domain/exports/schedule.js';
import { clockChangeOn, knownTimeZone } from '../../domain/exports/time-zone.js';
import { dayName, roomText } from '../../domain/program/schedule-names.js';
import { urls } from '../urls.js';
import { Badge } from './badge.js';
import { slotTime } from './format.js';

const FORMAT_NAMES: Record<string, string> = { pdf: 'PDF', odp: 'ODP', ppt: 'PPT', pptx: 'PPTX', txt: 'text' };

/**
 * A label that only says what kind of thing a material is, as a page's "slides" or "PDF" and an
 * upload's default ("Slides") do: the file's format says more.
 */
const GENERIC_LABEL = /^(?:in\s+)?(?:slides?|pdf|ps|pptx?|odp|key|sxi|txt|text|animations?|videos?|photos?|notes|minutes|(?:white ?)?papers?|material)$/i;

function materialText(m: MaterialView, useLabel: boolean, showAbout: boolean): string {
  const format = m.format ? (FORMAT_NAMES[m.format] ?? m.format.toUpperCase()) : null;
  // A label of the committee's or a speaker's own ("Pigeon slides") is kept, with the format.
  const what = useLabel || !format ? m.label : GENERIC_LABEL.test(m.label.trim()) ? format : `${m.label} (${format})`;
  return m.about && showAbout && !useLabel ? `${what} (${m.about})` : what;
}

/** What a text browser reads after a material whose file the archive does not have. */
export const NOT_IN_ARCHIVE = ' (not in the archive)';

/**
 * Links to materials; a material known only by name (the archive lost its link) is plain text,
 * and the text says so: once after the list when no file of it is here ("slides, PDF (not in
 * the archive)"), else after each missing one. `noteMissing={false}` leaves the saying to the
 * caller. What a material is about is shown only where it tells several apart ("slides (LNST)").
 */
export function MaterialLinks(props: { materials: MaterialView[]; useLabel?: boolean; noteMissing?: boolean }): JSX.Element {
  const showAbout = new Set(props.materials.map((m) => m.about)).size > 1;
  const note = props.noteMissing !== false;
  const missing = props.materials.filter((m) => !m.url).length;
  const allMissing = missing > 0 && missing === props.materials.length;
  return (
    <>
      {props.materials.map((m, i) => (
        <>
          {i > 0 ? ', ' : ''}
          {m.url ? (
            <a href={uriOf(m.url)} safe>
              {materialText(m, !!props.useLabel, showAbout)}
            </a>
          ) : (
            <>
              <span title="listed on the original page; the file is not in the archive" safe>
                {materialText(m, !!props.useLabel, showAbout)}
              </span>
              {note && !allMissing ? <span class="muted">{NOT_IN_ARCHIVE}</span> : ''}
            </>
          )}
        </>
      ))}
      {note && allMissing ? <span class="muted">{NOT_IN_ARCHIVE}</span> : ''}
    </>
  );
}

function Speakers({ slot }: { slot: SlotView }): JSX.Element {
  return (
    <>
      {slot.speakers.map((s, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={urls.person(s.slug)} safe>
            {s.nameAsListed}
          </a>
        </>
      ))}
    </>
  );
}

/**
 * A row of the agenda. A text browser too wide for the table's columns (lynx at 80 columns) runs
 * the cells together; the `text-only` marks, hidden by the style sheet, then keep them apart:
 * "10:15 Stephen Hemminger: Bridging/STP — slides". On a narrow screen the style sheet lays the
 * row out as lines, each cell's `data-label` naming the column the header row no longer shows.
 */
function SlotRow({ slot, date }: { slot: SlotView; date: string }): JSX.Element {
  return (
    <tr class={slot.kind} id={slot.anchor}>
      <td class="time">
        <time datetime={`${date}T${slot.start}`} safe>{slotTime(slot.start, slot.end, slot.openEnded)}</time>
      </td>
      <td data-label="Speakers">
        <Speakers slot={slot} />
        {slot.speakers.length && (slot.title || slot.talkTitle || slot.room) ? <span class="text-only">:</span> : ''}
      </td>
      <td>
        {slot.talkTitle === slot.title
          ? ''
          : slot.title.split('\n').map((line, i) => (
              <>
                {i > 0 ? <br /> : ''}
                <span safe>{line}</span>
              </>
            ))}
        {slot.talkTitle ? (
          <>
            {slot.talkTitle === slot.title || !slot.title ? '' : <br />}
            <span class="talk-title" safe>{`“${slot.talkTitle}”`}</span>
          </>
        ) : (
          ''
        )}
        {slot.room ? <span class="muted" safe>{` (${roomText(slot.room)})`}</span> : ''}
      </td>
      <td data-label="Materials">
        {slot.materials.length ? <span class="text-only">— </span> : ''}
        <MaterialLinks materials={slot.materials} />
      </td>
    </tr>
  );
}

/** On a day the clocks change, says so beside its date: the times of that night are read by it. */
function ClockChange({ tz, date }: { tz: string | null; date: string }): JSX.Element {
  const known = knownTimeZone(tz);
  const change = known ? clockChangeOn(known, date) : null;
  if (!change) return '';
  const way = change.to > change.from ? 'forward' : 'back';
  return <span class="muted" safe>{` (the clocks go ${way} from ${change.from} to ${change.to})`}</span>;
}

export function AgendaSection({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="agenda">
      <h2 id="agenda">
        Agenda
        {agendaTentative(e) ? (
          <>
            {' '}
            <Badge word="Tentative" />
          </>
        ) : (
          ''
        )}
      </h2>
      {e.timeZone ? (
        <p class="muted" safe>{`Times are local (${e.timeZone}).`}</p>
      ) : (
        <p class="muted">Times are local to the venue; its time zone is not given.</p>
      )}
      {e.schedulePublishedAt !== null ? (
        <p class="muted">
          <a href={urls.changes(e.series.slug, e.year)}>What changed since the schedule was published</a>
        </p>
      ) : (
        ''
      )}
      {e.agenda.map((day) => (
        <div class="table-wrap">
          <table class="agenda">
            <colgroup>
              <col class="c-time" />
              <col class="c-speakers" />
              <col class="c-topic" />
              <col class="c-materials" />
            </colgroup>
            <caption>
              <time datetime={day.date} safe>
                {dayName(day)}
              </time>
              <ClockChange tz={e.timeZone} date={day.date} />
            </caption>
            <thead>
              <tr>
                <th scope="col" class="time">
                  Time
                </th>
                <th scope="col">Speakers</th>
                <th scope="col">Topic</th>
                <th scope="col">Materials</th>
              </tr>
            </thead>
            <tbody>
              {day.slots.map((slot) => (
                <SlotRow slot={slot} date={day.date} />
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

/** 2019's "Topics/Invitees": who comes, with what, no times yet. */
export function InviteeTopicsSection({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="invitee-topics">
      <h2 id="invitee-topics">Topics and invitees</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Topic</th>
            </tr>
          </thead>
          <tbody>
            {e.inviteeTopics.map((row) => (
              <tr>
                <th scope="row">
                  <a href={urls.person(row.person.slug)} safe>
                    {row.nameAsListed}
                  </a>
                </th>
                <td>
                  {row.topics.length === 0 ? (
                    <span class="muted">N/A</span>
                  ) : (
                    <ul class="plain">
                      {row.topics.map((t) => (
                        <li id={topicAnchor(t.number)} safe>
                          {t.title}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A proposal's abstract, written in Markdown (rendered safely: raw HTML shows as text). */
function TopicAbstract({ markdown }: { markdown: string }): JSX.Element {
  // In a list under the section's <h2>.
  const safeAbstract = renderMarkdown(markdown, 2);
  return <div class="abstract">{safeAbstract}</div>;
}

/** 2004's numbered "(Tentative) Topics" with descriptions. */
export function ProposedTopicsSection({ e }: { e: EditionView }): JSX.Element {
  return (
    <section aria-labelledby="proposed-topics">
      <h2 id="proposed-topics">
        Topics
        {e.status === 'tentative' ? (
          <>
            {' '}
            <Badge word="Tentative" />
          </>
        ) : (
          ''
        )}
      </h2>
      <ol class="topics">
        {e.proposedTopics.map((t) => (
          <li value={String(t.number)} id={topicAnchor(t.number)}>
            <strong safe>{t.title}</strong>
            {t.presenters.length > 0 ? <span safe>{` (${t.presenters.map((p) => p.name).join(', ')})`}</span> : ''}
            {t.description === '' ? '' : t.descriptionFormat === 'markdown' ? <TopicAbstract markdown={t.description} /> : <p safe>{t.description}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
