/**
 * The audit log: every committee write records who, what, when, and the state before and after.
 * Called inside the write's own transaction, so a write and its record land together or not at all.
 */
import type { Kysely, Transaction } from 'kysely';
import { statementChunks } from '../../db/chunks.js';
import type { Database } from '../../db/schema.js';
import { NotFound } from '../errors.js';

/** Who acts: a signed-in committee member, or a named command-line user. */
export interface Actor {
  accountId: number | null;
  /** Shown in the log: the member's address, or e.g. "cli:root". */
  label: string;
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  editionId?: number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export async function recordAudit(trx: Transaction<Database> | Kysely<Database>, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values(auditRow(actor, entry)).execute();
}

function auditRow(actor: Actor, entry: AuditEntry) {
  return {
    actor_account_id: actor.accountId,
    actor: actor.label,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    edition_id: entry.editionId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    reason: entry.reason ?? null,
  };
}

/**
 * Several entries at once, in the order given, as many recordAudit calls: one statement, or a
 * few for more rows than one statement can bind.
 */
export async function recordAudits(trx: Transaction<Database> | Kysely<Database>, actor: Actor, entries: AuditEntry[]): Promise<void> {
  for (const chunk of statementChunks(entries.map((entry) => auditRow(actor, entry)))) await trx.insertInto('audit_log').values(chunk).execute();
}

export interface AuditFilter {
  editionId?: number;
  actor?: string;
  action?: string;
  entity?: string;
  limit?: number;
  offset?: number;
  /** Only entries older than this one (its id): the next page of a long log. */
  beforeId?: number;
}

/**
 * The log, newest first, filtered by edition, actor, action or entity. An action names one
 * ("session.signin") or, as its first part, every action of an area ("session").
 */
export async function listAudit(deps: { db: Kysely<Database> }, filter: AuditFilter = {}) {
  let q = deps.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc');
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  if (filter.editionId !== undefined) q = q.where('edition_id', '=', filter.editionId);
  if (filter.actor) q = q.where('actor', 'ilike', `%${filter.actor.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  const { action } = filter;
  if (action) q = q.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${action.replace(/[%_\\]/g, (c) => `\\${c}`)}.%`)]));
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  return q.limit(filter.limit ?? 100).offset(filter.offset ?? 0).execute();
}

/** One entry of the log, in full: what /admin/audit/ID and `conclave audit ID` show. */
export async function getAuditEntry(deps: { db: Kysely<Database> }, id: number) {
  const entry = await deps.db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirst();
  if (!entry) throw new NotFound(`no audit log entry #${id}`);
  return entry;
}

/**
 * What an entry is about, as people name it: "invitation #12" (the id the CLI takes), but a topic
 * by its number in the edition, which its before or after records ("topic #4"), as everywhere else.
 */
export function auditSubject(r: { entity: string; entity_id: string | null; before: unknown; after: unknown }): string {
  if (r.entity === 'topic') {
    const n = [r.after, r.before].map((v) => (v !== null && typeof v === 'object' ? (v as { number?: unknown }).number : undefined)).find((x) => typeof x === 'number');
    if (n !== undefined) return `topic #${n}`;
  }
  return `${r.entity}${r.entity_id ? ` #${r.entity_id}` : ''}`;
}
