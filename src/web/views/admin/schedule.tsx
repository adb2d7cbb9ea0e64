/**
 * The schedule builder. Everything works with plain forms (add, edit, move, remove, day hours, add a day,
 * removing a day that holds no slot, publish); with JavaScript on, slots can also be dragged between rows and days
 * (/static/schedule.js with SortableJS), and the edit form shows conflicts while one types.
 */
import type { SessionAccount } from '../../../domain/committee/sessions.js';
import { DEFAULT_DAY_END, DEFAULT_DAY_START, type ScheduleConflict } from '../../../domain/program/conflicts.js';
import { SLOT_KINDS, type BuilderSlot, type ScheduleState } from '../../../domain/program/schedule.js';
import { dayLabel, dayName } from '../../../domain/program/schedule-names.js';
import { urls } from '../../urls.js';
import { OPTION_MAX, optionText } from '../format.js';
import { AdminLayout } from './admin-layout.js';
import { ActionButton, Csrf, ErrorSummary, namedBy, TextOnlyLine } from './form.js';
import { FormKey } from '../../form-once.js';

/** What a slot form holds, as typed (strings), so that a refused form shows it again. */
export interface SlotFormValues {
  /** The day chosen in the menu. */
  date: string;
  /** A date typed instead ("or another date"), which wins when given. */
  otherDate?: string;
  start: string;
  end: string;
  lengthMinutes: string;
  kind: string;
  title: string;
  topicId: string;
  room: string;
  speakers: string[];
  /** The edited slot's version the form was made from (BuilderSlot.version). */
  version?: string;
}

export function slotFormValues(s: BuilderSlot): SlotFormValues {
  return {
    date: s.date,
    start: s.start,
    end: s.end ?? '',
    lengthMinutes: '',
    kind: s.kind,
    title: s.title,
    topicId: s.topicId === null ? '' : String(s.topicId),
    room: s.room ?? '',
    speakers: s.speakers.map((p) => String(p.personId)),
    version: s.version,
  };
}

export interface SchedulePageProps {
  account: SessionAccount;
  csrf: string;
  state: ScheduleState;
  notice?: string | undefined;
  /** The slot being edited (?edit=ID), or null for the add form. */
  editing: BuilderSlot | null;
  values?: SlotFormValues | undefined;
  errors?: Record<string, string> | undefined;
  /** Errors of a day-hours form, keyed by its date. */
  dayErrors?: { date: string; errors: Record<string, string>; values: { start: string; end: string; label?: string } } | undefined;
  /** Change notices to speakers waiting to be sent. */
  notices?: { count: number; next: Date | null } | undefined;
  /** Why publication was refused. */
  publishError?: string | undefined;
  /** The edition is over: publishing mails nobody (as no change of its schedule does). */
  over?: boolean | undefined;
  /** A row's "Move to" refused: the slot, what was typed, and why (by field). */
  moveError?: { slotId: number; values: { date: string; otherDate?: string; start: string }; errors: Record<string, string> } | undefined;
  /** "Add a day" refused: what was typed, and why (by field). */
  newDay?: { values: { date: string; start: string; end: string; label: string }; errors: Record<string, string> } | undefined;
  /** The day the add form starts on (the day of the slot added last). */
  defaultDate?: string | undefined;
  /** A row's "Remove" refused (it holds materials): the slot, and why. */
  removeError?: { slotId: number; message: string } | undefined;
  /** The edit was made on the slot as it was before another change (StaleSlot): why nothing was saved. */
  staleEdit?: string | undefined;
  /** "Place a slot" refused: what was chosen, and why. */
  placeError?: { values: { slotId: string; place: string }; errors: Record<string, string> } | undefined;
}

/** The "Move to" form's fields, as its errors name them. */
const MOVE_FIELDS: Record<string, string> = { date: 'Day', otherDate: 'Date', start: 'Start', beforeSlotId: 'Place', afterSlotId: 'Place', slotId: 'Slot', place: 'Place' };

