/**
 * Secrets handed to people (sign-in links, session cookies, invitation links): 256 random bits,
 * base64url in the clear for the person, and only their SHA-256 in the database.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
