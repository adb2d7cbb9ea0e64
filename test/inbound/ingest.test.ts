/**
 * Answers by mail, through the domain (ingestMessage) on both databases: each case of issue 7
 * with messages composed as mail programs write them.
 */
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as migration024 from '../../src/db/migrations/024-inbound-secrets.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import type { Db } from '../../src/db/connect.js';
import { ingestMessage } from '../../src/domain/inbound/ingest.js';
import { enqueueMail } from '../../src/domain/mail/outbox.js';
import { saveTemplate } from '../../src/domain/mail/templates.js';
import { getInbound, listInbound, reviewInbound } from '../../src/domain/inbound/review.js';
import { keyFromAddress, rsvpReplyAddress } from '../../src/domain/inbound/reply-address.js';
import { acceptInvitation } from '../../src/domain/invitations/rsvp.js';
import { decideTopic } from '../../src/domain/program/topics.js';
import { resendInvitation } from '../../src/domain/invitations/send.js';
import { expireOverdue } from '../../src/domain/invitations/reminders.js';
import { overrideState, revokeInvitation } from '../../src/domain/invitations/committee-actions.js';
import { utcMinute } from '../../src/domain/invitations/dates.js';
import { hashToken, replyKeyOf, resolveToken, type ReplyKey } from '../../src/domain/invitations/tokens.js';
import { testDatabases } from '../support/db.js';
import { deliverDueMail } from '../invitations/fixtures.js';
import { COMMITTEE_ADDRESS, compose, inboundDeps, invitedGuests, mailOfKind, newId, reply, RSVP, stateOf } from './fixtures.js';

const MEMBER = { accountId: null, label: 'cli:reviewer' };

