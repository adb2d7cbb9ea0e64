/**
 * The lists an edition carries besides its own fields: sponsors (with a logo, uploaded and
 * thumbnailed), committee members with their roles, and references. Each change is one
 * transaction and one audit record.
 */
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { recordAudit, type Actor } from '../audit/record.js';
import { InvalidForm, NotFound } from '../errors.js';
import { readLogo, withFiles } from '../files/store.js';
import { Resolver } from '../people/identity.js';
import { findEdition, type EditionRef } from './find-edition.js';
import { LOGO_NOT_IN_ARCHIVE } from './load-edition.js';

export type { EditionRef };
import { parseForm, visibleLine, webUrl } from '../validate.js';

type Trx = Transaction<Database>;
export interface PartsDeps {
  db: Kysely<Database>;
  filesDir: string;
}

const optionalUrl = z
  .union([z.literal('').transform(() => null), webUrl(1000)])
  .nullish();

export const SponsorInput = z.object({
  name: visibleLine(z.string().trim().min(1, 'is required').max(200)),
  kind: z.enum(['company', 'event']).default('company'),
  url: optionalUrl,
});
export const CommitteeRoleInput = z.object({
  name: visibleLine(z.string().trim().min(1, 'is required').max(200)),
  email: z.union([z.literal('').transform(() => null), z.email('must be an address').max(320)]).nullish(),
  role: visibleLine(z.string().trim().max(200)).transform((s) => s || null).nullish(),
  /** Whether somebody the archive does not know by the name or the address may be added, as a new person. */
  newPerson: z.boolean().default(false),
});

/**
 * A committee member the archive knows by neither the name nor the address, not asked to be
 * added as a new person: each surface says how to ask (`--new-person`, a checkbox). `near` are
 * the names of people close to it, whom it may mean.
 */
export class UnknownPerson extends InvalidForm {
  override name = 'UnknownPerson';
  constructor(
    readonly person: string,
    readonly near: string[],
  ) {
    super({ name: `no person "${person}" in the archive${near.length ? ` (close: ${near.join(', ')})` : ''}` });
  }

  /** The refusal, with how this surface asks for a new person: "add --new-person to add them". */
  withRemedy(remedy: string): InvalidForm {
    return new InvalidForm({ name: `${this.fields.name}; ${remedy}` });
  }
}
export const ReferenceInput = z.object({
  title: visibleLine(z.string().trim().min(1, 'is required').max(500)),
  url: optionalUrl,
});


async function editionId(trx: Trx, ref: EditionRef): Promise<number> {
  return (await findEdition(trx, ref, { lock: true })).id;
}

async function nextPosition(trx: Trx, table: 'sponsors' | 'committee_members' | 'edition_references', id: number): Promise<number> {
  const r = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .where('edition_id', '=', id)
    .executeTakeFirst();
  return r?.p === null || r?.p === undefined ? 0 : Number(r.p) + 1;
}

/** Adds a sponsor; a logo (PNG, JPEG, GIF or WebP) is stored by content hash with a thumbnail. */
export async function addSponsor(deps: PartsDeps, actor: Actor, ref: EditionRef, input: z.input<typeof SponsorInput> & { logo?: Buffer | undefined }) {
  const v = parseForm(SponsorInput, input);
  const logo = input.logo && input.logo.length > 0 ? await readLogo(input.logo) : null;
  return withFiles(deps, async (trx, store) => {
    const id = await editionId(trx, ref);
    const files = logo ? { logo: await store(logo.logo.bytes, logo.logo.mediaType), thumb: await store(logo.thumb.bytes, logo.thumb.mediaType) } : null;
    const row = await trx
      .insertInto('sponsors')
      .values({
        edition_id: id,
        name: v.name,
        kind: v.kind,
        url: v.url ?? null,
        logo_alt: files ? `${v.name} logo` : null,
        logo_sha256: files?.logo.sha256 ?? null,
        logo_thumb_sha256: files?.thumb.sha256 ?? null,
        position: await nextPosition(trx, 'sponsors', id),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'sponsor.add', entity: 'sponsor', entityId: row.id, editionId: id, after: row });
    return row;
  });
}

