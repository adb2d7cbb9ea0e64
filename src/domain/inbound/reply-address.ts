/**
 * The reply address of an invitee mail: MAIL_RSVP_ADDRESS with the token's reply key after a plus,
 * `rsvp+<key>@host`. The key (invitations/tokens.ts replyKeyOf) matches a reply to the invitation
 * and is no link: the address is Cc'd to lists and logged by mail servers. Mail systems may fold
 * the case of a local part, and a key is case-sensitive base64url; so the address carries its 32
 * bytes in lowercase base32 (52 characters), which survives folding. Mail sent before reply keys
 * carried the token itself there: such an address is still read (findReplyKey), never written.
 * Both are hidden where conclave keeps mail (hide-secrets.ts).
 */
import type { ReplyKey } from '../invitations/tokens.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** The key part of a plus address: 52 base32 characters, any case. */
const PLUS_KEY = /\+([a-z2-7]{52})@/i;

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string): Buffer {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toLowerCase()) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** Splits "Name <a@b>" or "a@b" into its display name and address. */
export function splitAddress(address: string): { name: string | null; local: string; domain: string } {
  const m = /^\s*(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))\s*$/.exec(address);
  const addr = m?.[2] ?? m?.[3] ?? address.trim();
  const at = addr.lastIndexOf('@');
  const name = m?.[1]?.replace(/^"|"$/g, '').trim() || null;
  return { name, local: addr.slice(0, at), domain: addr.slice(at + 1) };
}

/**
 * The Reply-To for an invitee mail whose reply key is `key`: "Name <rsvp+…@host>" from
 * MAIL_RSVP_ADDRESS (its display name kept). Throws on a key not shaped as replyKeyOf makes them.
 */
export function rsvpReplyAddress(rsvpAddress: string, key: ReplyKey): string {
  if (!KEY_SHAPE.test(key)) throw new Error('not a conclave reply key');
  const { name, local, domain } = splitAddress(rsvpAddress);
  const addr = `${local}+${base32(Buffer.from(key, 'base64url'))}@${domain}`;
  return name ? `${name} <${addr}>` : addr;
}

/**
 * The 32 bytes an address carries (`…+<base32>@…`) in base64url: a reply key, or the token of a
 * mail sent before reply keys (invitations/tokens.ts findReplyKey tells which); null when it has none.
 */
export function keyFromAddress(address: string): string | null {
  const m = PLUS_KEY.exec(address);
  if (!m) return null;
  const bytes = fromBase32(m[1]!);
  return bytes.length >= 32 ? bytes.subarray(0, 32).toString('base64url') : null;
}
