/**
 * A form shows every error at once: the rules across fields (an end before its start) are checked
 * on the fields that parsed, together with the errors of those that did not, not in a second wave.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connect.js';
import { createEdition, updateEdition } from '../src/domain/editions/edit-edition.js';
import { InvalidForm } from '../src/domain/errors.js';
import { addSlot } from '../src/domain/program/schedule-edit.js';
import { parseFields } from '../src/domain/validate.js';
import { z } from 'zod';
import { freshPglite } from './support/db.js';
import { makeDeps } from './invitations/fixtures.js';

const actor = { accountId: null, label: 'test' };

async function fieldsOf(p: Promise<unknown>): Promise<Record<string, string>> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof InvalidForm)) throw new Error(`expected InvalidForm, got ${String(err)}`);
  return err.fields;
}

describe('every error of a form at once', () => {
  let handle: Db;
  beforeAll(async () => {
    handle = await freshPglite();
  });
  afterAll(async () => handle?.close());

  it('parseFields gives the fields that parsed and the first error of each that did not', () => {
    const shape = z.object({ a: z.coerce.number(), b: z.string().min(2), c: z.string().default('x'), d: z.object({ e: z.number() }) });
    expect(parseFields(shape, { a: '3', b: 'y', d: { e: 'no' } })).toEqual({
      data: { a: 3, c: 'x' },
      errors: { b: expect.any(String), 'd.e': expect.any(String) },
    });
    expect(parseFields(shape, null).errors).toHaveProperty('a');
  });

  it('an edition created with a wrong cap and an end before its start gets both errors', async () => {
    const fields = await fieldsOf(
      createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2031, fields: { title: 'Netconf 2031', cap: 'many', startDate: '2031-07-15', endDate: '2031-07-14', answerBy: '2031-08-01' } }),
    );
    expect(fields).toEqual({ cap: 'must be a number', endDate: 'is before the start date, 2031-07-15', answerBy: 'is after the edition starts, 2031-07-15' });
    // A wrong date is its own error only: it is not compared with the other.
    const bad = await fieldsOf(createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2031, fields: { title: 'x', startDate: '2031-13-45', endDate: '2031-07-14' } }));
    expect(Object.keys(bad)).toEqual(['startDate']);
    expect(await handle.db.selectFrom('editions').select('id').where('year', '=', 2031).execute()).toEqual([]);
    // A year left empty is missing, not the year 0; one that is no number is said so.
    for (const [year, why] of [['', 'is required'], ['  ', 'is required'], ['next', 'must be a year'], ['1989', 'must be 1990 or later'], ['2027.5', 'must be a year']] as const) {
      expect((await fieldsOf(createEdition({ db: handle.db }, actor, { series: 'Netconf', year, fields: { title: 'x' } }))).year, year).toBe(why);
    }
  });

  it('an edition updated likewise, checked against what it keeps', async () => {
    await createEdition({ db: handle.db }, actor, { series: 'Netconf', year: 2032, fields: { title: 'Netconf 2032', startDate: '2032-07-14', endDate: '2032-07-15' } });
    const deps = makeDeps(handle.db);
    const fields = await fieldsOf(updateEdition(deps, actor, { series: 'netconf', year: 2032, fields: { reminderDays: '-3', endDate: '2032-07-01' } }));
    expect(fields).toEqual({ reminderDays: 'cannot be negative', endDate: 'is before the start date, 2032-07-14' });
    // The field given is the one at fault: a new start after the kept end, or before the kept answer-by date.
    expect(await fieldsOf(updateEdition(deps, actor, { series: 'netconf', year: 2032, fields: { startDate: '2032-07-20' } }))).toEqual({ startDate: 'is after the end date, 2032-07-15' });
    await updateEdition(deps, actor, { series: 'netconf', year: 2032, fields: { answerBy: '2032-07-01' } });
    expect(await fieldsOf(updateEdition(deps, actor, { series: 'netconf', year: 2032, fields: { startDate: '2032-06-20', endDate: '2032-06-21' } }))).toEqual({ startDate: 'is before the answer-by date, 2032-07-01' });
    expect(await fieldsOf(updateEdition(deps, actor, { series: 'netconf', year: 2032, fields: { colocatedStart: '2032-07-20', colocatedEnd: '2032-07-19' } }))).toEqual({ colocatedEnd: 'is before the co-located event’s start, 2032-07-20' });
  });

  it('a slot with a wrong length and an end before its start gets both errors', async () => {
    const deps = makeDeps(handle.db);
    const fields = await fieldsOf(addSlot(deps, actor, { series: 'netconf', year: 2032 }, { date: '2032-07-14', start: '10:00', end: '09:00', lengthMinutes: 'long' as never, kind: 'talk', title: '' }));
    expect(fields).toEqual({ lengthMinutes: 'must be a number', end: 'must be after the start (10:00)', title: 'give a title or choose a topic' });
  });
});
