/**
 * Table types, written once. Row, insert and update types are derived with Kysely's helpers.
 * Dates (`date`) come back as ISO strings "YYYY-MM-DD" on both databases (see connect.ts).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type EditionStatus = 'planned' | 'tentative' | 'final';

export interface SeriesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  created_at: CreatedAt;
}

export interface EditionsTable {
  id: Generated<number>;
  series_id: number;
  year: number;
  title: string;
  subtitle: string | null;
  motto: string | null;
  intro: Json<string[]>;
  location_text: string | null;
  city: string | null;
  region: string | null;
  country: string | null;
  dates_text: string | null;
  start_date: string | null;
  end_date: string | null;
  time_zone: string | null;
  colocated_name: string | null;
  colocated_sentence: string | null;
  colocated_dates_text: string | null;
  colocated_start: string | null;
  colocated_end: string | null;
  colocated_place: string | null;
  status: ColumnType<EditionStatus, EditionStatus | undefined, EditionStatus>;
  /** Accepted places; an accept past it goes onto the waiting list. */
  cap: Generated<number>;
  /** Reminders go this many days before the answer-by date. */
  reminder_days: Generated<number>;
  /** Default answer-by date for invitations of this edition. */
  answer_by: string | null;
  attendees_label: string | null;
  has_attendee_list: Generated<boolean>;
  materials_label: string | null;
  sections: Json<string[]>;
  source_file: string | null;
  source_sha256: string | null;
  import_report: Json<unknown> | null;
  /** When the schedule was first published (tentative); changes after it go to the changelog. */
  schedule_published_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PeopleTable {
  id: Generated<number>;
  slug: string;
  name: string;
  name_key: string;
  affiliation: string | null;
  created_at: CreatedAt;
}

export interface PersonNamesTable {
  person_id: number;
  name: string;
}

/** A slug a person no longer goes by (a record merged into theirs, a rename): it leads to them. */
export interface PersonSlugsTable {
  slug: string;
  person_id: number;
  created_at: CreatedAt;
}

export interface PersonEmailsTable {
  id: Generated<number>;
  person_id: number;
  email: string;
  is_public: Generated<boolean>;
  is_primary: Generated<boolean>;
  created_at: CreatedAt;
}

export interface CommitteeMembersTable {
  id: Generated<number>;
  edition_id: number;
  person_id: number;
  role: string | null;
  email_redacted: Generated<boolean>;
  /** The address the edition's page gave (import); null when it gave none. */
  email_as_listed: string | null;
  position: number;
  /** Written by an import of the edition's page (a re-import updates or removes it: archive/page-parts.ts). */
  imported: Generated<boolean>;
  /** What the edition's page gave for it, as the import that wrote it last read it (null: added in conclave). */
  page_values: Json<Record<string, unknown>> | null;
}

export type AttendanceSource = 'page' | 'invitees' | 'invitation';

export interface AttendancesTable {
  id: Generated<number>;
  edition_id: number;
  person_id: number;
  name_as_listed: string;
  email_as_listed: string | null;
  email_redacted: Generated<boolean>;
  source: ColumnType<AttendanceSource, AttendanceSource | undefined, AttendanceSource>;
  position: number;
  /** A page's words after the name and address ("Red Hat", "Netfilter maintainer"). */
  affiliation_as_listed: string | null;
}

export type SponsorKind = 'company' | 'event';

export interface SponsorsTable {
  id: Generated<number>;
  edition_id: number;
  name: string;
  kind: SponsorKind;
  url: string | null;
  logo_alt: string | null;
  logo_src: string | null;
  logo_sha256: string | null;
  logo_thumb_sha256: string | null;
  position: number;
  /** Written by an import of the edition's page (a re-import updates or removes it: archive/page-parts.ts). */
  imported: Generated<boolean>;
  /** What the edition's page gave for it, as the import that wrote it last read it (null: added in conclave). */
  page_values: Json<Record<string, unknown>> | null;
}

export interface AgendaDaysTable {
  id: Generated<number>;
  edition_id: number;
  date: string;
  label: string;
  columns: Generated<string>;
  position: number;
  /** Where the day's slots may lie ('HH:MM'); null: 08:00 and 20:00. */
  start_time: string | null;
  end_time: string | null;
}

export type TopicOrigin = 'proposed-list' | 'invitee' | 'proposal';

/** A topic's life: proposals start 'proposed'; imported topics and the 2004 list are 'accepted'. */
export type TopicState = 'proposed' | 'changes-requested' | 'accepted' | 'declined' | 'withdrawn';

