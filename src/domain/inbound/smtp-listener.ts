/**
 * The SMTP listener of `conclave serve --smtp-port N`: a host's MTA (or the world, behind one)
 * delivers replies to it instead of piping them to `conclave mail ingest`. It only receives: no
 * relaying, no authentication, no STARTTLS (put it on loopback or behind the MTA). Recipients
 * must be at the domains given (those of MAIL_RSVP_ADDRESS and MAIL_REPLY_TO). Messages over the
 * size limit are answered 552 and recorded as refused with their start kept; a failure of the
 * database is answered 451, so that the sender tries again later. Connections are limited in all
 * (MAX_CLIENTS) and per remote address (perAddress), so that one peer cannot hold them all: the
 * extra one is answered 421 and the sender tries again later.
 */
import type { AddressInfo } from 'node:net';
import type { SMTPServerSession } from 'smtp-server';
import { DEFAULT_MAX_INBOUND_BYTES, type InboundDeps } from './deps.js';
import { ingestMessage, ingestOversize } from './ingest.js';
import { readMessage } from './sources.js';

export interface SmtpListenerOptions {
  port: number;
  host: string;
  /** Domains recipients may be at (lowercase); empty: any. */
  domains?: readonly string[];
  /** Connections at once from one remote address (CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS); default DEFAULT_PER_ADDRESS. */
  perAddress?: number;
}

/**
 * Connections at once in all: smtp-server sets no limit of its own. Replies to invitations are a
 * trickle; a hundred is far above what the host's MTA and the odd direct sender need.
 */
export const MAX_CLIENTS = 100;

/**
 * Connections at once from one address, by default. The host's MTA relaying to the listener
 * comes from one address and opens a few in parallel (Postfix starts at 5 a destination), so
 * twice that; one peer can then hold a tenth of MAX_CLIENTS, not all of them.
 */
export const DEFAULT_PER_ADDRESS = 10;

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts listening; resolves once the port is bound. */
export async function startSmtpListener(deps: InboundDeps, opts: SmtpListenerOptions): Promise<SmtpListener> {
  const max = deps.maxBytes ?? DEFAULT_MAX_INBOUND_BYTES;
  const domains = (opts.domains ?? []).map((d) => d.toLowerCase());
  const log = deps.log ?? (() => {});
  const perAddress = opts.perAddress ?? DEFAULT_PER_ADDRESS;
  // Open connections by remote address, and the address each counted session was counted under:
  // onClose comes for every connection, those refused or gone before onConnect included.
  const open = new Map<string, number>();
  const counted = new WeakMap<SMTPServerSession, string>();
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    name: new URL(deps.mail.baseUrl).hostname || 'localhost',
    banner: 'conclave inbound mail',
    size: max,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 2_000,
    // Nothing here reads the peer's name, and smtp-server waits up to 1.5 s for it before
    // onConnect (where the per-address count is): a socket would hold a place of MAX_CLIENTS
    // for that long without being counted against its address.
    disableReverseLookup: true,
    maxClients: MAX_CLIENTS,
    onConnect(session, callback) {
      const address = session.remoteAddress;
      const now = open.get(address) ?? 0;
      if (now >= perAddress) {
        log(`inbound smtp: refused a connection from ${address}: it has ${now} open already, the most one address may have`);
        return callback(smtpError(421, `Too many connections from ${address}: at most ${perAddress} at once from one address; try again later`));
      }
      open.set(address, now + 1);
      counted.set(session, address);
      callback();
    },
    onClose(session) {
      const address = counted.get(session);
      if (address === undefined) return;
      counted.delete(session);
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    },
    onRcptTo(address, _session, callback) {
      const domain = address.address.slice(address.address.lastIndexOf('@') + 1).toLowerCase();
      if (domains.length && !domains.includes(domain)) {
        log(`inbound smtp: refused a recipient at ${domain}: not one of ${domains.join(', ')}`);
        return callback(smtpError(550, `No such recipient here: this server takes mail for ${domains.join(', ')} only`));
      }
      callback();
    },
    onData(stream, session, callback) {
      const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
      const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
      void (async () => {
        try {
          const m = await readMessage(stream, max);
          if (m.oversize || stream.sizeExceeded) {
            const r = await ingestOversize(deps, m.bytes, m.size, { via: 'smtp', envelopeTo });
            return callback(smtpError(552, `Message too large: the limit is ${max} bytes (recorded as #${r.id})`));
          }
          const r = await ingestMessage(deps, m.bytes, { via: 'smtp', envelopeTo, ...(envelopeFrom !== undefined ? { envelopeFrom } : {}) });
          callback(null, `Ok: recorded as #${r.id}`);
        } catch (err) {
          log(`inbound smtp: could not take a message in: ${(err as Error).message}`);
          callback(smtpError(451, 'Temporary failure: please try again later'));
        }
      })();
    },
  });
  server.on('error', (err) => log(`inbound smtp: ${err.message}`));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve((server.server.address() as AddressInfo).port));
  });
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