/**
 * Adds a committee member of the edition with their role: a person of the archive, matched by
 * name or address; somebody it knows by neither only with `newPerson` (else UnknownPerson).
 */
export async function addCommitteeRole(deps: PartsDeps, actor: Actor, ref: EditionRef, input: z.input<typeof CommitteeRoleInput>) {
  const v = parseForm(CommitteeRoleInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const id = await editionId(trx, ref);
    const resolver = await Resolver.load(trx);
    if (!v.newPerson && resolver.find(v.name, v.email ?? undefined) === undefined) throw new UnknownPerson(v.name, resolver.closeNames(v.name));
    const personId = await resolver.resolve(v.name, v.email ? { address: v.email, isPublic: false } : undefined);
    const exists = await trx.selectFrom('committee_members').select('id').where('edition_id', '=', id).where('person_id', '=', personId).executeTakeFirst();
    if (exists) throw new InvalidForm({ name: `${v.name} is on this edition's committee already` });
    const row = await trx
      .insertInto('committee_members')
      .values({ edition_id: id, person_id: personId, role: v.role ?? null, position: await nextPosition(trx, 'committee_members', id) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'committee-role.add', entity: 'committee_member', entityId: row.id, editionId: id, after: { ...row, name: v.name } });
    return row;
  });
}

/** Adds a reference (a link or a title) to the edition. */
export async function addReference(deps: PartsDeps, actor: Actor, ref: EditionRef, input: z.input<typeof ReferenceInput>) {
  const v = parseForm(ReferenceInput, input);
  return deps.db.transaction().execute(async (trx) => {
    const id = await editionId(trx, ref);
    const row = await trx
      .insertInto('edition_references')
      .values({ edition_id: id, title: v.title, url: v.url ?? null, position: await nextPosition(trx, 'edition_references', id) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: 'reference.add', entity: 'reference', entityId: row.id, editionId: id, after: row });
    return row;
  });
}

const PART_TABLES = { sponsor: 'sponsors', 'committee-role': 'committee_members', reference: 'edition_references' } as const;
export type EditionPart = keyof typeof PART_TABLES;

/** A sponsor, committee role or reference the edition has not (or no longer) got. */
export class NoSuchPart extends NotFound {
  override name = 'NoSuchPart';
  constructor(
    readonly part: EditionPart,
    readonly partId: number,
    ref: EditionRef,
  ) {
    super(`no ${part} ${partId} in ${ref.series} ${ref.year}`);
  }
}

/** The audit log's entity of each part, as its addition records it. */
const PART_ENTITIES: Record<EditionPart, string> = { sponsor: 'sponsor', 'committee-role': 'committee_member', reference: 'reference' };

/**
 * Removes one sponsor, committee role or reference of the edition (NoSuchPart when it is not
 * there, removed already, say); a sponsor's logo and its thumbnail go with it when nothing else
 * refers to them (files/store.ts). Returns what it was, in words for the notice: "the sponsor
 * Intel", "Jamal Hadi Salim's committee role (chair)", "the reference “Slides”".
 */
export async function removeEditionPart(deps: PartsDeps, actor: Actor, ref: EditionRef, part: EditionPart, partId: number): Promise<{ removed: string }> {
  const table = PART_TABLES[part];
  return withFiles(deps, async (trx, _store, release) => {
    const id = await editionId(trx, ref);
    const before = await trx.selectFrom(table).selectAll().where('id', '=', partId).where('edition_id', '=', id).executeTakeFirst();
    if (!before) throw new NoSuchPart(part, partId, ref);
    const row = before as unknown as { person_id?: number; role?: string | null; name?: string; title?: string };
    let removed: string;
    if (part === 'committee-role') {
      const who = await trx.selectFrom('people').select('name').where('id', '=', row.person_id!).executeTakeFirst();
      removed = `${who?.name ?? 'someone'}’s committee role${row.role ? ` (${row.role})` : ''}`;
    } else if (part === 'sponsor') {
      removed = `the sponsor ${row.name}`;
    } else {
      removed = `the reference “${row.title}”`;
    }
    await trx.deleteFrom(table).where('id', '=', partId).execute();
    await recordAudit(trx, actor, { action: `${part}.remove`, entity: PART_ENTITIES[part], entityId: partId, editionId: id, before });
    if ('logo_sha256' in before) await release([before.logo_sha256, before.logo_thumb_sha256]);
    return { removed };
  });
}

