/**
 * The invitation cycle in real Chromium, with mail over real SMTP on loopback: a committee member
 * signs in through the link taken from the captured mail, creates an edition, invites three
 * people; one invitee opens their link and accepts; the public page lists them.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { addCommitteeMember } from '../../src/domain/committee/accounts.js';
import { createTransport } from '../../src/domain/mail/transport.js';
import { startOutboxWorker, type OutboxWorker } from '../../src/domain/mail/worker.js';
import { buildApp } from '../../src/web/app.js';
import { startSink, type Sink } from '../mail/smtp-sink.js';
import { hasChromium, launchChromium } from '../support/browser.js';
import { freshPglite } from '../support/db.js';

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(hasChromium())('invitations in Chromium', () => {
  let handle: Db;
  let app: FastifyInstance;
  let sink: Sink;
  let worker: OutboxWorker;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    handle = await freshPglite();
    sink = await startSink();
    await addCommitteeMember({ db: handle.db }, { accountId: null, label: 'test' }, { email: 'chair@example.org', name: 'Pat Chair' });
    app = await buildApp({ db: handle.db, mail: { baseUrl: 'http://placeholder', from: 'Netconf committee <committee@example.org>' } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // The links in mail must point at this server: rebuild with the real BASE_URL.
    await app.close();
    app = await buildApp({ db: handle.db, mail: { baseUrl: base, from: 'Netconf committee <committee@example.org>', replyTo: 'committee@example.org' } });
    await app.listen({ host: '127.0.0.1', port: Number(new URL(base).port) });
    worker = startOutboxWorker({ db: handle.db, transport: createTransport({ smtpUrl: sink.url }), clock: () => new Date(), workerId: 'e2e', pollMs: 100 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await app?.close();
    await sink?.close();
    await handle?.close();
  });

  const linkIn = (text: string, path: string) => new RegExp(`${base.replace(/[.]/g, '\\.')}${path}[A-Za-z0-9_-]+`).exec(text)?.[0];

  it('runs from sign-in to a public attendee', async () => {
    const committee: Page = await browser.newPage();
    await committee.goto(`${base}/signin`);
    await committee.getByLabel('Your address').fill('chair@example.org');
    await committee.getByRole('button', { name: 'Mail me a sign-in link' }).click();
    await committee.getByRole('heading', { name: 'Check your mail' }).waitFor();
    const signinMail = await waitFor('the sign-in mail', () => sink.accepted.find((a) => a.rcptTo.includes('chair@example.org')));
    expect(signinMail.mail.subject).toBe('Your sign-in link to conclave');
    await committee.goto(linkIn(signinMail.mail.text ?? '', '/signin/')!);
    await committee.getByRole('button', { name: 'Sign in to conclave' }).click();
    await committee.waitForURL(`${base}/admin/`);

    await committee.getByRole('link', { name: 'Create the next edition' }).click();
    await committee.getByLabel('Year', { exact: true }).fill('2027');
    await committee.getByLabel('Title', { exact: true }).fill('Netconf 2027');
    await committee.getByLabel('City', { exact: true }).fill('Ottawa');
    await committee.getByLabel('First day').first().fill('2027-07-14');
    await committee.getByLabel('Last day').first().fill('2027-07-15');
    await committee.getByLabel('Time zone', { exact: true }).fill('America/Toronto');
    await committee.getByLabel('Answer by', { exact: true }).fill('2027-06-01');
    await committee.getByRole('button', { name: 'Create edition' }).click();
    await committee.getByText('Created Netconf 2027.').waitFor();

    await committee.goto(`${base}/admin/editions/netconf/2027/invitations`);
    for (const [name, email] of [
      ['Alice Kernel', 'alice@example.org'],
      ['Bob Net', 'bob@example.org'],
      ['Carol Stack', 'carol@example.org'],
    ]) {
      await committee.getByLabel('Name', { exact: true }).fill(name!);
      await committee.getByLabel('Address', { exact: true }).fill(email!);
      await committee.getByRole('button', { name: 'Add candidate' }).click();
      await committee.getByText(`Added ${name} as a candidate.`).waitFor();
    }
    await committee.getByRole('button', { name: 'Send invitations' }).click();
    await committee.getByText('3 invitations queued for sending.').waitFor();
    // Redirected to the invitations page (a reload sends nothing again), with the links once.
    expect(new URL(committee.url()).pathname).toBe('/admin/editions/netconf/2027/invitations');
    await committee.getByRole('heading', { name: 'Links just sent' }).waitFor();
    await expect(committee.getByText(/^Alice Kernel <alice@example\.org>: http\S+\/invitation\/\S{43}$/).count()).resolves.toBe(1);
    await committee.reload();
    await committee.getByText('3 invitations queued for sending.').waitFor();
    await expect(committee.getByRole('heading', { name: 'Links just sent' }).count()).resolves.toBe(0);

    const invitations = await waitFor('three invitations', () => {
      const got = sink.accepted.filter((a) => a.mail.subject === 'Invitation to Netconf 2027');
      return got.length === 3 ? got : undefined;
    });
    expect(invitations.map((a) => a.rcptTo[0]).sort()).toEqual(['alice@example.org', 'bob@example.org', 'carol@example.org']);
    const alice = invitations.find((a) => a.rcptTo.includes('alice@example.org'))!;
    expect(alice.mail.replyTo?.text).toBe('committee@example.org');
    const link = linkIn(alice.mail.text ?? '', '/invitation/')!;

    const ctx = await browser.newContext();
    const invitee = await ctx.newPage();
    await invitee.goto(link);
    await invitee.getByRole('heading', { name: 'Your invitation to Netconf 2027' }).waitFor();
    await invitee.getByLabel('Affiliation').fill('Kernel Labs');
    await invitee.getByRole('button', { name: 'Yes, I will come' }).click();
    await invitee.getByText('You are coming. Thank you!').waitFor();
    // Changing the affiliation afterwards and pressing Enter saves it: it never declines.
    await invitee.getByLabel('Affiliation').fill('Kernel Labs GmbH');
    await invitee.getByLabel('Affiliation').press('Enter');
    await invitee.getByText('Saved.').waitFor();
    await invitee.getByText('You are coming. Thank you!').waitFor();
    await ctx.close();

    const pub = await browser.newPage();
    await pub.goto(`${base}/netconf/2027/`);
    await expect(pub.getByRole('link', { name: 'Alice Kernel' }).count()).resolves.toBe(1);
    await expect(pub.getByText('Alice Kernel, Kernel Labs GmbH').count()).resolves.toBe(1);
    await expect(pub.getByText('alice@example.org').count()).resolves.toBe(0);
    await expect(pub.getByText('Bob Net').count()).resolves.toBe(0);
  });
});
