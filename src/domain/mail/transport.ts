/**
 * The only file that knows Nodemailer and SMTP. A transport turns an outbox row into a plain-text
 * RFC 5322 message and either hands it to the SMTP server of SMTP_URL or, without one, writes it
 * to the local mailbox directory as an .eml file.
 *
 * Mail is text/plain; charset=utf-8, sent as it reads, as git send-email sends a patch: 7bit when
 * it is ASCII, 8bit (UTF-8 as is) when it is not, quoted-printable only when a line is longer than
 * SMTP allows (see `sendAsWritten`). The Subject keeps its plain words as they are and encodes
 * only the words outside ASCII as RFC 2047 encoded words (`writeSubject`); other headers outside
 * ASCII (a display name) are encoded words as Nodemailer writes them. With
 * Message-ID, Date, Reply-To and, for replies in a thread, In-Reply-To and References. No
 * Auto-Submitted header on what the committee sends: these are personal mails people answer, and
 * auto-responders and list software treat auto-submitted mail as not worth answering. The replies
 * conclave writes by itself to inbound mail (kinds `inbound-…`) are `Auto-Submitted: auto-replied`
 * (RFC 3834), so that a robot does not answer them, and its notices to the committee (a mail to
 * read, a speaker who left, a topic revised) `Auto-Submitted: auto-generated` (outbox.ts autoSubmitted).
 */
import nodemailer, { type NodemailerError, type PluginFunction, type SendMailOptions } from 'nodemailer';
import type { MailTransportKind } from '../../db/schema.js';
import { foldedHeaderText } from './header-text.js';
import { findMailboxFile, mailboxFileName, writeMailboxFile } from './mailbox.js';
import { autoSubmitted, type OutboxMessage } from './outbox.js';

/** What a transport needs of an outbox row. */
export type OutgoingMail = Pick<
  OutboxMessage,
  'id' | 'kind' | 'message_id' | 'to_address' | 'to_name' | 'from_address' | 'reply_to' | 'subject' | 'body' | 'in_reply_to' | 'references_ids'
>;

export interface SendOptions {
  /** The Date header, and the time in the mailbox file's name. */
  date: Date;
  /** Aborting gives up the send: the connection is closed and send rejects (temporary). */
  signal?: AbortSignal;
}

export interface MailTransport {
  readonly kind: MailTransportKind;
  /** Delivers one message; resolves with the server's reply, or rejects with SendFailed. */
  send(mail: OutgoingMail, opts: SendOptions): Promise<{ response: string }>;
  close(): void;
}

/** A send that did not go through; `temporary` tells whether trying again later may help. */
export class SendFailed extends Error {
  override name = 'SendFailed';
  constructor(
    message: string,
    readonly temporary: boolean,
    readonly code?: string,
    readonly responseCode?: number,
  ) {
    super(message);
  }
}

export type TransportConfig = { smtpUrl: string } | { mailboxDir: string };

// Each bounded, so that one send always ends well within the worker's lease (worker.ts).
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * Whether an error from Nodemailer is worth retrying. SMTP says it by the reply class: 4xx is
 * temporary, 5xx permanent (except 503, a session out of step, which a new connection clears).
 * With no reply at all (refused, reset, timed out, DNS, TLS) the server was not reached, so the
 * message was not judged: temporary. Authentication failures are the server's configuration,
 * not the message's fault: temporary too, so mail waits for the committee to fix SMTP_URL.
 */
export function isTemporary(err: unknown): boolean {
  const e = (err ?? {}) as NodemailerError;
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') return true;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    return !(e.responseCode >= 500 && e.responseCode < 600 && e.responseCode !== 503);
  }
  // The message itself cannot be sent: no valid recipient, or a part that cannot be built.
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || e.code === 'EMAXRECIPIENTS') return false;
  return true;
}

/** The error as one line for outbox.last_error: the server's reply if there was one. */
function errorLine(err: unknown): string {
  const e = (err ?? {}) as NodemailerError;
  const text = (e.response || (err instanceof Error ? err.message : String(err))).replace(/\s+/g, ' ').trim();
  const code = e.code && !text.startsWith(e.code) ? `${e.code}: ` : '';
  const orig = e.originalCode && !text.includes(e.originalCode) ? ` (${e.originalCode})` : '';
  return `${code}${text}${orig}`.slice(0, 2000);
}

function toSendFailed(err: unknown): SendFailed {
  if (err instanceof SendFailed) return err;
  const e = (err ?? {}) as NodemailerError;
  return new SendFailed(errorLine(err), isTemporary(err), e.code, e.responseCode);
}