describe.each(testDatabases())('inbound mail on $name', ({ open }) => {
  let handle: Db;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('puts the token address in the invitation’s Reply-To, and a "yes" to it accepts and is answered in the thread', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const g = guests[0]!;
    expect(g.invitation.reply_to).toMatch(/^Netconf RSVP <rsvp\+[a-z2-7]{52}@netconf\.example\.org>$/);
    expect(keyFromAddress(g.invitation.reply_to!)).toBe(replyKeyOf(g.token));
    const raw = await reply(g.invitation, "Yes, I'll be there");
    const r = await ingestMessage(deps, raw, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'accept', invitationId: g.id });
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    const confirmation = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === r.replyOutboxId)!;
    expect(confirmation.to_address).toBe(g.email);
    expect(confirmation.subject).toBe(`Re: ${g.invitation.subject}`);
    expect(confirmation.in_reply_to).toMatch(/^<reply-/);
    // The whole chain: the invitation (which the reply references), then the reply.
    expect(confirmation.references_ids).toBe(`${g.invitation.message_id} ${confirmation.in_reply_to}`);
    expect(confirmation.body).toContain('thank you for your answer about Netconf 2026.\nWe read your mail as "yes":\n');
    expect(confirmation.body).toContain('You are on the list of attendees of Netconf 2026.');
    // Confirmed once: by this reply, not by the page's confirmation as well.
    expect((await mailOfKind(handle.db, 'answer-confirmed')).filter((m) => m.to_address === g.email)).toEqual([]);
    // The same secret address again, so that a change of mind by reply is matched too.
    expect(confirmation.reply_to).toBe(g.invitation.reply_to);
    // The log names the message and what it did, never the token.
    expect(deps.lines.join('\n')).toContain(`#${r.id} applied (accept)`);
    expect(deps.lines.join('\n')).not.toContain(g.token);
    expect(deps.lines.join('\n')).not.toMatch(/rsvp\+[a-z2-7]{52}/);
  });

  it('carries in the reply address no link: its bytes open no page, and a reply to it still answers', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const carried = keyFromAddress(g.invitation.reply_to!)!;
    // Base32-decoded, the address gives 32 bytes that are not the link's token, and open nothing.
    expect(carried).not.toBe(g.token);
    expect(g.invitation.reply_to!.toLowerCase()).not.toContain(g.token.toLowerCase());
    await expect(handle.db.transaction().execute((trx) => resolveToken(trx, carried, deps.clock()))).rejects.toThrow('This link is not valid');
    // The database keeps only hashes: of the token, and of the reply key.
    const row = await handle.db.selectFrom('invitation_tokens').select(['token_hash', 'reply_hash']).where('invitation_id', '=', g.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ token_hash: hashToken(g.token), reply_hash: hashToken(carried) });
    const r = await ingestMessage(deps, await reply(g.invitation, 'Yes', { inReplyTo: undefined, references: [] }), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'accept', invitationId: g.id });
    expect((await getInbound(deps, r.id)).matched_by).toBe('token');
  });

  it('still matches a reply to an address made before reply keys, by the token it carried, and answers with its reply key', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    // A token of before migration 040: no reply key stored, its mail's address carrying the token.
    await handle.db.updateTable('invitation_tokens').set({ reply_hash: null }).where('invitation_id', '=', g.id).execute();
    const old = { ...g.invitation, reply_to: rsvpReplyAddress(RSVP, g.token as ReplyKey) };
    expect(keyFromAddress(old.reply_to)).toBe(g.token);
    const r = await ingestMessage(deps, await reply(old, 'Yes', { inReplyTo: undefined, references: [] }), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'accept', invitationId: g.id });
    expect((await getInbound(deps, r.id)).matched_by).toBe('token');
    // Our answer's Reply-To is the new form, never the token again; a reply to it is matched too.
    const answer = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === r.replyOutboxId)!;
    expect(keyFromAddress(answer.reply_to!)).toBe(replyKeyOf(g.token));
    const again = await ingestMessage(deps, await reply(answer, 'No, sorry.', { inReplyTo: undefined, references: [] }), { via: 'stdin' });
    expect(again).toMatchObject({ status: 'applied', action: 'decline', invitationId: g.id });
    expect((await getInbound(deps, again.id)).matched_by).toBe('token');
  });

  it('stops a reply address working when its link does: revoked, or replaced by a re-send', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    await revokeInvitation(deps, MEMBER, { id: a.id, reason: 'invited twice' });
    const revoked = await ingestMessage(deps, await reply(a.invitation, 'Yes', { inReplyTo: undefined, references: [] }), { via: 'stdin' });
    expect(revoked).toMatchObject({ status: 'review', invitationId: a.id });
    expect(revoked.reason).toContain("the reply address's link no longer works (This invitation was withdrawn by the committee.");
    expect(await stateOf(handle.db, a.id)).toBe('revoked');
    await deliverDueMail(handle.db);
    await resendInvitation(deps, MEMBER, { id: b.id });
    const replaced = await ingestMessage(deps, await reply(b.invitation, 'Yes', { inReplyTo: undefined, references: [] }), { via: 'stdin' });
    expect(replaced).toMatchObject({ status: 'review', invitationId: b.id });
    expect(replaced.reason).toContain("the reply address's link no longer works (This link has been replaced");
    expect(await stateOf(handle.db, b.id)).toBe('invited');
  });

  it('confirms an answer on the page with the link’s token address, so that a reply to it is an answer too', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    await acceptInvitation(deps, { token: g.token }, { confirm: true });
    const [confirmation, ...more] = (await mailOfKind(handle.db, 'answer-confirmed')).filter((m) => m.to_address === g.email);
    expect(more).toEqual([]);
    expect(confirmation!.reply_to).toBe(g.invitation.reply_to);
    expect(confirmation!.in_reply_to).toBe(g.invitation.message_id);
    const r = await ingestMessage(deps, await reply(confirmation!, 'No, sorry.'), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'decline', invitationId: g.id });
    // That answer is confirmed by the reply to it alone.
    expect((await mailOfKind(handle.db, 'answer-confirmed')).filter((m) => m.to_address === g.email)).toHaveLength(1);
    expect((await mailOfKind(handle.db, 'inbound-rsvp')).filter((m) => m.id === r.replyOutboxId)).toHaveLength(1);
  });

  it('tells a speaker who declines by mail which slots they were on, and that the committee was told when somebody was', async () => {
    const deps = inboundDeps(handle.db);
    const { editionId, guests } = await invitedGuests(deps, 2);
    const day = await handle.db.insertInto('agenda_days').values({ edition_id: editionId, date: '2026-05-12', label: '', position: 0 }).returning('id').executeTakeFirstOrThrow();
    const slot = await handle.db.insertInto('slots').values({ day_id: day.id, start_time: '10:30', end_time: '11:00', kind: 'talk', title: 'Qdisc offload', position: 0 }).returning('id').executeTakeFirstOrThrow();
    for (const [k, g] of guests.entries()) {
      expect(await ingestMessage(deps, await reply(g.invitation, 'Yes'), { via: 'stdin' })).toMatchObject({ status: 'applied', action: 'accept' });
      const person = await handle.db.selectFrom('invitations').select('person_id').where('id', '=', g.id).executeTakeFirstOrThrow();
      await handle.db.insertInto('slot_speakers').values({ slot_id: slot.id, person_id: person.person_id, name_as_listed: g.name, position: k }).execute();
    }
    const decline = async (g: (typeof guests)[number]) => {
      const no = await ingestMessage(deps, await reply(g.invitation, 'No, sorry, I cannot make it.'), { via: 'stdin' });
      expect(no).toMatchObject({ status: 'applied', action: 'decline' });
      return (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === no.replyOutboxId)!.body;
    };
    // No committee member is active: nobody is told, and the reply does not say anybody was.
    const untold = await decline(guests[0]!);
    expect(untold).toContain(`  You are on the schedule:\n\n    Tuesday, May 12, 2026, 10:30–11:00: Qdisc offload\n      with ${guests[1]!.name}\n`);
    expect(untold).not.toContain('been told');
    expect(await mailOfKind(handle.db, 'speaker-left')).toEqual([]);
    const member = await addCommitteeMember({ db: handle.db }, MEMBER, { email: 'told@example.org', name: 'Tol Chair' });
    const told = await decline(guests[1]!);
    // The committee's notice answers the mail that declined, in its thread (the invitation first).
    const no = await handle.db.selectFrom('inbound_messages').select(['message_id', 'action']).where('invitation_id', '=', guests[1]!.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(no.action).toBe('decline');
    const notices = await mailOfKind(handle.db, 'speaker-left');
    expect(notices.map((m) => [m.to_address, m.in_reply_to, m.references_ids])).toEqual([['told@example.org', no.message_id, `${guests[1]!.invitation.message_id} ${no.message_id}`]]);
    // The committee's own mail of it (speaker-left) is test/invitations/rsvp.test.ts's to check.
    expect(told).toContain(`  You are on the schedule:\n\n    Tuesday, May 12, 2026, 10:30–11:00: Qdisc offload\n      with ${guests[0]!.name}\n\n  The committee has been told, so that it can take you off it or find\n  someone else.\n`);
    // Off again, so that the tests after this one find the committee as they left it.
    await handle.db.updateTable('committee_accounts').set({ disabled_at: new Date() }).where('id', '=', member.id).execute();
  });

  it('gives the confirmation of an answer matched by thread the invitee’s own token address, as by token', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    // Sent to the committee's address, not the reply address: matched by its thread and From.
    const raw = await reply(g.invitation, 'Yes, count me in.', { to: COMMITTEE_ADDRESS });
    const r = await ingestMessage(deps, raw, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'accept' });
    expect((await getInbound(deps, r.id)).matched_by).toBe('thread');
    const confirmation = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === r.replyOutboxId)!;
    expect(confirmation.reply_to).toMatch(/^Netconf RSVP <rsvp\+[a-z2-7]{52}@netconf\.example\.org>$/);
    // A further reply to it is matched by the token it carries.
    const again = await ingestMessage(deps, await reply(confirmation, 'No, sorry.'), { via: 'stdin' });
    expect(again).toMatchObject({ status: 'applied', action: 'decline', invitationId: g.id });
    expect((await getInbound(deps, again.id)).matched_by).toBe('token');
  });

  it('reads a reply to the confirmation of an answer given on the page as an answer, by its thread too', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    await acceptInvitation(deps, { token: g.token }, { confirm: true });
    const confirmation = (await mailOfKind(handle.db, 'answer-confirmed')).find((m) => m.invitation_id === g.id)!;
    expect(confirmation.reply_to).toBe(COMMITTEE_ADDRESS);
    const r = await ingestMessage(deps, await reply(confirmation, 'No, sorry, I cannot come after all.'), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'decline', invitationId: g.id });
    expect((await getInbound(deps, r.id)).matched_by).toBe('thread');
    expect(await stateOf(handle.db, g.id)).toBe('declined');
  });

  it('matches a reply by its thread and From when there is no RSVP address; a decline is confirmed', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    expect(g.invitation.reply_to).toBe(COMMITTEE_ADDRESS);
    const raw = await reply(g.invitation, 'Unfortunately, I can’t make it this year.', { from: `"Guest One" <${g.email.toUpperCase()}>` });
    const r = await ingestMessage(deps, raw, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'decline' });
    expect((await getInbound(deps, r.id)).matched_by).toBe('thread');
    expect(await stateOf(handle.db, g.id)).toBe('declined');
    const [c] = (await mailOfKind(handle.db, 'inbound-rsvp')).filter((m) => m.id === r.replyOutboxId);
    expect(c!.body).toContain('Your answer is no.');
  });

  it('takes a change of mind as the page does: decline after accept before the date, withdraw after it', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    expect((await ingestMessage(deps, await reply(a.invitation, 'Count me in!'), { via: 'stdin' })).action).toBe('accept');
    const no = await ingestMessage(deps, await reply(a.invitation, "Sorry, no. Something came up, I won't make it."), { via: 'stdin' });
    expect(no.status).toBe('review'); // "something came up" is not in the lists: read by a person
    expect(await stateOf(handle.db, a.id)).toBe('accepted');
    const no2 = await ingestMessage(deps, await reply(a.invitation, "Sorry, I won't make it after all."), { via: 'stdin' });
    expect(no2).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    // Saying it again changes nothing, and is answered all the same.
    const no3 = await ingestMessage(deps, await reply(a.invitation, 'No, sorry.'), { via: 'stdin' });
    expect(no3).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    // After the answer-by date an accepted person can only withdraw, and "no" does that.
    await acceptInvitation(deps, { token: b.token });
    deps.set('2026-04-20T12:00:00Z');
    const late = await ingestMessage(deps, await reply(b.invitation, "No, I can't make it"), { via: 'stdin' });
    expect(late).toMatchObject({ status: 'applied', action: 'withdraw' });
    expect(await stateOf(handle.db, b.id)).toBe('withdrawn');
    // And a yes after the date is refused as on the page, answered, and left for the committee.
    const yes = await ingestMessage(deps, await reply(a.invitation, 'Yes'), { via: 'stdin' });
    expect(yes.status).toBe('review');
    expect(yes.reason).toContain('has passed');
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    const answer = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === yes.replyOutboxId)!;
    // The status line is long: it arrives wrapped at 72 columns.
    expect(answer.body.replace(/\s+/g, ' ')).toContain('Your answer could not be recorded. The answer-by date, April 10, 2026, has passed');
    expect(Math.max(...answer.body.split('\n').map((l) => l.length))).toBeLessThanOrEqual(72);
    // Refused by mail, the person is not told to do what they just did (reply to the invitation).
    const back = await ingestMessage(deps, await reply(b.invitation, 'Yes'), { via: 'stdin' });
    expect(back.status).toBe('review');
    const told = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === back.replyOutboxId)!;
    expect(told.body.replace(/\s+/g, ' ')).toContain('Your answer could not be recorded. This invitation is withdrawn and can no longer be accepted. The committee has your mail');
    expect(told.body).not.toContain('Reply to the invitation mail');
    // Nor asked to answer "yes" or "no" again, which the same rule would refuse.
    for (const m of [answer, told]) {
      expect(m.body).not.toContain('"yes" or "no"');
      expect(m.body.replace(/\s+/g, ' ')).toContain('Answering again by mail would meet the same rule: there is no need to write again.');
    }
  });

  it('tells one who withdraws from the waiting list that they left it, not that a place was theirs', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 3, { cap: 1 });
    const [a, b, c] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    await acceptInvitation(deps, { token: a.token });
    await acceptInvitation(deps, { token: b.token });
    await acceptInvitation(deps, { token: c.token });
    expect([await stateOf(handle.db, a.id), await stateOf(handle.db, b.id)]).toEqual(['accepted', 'waitlisted']);
    // After the answer-by date "no" withdraws, from the waiting list as from a place.
    deps.set('2026-04-20T12:00:00Z');
    const waiting = await ingestMessage(deps, await reply(b.invitation, "No, I can't make it"), { via: 'stdin' });
    expect(waiting).toMatchObject({ status: 'applied', action: 'withdraw' });
    const toB = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === waiting.replyOutboxId)!;
    expect(toB.body.replace(/\s+/g, ' ')).toContain('You have withdrawn, and are off the waiting list. Thank you for letting us know.');
    expect(toB.body).not.toContain('your place');
    // Nobody moved up: the one place is still A's.
    expect([await stateOf(handle.db, a.id), await stateOf(handle.db, c.id)]).toEqual(['accepted', 'waitlisted']);
    const placed = await ingestMessage(deps, await reply(a.invitation, "No, I can't make it"), { via: 'stdin' });
    expect(placed).toMatchObject({ status: 'applied', action: 'withdraw' });
    const toA = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === placed.replyOutboxId)!;
    expect(toA.body.replace(/\s+/g, ' ')).toContain('You have withdrawn; your place goes to the next person on the waiting list.');
    expect(await stateOf(handle.db, c.id)).toBe('accepted');
  });

  it('tells one who declines whether an accept would still get a place, or only the waiting list', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 4, { cap: 1 });
    const [a, b, c, d] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    await acceptInvitation(deps, { token: a.token });
    await acceptInvitation(deps, { token: b.token });
    await acceptInvitation(deps, { token: d.token });
    expect([await stateOf(handle.db, a.id), await stateOf(handle.db, b.id), await stateOf(handle.db, d.id)]).toEqual(['accepted', 'waitlisted', 'waitlisted']);
    // A's place goes to B, who waited: an accept by A now would only put A on the waiting list,
    // after D.
    const no = await ingestMessage(deps, await reply(a.invitation, "Sorry, I can't make it."), { via: 'stdin' });
    expect(no).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(handle.db, b.id)).toBe('accepted');
    const toA = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === no.replyOutboxId)!;
    expect(toA.body.replace(/\s+/g, ' ')).toContain(
      'Your answer is no. Thank you for letting us know. Should your plans change, you can still answer until April 10, 2026; the places are taken now, so an accept would put you on the waiting list, as number 2.',
    );
    expect(toA.body).not.toContain('still accept');
    // With the cap raised to 3, D moves up when C declines, and a place is left: an accept by C
    // would take it.
    await handle.db.updateTable('editions').set({ cap: 3 }).where('id', '=', (await handle.db.selectFrom('invitations').select('edition_id').where('id', '=', c.id).executeTakeFirstOrThrow()).edition_id).execute();
    const cNo = await ingestMessage(deps, await reply(c.invitation, 'No, sorry.'), { via: 'stdin' });
    expect(cNo).toMatchObject({ status: 'applied', action: 'decline' });
    expect(await stateOf(handle.db, d.id)).toBe('accepted');
    const toC = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === cNo.replyOutboxId)!;
    expect(toC.body.replace(/\s+/g, ' ')).toContain('Should your plans change, you can still accept until April 10, 2026.');
    expect(toC.body).not.toContain('waiting list');
  });

  it('tells one who withdraws when nobody waits that they are off the list, not that a place goes on', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const a = guests[0]!;
    await acceptInvitation(deps, { token: a.token });
    deps.set('2026-04-20T12:00:00Z');
    const placed = await ingestMessage(deps, await reply(a.invitation, 'No, sorry'), { via: 'stdin' });
    expect(placed).toMatchObject({ status: 'applied', action: 'withdraw' });
    const toA = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === placed.replyOutboxId)!;
    expect(toA.body.replace(/\s+/g, ' ')).toContain('You have withdrawn, and are off the list of attendees. Thank you for letting us know.');
    expect(toA.body).not.toContain('waiting list');
    // A "yes" would not undo the withdrawal: the reply does not ask for one.
    expect(toA.body).not.toContain('reply to this mail with "yes"');
    expect(toA.body.replace(/\s+/g, ' ')).toContain('A withdrawal is final: a "yes" can no longer undo it.');
  });

  it('tells one who answers by mail after the edition ended that it is over, not that a link expired', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    deps.set('2026-05-20T12:00:00Z');
    const late = await ingestMessage(deps, await reply(guests[0]!.invitation, 'Yes, count me in'), { via: 'stdin' });
    expect(late.status).toBe('review');
    const told = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === late.replyOutboxId)!;
    expect(told.body.replace(/\s+/g, ' ')).toContain('Your answer could not be recorded. Netconf 2026 ended on May 13, 2026: it takes no more answers. The committee has your mail');
    expect(told.body).not.toMatch(/expired|this link/i);
  });

  it('sends an unclear reply to the review queue, where the committee decides; nothing is guessed', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const r = await ingestMessage(deps, await reply(g.invitation, 'Probably, let me check with my manager first.'), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'review', action: null, invitationId: g.id, replyOutboxId: expect.any(Number) });
    expect(r.reason).toContain('"Probably, let me check with my manager first."');
    // The sender is told, in their thread, that a person will read it and how to answer at once.
    const ack = (await mailOfKind(handle.db, 'inbound-unclear')).find((x) => x.id === r.replyOutboxId)!;
    expect(ack.to_address).toBe(g.email);
    expect(ack.subject).toBe(`Re: ${g.invitation.subject}`);
    expect(ack.references_ids).toBe(`${g.invitation.message_id} ${ack.in_reply_to}`);
    expect(ack.reply_to).toMatch(/^Netconf RSVP <rsvp\+[a-z2-7]{52}@netconf\.example\.org>$/);
    expect(ack.body.replace(/\s+/g, ' ')).toContain('could not read it as a clear "yes" or "no" to the invitation, so a person on the committee will read it.');
    expect(ack.body.replace(/\s+/g, ' ')).toContain('To answer at once, use the link in your invitation mail');
    expect(Math.max(...ack.body.split('\n').map((l) => l.length))).toBeLessThanOrEqual(72);
    expect(await stateOf(handle.db, g.id)).toBe('invited');
    expect((await listInbound(deps, { status: 'queue' })).map((m) => m.id)).toContain(r.id);
    const m = await reviewInbound(deps, MEMBER, { id: r.id, action: 'accept' });
    expect(m).toMatchObject({ status: 'applied', action: 'accept', decided_by: 'cli:reviewer' });
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    // Answered in the thread as an automatic answer is: the invitation, then the reply.
    const answer = (await mailOfKind(handle.db, 'inbound-rsvp')).find((x) => x.id === m.reply_outbox_id)!;
    expect(answer.in_reply_to).toBe(m.message_id);
    expect(answer.references_ids).toBe(`${g.invitation.message_id} ${m.message_id}`);
    // Only what waits can be decided on.
    await expect(reviewInbound(deps, MEMBER, { id: r.id, action: 'decline' })).rejects.toThrow(/only messages waiting for review/);
    // The temporary link used for it works no more; the invitation's own still does, and so does
    // the one in the answer's Reply-To, which matches a further reply by its token.
    const live = await handle.db.selectFrom('invitation_tokens').select(['token_hash', 'reply_hash']).where('invitation_id', '=', g.id).where('revoked_at', 'is', null).execute();
    expect(live).toHaveLength(2);
    expect(live.map((t) => t.token_hash)).toContain(hashToken(g.token));
    expect(live.map((t) => t.reply_hash)).toContain(hashToken(keyFromAddress(answer.reply_to!)!));
    expect(live.find((t) => t.token_hash === hashToken(g.token))!.reply_hash).not.toBe(hashToken(keyFromAddress(answer.reply_to!)!));
    const audit = await handle.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'inbound').where('entity_id', '=', String(r.id)).execute();
    expect(audit).toEqual([{ action: 'inbound.apply', actor: 'cli:reviewer' }]);
    // The invitation's own history names who answered: the member, not the invitee.
    const changes = await handle.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'invitation').where('entity_id', '=', String(g.id)).orderBy('id').execute();
    expect(changes.at(-1)).toEqual({ action: 'invitation.accept', actor: 'cli:reviewer' });
  });

  it('tells the sender of an unclear reply once a day at most, never a robot or a stranger', async () => {
    const deps = inboundDeps(handle.db);
    const { editionId, guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const acks = async () => (await mailOfKind(handle.db, 'inbound-unclear')).filter((m) => m.edition_id === editionId);
    const first = await ingestMessage(deps, await reply(g.invitation, 'Not sure yet, depends on the flights.'), { via: 'stdin' });
    expect(first.replyOutboxId).not.toBeNull();
    expect(first.reason).toContain('the sender was told so');
    // A second unclear mail the same day, or an answer to the acknowledgement, is not told again.
    const ack = (await acks())[0]!;
    const again = await ingestMessage(deps, await reply(ack, 'Thanks, I will let you know.'), { via: 'stdin' });
    expect(again).toMatchObject({ status: 'review', replyOutboxId: null, invitationId: g.id });
    expect(again.reason).toContain(`not answered: the sender was told of #${first.id}, within the last day`);
    // Neither is an out-of-office, nor a colleague writing in the thread.
    const away = await ingestMessage(deps, await reply(g.invitation, 'I am away until Monday.', { subject: 'Out of office: Re: Invitation' }), { via: 'stdin' });
    expect(away.status).toBe('ignored');
    const colleague = await ingestMessage(deps, await reply(g.invitation, 'Hmm, which week?', { from: 'colleague@example.net' }), { via: 'stdin' });
    expect(colleague).toMatchObject({ status: 'review', replyOutboxId: null });
    expect(await acks()).toHaveLength(1);
    // A day later, a new unclear mail is told again.
    deps.set('2026-03-02T12:30:00Z');
    const later = await ingestMessage(deps, await reply(g.invitation, 'Still not sure, sorry.'), { via: 'stdin' });
    expect(later.replyOutboxId).not.toBeNull();
    expect(await acks()).toHaveLength(2);
    expect(await stateOf(handle.db, g.id)).toBe('invited');
  });

  it('names the member who read a "no" for the sender in the invitation’s history, and the invitee when the mail said it', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const unclear = await ingestMessage(deps, await reply(a.invitation, 'Hmm, I think not, my travel budget is gone.'), { via: 'stdin' });
    expect(unclear.status).toBe('review');
    await reviewInbound(deps, MEMBER, { id: unclear.id, action: 'decline' });
    const clear = await ingestMessage(deps, await reply(b.invitation, 'No, sorry.'), { via: 'stdin' });
    expect(clear).toMatchObject({ status: 'applied', action: 'decline' });
    const last = async (id: number) =>
      (await handle.db.selectFrom('audit_log').select(['action', 'actor']).where('entity', '=', 'invitation').where('entity_id', '=', String(id)).orderBy('id', 'desc').executeTakeFirstOrThrow());
    expect(await last(a.id)).toEqual({ action: 'invitation.decline', actor: 'cli:reviewer' });
    expect(await last(b.id)).toEqual({ action: 'invitation.decline', actor: `invitee:${b.email}` });
  });

  it('refuses to decide an answer from a message older than the invitee’s latest answer, naming it', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const held = await ingestMessage(deps, await reply(a.invitation, 'Yes, I think so, if my visa comes through.'), { via: 'stdin' });
    expect(held.status).toBe('review');
    // A day later she makes up her mind, by mail: the newer answer stands.
    deps.set('2026-03-02T09:30:00Z');
    const no = await ingestMessage(deps, await reply(a.invitation, 'Sorry, no. Not this year.'), { via: 'stdin' });
    expect(no).toMatchObject({ status: 'applied', action: 'decline' });
    deps.set('2026-03-03T08:00:00Z');
    const replies = (await mailOfKind(handle.db, 'inbound-rsvp')).length;
    await expect(reviewInbound(deps, MEMBER, { id: held.id, action: 'accept' })).rejects.toThrow(
      `${a.email} answered later: #${no.id}, decline, applied 2026-03-02 09:30 UTC. This message, #${held.id}, arrived before that answer and would undo it: dismiss it; to change the answer, override the invitation's state.`,
    );
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    expect((await mailOfKind(handle.db, 'inbound-rsvp')).length).toBe(replies);
    expect((await getInbound(deps, held.id)).status).toBe('review');
    // It may still be dismissed.
    expect((await reviewInbound(deps, MEMBER, { id: held.id, action: 'dismiss' })).status).toBe('dismissed');
    // An answer on the page after the message arrived stands too; one before it does not.
    const question = await ingestMessage(deps, await reply(b.invitation, 'Which week was it again?'), { via: 'stdin' });
    deps.set('2026-03-04T10:15:00Z');
    await acceptInvitation(deps, { token: b.token });
    await expect(reviewInbound(deps, MEMBER, { id: question.id, action: 'decline' })).rejects.toThrow(`${b.email} answered later: on their page, at 2026-03-04 10:15 UTC (now accepted).`);
    expect(await stateOf(handle.db, b.id)).toBe('accepted');
    deps.set('2026-03-04T11:00:00Z');
    const after = await ingestMessage(deps, await reply(b.invitation, 'Hmm, I think not after all, the budget is gone.'), { via: 'stdin' });
    expect((await reviewInbound(deps, MEMBER, { id: after.id, action: 'decline' })).status).toBe('applied');
    expect(await stateOf(handle.db, b.id)).toBe('declined');
  });

  it('refuses to decide a message older than the committee’s override or revoke, naming it', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const held = await ingestMessage(deps, await reply(a.invitation, 'Yes, I think so, if my visa comes through.'), { via: 'stdin' });
    expect(held.status).toBe('review');
    // The next day she tells the committee by phone that she cannot come; it says so itself.
    deps.set('2026-03-02T09:30:00Z');
    await overrideState(deps, MEMBER, { id: a.id, state: 'declined', reason: 'no visa, said on the phone' });
    deps.set('2026-03-03T08:00:00Z');
    const replies = (await mailOfKind(handle.db, 'inbound-rsvp')).length;
    // Read before the refusal is awaited: an await inside toThrow's argument would leave the
    // rejection unhandled meanwhile.
    const arrived = utcMinute((await getInbound(deps, held.id)).received_at);
    await expect(reviewInbound(deps, MEMBER, { id: held.id, action: 'accept' })).rejects.toThrow(
      `the committee changed invitation #${a.id} (${a.email}) later: cli:reviewer set it to declined by an override at 2026-03-02 09:30 UTC (reason: no visa, said on the phone). ` +
        `This message, #${held.id}, arrived before that, at ${arrived} UTC, and would undo it: dismiss it; to change the state anyway, override it again.`,
    );
    expect(await stateOf(handle.db, a.id)).toBe('declined');
    expect((await mailOfKind(handle.db, 'inbound-rsvp')).length).toBe(replies);
    expect((await getInbound(deps, held.id)).status).toBe('review');
    // A message that arrived after the override may be decided.
    deps.set('2026-03-03T09:00:00Z');
    const after = await ingestMessage(deps, await reply(a.invitation, 'The visa came through after all, I think, so maybe yes?'), { via: 'stdin' });
    expect(after.status).toBe('review');
    expect((await reviewInbound(deps, MEMBER, { id: after.id, action: 'accept' })).status).toBe('applied');
    expect(await stateOf(handle.db, a.id)).toBe('accepted');
    // A revoke after the message is named too (not "this invitation was withdrawn", said to invitees).
    const question = await ingestMessage(deps, await reply(b.invitation, 'Yes, I think so, if my talk is taken.'), { via: 'stdin' });
    expect(question.status).toBe('review');
    deps.set('2026-03-04T10:15:00Z');
    await revokeInvitation(deps, MEMBER, { id: b.id, reason: 'invited twice' });
    await expect(reviewInbound(deps, MEMBER, { id: question.id, action: 'accept' })).rejects.toThrow(
      `the committee changed invitation #${b.id} (${b.email}) later: cli:reviewer revoked it at 2026-03-04 10:15 UTC (reason: invited twice). This message, #${question.id}, arrived before that`,
    );
    expect(await stateOf(handle.db, b.id)).toBe('revoked');
  });

  it('records an out-of-office reply and does nothing with it', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const outbox = (await mailOfKind(handle.db, 'inbound-rsvp')).length;
    const ooo = await reply(g.invitation, 'No, I am out of the office until March 10.', { subject: 'Out of Office: Invitation to Netconf 2026' });
    const r1 = await ingestMessage(deps, ooo, { via: 'stdin' });
    expect(r1.status).toBe('ignored');
    expect(r1.reason).toContain('automatic');
    const bulk = await reply(g.invitation, 'No', { headers: { 'Auto-Submitted': 'auto-replied' } });
    expect((await ingestMessage(deps, bulk, { via: 'stdin' })).reason).toContain('Auto-Submitted: auto-replied');
    const list = await reply(g.invitation, 'no', { headers: { Precedence: 'bulk' } });
    expect((await ingestMessage(deps, list, { via: 'stdin' })).reason).toContain('Precedence: bulk');
    expect(await stateOf(handle.db, g.id)).toBe('invited');
    expect((await mailOfKind(handle.db, 'inbound-rsvp')).length).toBe(outbox);
  });

  it('ignores a reply from the null sender (Return-Path: <>), as a bounce, whatever it says', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    // As a local delivery agent writes it, on the pipe, mbox and maildir paths alike.
    const raw = Buffer.concat([Buffer.from('Return-Path: <>\r\n'), await reply(g.invitation, 'No')]);
    const r = await ingestMessage(deps, raw, { via: 'stdin' });
    expect(r.status).toBe('ignored');
    expect(r.reason).toContain('a null sender (Return-Path: <>)');
    expect(await stateOf(handle.db, g.id)).toBe('invited');
    // A sender's own Return-Path is no sign of anything.
    const own = Buffer.concat([Buffer.from(`Return-Path: <${g.email}>\r\n`), await reply(g.invitation, 'No')]);
    expect((await ingestMessage(deps, own, { via: 'stdin' })).action).toBe('decline');
  });

  it('ignores a forged From with a stolen Message-ID, and From alone: both wait for review, unchanged', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    const { guests } = await invitedGuests(deps, 2);
    const [victim, other] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const forged = await reply(victim.invitation, 'No', { from: 'mallory@evil.example' });
    const r = await ingestMessage(deps, forged, { via: 'smtp' });
    expect(r.status).toBe('review');
    expect(r.reason).toContain(`in the thread of the invitation to ${victim.email}, but comes from mallory@evil.example`);
    // Another guest replying in someone else's thread changes neither invitation.
    const cross = await reply(victim.invitation, 'No', { from: other.email });
    expect((await ingestMessage(deps, cross, { via: 'smtp' })).status).toBe('review');
    // The invited address, but no thread and no token: From alone never changes anything.
    const bare = await compose({ from: victim.email, to: COMMITTEE_ADDRESS, subject: 'Netconf', messageId: newId(), text: 'No' });
    const rb = await ingestMessage(deps, bare, { via: 'smtp' });
    expect(rb).toMatchObject({ status: 'review', invitationId: victim.id });
    expect(rb.reason).toContain('the From alone changes nothing');
    expect(await stateOf(handle.db, victim.id)).toBe('invited');
    expect(await stateOf(handle.db, other.id)).toBe('invited');
    expect(deps.lines.join('\n')).not.toContain('applied');
  });

  it('acts on the reply address only from the invited person: a colleague’s reply-all waits for review', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    // The guest answers yes with a colleague in Cc; the colleague replies to all, so to the reply address too.
    const yes = await reply(g.invitation, 'Yes, count me in', { cc: 'colleague@corp.example' });
    expect((await ingestMessage(deps, yes, { via: 'stdin' })).action).toBe('accept');
    const no = await compose({ from: 'colleague@corp.example', to: [g.email, g.invitation.reply_to!], subject: `Re: ${g.invitation.subject}`, messageId: newId(), text: 'Sorry, I can’t make it.' });
    const r = await ingestMessage(deps, no, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'review', invitationId: g.id });
    expect(r.reason).toContain(`sent to the reply address of the invitation to ${g.email}, but comes from colleague@corp.example`);
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    // Another address the archive knows for the same person counts as theirs.
    const { person_id } = await handle.db.selectFrom('invitations').select('person_id').where('id', '=', g.id).executeTakeFirstOrThrow();
    await handle.db.insertInto('person_emails').values({ person_id, email: 'Guest.Home@example.net' }).execute();
    const home = await compose({ from: 'guest.home@example.net', to: g.invitation.reply_to!, subject: `Re: ${g.invitation.subject}`, messageId: newId(), text: 'Unfortunately I cannot come after all.' });
    expect(await ingestMessage(deps, home, { via: 'stdin' })).toMatchObject({ status: 'applied', action: 'decline', invitationId: g.id });
    expect(await stateOf(handle.db, g.id)).toBe('declined');
  });

  it('takes no answer in the thread of a confirmation sent before the invitation was re-sent', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const yes = await ingestMessage(deps, await reply(g.invitation, 'yes'), { via: 'stdin' });
    const confirmation = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === yes.replyOutboxId)!;
    // Still current, the confirmation's thread takes a change of mind (matched by its From).
    const plain = { from: g.email, to: COMMITTEE_ADDRESS };
    const first = await ingestMessage(deps, await reply(confirmation, 'Sorry, no.', plain), { via: 'stdin' });
    expect(first).toMatchObject({ status: 'applied', action: 'decline' });
    await acceptInvitation(deps, { token: g.token });
    // The committee re-sends: the earlier links end, and so does the thread of the earlier confirmation.
    await resendInvitation(deps, MEMBER, { id: g.id });
    const late = await ingestMessage(deps, await reply(confirmation, 'No after all.', plain), { via: 'stdin' });
    expect(late.status).toBe('review');
    expect(late.reason).toContain(`it replies to our mail “${confirmation.subject}” of ${utcMinute(confirmation.created_at)} UTC (mail #${confirmation.id}) of invitation #${g.id} to ${g.email}, since replaced by its re-send`);
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
  });

  it('does not read a "no" to our mail about the program as an answer to the invitation', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    expect((await ingestMessage(deps, await reply(g.invitation, 'Yes'), { via: 'stdin' })).action).toBe('accept');
    // The schedule's mail goes in the invitation's thread and says "just reply".
    const notice = await enqueueMail(handle.db, {
      editionId: g.invitation.edition_id,
      kind: 'schedule-change',
      baseUrl: 'https://netconf.example.org',
      to: { address: g.email },
      from: COMMITTEE_ADDRESS,
      subject: 'Schedule change for Netconf 2026: “XDP” moved to Wednesday 10:00',
      body: 'If this does not work for you, just reply to this mail.\n',
      threadUnder: g.invitation.message_id,
    });
    const r = await ingestMessage(deps, await reply(notice, 'Sorry, no.', { references: [g.invitation.message_id, notice.message_id] }), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'review', invitationId: g.id });
    expect(r.reason).toContain('it replies to our mail “Schedule change for Netconf 2026: “XDP” moved to Wednesday 10:00”, which asks no yes or no');
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    // A proposal may still reply to it, as docs/inbound-mail.md says.
    const topic = await ingestMessage(deps, await reply(notice, 'About XDP.', { subject: '[TOPIC] XDP, again', references: [g.invitation.message_id, notice.message_id] }), { via: 'stdin' });
    expect(topic).toMatchObject({ status: 'applied', action: 'topic' });
  });

  it('keeps the thread’s root in the References of an answer to a long thread', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const chain = [g.invitation.message_id, ...Array.from({ length: 60 }, (_, i) => `<chain-${i}@mua.example.net>`)];
    const r = await ingestMessage(deps, await reply(g.invitation, 'Yes', { references: chain, inReplyTo: chain.at(-1)! }), { via: 'stdin' });
    const answer = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === r.replyOutboxId)!;
    const refs = answer.references_ids!.split(' ');
    expect(refs[0]).toBe(g.invitation.message_id);
    expect(refs.slice(1, -1)).toEqual(chain.slice(-49));
    expect(refs.at(-1)).toBe(answer.in_reply_to);
  });

  it('acts once on the same Message-ID delivered twice', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const raw = await reply(g.invitation, 'yes');
    const first = await ingestMessage(deps, raw, { via: 'smtp' });
    const again = await ingestMessage(deps, raw, { via: 'stdin' });
    expect(first).toMatchObject({ status: 'applied', duplicateOf: null });
    expect(again).toMatchObject({ status: 'ignored', duplicateOf: first.id, replyOutboxId: null });
    const confirmations = (await mailOfKind(handle.db, 'inbound-rsvp')).filter((m) => m.edition_id === g.invitation.edition_id);
    expect(confirmations).toHaveLength(1);
    const audits = await handle.db.selectFrom('audit_log').select('id').where('entity', '=', 'invitation').where('entity_id', '=', String(g.id)).where('action', '=', 'invitation.accept').execute();
    expect(audits).toHaveLength(1);
  });

  it('threads the committee’s decision on a topic proposed by mail under that mail, for its proposer', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    for (const g of [a, b]) await ingestMessage(deps, await reply(g.invitation, 'yes'), { via: 'stdin' });
    // A new mail to the proposer's answer address, as docs/inbound-mail.md has it: no thread of its own.
    const sent = await compose({ from: a.email, to: a.invitation.reply_to!, subject: '[TOPIC] Busy polling, revisited', messageId: newId(), text: `What changed.\nCo-presenter: ${b.email}\n` });
    const r = await ingestMessage(deps, sent, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'topic' });
    expect((await getInbound(deps, r.id)).matched_by).toBe('token');
    const topicMail = r.messageId;
    await decideTopic({ db: handle.db, clock: deps.clock, mail: deps.mail }, { accountId: null, label: 'test' }, { topicId: r.topicId!, decision: 'request-changes', comment: 'Shorter.' });
    const decisions = (await mailOfKind(handle.db, 'topic-decision')).filter((m) => m.to_address === a.email || m.to_address === b.email);
    // The proposer's answers the [TOPIC] mail, the invitation first in References; the
    // co-presenter, who never had that mail, hears in their invitation's thread as before.
    expect(decisions.map((m) => [m.to_address, m.in_reply_to, m.references_ids])).toEqual([
      [a.email, topicMail, `${a.invitation.message_id} ${topicMail}`],
      [b.email, b.invitation.message_id, b.invitation.message_id],
    ]);
    // A [TOPIC] mail in reply to the invitation: the same chain, read from its References.
    const replied = await ingestMessage(deps, await reply(a.invitation, 'Another.', { subject: '[TOPIC] GRO for UDP' }), { via: 'stdin' });
    await decideTopic({ db: handle.db, clock: deps.clock, mail: deps.mail }, { accountId: null, label: 'test' }, { topicId: replied.topicId!, decision: 'accept', comment: '' });
    const last = (await mailOfKind(handle.db, 'topic-decision')).at(-1)!;
    expect([last.to_address, last.in_reply_to, last.references_ids]).toEqual([a.email, replied.messageId, `${a.invitation.message_id} ${replied.messageId}`]);
  });

  it('makes a [TOPIC] mail from an accepted invitee a proposal, and from anyone else waits for review', async () => {
    const deps = inboundDeps(handle.db);
    const { editionId, guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    await ingestMessage(deps, await reply(a.invitation, 'yes'), { via: 'stdin' });
    const abstract = 'Three years of XDP offloads: what worked, what did not.\n\nAnd what the drivers need next.';
    const topic = await reply(a.invitation, abstract, { subject: 'Re: [TOPIC] XDP offloads, three years on' });
    const r = await ingestMessage(deps, topic, { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'topic' });
    const t = await handle.db.selectFrom('topics').selectAll().where('id', '=', r.topicId!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ edition_id: editionId, title: 'XDP offloads, three years on', abstract, state: 'proposed', origin: 'proposal' });
    const answer = (await mailOfKind(handle.db, 'inbound-topic')).find((m) => m.id === r.replyOutboxId)!;
    expect(answer.body).toContain('"XDP offloads, three years on"');
    // Thanking us for the confirmation ("Re: [TOPIC] …" in its thread) proposes nothing again.
    const thanks = await ingestMessage(deps, await reply(answer, 'Thanks!'), { via: 'stdin' });
    expect(thanks).toMatchObject({ status: 'review', topicId: null });
    expect(thanks.reason).toContain(`a reply in the thread of topic #${t.number} “XDP offloads, three years on”, proposed by mail already`);
    // b has not accepted: the proposal waits for the committee, who may still propose it.
    const early = await ingestMessage(deps, await reply(b.invitation, 'A talk', { subject: '[TOPIC] Page pool recycling' }), { via: 'stdin' });
    expect(early.status).toBe('review');
    expect(early.reason).toContain('could not be made: only attendees whose invitation to Netconf 2026 is accepted may propose topics (this invitation is not answered yet)');
    // That is what b is told, whatever else the mail gets wrong: a "Length:" line put right would not do.
    const wrongToo = await ingestMessage(deps, await reply(b.invitation, 'A talk\n\nLength: half an hour', { subject: '[TOPIC] Page pool, part two' }), { via: 'stdin' });
    expect(wrongToo.status).toBe('review');
    expect(wrongToo.reason).toContain('only attendees whose invitation to Netconf 2026 is accepted may propose topics');
    expect(wrongToo.reason).not.toContain('half an hour');
    // Nor is b told to send it again put right: no mail puts right an invitation not accepted.
    const toB = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === early.replyOutboxId)!;
    expect(toB.body).not.toContain('put right');
    expect(toB.body.replace(/\s+/g, ' ')).toContain('Sending it again would not change that');
    // From alone (a new mail, no token, no thread) waits too.
    const cold = await compose({ from: a.email, to: COMMITTEE_ADDRESS, subject: '[TOPIC] Another one', messageId: newId(), text: 'Text' });
    expect((await ingestMessage(deps, cold, { via: 'stdin' })).status).toBe('review');
    const topics = await handle.db.selectFrom('topics').select('title').where('edition_id', '=', editionId).execute();
    expect(topics.map((x) => x.title)).toEqual(['XDP offloads, three years on']);
  });

  it('takes a [TOPIC] mail’s "Length:" and "Co-presenter:" lines as the form’s fields, and names the line it refuses', async () => {
    const deps = inboundDeps(handle.db);
    const { editionId, guests } = await invitedGuests(deps, 4);
    const [a, b, c, d] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    for (const g of [a, b, c]) await ingestMessage(deps, await reply(g.invitation, 'yes'), { via: 'stdin' });
    const text = `Hi,\n\nWhere the page pool goes next.\n\nLength: 1h30\nCo-presenter: ${b.name} <${b.email.toUpperCase()}>, "${c.name}"\n\nThanks,\nAda`;
    const r = await ingestMessage(deps, await reply(a.invitation, text, { subject: '[TOPIC] Page pool, next' }), { via: 'stdin' });
    expect(r, r.reason).toMatchObject({ status: 'applied', action: 'topic' });
    const t = await handle.db.selectFrom('topics').selectAll().where('id', '=', r.topicId!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ abstract: 'Where the page pool goes next.', wished_minutes: 90 });
    const presenters = await handle.db.selectFrom('topic_presenters').innerJoin('people', 'people.id', 'topic_presenters.person_id').select('people.name').where('topic_id', '=', t.id).orderBy('position').execute();
    expect(presenters.map((p) => p.name)).toEqual([a.name, b.name, c.name]);
    const answer = (await mailOfKind(handle.db, 'inbound-topic')).find((m) => m.id === r.replyOutboxId)!;
    expect(answer.body).toContain(`"Page pool, next"\n  90 minutes, with ${b.name} and ${c.name}\n\nis now proposed`);
    // Each refusal names the line at fault, as the mail wrote it; nothing is proposed.
    const refused = async (body: string) => {
      const x = await ingestMessage(deps, await reply(a.invitation, body, { subject: '[TOPIC] Refused' }), { via: 'stdin' });
      expect(x.status).toBe('review');
      // The sender is told why, in their thread, as a refused answer is.
      const told = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === x.replyOutboxId)!;
      expect(told.to_address).toBe(a.email);
      expect(told.subject).toBe('Re: [TOPIC] Refused');
      expect(told.body).toContain(`"Refused"\n\nIt could not be proposed as it stands:\n\n  ${x.reason.split('could not be made: ')[1]!.slice(0, 30)}`);
      return x.reason;
    };
    expect(await refused('Text.\nLength: half an hour')).toContain('could not be made: Length: “half an hour” is not a length such as “30 minutes” or “1 hour”');
    expect(await refused('Text.\nLength: 9 hours')).toContain('could not be made: Length: must be at most 480 minutes (8 hours)');
    expect(await refused('Text.\nCo-presenter: nobody@example.com')).toContain('could not be made: Co-presenter: nobody@example.com is not the address of anyone invited to Netconf 2026');
    expect(await refused(`Text.\nCo-presenter: ${d.email}`)).toContain(`could not be made: Co-presenter: ${d.name} is not an accepted attendee of Netconf 2026`);
    // Every line at fault is named, not the first alone.
    expect(await refused('Text.\nLength: a while\nCo-presenter: nobody@example.com')).toContain(
      'could not be made: Length: “a while” is not a length such as “30 minutes” or “1 hour”; Co-presenter: nobody@example.com is not the address of anyone invited to Netconf 2026',
    );
    // The committee can still propose a held one: the line it cannot take is left out, and said,
    // to the committee and to the sender.
    const held = await ingestMessage(deps, await reply(a.invitation, `Worth a talk.\nLength: half an hour\nCo-presenter: ${b.email}`, { subject: '[TOPIC] Held' }), { via: 'stdin' });
    expect(held.status).toBe('review');
    const proposed = await reviewInbound(deps, MEMBER, { id: held.id, action: 'propose' });
    expect(proposed.status).toBe('applied');
    expect(proposed.reason).toMatch(/^cli:reviewer proposed it as topic #\d+ “Held” for \S+ \(left out: Length: “half an hour” is not a length such as “30 minutes” or “1 hour”\)$/);
    const heldAnswer = (await mailOfKind(handle.db, 'inbound-topic')).find((m) => m.id === proposed.reply_outbox_id)!;
    expect(heldAnswer.body).toContain(`"Held"\n  With ${b.name}\n  Left out of your mail (edit the topic to add it):\n    Length: “half an hour” is not`);
    // Sent again put right, in reply to the refusal: the held first one is not proposed a second time.
    const first = await ingestMessage(deps, await reply(a.invitation, 'Qdiscs.\nLength: a while', { subject: '[TOPIC] Qdisc rework' }), { via: 'stdin' });
    const refusalMail = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === first.replyOutboxId)!;
    const again = await ingestMessage(deps, await reply(refusalMail, 'Qdiscs.\nLength: 30 minutes', { subject: 'Re: [TOPIC] Qdisc rework' }), { via: 'stdin' });
    expect(again, again.reason).toMatchObject({ status: 'applied', action: 'topic' });
    await expect(reviewInbound(deps, MEMBER, { id: first.id, action: 'propose' })).rejects.toThrow(`mail #${again.id}, later in its thread, proposed it already as topic #`);
    const heldTopic = await handle.db.selectFrom('topics').selectAll().where('id', '=', proposed.topic_id!).executeTakeFirstOrThrow();
    expect(heldTopic).toMatchObject({ title: 'Held', wished_minutes: null, abstract: 'Worth a talk.' });
    const heldPresenters = await handle.db.selectFrom('topic_presenters').select('person_id').where('topic_id', '=', heldTopic.id).execute();
    expect(heldPresenters).toHaveLength(2);
    // Named twice (by name and by address, a sentence's full stop after it) is one co-presenter.
    const twice = await ingestMessage(deps, await reply(a.invitation, `Text.\nCo-presenters: ${b.name}, ${b.name} <${b.email}>.`, { subject: '[TOPIC] Twice' }), { via: 'stdin' });
    expect(twice, twice.reason).toMatchObject({ status: 'applied', action: 'topic' });
    const titles = await handle.db.selectFrom('topics').select('title').where('edition_id', '=', editionId).execute();
    expect(titles.map((x) => x.title).sort()).toEqual(['Held', 'Page pool, next', 'Qdisc rework', 'Twice']);
  });

  it('names every line of a refused [TOPIC] mail at once, a co-presenter who is not coming too', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 3);
    const [a, b, frank] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    await ingestMessage(deps, await reply(a.invitation, 'yes'), { via: 'stdin' });
    await ingestMessage(deps, await reply(b.invitation, 'yes'), { via: 'stdin' });
    await ingestMessage(deps, await reply(frank.invitation, 'Sorry, no.'), { via: 'stdin' });
    expect(await stateOf(handle.db, frank.id)).toBe('declined');
    const refused = async (body: string, subject: string) => {
      const x = await ingestMessage(deps, await reply(a.invitation, body, { subject }), { via: 'stdin' });
      expect(x.status).toBe('review');
      const told = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === x.replyOutboxId)!;
      expect(told.body.replace(/\s+/g, ' ')).toContain(`${frank.name} is not an accepted attendee of Netconf 2026`);
      return x.reason.split('could not be made: ')[1];
    };
    const declined = `${frank.name} is not an accepted attendee of Netconf 2026; co-presenters must have accepted their invitation`;
    expect(await refused(`Text.\nLength: forever\nCo-presenter: nobody@nowhere.test\nCo-presenter: ${frank.name}`, '[TOPIC] Two faults')).toBe(
      `Length: “forever” is not a length such as “30 minutes” or “1 hour”; Co-presenter: nobody@nowhere.test is not the address of anyone invited to Netconf 2026; ${declined}`,
    );
    expect(await refused(`Text.\nLength: half an hour\nCo-presenter: ${frank.name}`, '[TOPIC] One fault more')).toBe(
      `Length: “half an hour” is not a length such as “30 minutes” or “1 hour”; Co-presenter: ${declined}`,
    );
    // A length the form refuses (out of range) and a subject too long are named with the rest.
    expect(await refused(`Text.\nLength: 9 hours\nCo-presenter: ${b.email}, ${frank.email}`, `[TOPIC] ${'x'.repeat(201)}`)).toBe(
      `Subject: must be at most 200 characters; Length: must be at most 480 minutes (8 hours); Co-presenter: ${declined}`,
    );
    // The committee proposing one leaves out the co-presenter line, saying every fault in it.
    const held = await ingestMessage(deps, await reply(a.invitation, `Worth a talk.\nLength: 45 min\nCo-presenter: nobody@nowhere.test, ${frank.name}`, { subject: '[TOPIC] Held' }), { via: 'stdin' });
    const proposed = await reviewInbound(deps, MEMBER, { id: held.id, action: 'propose' });
    expect(proposed.reason).toContain(`(left out: Co-presenter: nobody@nowhere.test is not the address of anyone invited to Netconf 2026; ${declined})`);
    const t = await handle.db.selectFrom('topics').selectAll().where('id', '=', proposed.topic_id!).executeTakeFirstOrThrow();
    expect(t).toMatchObject({ title: 'Held', wished_minutes: 45 });
  });

  it('stops answering an auto-responder that answers each refusal: twice in a row at most, ten a day', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [g, h] = guests as [(typeof guests)[0], (typeof guests)[0]];
    // g has not accepted, so a [TOPIC] mail is refused, and the sender told why.
    const first = await ingestMessage(deps, await reply(g.invitation, 'XDP, again.', { subject: '[TOPIC] XDP' }), { via: 'stdin' });
    let refusal = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === first.replyOutboxId)!;
    // A vacation robot that keeps the subject and says nothing of being one, naming only the mail it answers.
    const away = 'Thank you for your message. I am away until Monday.';
    const second = await ingestMessage(deps, await reply(refusal, away, { subject: `Re: ${refusal.subject}` }), { via: 'stdin' });
    expect(second.replyOutboxId, 'a person putting it right in reply is told again').not.toBeNull();
    refusal = (await mailOfKind(handle.db, 'inbound-topic-refused')).find((m) => m.id === second.replyOutboxId)!;
    const third = await ingestMessage(deps, await reply(refusal, away, { subject: `Re: ${refusal.subject}` }), { via: 'stdin' });
    expect(third).toMatchObject({ status: 'review', replyOutboxId: null });
    expect(third.reason).toContain(`not answered: it replies to our refusal of #${second.id}, which answered a reply to our refusal of #${first.id}`);
    expect([first, second, third].map((r) => r.replyOutboxId !== null)).toEqual([true, true, false]);
    // A robot that answers to the reply address without threading is bounded by the day's count.
    const fresh = [];
    for (let i = 0; i < 11; i++) fresh.push(await ingestMessage(deps, await reply(h.invitation, 'yes', { subject: `[TOPIC] Try ${i}` }), { via: 'stdin' }));
    expect(fresh.filter((r) => r.replyOutboxId !== null)).toHaveLength(10);
    expect(fresh[10]!.reason).toContain('not answered: the invitation had 10 automatic refusals in the last day');
    expect(fresh.every((r) => r.status === 'review')).toBe(true);
  });

  it('reads quoted-printable, base64, other charsets and HTML-only mail', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 4);
    const [g1, g2, g3, g4] = guests as [(typeof guests)[0], (typeof guests)[0], (typeof guests)[0], (typeof guests)[0]];
    const qp = await reply(g1.invitation, 'Yes, I’ll be there — thanks!\nÀ très bientôt.', { textEncoding: 'quoted-printable' });
    expect(qp.toString()).toContain('=E2=80=99');
    const r1 = await ingestMessage(deps, qp, { via: 'stdin' });
    expect(r1.action).toBe('accept');
    expect((await getInbound(deps, r1.id)).text).toContain('À très bientôt.');
    const b64 = await reply(g2.invitation, 'I cannot attend, sorry.', { textEncoding: 'base64' });
    expect((await ingestMessage(deps, b64, { via: 'stdin' })).action).toBe('decline');
    const latin1 = Buffer.concat([
      Buffer.from(
        `From: ${g3.email}\r\nTo: ${g3.invitation.reply_to}\r\nSubject: Re: ${g3.invitation.subject}\r\nMessage-ID: ${newId()}\r\nIn-Reply-To: ${g3.invitation.message_id}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
      ),
      Buffer.from('Sure, thanks!\r\nÀ bientôt à Lisbonne.\r\n', 'latin1'),
    ]);
    const r3 = await ingestMessage(deps, latin1, { via: 'stdin' });
    expect(r3.action).toBe('accept');
    expect((await getInbound(deps, r3.id)).text).toContain('À bientôt à Lisbonne.');
    const html = await compose({
      from: g4.email,
      to: g4.invitation.reply_to!,
      subject: `Re: ${g4.invitation.subject}`,
      messageId: newId(),
      inReplyTo: g4.invitation.message_id,
      html: `<div dir="ltr">Count me in!</div><br><div class="gmail_quote"><div>On Sun, Mar 1, 2026 at 12:00 PM Netconf committee &lt;netconf@example.org&gt; wrote:<br></div><blockquote>Hello, we would like to invite you. No pressure.</blockquote></div>`,
    });
    expect((await ingestMessage(deps, html, { via: 'stdin' })).action).toBe('accept');
    expect(await Promise.all(guests.map((g) => stateOf(handle.db, g.id)))).toEqual(['accepted', 'declined', 'accepted', 'accepted']);
  });

  it('keeps no token of a mail it takes in: its raw bytes, text and reason hide them, in any encoding', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 4);
    const encodings = [undefined, 'quoted-printable', 'base64'] as const;
    for (const [i, textEncoding] of encodings.entries()) {
      const g = guests[i]!;
      // The quoted invitation carries the personal link; the mail system adds the address it came to.
      const raw = await reply(g.invitation, 'Maybe: what are the dates again?', {
        ...(textEncoding ? { textEncoding } : {}),
        headers: { 'Delivered-To': g.invitation.reply_to!.replace(/^.*<|>$/g, '') },
      });
      expect(raw.toString('latin1')).toMatch(/rsvp\+[a-z2-7]{52}@/);
      const r = await ingestMessage(deps, raw, { via: 'stdin' });
      expect(r).toMatchObject({ status: 'review', invitationId: g.id });
      const row = await handle.db.selectFrom('inbound_messages').select(['raw', 'text_body', 'reason']).where('id', '=', r.id).executeTakeFirstOrThrow();
      const kept = Buffer.from(row.raw!);
      const parsed = await simpleParser(kept);
      for (const text of [kept.toString('latin1'), parsed.text ?? '', row.text_body ?? '', row.reason, (await getInbound(deps, r.id)).text]) {
        expect(text).not.toContain(g.token);
        expect(text).not.toMatch(/\+[a-z2-7]{52}@/i);
      }
      // What was hidden says so, and the rest of the message is whole.
      expect(parsed.text).toContain('/invitation/[hidden: sent to the invitee only]');
      expect(parsed.text).toContain('Maybe: what are the dates again?');
      expect(parsed.headers.get('delivered-to')).toBeDefined();
      expect(kept.toString('latin1')).toContain('rsvp+[hidden]@netconf.example.org');
      expect(parsed.inReplyTo).toBe(g.invitation.message_id);
    }
    // A mail without secrets is kept byte for byte.
    const g = guests[3]!;
    const plain = await compose({ from: g.email, to: COMMITTEE_ADDRESS, subject: 'A question', messageId: newId(), text: 'Is there a remote option?\n' });
    const p = await ingestMessage(deps, plain, { via: 'stdin' });
    const row = await handle.db.selectFrom('inbound_messages').select('raw').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(Buffer.from(row.raw!).equals(plain)).toBe(true);
    // A message that is not MIME at all: what is literal in it is hidden all the same.
    const junk = Buffer.from(`\u0000garbage to ${g.invitation.reply_to} https://x.org/invitation/${g.token}\n`, 'latin1');
    const j = await ingestMessage(deps, junk, { via: 'stdin' });
    const junkRow = await handle.db.selectFrom('inbound_messages').select('raw').where('id', '=', j.id).executeTakeFirstOrThrow();
    expect(Buffer.from(junkRow.raw!).toString('latin1')).not.toContain(g.token);
    expect(Buffer.from(junkRow.raw!).toString('latin1')).toContain('garbage to');
  });

  it('hides the tokens of mail taken in before they were hidden (migration 024)', async () => {
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const raw = await reply(g.invitation, 'Maybe', { textEncoding: 'base64' });
    const r = await ingestMessage(deps, raw, { via: 'stdin' });
    // As it was kept before.
    await handle.db.updateTable('inbound_messages').set({ raw, text_body: `x /invitation/${g.token}`, reason: `to ${g.invitation.reply_to}` }).where('id', '=', r.id).execute();
    await migration024.up(handle.db);
    const row = await handle.db.selectFrom('inbound_messages').select(['raw', 'text_body', 'reason']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.text_body).toBe('x /invitation/[hidden: sent to the invitee only]');
    expect(row.reason).not.toMatch(/\+[a-z2-7]{52}@/i);
    expect((await simpleParser(Buffer.from(row.raw!))).text).not.toContain(g.token);
    expect(Buffer.from(row.raw!).toString('latin1')).not.toMatch(/\+[a-z2-7]{52}@/i);
  });

  it('refuses garbage and oversize messages with a reason, keeping them for review', async () => {
    const deps = inboundDeps(handle.db, { maxBytes: 200_000 });
    const garbage = randomBytes(5000);
    const g = await ingestMessage(deps, garbage, { via: 'stdin' });
    expect(g.status).toBe('refused');
    expect(g.reason).toMatch(/^malformed: /);
    const kept = await handle.db.selectFrom('inbound_messages').select(['raw', 'size_bytes']).where('id', '=', g.id).executeTakeFirstOrThrow();
    expect(Buffer.from(kept.raw!).equals(garbage)).toBe(true);
    const { guests } = await invitedGuests(deps, 1);
    const big = await reply(guests[0]!.invitation, `yes\n\n${'x'.repeat(300_000)}`);
    const o = await ingestMessage(deps, big, { via: 'stdin' });
    expect(o.status).toBe('refused');
    expect(o.reason).toContain('too large');
    const row = await getInbound(deps, o.id);
    expect(row).toMatchObject({ raw_truncated: true, size_bytes: big.length, from_address: guests[0]!.email, reviewable: true });
    expect(await stateOf(handle.db, guests[0]!.id)).toBe('invited');
    const d = await reviewInbound(deps, MEMBER, { id: g.id, action: 'dismiss' });
    expect(d.status).toBe('dismissed');
  });

  // Last: it adds committee members, whom every later mail to review would be told of.
  it('tells each active committee member of an invitee’s mail it did not act on, by mail they can answer', async () => {
    const deps = inboundDeps(handle.db);
    const actor = { accountId: null, label: 'test' };
    await addCommitteeMember({ db: handle.db }, actor, { email: 'chair@example.org', name: 'Pat Chair' });
    const gone = await addCommitteeMember({ db: handle.db }, actor, { email: 'gone@example.org', name: 'Gone Member' });
    await handle.db.updateTable('committee_accounts').set({ disabled_at: new Date() }).where('id', '=', gone.id).execute();
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const before = (await mailOfKind(handle.db, 'inbound-review')).length;
    const question = await reply(g.invitation, 'What is the hotel situation? Is there a group rate?');
    const q = await ingestMessage(deps, question, { via: 'stdin' });
    expect(q.status).toBe('review');
    const told = (await mailOfKind(handle.db, 'inbound-review')).slice(before);
    expect(told.map((m) => m.to_address)).toEqual(['chair@example.org']);
    const [m] = told;
    expect(m!.subject).toBe(`Mail to read from ${g.name} <${g.email}>: Re: ${g.invitation.subject}`);
    // The mail gave no name: the invitation's is said, with the address.
    // (Where its first line breaks depends on how long they are: the paragraph is reflowed.)
    // It says the mail reached the committee, which is true of the answer address and the committee's alike.
    expect(m!.body.replace(/\s+/g, ' ')).toMatch(new RegExp(`^${g.name} <${g.email.replace(/\./g, '\\.')}> wrote to the committee, and `));
    // A reply to it goes to the invitee; the mail shows their own lines, not the quote below them.
    expect(m!.reply_to).toBe(g.email);
    // ... in the sender's thread: it answers their mail, under the invitation that mail replied to.
    const asked = (await getInbound({ db: handle.db }, q.id)).message_id;
    expect(question.toString()).toContain(asked);
    expect(m!.in_reply_to).toBe(asked);
    expect(m!.references_ids).toBe(`${g.invitation.message_id} ${asked}`);
    expect(m!.body).toContain('> What is the hotel situation? Is there a group rate?');
    expect(m!.body).not.toContain('Guest, kernel hacker');
    expect(m!.body).toContain(`/admin/inbound/${q.id}`);
    expect(m!.body.split('\n').every((l) => l.length <= 72)).toBe(true);
    // Mail from nobody invited, to the plain address, only waits in the admin.
    const stranger = await ingestMessage(deps, await compose({ from: 'spam@example.net', to: COMMITTEE_ADDRESS, subject: 'Cheap watches', messageId: `<spam.${Date.now()}@example.net>`, text: 'Buy cheap watches' }), { via: 'stdin' });
    expect(stranger.status).toBe('review');
    expect((await mailOfKind(handle.db, 'inbound-review')).length).toBe(before + 1);
    // Nor is the committee told of what was acted on.
    await ingestMessage(deps, await reply(g.invitation, 'Yes, I will come.'), { via: 'stdin' });
    expect((await mailOfKind(handle.db, 'inbound-review')).length).toBe(before + 1);
  });

  it('mails the committee about one message of a sender an hour: twenty forged mails make one notice each, the rest wait in the admin', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'flood@example.org', name: 'Flo Chair' });
    deps.set('2026-04-01T09:00:00Z');
    const { guests } = await invitedGuests(deps, 2);
    const [carol, other] = guests as [(typeof guests)[0], (typeof guests)[0]];
    const members = (await handle.db.selectFrom('committee_accounts').select('email').where('disabled_at', 'is', null).execute()).length;
    const notices = async () => (await mailOfKind(handle.db, 'inbound-review')).filter((m) => m.to_address === 'flood@example.org');
    const before = (await mailOfKind(handle.db, 'inbound-review')).length;
    // Twenty mails "From: Carol", in no thread, to the committee's address.
    const forged = (n: number, from = carol.email) => compose({ from: `Carol <${from}>`, to: COMMITTEE_ADDRESS, subject: `Urgent ${n}`, messageId: newId(), text: `Please call me (${n}).` });
    const results: Awaited<ReturnType<typeof ingestMessage>>[] = [];
    for (let n = 1; n <= 20; n++) results.push(await ingestMessage(deps, await forged(n), { via: 'stdin' }));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill('review'));
    expect((await mailOfKind(handle.db, 'inbound-review')).length).toBe(before + members);
    expect((await notices()).map((m) => m.subject)).toEqual([`Mail to read from Carol <${carol.email}>: Urgent 1`]);
    // Each of the others is listed in the admin, saying why nobody was mailed about it.
    const first = results[0]!.id;
    for (const r of results.slice(1)) {
      expect(r.reason).toMatch(new RegExp(`; the committee was not mailed about it: it was mailed about #${first} from the same sender within the hour \\(one notice per sender an hour\\)$`));
      expect((await getInbound({ db: handle.db }, r.id)).reason).toBe(r.reason);
    }
    expect((await listInbound({ db: handle.db }, { status: 'review', limit: 5000 })).filter((m) => results.some((r) => r.id === m.id))).toHaveLength(20);
    // Another sender meanwhile has their own notice; the same address in another case is the same sender.
    await ingestMessage(deps, await forged(21, other.email), { via: 'stdin' });
    await ingestMessage(deps, await forged(22, carol.email.toUpperCase()), { via: 'stdin' });
    expect((await notices()).map((m) => m.subject)).toEqual([`Mail to read from Carol <${carol.email}>: Urgent 1`, `Mail to read from Carol <${other.email}>: Urgent 21`]);
    // An hour after the one mailed about, the next is mailed about again.
    deps.set('2026-04-01T09:59:59Z');
    await ingestMessage(deps, await forged(23), { via: 'stdin' });
    expect(await notices()).toHaveLength(2);
    deps.set('2026-04-01T10:00:01Z');
    await ingestMessage(deps, await forged(24), { via: 'stdin' });
    expect((await notices()).map((m) => m.subject).at(-1)).toBe(`Mail to read from Carol <${carol.email}>: Urgent 24`);
    await handle.db.updateTable('committee_accounts').set({ disabled_at: new Date() }).where('email', '=', 'flood@example.org').execute();
  });

  it('keeps, shows and quotes no link a reply’s subject carries (ours had it, from a template saved before that was refused)', async () => {
    const deps = inboundDeps(handle.db);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'subj@example.org', name: 'Sub Chair' });
    deps.set('2026-04-02T09:00:00Z');
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const subject = `Re: Invitation https://netconf.example.org/invitation/${g.token}`;
    const r = await ingestMessage(deps, await reply(g.invitation, 'Is there a hotel nearby?', { subject }), { via: 'stdin' });
    expect(r.status).toBe('review');
    const hidden = 'Re: Invitation https://netconf.example.org/invitation/[hidden: sent to the invitee only]';
    expect((await handle.db.selectFrom('inbound_messages').select('subject').where('id', '=', r.id).executeTakeFirstOrThrow()).subject).toBe(hidden);
    expect((await getInbound({ db: handle.db }, r.id)).subject).toBe(hidden);
    // Neither the committee's notice nor the answer to the sender quotes it.
    const written = await handle.db.selectFrom('outbox').select(['kind', 'subject']).where('id', '>', g.invitation.id).where('kind', 'in', ['inbound-review', 'inbound-unclear']).execute();
    expect([...new Set(written.map((m) => m.kind))].sort()).toEqual(['inbound-review', 'inbound-unclear']);
    for (const m of written) expect(m.subject, m.kind).not.toContain(g.token);
    await handle.db.updateTable('committee_accounts').set({ disabled_at: new Date() }).where('email', '=', 'subj@example.org').execute();
  });

  it('records a mail with a subject and a name of any length, and tells the committee under a subject cut short', async () => {
    const deps = inboundDeps(handle.db);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'long@example.org', name: 'Lon Chair' });
    // Hours after the mail of the same address in the tests before (one notice per sender an hour).
    deps.set('2026-03-20T09:00:00Z');
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    const subject = `Re: ${g.invitation.subject} -- ${'hotel and travel question '.repeat(38)}`.trim();
    const from = `"Guest ${'Middlename '.repeat(30)}Last" <${g.email}>`;
    const r = await ingestMessage(deps, await reply(g.invitation, 'Is there a group rate at the hotel?', { subject, from }), { via: 'stdin' });
    expect(r.status).toBe('review');
    expect((await getInbound({ db: handle.db }, r.id)).subject).toBe(subject.slice(0, 998));
    const [m] = (await mailOfKind(handle.db, 'inbound-review')).filter((x) => x.to_address === 'long@example.org');
    expect(m!.subject).toMatch(/^Mail to read from Guest( Middlename)+… <guest1@example\.net>: Re: Invitation to .* -- (hotel and travel question )+hotel…$/);
    expect(m!.subject.length).toBeLessThan(330 + ` <${g.email}>`.length);
  });

  it('keeps a mail whose committee notice cannot be written, saying why nobody was mailed', async () => {
    const deps = inboundDeps(handle.db);
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'keep@example.org', name: 'Kee Chair' });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    // A reply-all to the invitee's reply address from an address too long to be a Reply-To.
    const from = `${'x'.repeat(330)}@example.org`;
    const lines: string[] = [];
    const r = await ingestMessage({ ...deps, log: (l) => lines.push(l) }, await reply(g.invitation, 'Yes', { from }), { via: 'stdin' });
    expect(r.status).toBe('review');
    expect(r.invitationId).toBe(g.id);
    expect(r.reason).toContain('the committee could not be mailed about it: replyTo:');
    expect((await getInbound({ db: handle.db }, r.id)).reason).toBe(r.reason);
    expect((await mailOfKind(handle.db, 'inbound-review')).filter((x) => x.to_address === 'keep@example.org')).toEqual([]);
    expect(lines.join('\n')).toContain(`inbound #${r.id}: the committee could not be mailed`);
    expect(await stateOf(handle.db, g.id)).toBe('invited');
  });

  it('files a mail only its sender ties to an invitation under that edition, and tells the committee in its words', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'vice@example.org', name: 'Vic Chair' });
    deps.set('2026-03-21T09:00:00Z');
    const { editionId, guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    await saveTemplate({ db: handle.db }, { editionId, key: 'inbound-review', subject: '[this edition] {{name}}: {{subject}}', body: '{{reason}}\n\n{{text}}\n\n{{link}}\n' });
    // To the plain address, in no thread: the sender's address alone names the invitation.
    const r = await ingestMessage(deps, await compose({ from: g.email, to: COMMITTEE_ADDRESS, subject: 'Hotel?', messageId: newId(), text: 'Is there a group rate?' }), { via: 'stdin' });
    expect(r.status).toBe('review');
    expect(r.invitationId).toBe(g.id);
    expect((await getInbound({ db: handle.db }, r.id)).edition_id).toBe(editionId);
    const [m] = (await mailOfKind(handle.db, 'inbound-review')).filter((x) => x.to_address === 'vice@example.org');
    expect(m!.subject).toBe(`[this edition] ${g.name}: Hotel?`);
    expect(m!.edition_id).toBe(editionId);
  });

  it('reads a [TOPIC] mail whose References name more ids than a statement binds, and its refusal too', async () => {
    // 33,000 ids: named twice in a statement, past PostgreSQL's 65,535 parameters (and PGlite's 32,767).
    const many = Array.from({ length: 33_000 }, (_, i) => `<old-${i}@mua.example.net>`);
    const deps = inboundDeps(handle.db);
    const { guests } = await invitedGuests(deps, 2);
    const [a, b] = guests as [(typeof guests)[0], (typeof guests)[0]];
    await ingestMessage(deps, await reply(a.invitation, 'yes'), { via: 'stdin' });
    const r = await ingestMessage(deps, await reply(a.invitation, 'About XDP.', { subject: '[TOPIC] XDP at scale', references: [...many, a.invitation.message_id] }), { via: 'stdin' });
    expect(r).toMatchObject({ status: 'applied', action: 'topic' });
    const t = await handle.db.selectFrom('topics').select(['number', 'title']).where('id', '=', r.topicId!).executeTakeFirstOrThrow();
    expect(t.title).toBe('XDP at scale');
    // The confirmation, named among them, is found: nothing is proposed again.
    const answer = (await mailOfKind(handle.db, 'inbound-topic')).find((m) => m.id === r.replyOutboxId)!;
    const again = await ingestMessage(deps, await reply(answer, 'Thanks!', { subject: 'Re: [TOPIC] XDP at scale', references: [...many, answer.message_id, ...many.slice(0, 50)] }), { via: 'stdin' });
    expect(again).toMatchObject({ status: 'review', topicId: null });
    expect(again.reason).toContain(`a reply in the thread of topic #${t.number} “XDP at scale”, proposed by mail already`);
    // b has not accepted: refused and told so, the refusals before it looked up among the many.
    const early = await ingestMessage(deps, await reply(b.invitation, 'A talk', { subject: '[TOPIC] Page pool at scale', references: [...many, b.invitation.message_id] }), { via: 'stdin' });
    expect(early.status).toBe('review');
    expect(early.reason).toContain('only attendees whose invitation to Netconf 2026 is accepted may propose topics');
    expect(early.replyOutboxId).not.toBeNull();
  }, 120_000);
  it('says why a reply to an invitation since re-sent waits, naming the invitation, to the committee too', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'resent@example.org', name: 'Res Chair' });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    await deliverDueMail(handle.db);
    const first = await handle.db.selectFrom('outbox').selectAll().where('id', '=', g.invitation.id).executeTakeFirstOrThrow();
    expect(first.state).toBe('sent');
    deps.set('2026-03-05T10:00:00Z');
    const resent = await resendInvitation(deps, MEMBER, { id: g.id });
    await deliverDueMail(handle.db);
    const second = await handle.db.selectFrom('outbox').selectAll().where('id', '=', resent.invitations[0]!.outboxId).executeTakeFirstOrThrow();
    // She answers the first mail, from her invited address, in its thread.
    const r = await ingestMessage(deps, await reply(first, "Yes, I'll come"), { via: 'stdin' });
    const why =
      `it replies to our mail “${first.subject}” of ${utcMinute(first.sent_at!)} UTC (mail #${first.id}) of invitation #${g.id} to ${g.email}, ` +
      `since replaced by its re-send of ${utcMinute(second.sent_at!)} UTC (mail #${second.id}): not applied, as a re-send ends the links and the thread before it; ` +
      // The state it was in when the mail came, which stays true in the admin and the notice
      // (the page's list of invitations says the state now), not a "now" that goes stale.
      `decide it for invitation #${g.id} (invited when it came)`;
    expect(r).toMatchObject({ status: 'review', invitationId: g.id, reason: `a reply for the committee to read: ${why}` });
    expect(await stateOf(handle.db, g.id)).toBe('invited');
    // The committee's notice says the same.
    const [notice] = (await mailOfKind(handle.db, 'inbound-review')).filter((m) => m.in_reply_to === r.messageId && m.to_address === 'resent@example.org');
    expect(notice!.body.replace(/\s+/g, ' ')).toContain(`did not act on it: a reply for the committee to read: ${why}.`);
    expect(notice!.body).not.toContain('matched to no invitation');
    // In one step: the invitation it names is the one decided for.
    expect(await reviewInbound(deps, MEMBER, { id: r.id, action: 'accept' })).toMatchObject({ status: 'applied', invitation_id: g.id });
    expect(await stateOf(handle.db, g.id)).toBe('accepted');
    // From another address in that thread: said so, not that it is in no thread.
    const other = await ingestMessage(deps, await reply(first, 'No', { from: 'someone@example.com' }), { via: 'stdin' });
    expect(other).toMatchObject({ status: 'review', invitationId: g.id });
    expect(other.reason).toContain(`(mail #${second.id}), and comes from someone@example.com: a reply counts only from the invited address`);
    // With an RSVP address, to the first mail's reply address: the same reason, not only that its link ended.
    const rdeps = inboundDeps(handle.db);
    const h = (await invitedGuests(rdeps, 1)).guests[0]!;
    await deliverDueMail(handle.db);
    await resendInvitation(rdeps, MEMBER, { id: h.id });
    const t = await ingestMessage(rdeps, await reply(h.invitation, 'Yes'), { via: 'stdin' });
    expect(t).toMatchObject({ status: 'review', invitationId: h.id });
    expect(t.reason).toContain(`(mail #${h.invitation.id}) of invitation #${h.id} to ${h.email}, since replaced by its re-send of`);
  });

  it('says the state an invitation with no invitation mail was in when a reply to its old mail came, not a "now"', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    const { guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    await deliverDueMail(handle.db);
    const first = await handle.db.selectFrom('outbox').selectAll().where('id', '=', g.invitation.id).executeTakeFirstOrThrow();
    // The invitation has no invitation mail any more: a candidate again, as a discarded batch leaves it.
    await handle.db.updateTable('invitations').set({ state: 'candidate', invitation_message_id: null, invited_at: null, answer_by: null }).where('id', '=', g.id).execute();
    const r = await ingestMessage(deps, await reply(first, "Yes, I'll come"), { via: 'stdin' });
    // Written once, when the mail came, and shown as it is later: said as the state then, which stays true.
    expect(r).toMatchObject({ status: 'review', invitationId: g.id });
    expect(r.reason).toContain(`(mail #${first.id}) of invitation #${g.id} to ${g.email}, which had no invitation mail when it came (it was a candidate again then): not applied`);
    expect(r.reason).not.toContain(' now (it is ');
    expect(await stateOf(handle.db, g.id)).toBe('candidate');
  });
  it('tells the committee of a refused answer in its own terms, naming the invitee', async () => {
    const deps = inboundDeps(handle.db, { rsvp: false });
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'expiry@example.org', name: 'Exp Chair' });
    const { editionId, guests } = await invitedGuests(deps, 1);
    const g = guests[0]!;
    deps.set('2026-04-11T06:00:00Z');
    expect((await expireOverdue(deps, { editionId })).expired.map((e) => e.id)).toEqual([g.id]);
    const r = await ingestMessage(deps, await reply(g.invitation, "Yes, I'll come"), { via: 'stdin' });
    const stands =
      `invitation #${g.id} is expired since 2026-04-11 06:00 UTC, and its answer-by date, 2026-04-10, has passed. ` +
      `To let the answer count, re-send it with a later answer-by date (conclave invite resend ${g.id} --answer-by DATE), ` +
      `or set its state (conclave invite override ${g.id} STATE --reason WHY), or do so on the invitations page`;
    expect(r).toMatchObject({ status: 'review', invitationId: g.id });
    expect(r.reason).toBe(`${g.email} answered yes ("Yes, I'll come", matched by its thread and From), which the rules refuse: ${stands}`);
    const [notice] = (await mailOfKind(handle.db, 'inbound-review')).filter((m) => m.in_reply_to === r.messageId && m.to_address === 'expiry@example.org');
    expect(notice!.subject).toBe(`Mail to read from ${g.name} <${g.email}>: Re: ${g.invitation.subject}`);
    const body = notice!.body.replace(/\s+/g, ' ');
    expect(body).toContain(`which the rules refuse: ${stands}.`);
    expect(body).not.toContain('This invitation');
    expect(body).not.toContain('Reply to the invitation mail');
    // The invitee is still told in theirs.
    const told = (await mailOfKind(handle.db, 'inbound-rsvp')).find((m) => m.id === r.replyOutboxId)!;
    expect(told.body.replace(/\s+/g, ' ')).toContain('Your answer could not be recorded. This invitation is expired and can no longer be accepted. The committee has your mail');
  });
});
