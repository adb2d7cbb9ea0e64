/**
 * The SMTP listener of `conclave serve --smtp-port N`: a host's MTA (or the world, behind one)
 * delivers replies to it instead of piping them to `conclave mail ingest`. It only receives: no
 * relaying, no authentication, no STARTTLS (put it on loopback or behind the MTA). Recipients
 * must be at the domains given (those of MAIL_RSVP_ADDRESS and MAIL_REPLY_TO). Messages over the
 * size limit are answered 552 and recorded as refused with their start kept; a failure of the
 * database is answered 451, so that the sender tries again later. Connections are limited in all
 * (MAX_CLIENTS) and per remote address (perAddress), so that one peer cannot hold them all: the
 * extra one is answered 421 and the sender tries again later. The count per address is kept as
 * sockets are accepted, ahead of smtp-server (see gateConnections).
 */
import type { AddressInfo, Server, Socket } from 'node:net';
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
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    name: new URL(deps.mail.baseUrl).hostname || 'localhost',
    banner: 'conclave inbound mail',
    size: max,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    closeTimeout: 2_000,
    // Nothing here reads the peer's name, and smtp-server would wait up to 1.5 s for it before
    // greeting: a socket would hold a place of MAX_CLIENTS for that long doing nothing.
    disableReverseLookup: true,
    maxClients: MAX_CLIENTS,
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
  gateConnections(server.server, perAddress, log);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve((server.server.address() as AddressInfo).port));
  });
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** How smtp-server writes a peer's address (session.remoteAddress): IPv4 peers of a dual-stack socket without "::ffff:". */
function peerAddress(socket: Socket): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:/i, '').toLowerCase();
}

/** How long a refused socket may stay open for its peer to read the 421 and close its side. */
const REFUSED_CLOSE_MS = 2_000;

/**
 * Counts the open sockets of each remote address as the raw server accepts them, and refuses one
 * over perAddress there, before smtp-server sees it. smtp-server's own onConnect comes only after
 * its ~100 ms wait for early talkers, and every socket in that wait holds a place of MAX_CLIENTS:
 * counted there, an address opening and dropping sockets fast could hold many places uncounted.
 * The refused socket gets the 421 line written directly (nothing of smtp-server's session exists
 * yet; no greeting went before it), then our end of it closed; what the peer sends is read and
 * dropped, and a peer that keeps its side open is cut off after REFUSED_CLOSE_MS. A socket stops
 * counting when its peer closes its side ('end') or it closes, whichever comes first.
 */
function gateConnections(raw: Server, perAddress: number, log: (line: string) => void): void {
  // smtp-server takes sockets in the listener it gave net.createServer; it is wrapped, not added
  // to, so that a refused socket never reaches it.
  const accept = raw.listeners('connection');
  if (accept.length !== 1) throw new Error(`inbound smtp: expected smtp-server's one connection listener, found ${accept.length}`);
  const take = accept[0] as (socket: Socket) => void;
  raw.removeAllListeners('connection');
  const open = new Map<string, number>();
  raw.on('connection', (socket: Socket) => {
    const address = peerAddress(socket);
    const now = open.get(address) ?? 0;
    if (now >= perAddress) {
      log(`inbound smtp: refused a connection from ${address}: it has ${now} open already, the most one address may have`);
      socket.on('error', () => {});
      const cutOff = setTimeout(() => socket.destroy(), REFUSED_CLOSE_MS);
      cutOff.unref();
      socket.once('close', () => clearTimeout(cutOff));
      socket.resume();
      socket.end(`421 Too many connections from ${address}: at most ${perAddress} at once from one address; try again later\r\n`);
      return;
    }
    open.set(address, now + 1);
    let counted = true;
    const leave = () => {
      if (!counted) return;
      counted = false;
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    };
    socket.once('end', leave);
    socket.once('close', leave);
    take.call(raw, socket);
  });
}
