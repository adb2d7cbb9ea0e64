/**
 * The schedule builder's routes: one page, plain forms for every change, and two endpoints the
 * page's script uses when JavaScript is on (a move answered in JSON, and a conflict check of the
 * slot being edited that saves nothing). SortableJS is served from the installed package.
 */
import { editionOver, longDate } from '../../domain/invitations/dates.js';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loadSchedule } from '../../domain/program/schedule.js';
import { dayName } from '../../domain/program/schedule-names.js';
import { addSlot, moveSlot, NoSuchSlot, previewConflicts, removeDay, hiddenMaterialsSentence, removeSlot, StaleSlot, setDay, updateSlot, type SlotInput } from '../../domain/program/schedule-edit.js';
import { publishSchedule, publicationMailSentence } from '../../domain/program/schedule-publish.js';
import { sendNoticesNow, waitingNotices } from '../../domain/program/schedule-notices.js';
import { Conflict } from '../../domain/errors.js';
import { refusalsOf, refusalsSentence, type PublishRefusal } from '../../domain/program/publication.js';
import { services, type AppDeps } from '../app.js';
import { editionIdParams, editionParams, pathParams } from '../params.js';
import { parseInput, recordId, ticked } from '../../domain/validate.js';
import { SchedulePage, type SchedulePageProps, type SlotFormValues } from '../views/admin/schedule.js';
import { account, actorOf, formErrors } from './admin.js';
import { csrfToken } from '../session.js';
import { formKeyOf, saveOnce } from '../../domain/form-once.js';
import { sentAgain } from '../form-once.js';

/** What the builder adds to a refusal of publishing (publication.ts): how to fix it or publish anyway, by its form's boxes. */
function publishHow(reason: PublishRefusal['reason']): string {
  if (reason === 'conflicts') return ' — fix them, or tick “publish despite the conflicts” to publish anyway';
  if (reason === 'no-time-zone') return '; set one on the edition’s page under “Time zone”, or tick “publish without a time zone” to publish anyway';
  return '';
}

const slotParams = editionIdParams;
/**
 * `?edit=<slot>`, as the builder's Edit links write it: the digits of a recordId, nothing else.
 * `1e3`, `0x10` or ` 12` (which a number's coercion reads as 1000, 16 and 12) or `12abc` is a
 * wrong link, refused (400) rather than opened as some other slot (or none); absent or empty is null.
 */
function editOf(edit: unknown): number | null {
  if (edit === undefined || edit === '') return null;
  const digits = parseInput(z.object({ edit: z.string().regex(/^[1-9]\d*$/, 'must be a slot’s number, as the Edit links give it') }), { edit }).edit;
  return parseInput(z.object({ edit: recordId }), { edit: digits }).edit;
}
const sortablePath = createRequire(import.meta.url).resolve('sortablejs/Sortable.min.js');

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The day a slot form or a row's "Move to" names: the date typed in "or another date" when given
 * (a day not in the menu: the evening before the edition, say), else the day chosen in the menu.
 */
function dateOf(chosen: string, other = ''): string {
  return other.trim() !== '' ? other.trim() : chosen;
}

/** A refused date said beside the field it came from: "or another date" when that was typed. */
function atDateField(errors: Record<string, string>, other = ''): Record<string, string> {
  if (other.trim() === '' || errors.date === undefined) return errors;
  const { date, ...rest } = errors;
  return { otherDate: date, ...rest };
}

/** What a notice adds for the conflicts a change left its slots in: as a move's notice says it. */
function conflictsNote(conflicts: { slotIds: readonly (string | number)[] }[], slotIds: readonly number[]): string {
  const n = conflicts.filter((c) => c.slotIds.some((id) => slotIds.includes(id as number))).length;
  return n ? ` — ${n} conflict${n === 1 ? '' : 's'}, listed below` : '';
}

/** The slot form as typed (for showing it again) and as the domain takes it. */
function slotForm(body: Body): { values: SlotFormValues; input: SlotInput } {
  const speakers = Object.keys(body)
    .filter((k) => /^speaker\d+$/.test(k))
    .sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)))
    .map((k) => str(body[k]))
    .filter((v) => v !== '');
  const values: SlotFormValues = {
    date: str(body.date),
    otherDate: str(body.otherDate),
    start: str(body.start),
    end: str(body.end),
    lengthMinutes: str(body.lengthMinutes),
    kind: str(body.kind),
    title: str(body.title),
    topicId: str(body.topicId),
    room: str(body.room),
    speakers,
    version: str(body.version),
  };
  return {
    values,
    input: {
      date: dateOf(values.date, values.otherDate),
      start: values.start,
      end: values.end,
      lengthMinutes: values.lengthMinutes as unknown as number,
      kind: values.kind as SlotInput['kind'],
      title: values.title,
      topicId: values.topicId as unknown as number,
      room: values.room,
      speakerIds: speakers as unknown as number[],
      version: values.version,
    },
  };
}

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