/** The message as Nodemailer composes it, the same for SMTP and the mailbox. */
function message(mail: OutgoingMail, opts: SendOptions): SendMailOptions {
  return {
    from: mail.from_address,
    to: mail.to_name ? { name: mail.to_name, address: mail.to_address } : mail.to_address,
    ...(mail.reply_to ? { replyTo: mail.reply_to } : {}),
    subject: mail.subject,
    text: mail.body,
    messageId: mail.message_id,
    date: opts.date,
    ...(mail.in_reply_to ? { inReplyTo: mail.in_reply_to } : {}),
    ...(mail.references_ids ? { references: mail.references_ids.split(/\s+/).filter(Boolean) } : {}),
    // A notice to the committee of such mail is not a reply, but as automatic (RFC 3834).
    ...(autoSubmitted(mail.kind) ? { headers: { 'Auto-Submitted': autoSubmitted(mail.kind)! } } : {}),
    // Q, not B, for encoded words in headers, and quoted-printable for a body that cannot go as
    // it is (sendAsWritten): Nodemailer otherwise picks base64 for a text with more letters
    // outside ASCII than in it (a name in Japanese), which no person reads in a mail's source.
    textEncoding: 'quoted-printable',
    // Plain text from our own templates: never let a value make Nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** The longest line SMTP and RFC 5322 allow, in octets, without its CRLF. */
const MAX_LINE_OCTETS = 998;

/**
 * How a plain-text body can go without any encoding: '7bit' when it is ASCII, '8bit' when it is
 * not (UTF-8 as is), undefined when it cannot (a line longer than 998 octets, a NUL or a CR that
 * is not part of a line end), and needs quoted-printable; much as git send-email's
 * --transfer-encoding=auto decides.
 */
export function unencodedTransfer(body: string): '7bit' | '8bit' | undefined {
  if (/\0|\r(?!\n)/.test(body)) return undefined;
  if (body.split(/\r?\n/).some((line) => Buffer.byteLength(line, 'utf8') > MAX_LINE_OCTETS)) return undefined;
  return /[^\x00-\x7f]/.test(body) ? '8bit' : '7bit';
}

/**
 * Sends the text part as written, per unencodedTransfer. Nodemailer encodes a text part whose
 * lines are longer than 76 characters or that is not ASCII as quoted-printable (or base64),
 * whatever Content-Transfer-Encoding it is asked for (mime-node's getTransferEncoding keeps only
 * those two for text/*): soft line breaks cut a personal link in the source, and "=E2=80=9C"
 * stands for every quote. So, once the message is composed and before it is streamed, its one
 * node is told its encoding; anything else passes through it as is, and the SMTP data stream
 * and the mailbox's newline conversion make every line end CRLF. 8bit mail also asks for
 * BODY=8BITMIME (RFC 6152), which Nodemailer sends when the server announces 8BITMIME. It does
 * not tell us whether it did; a server that does not still gets the mail 8bit, as from git
 * send-email.
 */
const sendAsWritten: PluginFunction = (mail, done) => {
  const node = mail.message;
  const text = mail.data.text;
  const encoding = node && node.childNodes.length === 0 && typeof text === 'string' ? unencodedTransfer(text) : undefined;
  if (node && encoding) {
    node.getTransferEncoding = () => encoding;
    if (encoding === '8bit') node.setEnvelope({ ...node.getEnvelope(), use8BitMime: true });
  }
  done();
};

/**
 * Writes the Subject as foldedHeaderText does, in the place Nodemailer gave it among the headers:
 * Nodemailer encodes a whole subject for one word outside ASCII, or for a straight `"`, and the
 * raw mail, grep and list archives then read =?UTF-8?Q?…?= for "Toke Høiland-Jørgensen will not
 * come" or 'XDP "multi-buffer"'.
 */
const writeSubject: PluginFunction = (mail, done) => {
  const subject = mail.data.subject;
  if (mail.message && typeof subject === 'string' && subject.trim()) {
    mail.message.setHeader('Subject', { prepared: true, value: foldedHeaderText('Subject', subject) });
  }
  done();
};

function smtpTransport(smtpUrl: string): MailTransport {
  // One connection per message, no pool: a pooled connection the server dropped while idle
  // would fail the next message for nothing, and the pool's own re-sends would bypass the
  // outbox's record. The outbox is the only place that retries.
  const transporter = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  transporter.use('stream', writeSubject);
  transporter.use('stream', sendAsWritten);
  return {
    kind: 'smtp',
    async send(mail, opts) {
      try {
        const info = await transporter.sendMail(message(mail, opts));
        return { response: String(info.response ?? '').trim() || 'accepted' };
      } catch (err) {
        throw toSendFailed(err);
      }
    },
    close: () => transporter.close(),
  };
}

function mailboxTransport(dir: string): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  composer.use('stream', writeSubject);
  composer.use('stream', sendAsWritten);
  return {
    kind: 'mailbox',
    async send(mail, opts) {
      try {
        opts.signal?.throwIfAborted();
        // A file of this message means an earlier run wrote it and stopped before recording it:
        // delivered already, so the mailbox never holds a message twice.
        const existing = await findMailboxFile(dir, mail.id, mail.message_id);
        if (existing) return { response: `mailbox: ${existing} (already delivered)` };
        const info = await composer.sendMail(message(mail, opts));
        const name = mailboxFileName(opts.date, mail.id);
        await writeMailboxFile(dir, name, info.message as Buffer);
        return { response: `mailbox: ${name}` };
      } catch (err) {
        // A full disk or a permission (ENOSPC, EACCES) is temporary: fixed by someone, then sent.
        throw toSendFailed(err);
      }
    },
    close: () => composer.close(),
  };
}

/**
 * A transport for the configuration: SMTP to SMTP_URL when there is one, else the local
 * mailbox directory (under the data directory) that the committee reads in the admin.
 */
export function createTransport(config: TransportConfig): MailTransport {
  return 'smtpUrl' in config ? smtpTransport(config.smtpUrl) : mailboxTransport(config.mailboxDir);
}
