/**
 * The local mailbox: without SMTP_URL, mail is "delivered" as RFC 5322 files,
 * `<sent-at>-<outbox-id>.eml`, in a directory under the data directory. The committee reads them
 * in the admin (the outbox rows sent with transport 'mailbox') or with any mail program.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** The file name of a delivered message: sortable by time, findable by outbox id. */
export function mailboxFileName(sentAt: Date, outboxId: number): string {
  // ISO 8601 without colons, which some file systems and tools refuse.
  return `${sentAt.toISOString().replace(/:/g, '')}-${outboxId}.eml`;
}

/**
 * The file already delivered for an outbox id, if any (its name, not its path). With the
 * message's Message-ID, only a file of that message counts: another database using the same
 * data directory (the embedded one, then PostgreSQL) numbers its outbox from 1 too, and its
 * files are not this message.
 */
export async function findMailboxFile(dir: string, outboxId: number, messageId?: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const suffix = `-${outboxId}.eml`;
  for (const name of names.filter((n) => n.endsWith(suffix) && !n.startsWith('.')).sort()) {
    if (messageId === undefined || (await messageIdOf(path.join(dir, name))) === messageId) return name;
  }
  return undefined;
}

/** The Message-ID header of a message file ('<…>'), or undefined. */
async function messageIdOf(file: string): Promise<string | undefined> {
  const text = (await fs.readFile(file)).toString('latin1');
  const head = text.split(/\r?\n\r?\n/, 1)[0]!;
  return /^Message-ID:[ \t]*(<[^>\r\n]*>)/im.exec(head)?.[1];
}

/**
 * Writes a message file atomically: a reader (or a crash) sees the whole message or none of it,
 * never half. Temp file in the same directory, flushed, then renamed into place.
 */
export async function writeMailboxFile(dir: string, name: string, message: Buffer): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const final = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.tmp`);
  const fh = await fs.open(temp, 'wx', 0o640);
  try {
    await fh.writeFile(message);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(temp, final);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
  return final;
}

/** The raw message delivered to the mailbox for an outbox id, or undefined (for the admin). */
export async function readMailboxMessage(dir: string, outboxId: number, messageId?: string): Promise<Buffer | undefined> {
  const name = await findMailboxFile(dir, outboxId, messageId);
  return name === undefined ? undefined : fs.readFile(path.join(dir, name));
}
