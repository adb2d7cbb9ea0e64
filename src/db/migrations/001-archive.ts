import { sql, type Kysely } from 'kysely';

/**
 * The archive: series, editions and everything a Netconf page holds.
 *
 * Shaped for the issues to come: people carry several addresses, each with its own "may be
 * shown" flag; topics hold both the 2004 numbered proposals and later proposals by invitees;
 * materials point at a slot, a topic or the edition, by link or by stored file (content hash).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('series')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('editions')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('series_id', 'integer', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('subtitle', 'text')
    .addColumn('motto', 'text')
    .addColumn('intro', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('location_text', 'text')
    .addColumn('city', 'text')
    .addColumn('region', 'text')
    .addColumn('country', 'text')
    .addColumn('dates_text', 'text')
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('time_zone', 'text')
    .addColumn('colocated_name', 'text')
    .addColumn('colocated_sentence', 'text')
    .addColumn('colocated_dates_text', 'text')
    .addColumn('colocated_start', 'date')
    .addColumn('colocated_end', 'date')
    .addColumn('colocated_place', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('planned').check(sql`status in ('planned', 'tentative', 'final')`),
    )
    .addColumn('attendees_label', 'text')
    .addColumn('has_attendee_list', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('materials_label', 'text')
    .addColumn('sections', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('source_file', 'text')
    .addColumn('source_sha256', 'text')
    .addColumn('import_report', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('editions_series_year', ['series_id', 'year'])
    .addCheckConstraint('editions_dates', sql`end_date is null or start_date is null or end_date >= start_date`)
    .execute();

  await db.schema
    .createTable('people')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('affiliation', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('people_name_key').on('people').column('name_key').execute();

  await db.schema
    .createTable('person_names')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_names_pk', ['person_id', 'name'])
    .execute();

  await db.schema
    .createTable('person_emails')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('is_public', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_primary', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('person_emails_lower')
    .on('person_emails')
    .expression(sql`lower(email)`)
    .unique()
    .execute();

  await db.schema
    .createTable('committee_members')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('role', 'text')
    .addColumn('email_redacted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('committee_members_once', ['edition_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('attendances')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('name_as_listed', 'text', (c) => c.notNull())
    .addColumn('email_as_listed', 'text')
    .addColumn('email_redacted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('page').check(sql`source in ('page', 'invitees', 'invitation')`))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addUniqueConstraint('attendances_once', ['edition_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('sponsors')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('company', 'event')`))
    .addColumn('url', 'text')
    .addColumn('logo_alt', 'text')
    .addColumn('logo_src', 'text')
    .addColumn('logo_sha256', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agenda_days')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('topics')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('proposed-list', 'invitee', 'proposal')`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('accepted'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('topic_presenters')
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('topic_presenters_pk', ['topic_id', 'person_id'])
    .execute();

  await db.schema
    .createTable('slots')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('day_id', 'integer', (c) => c.notNull().references('agenda_days.id').onDelete('cascade'))
    .addColumn('start_time', 'text', (c) => c.notNull().check(sql`start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('end_time', 'text', (c) => c.check(sql`end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('open_ended', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('time_text', 'text')
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('talk', 'discussion', 'break', 'meal', 'social')`),
    )
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('talk_title', 'text')
    .addColumn('room', 'text')
    .addColumn('topic_id', 'integer', (c) => c.references('topics.id').onDelete('set null'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('slot_speakers')
    .addColumn('slot_id', 'integer', (c) => c.notNull().references('slots.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('name_as_listed', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('slot_speakers_pk', ['slot_id', 'position'])
    .execute();

  await db.schema
    .createTable('files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('materials')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('slot_id', 'integer', (c) => c.references('slots.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.references('topics.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(sql`kind in ('slides', 'notes', 'photo', 'group-photo', 'animation', 'whitepaper', 'video', 'other')`),
    )
    .addColumn('format', 'text')
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('about', 'text')
    .addColumn('url', 'text')
    .addColumn('file_sha256', 'text', (c) => c.references('files.sha256'))
    .addColumn('file_name', 'text')
    .addColumn('credit', 'text')
    .addColumn('author_id', 'integer', (c) => c.references('people.id'))
    .addColumn('body', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('edition_references')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('edition_id', 'integer', (c) => c.notNull().references('editions.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  for (const [table, column] of [
    ['committee_members', 'edition_id'],
    ['attendances', 'edition_id'],
    ['attendances', 'person_id'],
    ['sponsors', 'edition_id'],
    ['agenda_days', 'edition_id'],
    ['topics', 'edition_id'],
    ['slots', 'day_id'],
    ['slot_speakers', 'person_id'],
    ['materials', 'edition_id'],
    ['committee_members', 'person_id'],
    ['topic_presenters', 'person_id'],
  ] as const) {
    await db.schema.createIndex(`${table}_${column}`).on(table).column(column).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
