/**
 * The reply address that carries an invitation's token: MAIL_RSVP_ADDRESS with the token after a
 * plus, `rsvp+<token>@host`. Mail systems may fold the case of a local part, and a token is
 * case-sensitive base64url; so the address carries the same 32 bytes in lowercase base32 (52
 * characters), which survives folding, and is read back to the token the link uses. The token is
 * a secret like the link: it is never logged, and kept only hidden (hide-secrets.ts).
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** The token part of a plus address: 52 base32 characters, any case. */
const PLUS_TOKEN = /\+([a-z2-7]{52})@/i;

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
 * The Reply-To for an invitee mail carrying `token`: "Name <rsvp+…@host>" from MAIL_RSVP_ADDRESS
 * (its display name kept). Throws on a token not shaped as conclave issues them.
 */
export function rsvpReplyAddress(rsvpAddress: string, token: string): string {
  if (!TOKEN_SHAPE.test(token)) throw new Error('not a conclave token');
  const { name, local, domain } = splitAddress(rsvpAddress);
  const addr = `${local}+${base32(Buffer.from(token, 'base64url'))}@${domain}`;
  return name ? `${name} <${addr}>` : addr;
}

/** The token carried by an address (`…+<base32>@…`), as the link has it; null when it has none. */
export function tokenFromAddress(address: string): string | null {
  const m = PLUS_TOKEN.exec(address);
  if (!m) return null;
  const bytes = fromBase32(m[1]!);
  return bytes.length >= 32 ? bytes.subarray(0, 32).toString('base64url') : null;
}

