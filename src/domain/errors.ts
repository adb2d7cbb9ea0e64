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
    why: string,
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
    super(`${file}:${line}: ${reason}`);
  }
}

/** Another process holds the embedded database directory. */
export class DataDirLocked extends DomainError {
  override name = 'DataDirLocked';
}

/** A link (sign-in or invitation) that is wrong, expired, used or revoked. `why` is shown to the person. */
export class LinkInvalid extends DomainError {
  override name = 'LinkInvalid';
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