/** What an edit of a part may change; a field left out (undefined) keeps its value. */
export interface PartChanges {
  /** Sponsor. */
  name?: string | undefined;
  kind?: 'company' | 'event' | undefined;
  /** Sponsor or reference; '' or null takes the address away. */
  url?: string | null | undefined;
  /** Sponsor: a new logo in place of the old one, or `removeLogo` for none. */
  logo?: Buffer | undefined;
  removeLogo?: boolean | undefined;
  /** Committee role; '' or null for none. The member is who they are: remove them and add another. */
  role?: string | null | undefined;
  /** Reference. */
  title?: string | undefined;
}

/** What each part has that an edit may change. */
export const PART_FIELDS: Record<EditionPart, readonly (keyof PartChanges)[]> = { sponsor: ['name', 'kind', 'url', 'logo', 'removeLogo'], 'committee-role': ['role'], reference: ['title', 'url'] };

/**
 * The changes given (neither undefined nor false) that `part` has no field for, each with why:
 * { role: 'a sponsor has no role' }; empty when there is none. updateEditionPart refuses them;
 * the CLI says them before it opens the database.
 */
export function strayPartChanges(part: EditionPart, changes: { [K in keyof PartChanges]?: unknown }): Record<string, string> {
  const given = (Object.keys(changes) as (keyof PartChanges)[]).filter((k) => changes[k] !== undefined && changes[k] !== false);
  // Taking the logo away is about a logo, as giving one is.
  return Object.fromEntries(given.filter((k) => !PART_FIELDS[part].includes(k)).map((k) => [k, `a ${part} has no ${k === 'removeLogo' ? 'logo' : k}`]));
}

/**
 * Changes a sponsor (name, kind, address, logo), a committee member's role, or a reference (title,
 * address), in place: its position on the page and its id stay. The whole part is checked as when
 * it was added; a replaced or removed logo is released when nothing else refers to it. Returns
 * the row and, for the notice, what it is now ("the sponsor Intel").
 */