const LABELS: Record<string, string> = {
  date: 'Day',
  otherDate: 'Another date',
  start: 'Start',
  end: 'End',
  lengthMinutes: 'Length',
  kind: 'Kind',
  title: 'Title',
  topicId: 'Topic',
  speakerIds: 'Speakers',
  room: 'Room',
};

/** The day-hours form's fields, as its labels name them. */
const DAY_LABELS: Record<string, string> = { start: 'Day starts', end: 'Day ends', label: 'Day named' };

function base(s: ScheduleState): string {
  return `/admin/editions/${s.edition.series}/${s.edition.year}/schedule`;
}

function conflictsOfSlot(conflicts: ScheduleConflict[], id: number): ScheduleConflict[] {
  return conflicts.filter((c) => c.slotIds.includes(id));
}

export function SchedulePage(p: SchedulePageProps): JSX.Element {
  const s = p.state;
  const e = s.edition;
  return (
    <AdminLayout title={`Schedule of ${e.title}`} account={p.account} csrf={p.csrf} notice={p.notice} edition={base(s)}>
      <p>
        <span safe>{`Status: ${e.status}.`}</span>{' '}
        {e.status === 'planned' ? 'Not public yet: the public page shows no agenda until you publish it.' : ''}{' '}
        <a href={urls.edition(e.series, e.year)}>Public page</a>
        {e.publishedAt ? (
          <>
            {' · '}
            <a href={urls.changes(e.series, e.year)}>Public changelog</a>
          </>
        ) : (
          ''
        )}
        {' · '}
        <a href={`/admin/editions/${e.series}/${e.year}/topics`}>Topics</a>
      </p>
      {e.startDate ? '' : <p class="error-text">This edition has no dates yet: set them on the edition’s page to get its days.</p>}
      {e.timeZone ? '' : <p class="error-text">This edition has no time zone: published, its times would be floating times, shown at that hour wherever a reader is. Set one under “Time zone” on <a href={`/admin/editions/${e.series}/${e.year}`}>the edition’s page</a>.</p>}
      <Conflicts conflicts={s.conflicts} />
      <Publish {...p} />
      <Notices {...p} />
      <div id="schedule" data-csrf={p.csrf} data-base={base(s)}>
        {s.days.map((day) => {
          const slots = s.slots.filter((x) => x.date === day.date);
          const dayRetry = p.dayErrors?.date === day.date ? p.dayErrors : undefined;
          const dayErr = dayRetry?.errors ?? {};
          return (
            <section class="schedule-day" aria-labelledby={`day-${day.date}`}>
              <h2 id={`day-${day.date}`} safe>
                {dayName(day)}
              </h2>
              {day.inEdition ? (
                ''
              ) : (
                <p class="error-text">
                  {slots.length > 0 ? 'This day is not among the edition’s dates: move its slots to one that is.' : 'This day is not among the edition’s dates.'}
                </p>
              )}
              {day.id !== null && slots.length === 0 && !day.inEdition ? (
                <p>
                  <ActionButton action={`${base(s)}/days/remove`} csrf={p.csrf} label="Remove this day" named={{ id: `day-${day.date}-remove`, by: `day-${day.date}` }} fields={{ date: day.date }} danger />
                </p>
              ) : day.id !== null && slots.length === 0 && (day.start !== DEFAULT_DAY_START || day.end !== DEFAULT_DAY_END) ? (
                <p>
                  <ActionButton action={`${base(s)}/days/remove`} csrf={p.csrf} label={`Reset to ${DEFAULT_DAY_START}–${DEFAULT_DAY_END}`} fields={{ date: day.date }} />
                </p>
              ) : (
                ''
              )}
              <form method="post" action={`${base(s)}/days#day-${day.date}`} class="day-hours">
                <Csrf token={p.csrf} />
                <input type="hidden" name="date" value={day.date} />
                <label for={`h-start-${day.date}`}>Day starts</label>{' '}
                <input id={`h-start-${day.date}`} name="start" value={dayRetry?.values.start ?? day.start} size="5" aria-invalid={dayErr.start ? 'true' : undefined} />{' '}
                <label for={`h-end-${day.date}`}>ends</label>{' '}
                <input id={`h-end-${day.date}`} name="end" value={dayRetry?.values.end ?? day.end} size="5" aria-invalid={dayErr.end ? 'true' : undefined} />{' '}
                <label for={`h-label-${day.date}`}>named</label>{' '}
                <input id={`h-label-${day.date}`} name="label" value={dayRetry?.values.label ?? day.label} size="24" maxlength="100" aria-invalid={dayErr.label ? 'true' : undefined} />{' '}
                <button type="submit">Save day</button>
                {Object.entries(dayErr).map(([field, m]) => (
                  <strong class="error-text" safe>
                    {` ${DAY_LABELS[field] ?? LABELS[field] ?? field}: ${m}`}
                  </strong>
                ))}
              </form>
              <div class="table-wrap">
                <table class="builder">
                  <thead>
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Slot</th>
                      <th scope="col">Speakers</th>
                      <th scope="col">Room</th>
                      <th scope="col">Move to</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody class="slots" data-date={day.date}>
                    {slots.length === 0 ? (
                      <tr class="empty">
                        <td colspan="6" class="muted">
                          No slots on this day yet.
                        </td>
                      </tr>
                    ) : (
                      ''
                    )}
                    {slots.map((slot) => (
                      <SlotRow slot={slot} state={s} csrf={p.csrf} conflicts={conflictsOfSlot(s.conflicts, slot.id)} moveError={p.moveError?.slotId === slot.id ? p.moveError : undefined} removeError={p.removeError?.slotId === slot.id ? p.removeError.message : undefined} />
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
      </div>
      <AddDay {...p} />
      <PlaceForm {...p} />
      <SlotForm {...p} />
      <p class="muted">
        Drag a row by its ⇅ handle to another place (or another day) when JavaScript is on: the slot then starts where the
        slot above it ends; at the top of a day, it ends where the slot below it starts (not before the day’s start); in a
        day without slots, it starts at the day’s start. It keeps its length, the time that passes, also across a night
        the clocks change. Without JavaScript, “Place a slot” does the same, and “Move to” takes a day and a start (left
        empty: the top of the day).
      </p>
      <script src="/admin/static/sortable.min.js" defer></script>
      <script src="/static/schedule.js" defer></script>
    </AdminLayout>
  );
}

/**
 * A day in a menu: its name, then its date, as the heading says, but joined in ASCII. lynx (2.9)
 * measures the chosen option in bytes: a "—" in it doubled the option's last characters and
 * pushed the next field over the word before it ("202727] Star09:00").
 */
function dayOption(d: { date: string; label: string }): string {
  const name = dayName(d);
  const date = dayLabel(d.date);
  return name === date ? date : `${d.label.trim()} (${date})`;
}

/** "Tue, May 12": a day in an option, where the whole name would make the list too wide. */
const SHORT_DAY = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' });
const shortDay = (date: string) => SHORT_DAY.format(new Date(`${date}T12:00:00Z`));

/**
 * A day not listed yet, with its hours and name (as `conclave schedule day`): the evening before
 * the edition, say. A date already listed gets the hours (and a name, when given) typed here.
 */
function AddDay(p: SchedulePageProps): JSX.Element {
  const s = p.state;
  const v = p.newDay?.values ?? { date: '', start: '', end: '', label: '' };
  const errors = p.newDay?.errors ?? {};
  const field = (name: 'date' | 'start' | 'end' | 'label', label: string, size: string, hint: string) => (
    <div class={errors[name] ? 'field error' : 'field'}>
      <label for={`nd-${name}`} safe>{label}</label>{' '}
      <input
        id={`nd-${name}`}
        name={name}
        value={v[name]}
        size={size}
        maxlength={name === 'label' ? '100' : name === 'date' ? '10' : '5'}
        required={name === 'date' ? true : undefined}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `nd-${name}-error` : undefined}
      />{' '}
      <small class="muted" safe>{hint}</small>
      {errors[name] ? (
        <>
          {' '}
          <strong id={`nd-${name}-error`} class="error-text" safe>
            {errors[name]}
          </strong>
        </>
      ) : (
        ''
      )}
    </div>
  );
  return (
    <section aria-labelledby="add-day" class="add-day">
      <h2 id="add-day">Add a day</h2>
      <p class="muted">
        A date off the edition’s dates (at most 31 days off) becomes a day of the schedule, flagged as a conflict once a slot
        is on it; while it holds no slot, a button under its heading removes it. A date already listed gets the hours typed
        here.
      </p>
      <form method="post" action={`${base(s)}/days#add-day`}>
        <Csrf token={p.csrf} />
        <input type="hidden" name="add" value="yes" />
        {field('date', 'Date', '10', '(YYYY-MM-DD)')}
        {field('start', 'Day starts', '5', `(HH:MM) empty: ${DEFAULT_DAY_START}, or the hours it has`)}
        {field('end', 'Day ends', '5', `(HH:MM) empty: ${DEFAULT_DAY_END}, or the hours it has`)}
        {field('label', 'Day named', '24', 'such as “Welcome evening”; empty: its date, or the name it has')}
        <button type="submit">Add the day</button>
      </form>
    </section>
  );
}

/**
 * Where a drag would put a slot, chosen without JavaScript: right after another slot, or at the
 * top of a day (before its first slot, or at its start when it has none). The server works out
 * the start, as for a drag. Each option names its day: a text browser shows no group's label.
 */
function PlaceForm(p: SchedulePageProps): JSX.Element {
  const s = p.state;
  if (s.slots.length === 0) return '';
  const chosen = p.placeError?.values ?? { slotId: '', place: '' };
  const slotText = (x: BuilderSlot) => `${shortDay(x.date)} ${x.start}–${x.end ?? x.effectiveEnd} ${x.label}`;
  return (
    <section aria-labelledby="place" class="place-form">
      <h2 id="place">Place a slot</h2>
      <p class="muted">
        As a drag does: right after another slot, it starts where that one ends; at the top of a day, it ends where the day’s
        first slot starts (not before the day’s start), or starts at the day’s start when the day has none. It keeps its
        length.
      </p>
      <form method="post" action={`${base(s)}/place#place`} class="place">
        <Csrf token={p.csrf} />
        <label for="place-slot">Slot</label>{' '}
        <select id="place-slot" name="slotId" aria-describedby={p.placeError ? 'place-error' : undefined}>
          {s.slots.map((x) => (
            <option value={String(x.id)} selected={String(x.id) === chosen.slotId} title={slotText(x).length > OPTION_MAX ? slotText(x) : undefined} safe>
              {optionText(slotText(x))}
            </option>
          ))}
        </select>{' '}
        <label for="place-where">goes</label>{' '}
        <select id="place-where" name="place" aria-describedby={p.placeError ? 'place-error' : undefined}>
          {s.days.map((d) => {
            const top = `${shortDay(d.date)}: at the top of the day`;
            return (
              <optgroup label={dayName(d)}>
                <option value={`top:${d.date}`} selected={`top:${d.date}` === chosen.place} safe>
                  {top}
                </option>
                {s.slots
                  .filter((x) => x.date === d.date)
                  .map((x) => {
                    const text = `${shortDay(x.date)}: after ${x.start}–${x.end ?? x.effectiveEnd} ${x.label}`;
                    return (
                      <option value={`after:${x.id}`} selected={`after:${x.id}` === chosen.place} title={text.length > OPTION_MAX ? text : undefined} safe>
                        {optionText(text)}
                      </option>
                    );
                  })}
              </optgroup>
            );
          })}
        </select>{' '}
        <button type="submit">Place</button>
        {p.placeError ? (
          <p class="error-text" id="place-error" role="alert" safe>
            {`Not moved. ${Object.entries(p.placeError.errors).map(([field, why]) => `${MOVE_FIELDS[field] ?? field}: ${why}`).join('; ')}`}
          </p>
        ) : (
          ''
        )}
      </form>
    </section>
  );
}

function Conflicts({ conflicts }: { conflicts: ScheduleConflict[] }): JSX.Element {
  if (conflicts.length === 0) return <p class="ok" id="conflicts">No conflicts.</p>;
  return (
    <div class="error-summary" role="alert" id="conflicts">
      <p>
        <strong safe>{`${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}:`}</strong>
      </p>
      <ul>
        {conflicts.map((c) => (
          <li data-rule={c.rule}>
            {c.slotIds.length > 0 ? (
              <a href={`#slot-${c.slotIds[0]}`} safe>
                {c.message}
              </a>
            ) : (
              <span safe>{c.message}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Notices(p: SchedulePageProps): JSX.Element {
  const n = p.notices;
  if (!n || n.count === 0) return '';
  const when = n.next ? `${n.next.toISOString().slice(11, 16)} UTC` : 'soon';
  return (
    <form method="post" action={`${base(p.state)}/notify`} class="notices">
      <Csrf token={p.csrf} />
      <span safe>{`${n.count} change notice${n.count === 1 ? '' : 's'} to speakers waiting; the first goes at ${when}, unless more changes join it.`}</span>{' '}
      <button type="submit">Mail the speakers now</button>
    </form>
  );
}

function Publish(p: SchedulePageProps): JSX.Element {
  const e = p.state.edition;
  if (e.status === 'final') return <p>The schedule is final. Changes still go to the public changelog and to the speakers.</p>;
  const action = `${base(p.state)}/publish#publish`;
  return (
    <form method="post" action={action} class="publish" id="publish">
      <Csrf token={p.csrf} />
      {p.publishError ? (
        <p class="error-text" role="alert" safe>
          {p.publishError}
        </p>
      ) : (
        ''
      )}
      {e.status === 'planned' ? (
        <input type="hidden" name="to" value="tentative" />
      ) : (
        <input type="hidden" name="to" value="final" />
      )}
      {p.state.conflicts.length > 0 ? (
        <label>
          <input type="checkbox" name="force" value="yes" /> publish despite the conflicts
        </label>
      ) : (
        ''
      )}{' '}
      {e.timeZone ? '' : <label><input type="checkbox" name="floating" value="yes" /> publish without a time zone</label>}{' '}
      <button type="submit">{e.status === 'planned' ? 'Publish as tentative' : 'Mark the schedule final'}</button>{' '}
      <small class="muted">
        {p.over
          ? `${e.title} is over: ${e.status === 'planned' ? 'publishing' : 'marking it final'} mails nobody, and neither does a change (the public changelog lists it).`
          : e.status === 'planned'
            ? `${e.publishedAt ? 'Published here before: publishing again mails nobody.' : 'Publishing mails each speaker on the schedule where they are on it (template schedule-published).'} Once published, every change is listed on the public changelog and mailed to the speakers it touches.`
            : 'Final: the page no longer says “Tentative”, and each speaker on the schedule is mailed that it is final, with where they are on it (template schedule-final).'}{' '}
        {p.over ? '' : 'A speaker with no address known is not mailed, and the notice names them; with no speaker on the schedule, nobody is.'}
      </small>
    </form>
  );
}

function SlotRow({
  slot,
  state,
  csrf,
  conflicts,
  moveError,
  removeError,
}: {
  slot: BuilderSlot;
  state: ScheduleState;
  csrf: string;
  conflicts: ScheduleConflict[];
  moveError?: SchedulePageProps['moveError'];
  removeError?: string | undefined;
}): JSX.Element {
  const b = base(state);
  const moveTo = moveError?.values ?? { date: slot.date, otherDate: '', start: slot.start };
  // What "Edit" and "Remove" act on, for a screen reader (namedBy): the row's time and title, which
  // lynx reads once at the start of the row.
  const named = `slot-${slot.id}-time slot-${slot.id}-title`;
  const moveWhy = moveError ? Object.entries(moveError.errors).map(([field, why]) => `${MOVE_FIELDS[field] ?? field}: ${why}`) : [];
  return (
    <tr id={`slot-${slot.id}`} class={conflicts.length > 0 ? `slot ${slot.kind} conflict` : `slot ${slot.kind}`} data-slot-id={String(slot.id)}>
      <td class="time">
        {/* The drag handle (⇅) is put here by schedule.js: without JavaScript, nothing drags. */}
        <span id={`slot-${slot.id}-time`} safe>{`${slot.start}–${slot.end ?? slot.effectiveEnd}`}</span>
        {slot.endNote !== null ? <small class="muted" safe>{` (${slot.endNote})`}</small> : ''}
      </td>
      <td>
        <span id={`slot-${slot.id}-title`} safe>
          {slot.label}
        </span>{' '}
        <small class="muted" safe>{`(${slot.kind})`}</small>
        {slot.topicNumber !== null ? <small class="muted" safe>{` topic #${slot.topicNumber}`}</small> : ''}
        {conflicts.map((c) => (
          <p class="error-text" safe>
            {c.message}
          </p>
        ))}
      </td>
      {/* A text browser runs a row's cells together, and the column heads are far above: each
          cell past the slot starts a line of its own there, named ("Speakers:", "Room:", "Move
          to:"), so that the speakers do not run into the room and the "Move to" form. */}
      <td>
        {slot.speakers.length > 0 ? <TextOnlyLine name="Speakers" /> : ''}
        <span safe>{slot.speakers.map((sp) => sp.name).join(', ')}</span>
      </td>
      <td>
        {slot.room ? <TextOnlyLine name="Room" /> : ''}
        <span safe>{slot.room ?? ''}</span>
      </td>
      <td>
        <TextOnlyLine name="Move to" />
        <form method="post" action={`${b}/slots/${slot.id}/move#slot-${slot.id}`} class="move">
          <Csrf token={csrf} />
          {/* Each field on its line, its word apart from it: lynx (2.9) measures a chosen option in
              bytes, so a name with a letter outside ASCII would shift the rest of its line. */}
          <label for={`mv-date-${slot.id}`}>Day</label>{' '}
          <select id={`mv-date-${slot.id}`} name="date" aria-invalid={moveError?.errors.date ? 'true' : undefined} aria-describedby={moveError ? `mv-error-${slot.id}` : undefined}>
            {state.days.map((d) => (
              <option value={d.date} selected={d.date === moveTo.date} safe>
                {dayOption(d)}
              </option>
            ))}
          </select>
          <br />
          <label for={`mv-other-${slot.id}`}>or date</label>{' '}
          <input
            id={`mv-other-${slot.id}`}
            name="otherDate"
            value={moveTo.otherDate ?? ''}
            size="10"
            maxlength="10"
            placeholder="YYYY-MM-DD"
            aria-invalid={moveError?.errors.otherDate ? 'true' : undefined}
            aria-describedby={moveError ? `mv-error-${slot.id}` : undefined}
          />
          <br />
          <label for={`mv-start-${slot.id}`}>Start</label>{' '}
          <input
            id={`mv-start-${slot.id}`}
            name="start"
            value={moveTo.start}
            size="5"
            aria-invalid={moveError?.errors.start ? 'true' : undefined}
            aria-describedby={moveError ? `mv-error-${slot.id}` : undefined}
          />{' '}
          <button type="submit">Move</button>
          {moveError ? (
            <p class="error-text" id={`mv-error-${slot.id}`} role="alert" safe>
              {`Not moved. ${moveWhy.join('; ')}`}
            </p>
          ) : (
            ''
          )}
        </form>
      </td>
      <td>
        <a href={`${b}?edit=${slot.id}#slot-form`} {...namedBy(`slot-${slot.id}-edit`, named)}>
          Edit
        </a>{' '}
        <ActionButton action={`${b}/slots/${slot.id}/remove`} csrf={csrf} label="Remove" named={{ id: `slot-${slot.id}-remove`, by: named }} danger />
        {removeError ? (
          <p class="error-text" role="alert" safe>
            {`Not removed: ${removeError}.`}
          </p>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}

function Options(p: { options: { value: string; label: string }[]; selected: string }): JSX.Element {
  return (
    <>
      {p.options.map((o) => (
        <option value={o.value} selected={o.value === p.selected} title={o.label.length > OPTION_MAX ? o.label : undefined} safe>
          {optionText(o.label)}
        </option>
      ))}
    </>
  );
}

function SlotForm(p: SchedulePageProps): JSX.Element {
  const s = p.state;
  const editing = p.editing;
  const v: SlotFormValues = p.values ??
    (editing ? slotFormValues(editing) : { date: p.defaultDate ?? s.days[0]?.date ?? '', start: '', end: '', lengthMinutes: '', kind: 'talk', title: '', topicId: '', room: '', speakers: [] });
  const errors = p.errors ?? {};
  // The fragment brings a refused form back into view, at its errors.
  const action = editing ? `${base(s)}/slots/${editing.id}#slot-form` : `${base(s)}/slots#slot-form`;
  // The attendees, then those on the schedule or presenting a topic though not (or no longer) attendees.
  const people = [{ value: '', label: '(none)' }, ...s.speakerChoices.map((a) => ({ value: String(a.personId), label: a.notAttendee ? `${a.name} (not an attendee)` : a.name }))];
  const speakerFields = Math.max(4, v.speakers.length + 1);
  const err = (k: string) =>
    errors[k] ? (
      <>
        {' '}
        <strong id={`f-${k}-error`} class="error-text" safe>
          {errors[k]}
        </strong>
      </>
    ) : (
      ''
    );
  const inv = (k: string) => (errors[k] ? 'true' : undefined);
  const heading: string = editing ? `Edit “${editing.label}”` : 'Add a slot';
  return (
    <section aria-labelledby="slot-form" class="slot-form">
      <h2 id="slot-form" safe>
        {heading}
      </h2>
      <ErrorSummary errors={errors} labels={LABELS} />
      {p.staleEdit ? (
        <div class="error-summary" role="alert">
          <p safe>{`${p.staleEdit}. The form keeps what you typed: check it against the slot as it now is (in the schedule above), and save again to apply it.`}</p>
        </div>
      ) : (
        ''
      )}
      <form method="post" action={action} id="slot-editor" data-slot-id={editing ? String(editing.id) : ''}>
        <Csrf token={p.csrf} />
        {editing ? '' : <FormKey />}
        {/* The version the form was made from; after a refused stale edit, the slot's as it now is. */}
        {editing ? <input type="hidden" name="version" value={p.staleEdit ? editing.version : (v.version ?? editing.version)} /> : ''}
        <div class="field">
          <label for="f-date">Day</label>{' '}
          <select id="f-date" name="date" aria-invalid={inv('date')}>
            <Options options={s.days.map((d) => ({ value: d.date, label: dayOption(d) }))} selected={v.date} />
          </select>
          {err('date')}
        </div>
        <div class={errors.otherDate ? 'field error' : 'field'}>
          <label for="f-otherDate">or another date</label>{' '}
          <input id="f-otherDate" name="otherDate" value={v.otherDate ?? ''} size="10" maxlength="10" aria-invalid={inv('otherDate')} aria-describedby="f-otherDate-hint" />{' '}
          <small id="f-otherDate-hint" class="muted">
            (YYYY-MM-DD) instead of the day above: a date off the edition’s (at most 31 days) becomes a day of the schedule, flagged as a conflict
          </small>
          {err('otherDate')}
        </div>
        <div class={errors.start ? 'field error' : 'field'}>
          <label for="f-start">Start (HH:MM)</label>
          <input id="f-start" name="start" value={v.start} size="5" required aria-invalid={inv('start')} />
          {err('start')}
        </div>
        <div class={errors.end ? 'field error' : 'field'}>
          <label for="f-end">End (HH:MM)</label>
          <input id="f-end" name="end" value={v.end} size="5" aria-invalid={inv('end')} aria-describedby="f-end-hint" />
          {' '}
          <small id="f-end-hint" class="muted">
            or a length below; neither: until the next slot (30 minutes when none follows)
          </small>
          {err('end')}
        </div>
        <div class={errors.lengthMinutes ? 'field error' : 'field'}>
          <label for="f-lengthMinutes">Length (minutes)</label>
          <input id="f-lengthMinutes" name="lengthMinutes" value={v.lengthMinutes} size="4" inputmode="numeric" aria-invalid={inv('lengthMinutes')} />
          {err('lengthMinutes')}
        </div>
        <div class="field">
          <label for="f-kind">Kind</label>{' '}
          <select id="f-kind" name="kind" aria-invalid={inv('kind')}>
            <Options options={SLOT_KINDS.map((k) => ({ value: k, label: k }))} selected={v.kind} />
          </select>
          {err('kind')}
        </div>
        <div class="field">
          <label for="f-topicId">Accepted topic</label>{' '}
          <select id="f-topicId" name="topicId" aria-invalid={inv('topicId')}>
            <Options
              options={[
                { value: '', label: '(none: use the title)' },
                ...s.topics.map((t) => ({
                  value: String(t.id),
                  label: `#${t.number} ${t.scheduledIn.length > 0 ? '[scheduled] ' : ''}${t.title} (${t.presenters.map((x) => x.name).join(', ') || 'no presenter'}${t.wishedMinutes ? `, ${t.wishedMinutes} min wished` : ''})`,
                })),
              ]}
              selected={v.topicId}
            />
          </select>
          {err('topicId')}
        </div>
        <div class={errors.title ? 'field error' : 'field'}>
          <label for="f-title">Title</label>
          <input id="f-title" name="title" value={v.title} size="50" aria-invalid={inv('title')} aria-describedby="f-title-hint" />
          {' '}
          <small id="f-title-hint" class="muted">
            empty for a topic: its title is shown
          </small>
          {err('title')}
        </div>
        <fieldset class={errors.speakerIds ? 'field error' : 'field'}>
          <legend>Speakers, in order (empty for a topic: its presenters)</legend>
          {Array.from({ length: speakerFields }, (_, i) => (
            <div>
              <label for={`f-speaker${i}`} safe>{`Speaker ${i + 1}`}</label>{' '}
              <select id={`f-speaker${i}`} name={`speaker${i}`}>
                <Options options={people} selected={v.speakers[i] ?? ''} />
              </select>
            </div>
          ))}
          {err('speakerIds')}
        </fieldset>
        <div class={errors.room ? 'field error' : 'field'}>
          <label for="f-room">Room</label>
          <input id="f-room" name="room" value={v.room} size="20" aria-invalid={inv('room')} />
          {err('room')}
        </div>
        <div id="live-conflicts" aria-live="polite"></div>
        <button type="submit">{editing ? 'Save the slot' : 'Add the slot'}</button>
        {editing ? (
          <>
              {' '}
              <a href={base(s)}>Cancel</a>
          </>
        ) : (
          ''
        )}
      </form>
    </section>
  );
}
