/**
 * Reading an inbound message: mailparser decodes MIME (multipart, quoted-printable, base64, any
 * charset) and turns HTML-only mail into text; what conclave needs of it is taken here, once.
 * A message without a From address is malformed. A message without a Message-ID is given one
 * made from the SHA-256 of its bytes, so that the same bytes delivered twice still act once.
 */
import { createHash } from 'node:crypto';
import type { AddressObject, HeaderValue } from 'mailparser';
import { detectAutoReply } from './auto-reply.js';

export interface InboundMail {
  messageId: string;
  /** The From address, lowercased domain and local part as written (compare case-insensitively). */
  from: string;
  fromName: string | null;
  /** Every recipient the headers name (To, Cc, Delivered-To, X-Original-To), for a token address. */
  recipients: string[];
  subject: string;
  date: Date | null;
  inReplyTo: string | null;
  /** In-Reply-To and References, each "<id>", in order, without repeats. */
  threadIds: string[];
  references: string[];
  /** The text: the plain part, or the HTML part made text. */
  text: string;
  /** Why this is an automatic message (out of office, bulk, bounce), or null. */
  autoReply: string | null;
}

export class MalformedMail extends Error {
  override name = 'MalformedMail';
}

/** "<id@host>" from a header value, or null when it holds none. */
function oneId(v: string | undefined | null): string | null {
  if (!v) return null;
  const m = /<[^<>\s]+>/.exec(v);
  if (m) return m[0];
  const bare = v.trim();
  return /^[^<>\s]+@[^<>\s]+$/.test(bare) ? `<${bare}>` : null;
}

function allIds(v: string | string[] | undefined): string[] {
  if (!v) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.flatMap((s) => s.match(/<[^<>\s]+>/g) ?? (oneId(s) ? [oneId(s)!] : []));
}

function addresses(obj: AddressObject | AddressObject[] | undefined): string[] {
  const list = obj === undefined ? [] : Array.isArray(obj) ? obj : [obj];
  const out: string[] = [];
  const walk = (values: AddressObject['value']) => {
    for (const v of values) {
      if (v.address) out.push(v.address);
      if (v.group) walk(v.group);
    }
  };
  for (const o of list) walk(o.value);
  return out;
}

function headerText(v: HeaderValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => headerText(x as HeaderValue)).join(', ');
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  if (typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  return String(v);
}

/**
 * A header's value as written (its first occurrence, unfolded), or undefined. mailparser makes
 * Return-Path an address object, and the null sender `<>` then has no address and no text: read
 * from the parsed value it looks like no Return-Path at all, and a bounce like a person's reply.
 */
function rawHeader(lines: readonly { key: string; line: string }[], key: string): string | undefined {
  const found = lines.find((h) => h.key === key);
  return found ? found.line.slice(found.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim() : undefined;
}

/** The Message-ID conclave gives a message that has none: from its bytes. */
export function syntheticMessageId(raw: Buffer): string {
  return `<sha256-${createHash('sha256').update(raw).digest('hex')}@inbound.conclave.invalid>`;
}

/** Parses one RFC 5322 message; MalformedMail when it is not one conclave can read. */
export async function parseInbound(raw: Buffer): Promise<InboundMail> {
  // Loaded on the first message: serving pages never needs mailparser. A CommonJS package: its
  // module.exports is the default export, both under Node and in the bundle (whose split chunk
  // for it has no named exports). Outside the try: a program that cannot load its parser is
  // broken, not the message.
  const { simpleParser } = (await import('mailparser')).default;
  let m;
  try {
    m = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  } catch (err) {
    throw new MalformedMail(`the message could not be parsed (${(err as Error).message})`);
  }
  const from = m.from?.value.find((v) => v.address && v.address.includes('@'));
  if (!from?.address) {
    throw new MalformedMail(m.headers.size === 0 ? 'no mail headers: this is not a mail message' : 'no From address');
  }
  const extra = ['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => headerText(m.headers.get(h)).split(/[,\s]+/).filter((s) => s.includes('@')));
  const inReplyTo = oneId(m.inReplyTo ?? null);
  const references = allIds(m.references);
  const threadIds = [...new Set([...(inReplyTo ? [inReplyTo] : []), ...references])];
  const subject = (m.subject ?? '').replace(/\s+/g, ' ').trim();
  const headers = new Map<string, string>([...m.headers.keys()].map((k) => [k, headerText(m.headers.get(k))]));
  const returnPath = rawHeader(m.headerLines, 'return-path');
  if (returnPath !== undefined) headers.set('return-path', returnPath);
  return {
    messageId: oneId(m.messageId ?? null) ?? syntheticMessageId(raw),
    from: from.address,
    fromName: from.name || null,
    recipients: [...addresses(m.to), ...addresses(m.cc), ...extra.map((s) => s.replace(/^<|>$/g, ''))],
    subject,
    date: m.date && !Number.isNaN(m.date.getTime()) ? m.date : null,
    inReplyTo,
    threadIds,
    references,
    text: (m.text ?? '').replace(/\r\n?/g, '\n'),
    autoReply: detectAutoReply(headers, subject, from.address),
  };
}
