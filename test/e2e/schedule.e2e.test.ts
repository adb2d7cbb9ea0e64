/**
 * The schedule builder in real Chromium with JavaScript on: the committee drags a slot to a
 * time where its speaker is already speaking and sees the conflict; drags a slot across a night
 * the clocks go back and it ends where the next slot starts, in time that passes; while editing a
 * slot the form says what saving it would break, before anything is saved; a drag of a slot
 * removed since the page was loaded lands on the builder, which says so.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createSigninLink } from '../../src/domain/committee/signin.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { addSlot, setDay } from '../../src/domain/program/schedule-edit.js';
import { buildApp } from '../../src/web/app.js';
import { COMMITTEE, inviteGuests, makeDeps, makeEdition } from '../invitations/fixtures.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';

describe.runIf(hasChromium())('schedule builder in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let page: Page;
  let ref: { series: string; year: number };
  /** An edition in Berlin over the night of October 31, 2100, when the clocks go back from 03:00 to 02:00. */
  let berlin: { series: string; year: number };
  const slot: Record<string, number> = {};

  beforeAll(async () => {
    handle = await freshPglite();
    const deps = makeDeps(handle.db, new Date().toISOString());
    const editionId = await makeEdition(handle.db, { start_date: '2027-05-12', end_date: '2027-05-13', answer_by: '2027-04-10' });
    ref = { series: 'invtest', year: (await handle.db.selectFrom('editions').select('year').where('id', '=', editionId).executeTakeFirstOrThrow()).year };
    for (const s of await inviteGuests(deps, editionId, 2)) await acceptInvitation(deps, { token: s.token });
    const people = Object.fromEntries((await handle.db.selectFrom('people').select(['name', 'id']).execute()).map((p) => [p.name, p.id]));
    const add = async (title: string, date: string, start: string, end: string, kind: 'talk' | 'break', speakers: string[]) => {
      slot[title] = (await addSlot(deps, COMMITTEE, ref, { date, start, end, kind, title, speakerIds: speakers.map((n) => people[n]!) })).id;
    };
    await add('Coffee', '2027-05-12', '09:30', '10:00', 'break', []);
    await add('Busy talk', '2027-05-12', '10:00', '10:30', 'talk', ['Guest 1']);
    await add('Other talk', '2027-05-12', '11:00', '11:30', 'talk', ['Guest 2']);
    await add('Movable', '2027-05-13', '14:00', '14:30', 'talk', ['Guest 1']);
    const berlinId = await makeEdition(handle.db, { start_date: '2100-10-31', end_date: '2100-11-01', answer_by: '2100-10-01', time_zone: 'Europe/Berlin' });
    berlin = { series: 'invtest', year: (await handle.db.selectFrom('editions').select('year').where('id', '=', berlinId).executeTakeFirstOrThrow()).year };
    await setDay(deps, COMMITTEE, berlin, { date: '2100-10-31', start: '00:00' });
    // 01:30–03:30 on that night: two hours on the clock, three that pass.
    slot['Night hack'] = (await addSlot(deps, COMMITTEE, berlin, { date: '2100-10-31', start: '01:30', end: '03:30', kind: 'social', title: 'Night hack', room: 'Main' })).id;
    slot.Keynote = (await addSlot(deps, COMMITTEE, berlin, { date: '2100-11-01', start: '12:00', end: '13:00', kind: 'talk', title: 'Keynote', room: 'Main' })).id;
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, clock: deps.clock, mail: deps.mail });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // Tall enough that both days are on screen: the mouse drags in the viewport.
    page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const link = await createSigninLink(deps, { email: 'chair@example.org' });
    await page.goto(`${base}${new URL(link!.link).pathname}`);
    await page.getByRole('button', { name: 'Sign in to conclave' }).click();
    await page.waitForURL(`${base}/admin/`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await handle?.close();
  });

  /**
   * Drags a row by its handle onto the top edge of another row, in another day, until
   * SortableJS has put it right above that row (how far a mouse must go for that varies), and
   * drops it there; resolves once the page has gone where the server's answer said.
   */
  async function dragAbove(movingId: number, belowId: number): Promise<void> {
    const handleBox = (await page.locator(`#slot-${movingId} .handle`).boundingBox())!;
    await page.mouse.move(handleBox.x + handleBox.width / 2, handleBox.y + handleBox.height / 2);
    await page.mouse.down();
    const target = (await page.locator(`#slot-${belowId}`).boundingBox())!;
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(handleBox.x + 5, handleBox.y + ((target.y + 3 - handleBox.y) * i) / 20);
      await page.waitForTimeout(15);
    }
    // The row dragged sits in the list while it moves (a copy follows the mouse): right above
    // the other one, or the mouse goes on over that row's top edge.
    const above = () =>
      page.evaluate(([m, b]) => document.getElementById(`slot-${b}`)?.previousElementSibling?.getAttribute('data-slot-id') === String(m), [movingId, belowId] as const);
    for (let i = 0; i < 20 && !(await above()); i++) {
      const box = (await page.locator(`#slot-${belowId}`).boundingBox())!;
      await page.mouse.move(handleBox.x + 5 + (i % 2), box.y + 2 + (i % 4));
      await page.waitForTimeout(50);
    }
    expect(await above()).toBe(true);
    // Waited for before the drop, so that a quick answer's navigation is not missed.
    await Promise.all([page.waitForURL(/notice=/), page.mouse.up()]);
  }

  it('drags a slot to where its speaker is busy, and shows the conflict', async () => {
    await page.goto(`${base}/admin/editions/${ref.series}/${ref.year}/schedule`);
    await expect(page.locator('#conflicts').textContent()).resolves.toBe('No conflicts.');
    // Up over the day before, onto the top edge of "Busy talk": it lands between Coffee and it.
    await dragAbove(slot.Movable!, slot['Busy talk']!);
    await expect(page.getByRole('status').textContent()).resolves.toBe('Moved “Movable” to May 12, 2027, 10:00 — 2 conflicts, listed below.');
    const alert = page.locator('#conflicts');
    await expect(alert.textContent()).resolves.toContain('Guest 1 speaks in two overlapping slots: 10:00–10:30 “Movable” and 10:00–10:30 “Busy talk”');
    // Neither names a room: they are in the one room the schedule files put them in.
    await expect(alert.textContent()).resolves.toContain('Room “Main room” holds two overlapping slots on 2027-05-12: 10:00–10:30 “Movable” and 10:00–10:30 “Busy talk”');
    // Where it was dropped: after Coffee, so first of the slots starting at 10:00.
    await expect(page.locator(`#slot-${slot['Busy talk']}`).evaluate((tr) => tr.previousElementSibling?.id)).resolves.toBe(`slot-${slot.Movable}`);
    await expect(page.locator(`#slot-${slot.Movable}`).getAttribute('class')).resolves.toContain('conflict');
    const saved = await handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select(['agenda_days.date', 'slots.start_time']).where('slots.id', '=', slot.Movable!).executeTakeFirstOrThrow();
    expect(saved).toEqual({ date: '2027-05-12', start_time: '10:00' });
  });

  it('drags a slot that spans the night the clocks go back to the top of the next day: it ends where the first slot starts', async () => {
    await page.goto(`${base}/admin/editions/${berlin.series}/${berlin.year}/schedule`);
    await expect(page.locator('#conflicts').textContent()).resolves.toBe('No conflicts.');
    await dragAbove(slot['Night hack']!, slot.Keynote!);
    // Three hours pass from 01:30 to 03:30 that night: it keeps them, and ends at 12:00, not 13:00
    // in the keynote's room (the clock's two hours back from 12:00 would start it at 10:00).
    await expect(page.getByRole('status').textContent()).resolves.toBe('Moved “Night hack” to November 1, 2100, 09:00.');
    await expect(page.locator('#conflicts').textContent()).resolves.toBe('No conflicts.');
    const saved = await handle.db.selectFrom('slots').innerJoin('agenda_days', 'agenda_days.id', 'slots.day_id').select(['agenda_days.date', 'slots.start_time', 'slots.end_time']).where('slots.id', '=', slot['Night hack']!).executeTakeFirstOrThrow();
    expect(saved).toEqual({ date: '2100-11-01', start_time: '09:00', end_time: '12:00' });
  });

  it('drags a slot removed since the page was loaded: lands on the builder saying so', async () => {
    const deps = makeDeps(handle.db, new Date().toISOString());
    const doomed = (await addSlot(deps, COMMITTEE, ref, { date: '2027-05-13', start: '16:00', end: '16:30', kind: 'break', title: 'Doomed', speakerIds: [] })).id;
    await page.goto(`${base}/admin/editions/${ref.series}/${ref.year}/schedule`);
    // Removed (by another member, another tab) after the page showed it, before the drop.
    await handle.db.deleteFrom('slots').where('id', '=', doomed).execute();
    // Upward, over the day before, onto the top edge of "Other talk".
    await dragAbove(doomed, slot['Other talk']!);
    expect(new URL(page.url()).pathname).toBe(`/admin/editions/${ref.series}/${ref.year}/schedule`);
    await expect(page.getByRole('status').textContent()).resolves.toBe(`Slot #${doomed} was removed meanwhile: nothing was saved.`);
    await expect(page.locator(`#slot-${doomed}`).count()).resolves.toBe(0);
  });

  it('says what an edit would break while one types, saving nothing', async () => {
    await page.goto(`${base}/admin/editions/${ref.series}/${ref.year}/schedule?edit=${slot['Other talk']}#slot-form`);
    await page.getByLabel('Start (HH:MM)').fill('10:15');
    await page.getByLabel('End (HH:MM)').fill('10:45');
    await page.getByLabel('Speaker 1', { exact: true }).selectOption({ label: 'Guest 1' });
    const live = page.locator('#live-conflicts');
    await live.getByText('Saving this would give').waitFor();
    await expect(live.textContent()).resolves.toContain('Guest 1 speaks in two overlapping slots');
    const saved = await handle.db.selectFrom('slots').select('start_time').where('id', '=', slot['Other talk']!).executeTakeFirstOrThrow();
    expect(saved.start_time).toBe('11:00');
  });
});
