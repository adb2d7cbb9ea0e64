import { sql, type Kysely } from 'kysely';

/**
 * Default subjects in plain ASCII. The built-in subjects of the topic mails quoted the title in
 * curly quotes, which alone made every such subject an RFC 2047 encoded word (=?UTF-8?Q?…?=):
 * unreadable in raw mail, and missed by a filter on the subject. Straight double quotes would do
 * the same (nodemailer encodes a subject holding one), so the title now goes unquoted, last
 * (domain/mail/template-keys.ts). A committee's saved text still equal to the old default (saved
 * unchanged from the editor, or from `conclave template`) is the default, not its own words:
 * it gets the new subject. A subject the committee wrote itself is left as it is. The same goes
 * for the speakers' change notice, whose default subject is now short ("{{edition_title}}
 * schedule: {{headline}}", the headline a few words: domain/program/schedule-notices.ts).
 *
 * The texts are written out here, not imported: a later change of the defaults must not change
 * what this migration did.
 */
export const PLAIN_SUBJECTS: readonly { key: string; was: string; now: string }[] = [
  {
    key: 'topic-decision',
    was: 'Your topic for {{edition_title}}, \u201c{{topic_title}}\u201d: {{decision}}',
    now: 'Your topic for {{edition_title}} ({{decision}}): {{topic_title}}',
  },
  {
    key: 'topic-revised',
    was: 'Topic #{{topic_number}} for {{edition_title}} revised: \u201c{{topic_title}}\u201d',
    now: 'Topic #{{topic_number}} for {{edition_title}} revised: {{topic_title}}',
  },
  {
    key: 'schedule-change',
    was: 'Schedule change for {{edition_title}}: {{headline}}',
    now: '{{edition_title}} schedule: {{headline}}',
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db);
}

/** The rewrite: rows restored from a backup made before this migration go through it too. */
export async function rewrite(db: Kysely<any>): Promise<void> {
  for (const s of PLAIN_SUBJECTS) {
    await sql`update mail_templates set subject = ${s.now} where key = ${s.key} and subject = ${s.was}`.execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
