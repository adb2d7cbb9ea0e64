import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDb } from '../db/connect.js';
import { importBundledIfEmpty } from '../domain/archive/bundled.js';
import { bootstrapCommittee } from '../domain/committee/bootstrap.js';
import { expireOverdue, sendReminders } from '../domain/invitations/reminders.js';
import { createTransport } from '../domain/mail/transport.js';
import { startOutboxWorker } from '../domain/mail/worker.js';
import { buildApp } from '../web/app.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the site and send queued mail (PORT, HOST; embedded database in CONCLAVE_DATA, or DATABASE_URL; SMTP_URL, else a local mailbox).')
    .option('--bootstrap', 'on an empty database, import the bundled Netconf archive and create a demo committee member')
    .option('--no-mail-worker', 'do not send mail from this process')
    .option('--log', 'log every request (JSON lines on stdout)')
    .action(async (opts: { bootstrap?: boolean; mailWorker: boolean; log?: boolean }) => {
      const config = loadConfig();
      const handle = await openDb(config);
      const clock = () => new Date();
      const mail = { baseUrl: config.baseUrl, from: config.mailFrom, replyTo: config.mailReplyTo };
      try {
        let signinLink: string | null = null;
        if (opts.bootstrap) {
          const imported = await importBundledIfEmpty({ db: handle.db });
          if (imported.length) console.log(`conclave: imported the bundled archive: ${imported.map((p) => p.year).join(', ')}`);
        }
        const app = await buildApp({
          db: handle.db,
          logger: !!opts.log,
          mail,
          filesDir: config.filesDir,
          maxUploadBytes: config.maxUploadBytes,
          ...(config.smtpUrl ? {} : { mailboxDir: config.mailboxDir }),
        });
        const transport = createTransport(config.smtpUrl ? { smtpUrl: config.smtpUrl } : { mailboxDir: config.mailboxDir });
        const worker = opts.mailWorker
          ? startOutboxWorker({ db: handle.db, transport, clock, workerId: `${process.pid}-${randomBytes(3).toString('hex')}`, pollMs: 2_000 })
          : null;
        // Reminders and expiry need no one to press a button: once at start, then hourly.
        const clockJob = async () => {
          try {
            const idep = { db: handle.db, clock, mail };
            await sendReminders(idep);
            await expireOverdue(idep);
          } catch (err) {
            console.error('conclave: reminders:', err);
          }
        };
        const hourly = setInterval(() => void clockJob(), 3_600_000);
        hourly.unref();
        void clockJob();
        const stop = async (signal: string) => {
          clearInterval(hourly);
          console.log(`conclave: ${signal}, finishing requests and mail, closing the database`);
          await app.close();
          await worker?.stop();
          await handle.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop('SIGINT'));
        process.once('SIGTERM', () => void stop('SIGTERM'));
        await app.listen({ port: config.port, host: config.host });
        const port = (app.server.address() as AddressInfo).port;
        const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        const url = process.env.BASE_URL ? config.baseUrl : `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
        console.log(`conclave: serving ${handle.kind === 'pglite' ? `the embedded database in ${handle.where}` : handle.where}`);
        console.log(`conclave: mail ${config.smtpUrl ? 'goes over SMTP_URL' : `goes to the local mailbox ${config.mailboxDir}`}`);
        if (opts.bootstrap) signinLink = await bootstrapCommittee({ db: handle.db, clock, mail: { ...mail, baseUrl: url } });
        if (signinLink) {
          console.log(`conclave: a demo committee member was created; sign in within 15 minutes at\n  ${signinLink}`);
          console.log('conclave: (later: `npx conclave committee signin-link committee@example.org`)');
        }
        console.log(`conclave: open ${url}/`);
      } catch (err) {
        await handle.close();
        throw err;
      }
    });
}
