import { sql, type Kysely } from 'kysely';

/**
 * The invitation says which event the edition is held with. The built-in invitation never used
 * {{edition_colocated}}, so that the mail left out what is for Netconf the main travel fact
 * (held with Netdev, days before, in the same city), though the invitee's page gave it; and it
 * said "in one room for a few days", wrong for a two-day edition. The new default has a line
 * {{edition_held_with}} that is gone when there is no such event (domain/mail/template-keys.ts).
 * A committee's saved text still equal to the old default (saved unchanged from the editor, or
 * from `conclave template`) is the default, not its own words: it gets the new text. A text the
 * committee wrote itself is left as it is.
 *
 * The texts are written out here, not imported: a later change of the defaults must not change
 * what this migration did.
 */
export const INVITATION_WAS = `Hello {{name}},

we would like to invite you to {{edition_title}}, {{edition_dates}},
in {{edition_place}}.

{{edition_title}} is a small, invitation-only workshop: the people
who write and maintain the code, in one room for a few days, talking
through what is broken and what should come next.

Please let us know by {{answer_by}} whether you can come, on your
personal page:

  {{link}}

or just by replying "yes" or "no" to this mail. The link is yours
alone, please do not forward it. Questions? Reply as well: your mail
reaches the committee.

Thanks,
{{committee}}
`;

export const INVITATION_NOW = `Hello {{name}},

we would like to invite you to {{edition_title}}, {{edition_dates}},
in {{edition_place}}.
{{edition_held_with}}
{{edition_title}} is a small, invitation-only workshop: the people
who write and maintain the code, together in one room, talking
through what is broken and what should come next.

Please let us know by {{answer_by}} whether you can come, on your
personal page:

  {{link}}

or just by replying "yes" or "no" to this mail. The link is yours
alone, please do not forward it. Questions? Reply as well: your mail
reaches the committee.

Thanks,
{{committee}}
`;

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The rewrite: rows restored from a backup made before this migration go through it too. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  await sql`update mail_templates set body = ${INVITATION_NOW} where key = 'invitation' and body = ${INVITATION_WAS}`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