export async function scheduleAdminRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const sdeps = () => services(deps);
  const base = (p: { series: string; year: number }) => `/admin/editions/${p.series}/${p.year}/schedule`;

  async function page(
    req: FastifyRequest,
    reply: FastifyReply,
    o: {
      values?: SlotFormValues;
      errors?: Record<string, string>;
      editId?: number | null;
      dayErrors?: { date: string; errors: Record<string, string>; values: { start: string; end: string; label: string } };
      newDay?: SchedulePageProps['newDay'];
      publishError?: string;
      moveError?: SchedulePageProps['moveError'];
      placeError?: SchedulePageProps['placeError'];
      staleEdit?: string;
      removeError?: SchedulePageProps['removeError'];
      /** Said above the page, as a notice in the address would be. */
      notice?: string;
    } = {},
    status = 200,
  ) {
    const p = pathParams(editionParams, req);
    const state = await loadSchedule(deps, p);
    const q = req.query as Record<string, unknown>;
    const editId = o.editId !== undefined ? o.editId : editOf(q.edit);
    const editing = editId !== null ? (state.slots.find((s) => s.id === editId) ?? null) : null;
    // A link to edit a slot since removed (or mistyped) says so, rather than show the add form as if asked for it.
    const noSlot = editId !== null && editing === null ? `There is no slot #${editId} to edit: it was removed, or the link is wrong. The form below adds a new slot.` : undefined;
    const notice = [typeof q.notice === 'string' ? q.notice : undefined, o.notice, noSlot].filter(Boolean).join(' ') || undefined;
    const notices = await waitingNotices(deps, state.edition.id);
    const day = typeof q.day === 'string' && state.days.some((d) => d.date === q.day) ? q.day : undefined;
    const e = state.edition;
    const over = editionOver({ start_date: e.startDate, end_date: e.endDate, time_zone: e.timeZone }, sdeps().clock());
    return reply
      .status(noSlot && status === 200 ? 404 : status)
      .type('text/html; charset=utf-8')
      .send(
        SchedulePage({ account: account(req), csrf: csrfToken(reply), state, notice, editing, values: o.values, errors: o.errors, dayErrors: o.dayErrors, newDay: o.newDay, notices, publishError: o.publishError, moveError: o.moveError, defaultDate: day, staleEdit: o.staleEdit, removeError: o.removeError, placeError: o.placeError, over }),
      );
  }

  const done = (reply: FastifyReply, p: { series: string; year: number }, notice: string, anchor = '') =>
    reply.redirect(`${base(p)}?notice=${encodeURIComponent(notice)}${anchor}`, 303);
  /** A slot saved or moved from a page older than its removal (another tab, another member). */
  const removedMeanwhile = (slotId: number) => `Slot #${slotId} was removed meanwhile: nothing was saved.`;

  app.get('/static/sortable.min.js', async (_req, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, max-age=3600').send(fs.createReadStream(sortablePath)),
  );

  app.get('/editions/:series/:year/schedule', async (req, reply) => page(req, reply));

  /** Where a slot went, the day said too: a move may be to another day. */
  const whenOf = (slot: { date: string; start: string }) => `${longDate(slot.date)}, ${slot.start}`;
  /** The notice of a move, by form or by drag: with the conflicts the moved slot is now in, as the CLI prints them. */
  const movedNotice = (slot: { id: number; title: string; date: string; start: string }, conflicts: { slotIds: readonly (string | number)[] }[]) =>
    `Moved “${slot.title}” to ${whenOf(slot)}${conflictsNote(conflicts, [slot.id])}.`;

  app.post('/editions/:series/:year/schedule/slots', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const { values, input } = slotForm((req.body ?? {}) as Body);
    try {
      // Saved once, however often the form is sent (form-once.ts).
      const sent = await saveOnce(deps, formKeyOf(req.body), async (db) => {
        const s = await addSlot({ ...sdeps(), db }, actorOf(req), p, input);
        const notice = `Added “${s.title}” on ${whenOf(s)}${conflictsNote((await loadSchedule({ db }, p)).conflicts, [s.id])}.`;
        // The next slot is most often added to the same day: keep it chosen.
        return { result: s, landing: `${base(p)}?notice=${encodeURIComponent(notice)}&day=${s.date}#slot-${s.id}` };
      });
      return reply.redirect(sent.again ? sentAgain(sent.landing) : sent.landing, 303);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return page(req, reply, { values, errors: atDateField(errors, values.otherDate), editId: null }, 400);
    }
  });

  app.post('/editions/:series/:year/schedule/slots/:id', async (req, reply) => {
    const p = pathParams(slotParams, req);
    const { values, input } = slotForm((req.body ?? {}) as Body);
    try {
      const s = await updateSlot(sdeps(), actorOf(req), p, p.id, input);
      return done(reply, p, `Saved “${s.title}”${conflictsNote((await loadSchedule(deps, p)).conflicts, [s.id])}.`, `#slot-${s.id}`);
    } catch (err) {
      // What was typed comes back, on the slot as it now is (the form takes its version).
      if (err instanceof StaleSlot) return page(req, reply, { values, editId: p.id, staleEdit: err.message }, 409);
      // Removed meanwhile: what was typed comes back in the add form, to add it again if still wanted.
      if (err instanceof NoSuchSlot) {
        return page(req, reply, { values, editId: null, notice: `${removedMeanwhile(p.id)} The form below keeps what you typed, to add it as a new slot.` }, 409);
      }
      const errors = formErrors(err);
      if (!errors) throw err;
      return page(req, reply, { values, errors: atDateField(errors, values.otherDate), editId: p.id }, 400);
    }
  });

  // Moves come from the row's "Move to" form, or from a drag (JSON answer with the conflicts).
  app.post('/editions/:series/:year/schedule/slots/:id/move', async (req, reply) => {
    const p = pathParams(slotParams, req);
    const b = (req.body ?? {}) as Body;
    // A drag names where the slot was dropped (after or before another, or a day) and the start is
    // worked out here; the row's form gives a day (chosen, or another date typed) and a start
    // (left empty: the top of the day).
    const otherDate = str(b.otherDate);
    const input = { date: dateOf(str(b.date), otherDate), start: str(b.start), beforeSlotId: str(b.beforeSlotId) as unknown as number, afterSlotId: str(b.afterSlotId) as unknown as number };
    if (wantsJson(req)) {
      try {
        const slot = await moveSlot(sdeps(), actorOf(req), p, p.id, input);
        const state = await loadSchedule(deps, p);
        const notice = movedNotice(slot, state.conflicts);
        // Where the page goes next: a new query each time, so that it is fetched again even after the same move.
        const next = reply.noticeUrl(`/admin/editions/${p.series}/${p.year}/schedule?notice=${encodeURIComponent(notice)}&at=${Date.now()}#slot-${slot.id}`);
        return { slot, conflicts: state.conflicts, next };
      } catch (err) {
        // Removed meanwhile (another tab, another member): where to go, as the row's form lands,
        // so that schedule.js shows the builder with the notice rather than a bare error.
        if (err instanceof NoSuchSlot && err.slotId === p.id) {
          const message = removedMeanwhile(p.id);
          const next = reply.noticeUrl(`/admin/editions/${p.series}/${p.year}/schedule?notice=${encodeURIComponent(message)}&at=${Date.now()}`);
          return reply.status(404).send({ error: 'Not Found', message, next });
        }
        const errors = formErrors(err);
        if (!errors) throw err;
        return reply.status(400).send({ error: 'Bad request', message: Object.values(errors).join('; '), fields: errors });
      }
    }
    try {
      const s = await moveSlot(sdeps(), actorOf(req), p, p.id, input);
      return done(reply, p, movedNotice(s, (await loadSchedule(deps, p)).conflicts), `#slot-${s.id}`);
    } catch (err) {
      if (err instanceof NoSuchSlot && err.slotId === p.id) return done(reply, p, removedMeanwhile(p.id));
      // Shown at the row's own "Move to", with what was typed.
      const errors = formErrors(err);
      if (!errors) throw err;
      return page(req, reply, { moveError: { slotId: p.id, values: { date: str(b.date), otherDate, start: input.start }, errors: atDateField(errors, otherDate) } }, 400);
    }
  });

  // "Place a slot", the drag's plain form: a slot, and the place chosen (after another slot, or the
  // top of a day); the start is worked out here, as for a drag.
  app.post('/editions/:series/:year/schedule/place', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const b = (req.body ?? {}) as Body;
    const values = { slotId: str(b.slotId), place: str(b.place) };
    const slotId = recordId.safeParse(values.slotId).data;
    const where = /^(top|after):(.+)$/.exec(values.place);
    if (slotId === undefined || !where) {
      return page(req, reply, { placeError: { values, errors: slotId === undefined ? { slotId: 'choose the slot to place' } : { place: 'choose where it goes' } } }, 400);
    }
    try {
      const s = await moveSlot(sdeps(), actorOf(req), p, slotId, where[1] === 'top' ? { date: where[2] } : { afterSlotId: where[2] as unknown as number });
      return done(reply, p, movedNotice(s, (await loadSchedule(deps, p)).conflicts), `#slot-${s.id}`);
    } catch (err) {
      if (err instanceof NoSuchSlot && err.slotId === slotId) return done(reply, p, removedMeanwhile(slotId));
      const errors = formErrors(err);
      if (!errors) throw err;
      return page(req, reply, { placeError: { values, errors } }, 400);
    }
  });

  app.post('/editions/:series/:year/schedule/slots/:id/remove', async (req, reply) => {
    const p = pathParams(slotParams, req);
    try {
      const s = await removeSlot(sdeps(), actorOf(req), p, p.id);
      return done(reply, p, [`Removed “${s.title}”.`, hiddenMaterialsSentence(s.materialsHidden)].filter(Boolean).join(' '));
    } catch (err) {
      // Gone already (Remove pressed twice, or on a page older than the removal): what was asked is done.
      if (err instanceof NoSuchSlot) return done(reply, p, `Slot #${p.id} was already removed.`);
      // Refused (it holds materials): said at the slot's own row, on the builder.
      if (!(err instanceof Conflict)) throw err;
      return page(req, reply, { removeError: { slotId: p.id, message: err.message } }, 409);
    }
  });

  // A day's hours and name: from its own form under its heading, or from "Add a day", which takes
  // any date (one off the edition's dates becomes a day of the schedule, as a slot put there does).
  app.post('/editions/:series/:year/schedule/days', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const b = (req.body ?? {}) as Body;
    const adding = str(b.add) === 'yes';
    const values = { date: str(b.date), start: str(b.start), end: str(b.end), label: str(b.label) };
    try {
      // "Add a day" with no name keeps the one a day of that date has (its own form drops it).
      const d = await setDay(sdeps(), actorOf(req), p, { ...values, date: adding ? values.date.trim() : values.date, label: adding && values.label.trim() === '' ? undefined : values.label });
      const state = await loadSchedule(deps, p);
      const note = conflictsNote(state.conflicts, state.slots.filter((x) => x.date === d.date).map((x) => x.id));
      return done(reply, p, `${dayName(d)} now runs ${d.start}–${d.end}${note}.`, `#day-${d.date}`);
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      if (adding) return page(req, reply, { newDay: { values, errors } }, 400);
      return page(req, reply, { dayErrors: { date: values.date, errors, values: { start: values.start, end: values.end, label: values.label } } }, 400);
    }
  });

  app.post('/editions/:series/:year/schedule/days/remove', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const b = (req.body ?? {}) as Body;
    const d = await removeDay(sdeps(), actorOf(req), p, { date: str(b.date) });
    return d ? done(reply, p, `${d.label} runs ${d.start}–${d.end} again.`, `#day-${d.date}`) : done(reply, p, `Removed ${str(b.date)} from the schedule.`);
  });

  app.post('/editions/:series/:year/schedule/publish', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const b = (req.body ?? {}) as Body;
    try {
      const e = await publishSchedule(sdeps(), actorOf(req), p, { final: str(b.to) === 'final', force: ticked(b, 'force'), floatingTimes: ticked(b, 'floating') });
      return done(reply, p, `${e.status === 'final' ? 'The schedule is final.' : 'The schedule is published, marked tentative.'} ${publicationMailSentence(e.mailed)}`);
    } catch (err) {
      // Refused (conflicts, nothing to publish, …): say why at the publish button, on the builder,
      // every reason at once.
      if (!(err instanceof Conflict)) throw err;
      const refusals = refusalsOf(err);
      const publishError = refusals === null ? err.message : refusalsSentence(refusals, publishHow);
      return page(req, reply, { publishError }, 409);
    }
  });

  app.post('/editions/:series/:year/schedule/notify', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const n = await sendNoticesNow(sdeps(), actorOf(req), p);
    return done(reply, p, n === 0 ? 'No change notices were waiting.' : `${n} change notice${n === 1 ? '' : 's'} to speakers will go out now.`);
  });

  // A preview of the slot being edited: its conflicts with the rest of the schedule; nothing is
  // saved. (Not "check": `conclave schedule check` asks whether the schedule is fit to publish.)
  app.post('/editions/:series/:year/schedule/preview', async (req, reply) => {
    const p = pathParams(editionParams, req);
    const b = (req.body ?? {}) as Body;
    const { input } = slotForm(b);
    const slotId = recordId.safeParse(b.slotId).data ?? null;
    try {
      return { conflicts: await previewConflicts(deps, p, { slotId, slot: input }) };
    } catch (err) {
      const errors = formErrors(err);
      if (!errors) throw err;
      return reply.status(200).send({ conflicts: [], fields: errors });
    }
  });
}