export interface TopicsTable {
  id: Generated<number>;
  edition_id: number;
  number: number;
  title: string;
  /** Markdown for proposals; plain text for imported topics. */
  abstract: Generated<string>;
  origin: TopicOrigin;
  state: ColumnType<TopicState, TopicState | undefined, TopicState>;
  /** Who proposed it (origin 'proposal'); co-presenters are in topic_presenters. */
  proposer_id: number | null;
  wished_minutes: number | null;
  /** The committee's last comment (accept, decline, ask for changes), as mailed. */
  decision_comment: string | null;
  decided_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TopicPresentersTable {
  topic_id: number;
  person_id: number;
  position: number;
}

export type SlotKind = 'talk' | 'discussion' | 'break' | 'meal' | 'social';

export interface SlotsTable {
  id: Generated<number>;
  day_id: number;
  start_time: string;
  end_time: string | null;
  open_ended: Generated<boolean>;
  time_text: string | null;
  kind: SlotKind;
  title: Generated<string>;
  talk_title: string | null;
  room: string | null;
  topic_id: number | null;
  position: number;
  /** The slot's UUID in the schedule exports (iCalendar UID, frab guid), kept for life (migration 029). */
  guid: string | null;
  /** Its frab numeric id, unique in the edition, kept for life as the guid. */
  numeric_id: number | null;
}

export interface SlotSpeakersTable {
  slot_id: number;
  person_id: number;
  name_as_listed: string;
  position: number;
}

export interface FilesTable {
  sha256: string;
  media_type: string;
  size: number;
  created_at: CreatedAt;
}

export type MaterialKind =
  | 'slides'
  | 'notes'
  | 'photo'
  | 'group-photo'
  | 'animation'
  | 'whitepaper'
  | 'video'
  | 'other';

export interface MaterialsTable {
  id: Generated<number>;
  edition_id: number;
  slot_id: number | null;
  topic_id: number | null;
  kind: MaterialKind;
  format: string | null;
  label: string;
  about: string | null;
  url: string | null;
  file_sha256: string | null;
  file_name: string | null;
  credit: string | null;
  author_id: number | null;
  body: string | null;
  position: number;
  /** Written by an import of the edition's page (replaced by the next one). */
  imported: Generated<boolean>;
  /** Who uploaded or added it (an audit actor label), null for imported rows. */
  uploaded_by: string | null;
  created_at: CreatedAt;
  /** A photo's thumbnail, made by sharp. */
  thumb_sha256: string | null;
  /** An imported photo's thumbnail at an address: the image its page showed, linking to `url`. */
  thumb_url: string | null;
}

export type ScheduleChangeKind = 'publish' | 'finalize' | 'add' | 'move' | 'edit' | 'remove' | 'days';

/** One change of a published schedule, as the public changelog shows it. */
export interface ScheduleChangesTable {
  id: Generated<number>;
  edition_id: number;
  created_at: CreatedAt;
  actor: string;
  kind: ScheduleChangeKind;
  /** One line for the public: "“XDP offloads” moved from Tue 10:00 to Wed 14:00". */
  summary: string;
  slot_id: number | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  /** Person ids of the speakers mailed about it. */
  notified: ColumnType<number[], string | undefined, string>;
}

export interface EditionReferencesTable {
  id: Generated<number>;
  edition_id: number;
  title: string;
  url: string | null;
  position: number;
  /** Written by an import of the edition's page (a re-import updates or removes it: archive/page-parts.ts). */
  imported: Generated<boolean>;
  /** What the edition's page gave for it, as the import that wrote it last read it (null: added in conclave). */
  page_values: Json<Record<string, unknown>> | null;
}

export interface Database {
  series: SeriesTable;
  editions: EditionsTable;
  people: PeopleTable;
  person_names: PersonNamesTable;
  person_emails: PersonEmailsTable;
  person_slugs: PersonSlugsTable;
  committee_members: CommitteeMembersTable;
  attendances: AttendancesTable;
  sponsors: SponsorsTable;
  agenda_days: AgendaDaysTable;
  topics: TopicsTable;
  topic_presenters: TopicPresentersTable;
  slots: SlotsTable;
  slot_speakers: SlotSpeakersTable;
  files: FilesTable;
  materials: MaterialsTable;
  edition_references: EditionReferencesTable;
  mail_templates: MailTemplatesTable;
  outbox: OutboxTable;
  committee_accounts: CommitteeAccountsTable;
  signin_tokens: SigninTokensTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  invitations: InvitationsTable;
  invitation_tokens: InvitationTokensTable;
  schedule_changes: ScheduleChangesTable;
  inbound_messages: InboundMessagesTable;
  server_settings: ServerSettingsTable;
  form_sends: FormSendsTable;
}

export type Edition = Selectable<EditionsTable>;
export type NewEdition = Insertable<EditionsTable>;
export type EditionUpdate = Updateable<EditionsTable>;
export type Person = Selectable<PeopleTable>;
export type Slot = Selectable<SlotsTable>;
export type Material = Selectable<MaterialsTable>;

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A setting the server last ran with (migration 019): a name, and its value or null (unset). */
export interface ServerSettingsTable {
  name: string;
  value: string | null;
  updated_at: Generated<Date>;
}

/** A create form's one-time key, recorded with the row its first send wrote (domain/form-once.ts). */
export interface FormSendsTable {
  key: string;
  created_at: CreatedAt;
  /** Where the first send led (the page it was redirected to). */
  landing: string;
}

/** A committee's version of a mail template; `edition_id` null is the site-wide version. */
export interface MailTemplatesTable {
  id: Generated<number>;
  edition_id: number | null;
  key: string;
  subject: string;
  body: string;
  updated_at: UpdatedAt;
}

export type OutboxState = 'draft' | 'queued' | 'sending' | 'sent' | 'failed' | 'superseded';
export type MailTransportKind = 'smtp' | 'mailbox';

/** One message: rendered text, addresses, threading headers, and its delivery state. */
export interface OutboxTable {
  id: Generated<number>;
  edition_id: number | null;
  kind: string;
  batch: string | null;
  to_address: string;
  to_name: string | null;
  from_address: string;
  reply_to: string | null;
  subject: string;
  body: string;
  message_id: string;
  in_reply_to: string | null;
  references_ids: string | null;
  state: ColumnType<OutboxState, OutboxState | undefined, OutboxState>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  smtp_response: string | null;
  transport: MailTransportKind | null;
  claimed_by: string | null;
  claimed_at: NullableTimestamp;
  created_at: CreatedAt;
  sent_at: NullableTimestamp;
  /** The invitation an invitee mail is about (migration 028); null for other mail and older rows. */
  invitation_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A superseded row: the outbox id of the mail that went in its place (no foreign key). */
  superseded_by: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface CommitteeAccountsTable {
  id: Generated<number>;
  person_id: number;
  email: string;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface SigninTokensTable {
  id: Generated<number>;
  account_id: number;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface SessionsTable {
  id_hash: string;
  account_id: number;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Date;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_account_id: number | null;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  edition_id: number | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  reason: string | null;
}

export type InvitationState =
  | 'candidate'
  | 'invited'
  | 'accepted'
  | 'declined'
  | 'waitlisted'
  | 'expired'
  | 'withdrawn'
  | 'revoked';

export interface InvitationsTable {
  id: Generated<number>;
  edition_id: number;
  person_id: number;
  email: string;
  state: ColumnType<InvitationState, InvitationState | undefined, InvitationState>;
  answer_by: string | null;
  waitlist_position: number | null;
  invited_at: Date | null;
  answered_at: Date | null;
  state_since: ColumnType<Date, Date | string | undefined, Date | string>;
  reminders_sent: Generated<number>;
  last_reminder_at: Date | null;
  invitation_message_id: string | null;
  source: Generated<string>;
  evidence: Json<unknown> | null;
  note: string | null;
  created_at: CreatedAt;
}

export type InvitationTokenPurpose = 'invitation' | 'reminder' | 'promotion';

/** One personal link of an invitation: only the SHA-256 (hex) of its token is kept. */
export interface InvitationTokensTable {
  id: Generated<number>;
  invitation_id: number;
  token_hash: string;
  /** SHA-256 of the token's reply key (invitations/tokens.ts replyKeyOf); null for a token issued before migration 040 until a reply address is made from it. */
  reply_hash: ColumnType<string | null, string | null | undefined, string | null>;
  purpose: InvitationTokenPurpose;
  created_at: CreatedAt;
  revoked_at: NullableTimestamp;
}

export type InboundVia = 'stdin' | 'mbox' | 'maildir' | 'smtp';
export type InboundStatus = 'applied' | 'review' | 'ignored' | 'refused' | 'dismissed';
export type InboundAction = 'accept' | 'decline' | 'withdraw' | 'topic';

/** One inbound message and what it did (domain/inbound); the raw bytes are kept for review. */
export interface InboundMessagesTable {
  id: Generated<number>;
  received_at: CreatedAt;
  via: InboundVia;
  message_id: string;
  duplicate_of: number | null;
  status: InboundStatus;
  action: InboundAction | null;
  reason: string;
  from_address: string | null;
  from_name: string | null;
  subject: string | null;
  sent_at: Date | null;
  in_reply_to: string | null;
  references_ids: string | null;
  text_body: string | null;
  /** Why it was taken for an automatic reply, or null. */
  auto_reply: string | null;
  size_bytes: number;
  raw: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  raw_truncated: Generated<boolean>;
  matched_by: 'token' | 'thread' | null;
  invitation_id: number | null;
  edition_id: number | null;
  topic_id: number | null;
  reply_outbox_id: number | null;
  decided_by: string | null;
  decided_at: Date | null;
}
