/**
 * Named errors of the domain. Domain code throws these; the web error handler and the CLI map
 * each to a status or exit code once (web/app.ts, cli/main.ts).
 */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFound extends DomainError {
  override name = 'NotFound';
}

export class Conflict extends DomainError {
  override name = 'Conflict';
}

/** A named input field is wrong; `field` says which, `message` says why. */
export class InvalidInput extends DomainError {
  override name = 'InvalidInput';
  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`${field}: ${why}`);
  }
}

/** A page could not be imported. Names the file and the line, as a compiler would. */
export class ImportError extends DomainError {
  override name = 'ImportError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    // Line 0: about the file as a whole (it could not be read), not a line of it.
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}

/**
 * Something the command needs is busy or not answering now, and may be later: the same command
 * run again may succeed (the CLI exits 75, EX_TEMPFAIL, so that an MTA keeps the mail and tries
 * again, and systemd restarts the service).
 */
export class TemporaryFailure extends DomainError {
  override name = 'TemporaryFailure';
}

/** Another process holds the embedded database directory. */
export class DataDirLocked extends TemporaryFailure {
  override name = 'DataDirLocked';
}

/** The PostgreSQL server does not answer (down, starting, restarting, or out of connections). */
export class DatabaseUnavailable extends TemporaryFailure {
  override name = 'DatabaseUnavailable';
}

/**
 * A link (sign-in or invitation) that is wrong, expired, used or revoked. The message is shown to
 * the person who opened it; `byMail`, where given, is the same said to one who answered by mail
 * (which carried the link's token) rather than opened the link.
 */
export class LinkInvalid extends DomainError {
  override name = 'LinkInvalid';
  constructor(
    message: string,
    readonly byMail?: string,
  ) {
    super(message);
  }
}

/** The request needs a signed-in committee member. */
export class Unauthorized extends DomainError {
  override name = 'Unauthorized';
}

/** A transition the state machine does not allow from the current state. */
export class InvalidTransition extends Conflict {
  override name = 'InvalidTransition';
  constructor(
    readonly from: string,
    readonly to: string,
    why?: string,
  ) {
    super(why ?? `cannot go from ${from} to ${to}`);
  }
}

/** Several fields of a form are wrong: field → why. The first also serves as a one-line message. */
export class InvalidForm extends InvalidInput {
  override name = 'InvalidForm';
  constructor(readonly fields: Record<string, string>) {
    const [first] = Object.entries(fields);
    super(first?.[0] ?? 'input', first?.[1] ?? 'is not valid');
  }
}

/** Why a file could not be read, in words ("no such file"), for messages that name the file. */
export function fileProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of its path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    default:
      return e?.message ?? String(err);
  }
}
