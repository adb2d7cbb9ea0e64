/**
 * .mailmap, read the way git reads it (gitmailmap(5)): each line maps a commit's address — and,
 * when given, its name — to a proper name and/or address; addresses and names match
 * case-insensitively; an entry naming the old name wins over one that does not; later entries
 * (from --mailmap) override earlier ones (the repository's).
 */
import { createHash } from 'node:crypto';
import { cleanAddress, cleanName, type Ident } from './ident.js';

interface Entry {
  name: string | null;
  email: string | null;
}

interface EmailEntry {
  simple: Entry | null;
  byName: Map<string, Entry>;
}

export class Mailmap {
  private readonly byEmail = new Map<string, EmailEntry>();
  private readonly hash = createHash('sha256');
  private entries = 0;

  /** Adds the lines of one .mailmap file's text. */
  add(text: string): this {
    this.hash.update(text).update('\0');
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trimStart();
      if (!line || line.startsWith('#')) continue;
      const first = nameAndEmail(line);
      if (!first) continue;
      const second = nameAndEmail(first.rest);
      let newName = first.name;
      let newEmail: string | null = first.email;
      let oldEmail: string;
      let oldName: string | null = null;
      if (second) {
        oldEmail = second.email;
        oldName = second.name;
      } else {
        oldEmail = newEmail;
        newEmail = null;
      }
      const key = oldEmail.toLowerCase();
      let e = this.byEmail.get(key);
      if (!e) this.byEmail.set(key, (e = { simple: null, byName: new Map() }));
      if (oldName === null) {
        e.simple ??= { name: null, email: null };
        if (newName) e.simple.name = newName;
        if (newEmail) e.simple.email = newEmail;
      } else {
        e.byName.set(oldName.toLowerCase(), { name: newName, email: newEmail });
      }
      this.entries++;
    }
    return this;
  }

  get size(): number {
    return this.entries;
  }

  /** A short digest of every text added: part of a cached scan's key. */
  digest(): string {
    return this.hash.copy().digest('hex').slice(0, 16);
  }

  /** The proper identity for a commit's (or a trailer's) name and address. */
  map(name: string, email: string): Ident {
    const e = this.byEmail.get(email.toLowerCase());
    if (!e) return { name, email };
    const hit = (e.byName.size ? e.byName.get(name.toLowerCase()) : undefined) ?? e.simple;
    if (!hit) return { name, email };
    return { name: hit.name ?? name, email: hit.email ?? email };
  }
}

/** `Name <email>` at the start of s; the name may be empty (null). */
function nameAndEmail(s: string): { name: string | null; email: string; rest: string } | null {
  const lt = s.indexOf('<');
  if (lt < 0) return null;
  const gt = s.indexOf('>', lt + 1);
  if (gt < 0) return null;
  const name = cleanName(s.slice(0, lt));
  return { name: name || null, email: cleanAddress(s.slice(lt + 1, gt)), rest: s.slice(gt + 1) };
}
