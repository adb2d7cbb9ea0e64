/**
 * Configuration, parsed once from the environment with zod. A wrong value stops the start with a
 * message naming the variable. CONCLAVE_MAX_UPLOAD_MB limits uploads (slides, photos; default 50).
 * MAIL_RSVP_ADDRESS, CONCLAVE_MAX_INBOUND_MB and CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS are for
 * answers by mail (docs/inbound-mail.md).
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SITE_NAME } from './domain/editions/site-name.js';
import './domain/zod-messages.js';

function parsesAsUrl(v: string): boolean {
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
}

/** A TRUST_PROXY entry proxy-addr (Fastify's trustProxy) takes: a name of its, an address or a network. */
function trustedEntry(v: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return true;
  const [address, bits, more] = v.split('/');
  const family = isIP(address ?? '');
  if (!family || more !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function trustsWell(v: string): boolean {
  return v === 'none' || /^[1-9]\d?$/.test(v) || v.split(',').every((e) => trustedEntry(e.trim()));
}

/** TRUST_PROXY as Fastify's trustProxy takes it. */
function trustProxyOf(v: string): false | number | string {
  if (v === 'none') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((e) => e.trim())
    .join(',');
}

/**
 * systemd's EnvironmentFile (docs/deploy.md) keeps what follows a value on its line as part of it,
 * a comment included, where a shell sourcing the same file drops it: said rather than used.
 */
const TRAILING_COMMENT = 'ends in a comment, which systemd reads as part of the value: put comments on lines of their own';
const noComment = (v: string) => !/\s#/.test(v);

/** A PostgreSQL database's URL, as DATABASE_URL and `conclave db move-to-postgres URL` take it. */
export const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL such as postgres://conclave@127.0.0.1:5432/conclave')
  .refine(parsesAsUrl, 'is not a valid URL (a password with special characters must be %-encoded)');

const schema = z.object({
  DATABASE_URL: postgresUrl.refine(noComment, { message: TRAILING_COMMENT, abort: true }).optional(),
  CONCLAVE_DATA: z.string().min(1).refine(noComment, { message: TRAILING_COMMENT, abort: true }).default('./data'),
  PORT: z.coerce.number('must be a port number from 0 to 65535').int('must be a port number from 0 to 65535').min(0, 'must be a port number from 0 to 65535').max(65535, 'must be a port number from 0 to 65535').default(3000),
  HOST: z
    .string()
    .refine(noComment, { message: TRAILING_COMMENT, abort: true })
    .regex(/^[^\s/]+$/, 'must be a host name or an address, such as localhost, 127.0.0.1 or 0.0.0.0')
    .default('localhost'),
  BASE_URL: z
    .url('must be an absolute URL such as https://netconf.example.org')
    .refine((v) => /^https?:\/\//i.test(v), { message: 'must be an http:// or https:// URL such as https://netconf.example.org', abort: true })
    // The pages link to /static/…, /netconf/… from the root: conclave is not served under a path.
    .refine((v) => !URL.canParse(v) || new URL(v).pathname.replace(/\/+$/, '') === '', 'must be the site\'s root, such as https://netconf.example.org: conclave is not served under a path (its pages link from /)')
    .optional(),
  /** The site's name in page titles, the header, the feed and mail (domain/editions/site-name.ts). */
  SITE_NAME: z
    .string()
    .trim()
    .max(100, 'must be at most 100 characters')
    .refine(noComment, { message: TRAILING_COMMENT, abort: true })
    .refine((v) => !/[\u0000-\u001f\u007f<>]/.test(v), 'must be one line of text without < or >')
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').refine(parsesAsUrl, 'is not a valid URL').optional(),
  /** Logs (pino, one JSON object a line on stdout): how much, and whether made readable. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent').default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], 'must be json or pretty').default('json'),
  /** The page cache: notify (PostgreSQL tells of writes), strict (a look before each hit), off. */
  CONCLAVE_CACHE: z.enum(['notify', 'strict', 'off'], 'must be notify, strict or off').default('notify'),
  MAIL_REPLY_TO: z.string().regex(/^([^<>\r\n]*<[^<>\s]+@[^<>\s]+>|[^<>\s]+@[^<>\s]+)$/, 'must be an address, or "Name <address>"').optional(),
  MAIL_FROM: z
    .string()
    .regex(/^([^<>\r\n]*<[^<>\s]+@[^<>\s]+>|[^<>\s]+@[^<>\s]+)$/, 'must be an address, or "Name <address>"')
    .optional(),
  /** Largest upload (slides, photos) in MB; default 50. */
  CONCLAVE_MAX_UPLOAD_MB: z.coerce.number('must be a number of megabytes').positive('must be more than 0').max(4096, 'must be at most 4096').default(50),
  /** Inbound mail: the address whose plus form carries an invitation's token (rsvp+TOKEN@host). */
  MAIL_RSVP_ADDRESS: z
    .string()
    .regex(/^([^<>\r\n]*<[^<>\s+]{1,11}@[^<>\s]+>|[^<>\s+]{1,11}@[^<>\s]+)$/, 'must be an address without "+" whose local part has at most 11 characters (the token adds 53), or "Name <address>"')
    .optional(),
  /** Largest inbound message in MB; default 10. */
  CONCLAVE_MAX_INBOUND_MB: z.coerce.number('must be a number of megabytes').positive('must be more than 0').max(100, 'must be at most 100').default(10),
  /** Inbound SMTP connections at once from one address; default 10, at most the 100 in all (smtp-listener.ts). */
  CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS: z.coerce
    .number('must be a whole number of connections')
    .int('must be a whole number of connections')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100, the connections the listener takes in all')
    .default(10),
  /** Whose X-Forwarded-For is believed: the proxies in front (loopback, addresses, a hop count, or none). */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(trustsWell, 'must be loopback, none, a number of proxies, or addresses and networks (such as 10.0.0.0/8) separated by commas')
    .default('loopback'),
  /** The embedded database's buffer pool (shared_buffers) in MB; default 16 (src/db/connect.ts). */
  CONCLAVE_PGLITE_BUFFERS_MB: z.coerce.number('must be a whole number of megabytes').int('must be a whole number of megabytes').min(1, 'must be at least 1').max(1024, 'must be at most 1024').default(16),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  baseUrl: string;
  smtpUrl: string | undefined;
  /** SITE_NAME; unset: the only series' name, else conclave (siteNameOf). */
  siteName: string | undefined;
  /** The From of every mail; replies go to it unless an edition says otherwise. */
  mailFrom: string;
  /** Where replies to invitations go (default: MAIL_FROM). */
  mailReplyTo: string;
  /** Where mail goes without SMTP_URL: .eml files, read in the admin. */
  mailboxDir: string;
  /** Uploaded files (logos, slides), by content hash; also with DATABASE_URL. */
  filesDir: string;
  /** Largest accepted upload in bytes (CONCLAVE_MAX_UPLOAD_MB, default 50 MB). */
  maxUploadBytes: number;
  /** LOG_LEVEL (default info) and LOG_FORMAT (json, or pretty for a person reading). */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logFormat: 'json' | 'pretty';
  /** CONCLAVE_CACHE: how the page cache learns of writes (notify needs PostgreSQL; else strict), or off. */
  cacheMode: 'notify' | 'strict' | 'off';
  /** MAIL_RSVP_ADDRESS: invitation mail is answered to its plus form carrying the token; none when unset. */
  mailRsvpAddress: string | undefined;
  /** Largest inbound message in bytes (CONCLAVE_MAX_INBOUND_MB, default 10 MB). */
  maxInboundBytes: number;
  /** CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS: SMTP listener connections at once from one address (default 10). */
  inboundPerAddress: number;
  /** CONCLAVE_PGLITE_BUFFERS_MB: the embedded database's shared_buffers, in MB (default 16). */
  pgliteBuffersMB: number;
  /**
   * TRUST_PROXY: the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (Fastify's
   * trustProxy); a client's own X-Forwarded-For is not, else it could choose the address that the
   * rate limits count it by.
   */
  trustProxy: false | number | string;
  /**
   * Which mail settings the environment gave, rather than their defaults: a command takes the
   * others from what the server last ran with (domain/mail/server-settings.ts).
   */
  given: { baseUrl: boolean; mailFrom: boolean; mailReplyTo: boolean; mailRsvpAddress: boolean };
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * mkdir -p, by hand: Node's recursive mkdirSync never returns where a parent exists but refuses
 * the child with ENOENT (as /proc does), trying again for ever; here the second refusal is thrown.
 */
function makeDir(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    if (code !== 'ENOENT' || path.dirname(dir) === dir) throw err;
    makeDir(path.dirname(dir));
    fs.mkdirSync(dir);
  }
}

/**
 * The directories `serve` writes under CONCLAVE_DATA, made when missing: uploaded files always
 * (also on PostgreSQL), and the local mailbox when there is no SMTP_URL. One it cannot make or
 * write is a configuration error naming CONCLAVE_DATA, said at start rather than at the first
 * upload or mail.
 */
export function checkDataDirs(config: Pick<Config, 'dataDir' | 'filesDir' | 'mailboxDir' | 'smtpUrl'>): void {
  for (const [dir, what] of [[config.filesDir, 'uploaded files'], ...(config.smtpUrl ? [] : [[config.mailboxDir, 'mail (there is no SMTP_URL)']])] as const) {
    try {
      makeDir(dir);
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new ConfigError(`CONCLAVE_DATA=${JSON.stringify(config.dataDir)}: cannot write ${dir} (${why}), where the server keeps ${what}: set CONCLAVE_DATA to a directory it may write`);
    }
  }
}

/**
 * The From conclave writes without MAIL_FROM: the site's committee (SITE_NAME, siteNameOf) at
 * committee@ the host of BASE_URL. The name is quoted where a mail address's syntax would
 * otherwise read it as more than a name (a comma, a dot, a colon …).
 */
export function committeeFrom(siteName: string, baseUrl: string): string {
  const name = `${siteName} committee`;
  const shownName = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : name;
  return `${shownName} <committee@${new URL(baseUrl).hostname}>`;
}

/** A value as an error message may show it: passwords in URLs hidden. */
function shown(value: string | undefined): string {
  if (value === undefined) return '';
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${JSON.stringify(shown(env[String(i.path[0])]))}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  // An IPv6 address is written in brackets in a URL (http://[::1]:3000).
  const shownHost = c.HOST === '0.0.0.0' || c.HOST === '::' ? 'localhost' : c.HOST.includes(':') ? `[${c.HOST}]` : c.HOST;
  const baseUrl = (c.BASE_URL ?? `http://${shownHost}:${c.PORT}`).replace(/\/+$/, '');
  const dataDir = path.resolve(c.CONCLAVE_DATA);
  const from = c.MAIL_FROM ?? committeeFrom(c.SITE_NAME || DEFAULT_SITE_NAME, baseUrl);
  return {
    databaseUrl: c.DATABASE_URL,
    dataDir,
    port: c.PORT,
    host: c.HOST,
    baseUrl,
    smtpUrl: c.SMTP_URL,
    siteName: c.SITE_NAME || undefined,
    mailFrom: from,
    mailboxDir: path.join(dataDir, 'mailbox'),
    filesDir: path.join(dataDir, 'files'),
    maxUploadBytes: Math.round(c.CONCLAVE_MAX_UPLOAD_MB * 1048576),
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    cacheMode: c.CONCLAVE_CACHE,
    mailRsvpAddress: c.MAIL_RSVP_ADDRESS,
    maxInboundBytes: Math.round(c.CONCLAVE_MAX_INBOUND_MB * 1048576),
    inboundPerAddress: c.CONCLAVE_INBOUND_CONNECTIONS_PER_ADDRESS,
    pgliteBuffersMB: c.CONCLAVE_PGLITE_BUFFERS_MB,
    trustProxy: trustProxyOf(c.TRUST_PROXY),
    given: { baseUrl: c.BASE_URL !== undefined, mailFrom: c.MAIL_FROM !== undefined, mailReplyTo: c.MAIL_REPLY_TO !== undefined, mailRsvpAddress: c.MAIL_RSVP_ADDRESS !== undefined },
    mailReplyTo: c.MAIL_REPLY_TO ?? from,
  };
}

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the DATABASE_URL';
  }
}