export async function updateEditionPart(deps: PartsDeps, actor: Actor, ref: EditionRef, part: EditionPart, partId: number, changes: PartChanges): Promise<{ updated: string; changed: boolean }> {
  const table = PART_TABLES[part];
  const stray = strayPartChanges(part, changes);
  if (Object.keys(stray).length) throw new InvalidForm(stray);
  if (changes.logo && changes.logo.length > 0 && changes.removeLogo) throw new InvalidForm({ logo: 'give a new logo or remove the logo, not both' });
  const logo = changes.logo && changes.logo.length > 0 ? await readLogo(changes.logo) : null;
  return withFiles(deps, async (trx, store, release) => {
    const id = await editionId(trx, ref);
    const before = await trx.selectFrom(table).selectAll().where('id', '=', partId).where('edition_id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFound(`no ${part} ${partId} in ${ref.series} ${ref.year}`);
    let after: Record<string, unknown>;
    let updated: string;
    if (part === 'sponsor') {
      const row = before as unknown as { name: string; kind: 'company' | 'event'; url: string | null; logo_sha256: string | null; logo_thumb_sha256: string | null; logo_alt: string | null; logo_src: string | null };
      const v = parseForm(SponsorInput, { name: changes.name ?? row.name, kind: changes.kind ?? row.kind, url: changes.url === undefined ? row.url : changes.url });
      const files = logo ? { logo: await store(logo.logo.bytes, logo.logo.mediaType), thumb: await store(logo.thumb.bytes, logo.thumb.mediaType) } : null;
      const logoSha = files ? files.logo.sha256 : changes.removeLogo ? null : row.logo_sha256;
      const thumbSha = files ? files.thumb.sha256 : changes.removeLogo ? null : row.logo_thumb_sha256;
      // The alternative text names the sponsor: one made from the old name ("Mojatatu Networks
      // Logo", as an imported page has it) follows a new name; one someone wrote otherwise stays.
      // An imported logo known only by its text (or by its address on the old site) stays too,
      // until the logo is removed. Under the same name and the same logo, the words stay as written.
      const madeFromName = (alt: string) => [row.name, `${row.name} logo`].some((a) => a.toLowerCase() === alt.trim().toLowerCase());
      const hadLogo = Boolean(row.logo_alt || row.logo_src || row.logo_sha256);
      const keepAlt = (alt: string | null): alt is string => Boolean(alt) && (!madeFromName(alt!) || (!files && v.name === row.name));
      const alt = changes.removeLogo || !(files || hadLogo) ? null : keepAlt(row.logo_alt) ? row.logo_alt : `${v.name} logo`;
      after = await trx
        .updateTable('sponsors')
        .set({ name: v.name, kind: v.kind, url: v.url ?? null, logo_sha256: logoSha, logo_thumb_sha256: thumbSha, logo_alt: alt, logo_src: files || changes.removeLogo ? null : row.logo_src })
        .where('id', '=', partId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const gone = [row.logo_sha256, row.logo_thumb_sha256].filter((sha) => sha && sha !== logoSha && sha !== thumbSha);
      if (gone.length) await release(gone);
      updated = `the sponsor ${v.name}`;
    } else if (part === 'committee-role') {
      const v = parseForm(CommitteeRoleInput.pick({ role: true }), { role: changes.role === undefined ? (before as unknown as { role: string | null }).role : changes.role });
      const row = await trx.updateTable('committee_members').set({ role: v.role ?? null }).where('id', '=', partId).returningAll().executeTakeFirstOrThrow();
      const who = await trx.selectFrom('people').select('name').where('id', '=', row.person_id).executeTakeFirst();
      after = { ...row, name: who?.name };
      updated = `${who?.name ?? 'someone'}’s committee role${v.role ? ` (${v.role})` : ''}`;
    } else {
      const row = before as unknown as { title: string; url: string | null };
      const v = parseForm(ReferenceInput, { title: changes.title ?? row.title, url: changes.url === undefined ? row.url : changes.url });
      after = await trx.updateTable('edition_references').set({ title: v.title, url: v.url ?? null }).where('id', '=', partId).returningAll().executeTakeFirstOrThrow();
      updated = `the reference “${v.title}”`;
    }
    // The row's own columns (a committee role's after also names the person, who is not one).
    const changed = Object.keys(before).some((k) => JSON.stringify((after as Record<string, unknown>)[k]) !== JSON.stringify((before as Record<string, unknown>)[k]));
    if (changed) await recordAudit(trx, actor, { action: `${part}.update`, entity: PART_ENTITIES[part], entityId: partId, editionId: id, before, after });
    return { updated, changed };
  });
}

/** The lists as the admin shows them. */
/**
 * A sponsor's logo in words, as `edition parts` lists it: "yes" for a stored file; for a logo
 * an imported page showed, whether its image is only linked at its old address or only listed
 * by its text (the edition page says "(logo not in the archive)"); "" for none.
 */
export function logoWords(s: { logo_sha256: string | null; logo_alt: string | null; logo_src: string | null }): string {
  if (s.logo_sha256) return 'yes';
  if (s.logo_src) return `linked at its old address, ${LOGO_NOT_IN_ARCHIVE}`;
  if (s.logo_alt) return `listed, ${LOGO_NOT_IN_ARCHIVE}`;
  return '';
}

export async function listEditionParts(deps: { db: Kysely<Database> }, ref: EditionRef) {
  const e = await findEdition(deps.db, ref);
  const [sponsors, committee, references] = await Promise.all([
    deps.db.selectFrom('sponsors').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
    deps.db
      .selectFrom('committee_members')
      .innerJoin('people', 'people.id', 'committee_members.person_id')
      .select(['committee_members.id', 'committee_members.role', 'people.name', 'people.slug'])
      .where('committee_members.edition_id', '=', e.id)
      .orderBy('committee_members.position')
      .execute(),
    deps.db.selectFrom('edition_references').selectAll().where('edition_id', '=', e.id).orderBy('position').execute(),
  ]);
  return { sponsors, committee, references };
}
