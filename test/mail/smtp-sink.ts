/**
 * A real SMTP server on loopback for mail tests (smtp-server, STARTTLS off: its built-in
 * certificate is expired). It parses what arrives with mailparser and counts, per Message-ID,
 * the messages it accepted, that is answered 250 to. A test can make it refuse or hang a message.
 */
import net from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type Verdict = 'accept' | 'hang' | { code: number; message: string };

export interface Arrival {
  raw: Buffer;
  mail: ParsedMail;
  messageId: string;
  rcptTo: string[];
  mailFrom: string | undefined;
  /** The parameters of MAIL FROM, e.g. { BODY: '8BITMIME' }. */
  mailFromArgs: Record<string, unknown>;
}

export interface Sink {
  port: number;
  url: string;
  /** Accepted messages, in the order the server said 250. */
  accepted: Arrival[];
  /** Every DATA received, accepted or not (counted before the verdict). */
  dataCount: () => number;
  /** Accepted count per Message-ID. */
  countById: () => Map<string, number>;
  close: () => Promise<void>;
}

/** A loopback port that was free a moment ago (for "the server is down, then up on it"). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/**
 * Starts the sink; `verdict(n, arrival)` decides for the n-th DATA (1-based), default accept.
 * It announces 8BITMIME (RFC 6152) unless `no8BitMime`.
 */
export async function startSink(
  opts: { port?: number; delayMs?: number; no8BitMime?: boolean; verdict?: (n: number, a: Arrival) => Verdict } = {},
): Promise<Sink> {
  const accepted: Arrival[] = [];
  let n = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    closeTimeout: 200,
    hide8BITMIME: opts.no8BitMime ?? false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const k = ++n;
        const raw = Buffer.concat(chunks);
        const mail = await simpleParser(raw);
        const arrival: Arrival = {
          raw,
          mail,
          messageId: mail.messageId ?? '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          mailFromArgs: session.envelope.mailFrom ? { ...session.envelope.mailFrom.args } : {},
        };
        const v = opts.verdict?.(k, arrival) ?? 'accept';
        if (v === 'hang') return; // never answered: the client waits until it gives up or dies
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        if (v === 'accept') {
          accepted.push(arrival);
          callback(null, `OK queued as ${k}`);
        } else {
          callback(Object.assign(new Error(v.message), { responseCode: v.code }));
        }
      });
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as net.AddressInfo).port));
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    dataCount: () => n,
    countById: () => {
      const m = new Map<string, number>();
      for (const a of accepted) m.set(a.messageId, (m.get(a.messageId) ?? 0) + 1);
      return m;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
