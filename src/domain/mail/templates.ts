/**
 * Mail templates: the committee's subject and body per edition and key, with `{{name}}`
 * placeholders. A template is checked when it is saved, so that a typo such as `{{nmae}}` is
 * refused in the editor rather than mailed to a hundred people as it stands.
 *
 * Lookup order: the edition's own version, then the site-wide version (edition null), then the
 * text built into conclave (template-keys.ts). A site-wide key (the sign-in mail, sent for no
 * edition) has no edition's version: saving one is refused, as it would never be used.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/record.js';
import type { Database } from '../../db/schema.js';
import { InvalidForm, InvalidInput, NotFound } from '../errors.js';
import { enqueueMail, MAX_MAIL_SUBJECT, type EnqueueInput, type OutboxMessage } from './outbox.js';
import { ADDED_BESIDE, isSiteWide, placeholderNames, requiredPlaceholders, SAMPLE_EDITION_TITLE, sampleValues, TEMPLATE_KEYS, templateKeys, type PlaceholderSpec, type PreviewSite, type TemplateKey } from './template-keys.js';
import { parseFields, parseInput } from '../validate.js';
import { cutAtWord, cutToFit, wrapMailBody } from './wrap.js';

type Deps = { db: Kysely<Database> };

export interface TemplateText {
  subject: string;
  body: string;
}

export type TemplateOrigin = 'edition' | 'site' | 'default';

export interface TemplateView extends TemplateText {
  key: TemplateKey;
  editionId: number | null;
  /** Where the text came from: the edition's version, the site-wide one, or the built-in one. */
  origin: TemplateOrigin;
  updatedAt: Date | null;
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const NAME = /^[a-z][a-z0-9_]*$/;
const MAX_SUBJECT = 200;
const MAX_BODY = 20_000;

const editionId = z.number().int().positive().nullable();
const key = z.enum(templateKeys, { error: `must be one of: ${templateKeys.join(', ')}` });

export const TemplateRef = z.object({ editionId, key });
export type TemplateRef = z.infer<typeof TemplateRef>;

export const SaveTemplateInput = z.object({
  editionId,
  key,
  subject: z.string().trim().min(1, 'must not be empty').max(MAX_SUBJECT, `must be at most ${MAX_SUBJECT} characters`)
    .refine((s) => !/[\r\n]/.test(s), 'must be a single line'),
  body: z.string().max(MAX_BODY, `must be at most ${MAX_BODY} characters`)
    .transform((s) => s.replace(/\r\n?/g, '\n'))
    .refine((s) => s.trim() !== '', 'must not be empty'),
});
export type SaveTemplateInput = z.input<typeof SaveTemplateInput>;

export const PreviewInput = TemplateRef.extend({
  subject: z.string().optional(),
  body: z.string().optional(),
});
export type PreviewInput = z.input<typeof PreviewInput>;


/**
 * Why a placeholder may not be in a subject (its value carries a secret: PlaceholderSpec.secret),
 * or null when it may: a subject is shown to the whole committee and kept in mail logs.
 */
function secretInSubject(key: TemplateKey, name: string): string | null {
  const spec: Readonly<Record<string, PlaceholderSpec>> = TEMPLATE_KEYS[key].placeholders;
  const secret = Object.hasOwn(spec, name) ? spec[name]!.secret : undefined;
  return secret === undefined
    ? null
    : `{{${name}}} may not be in the subject: it carries ${secret}, and a subject is shown to the whole committee (/admin/mail, conclave mail list) and kept in mail servers' logs; put it in the body only`;
}

/**
 * Checks that `text` uses only the key's placeholders and no stray braces, and a subject none
 * that carries a secret; throws InvalidInput naming `field`. The list of known names is in the
 * message, so the editor can show it as is.
 */
export function checkPlaceholders(key: TemplateKey, field: 'subject' | 'body', text: string): void {
  const known = placeholderNames(key);
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1]!.trim();
    if (!NAME.test(name) || !known.includes(name)) {
      throw new InvalidInput(field, `unknown placeholder {{${name}}}; known: ${known.map((n) => `{{${n}}}`).join(', ')}`);
    }
    const secret = field === 'subject' ? secretInSubject(key, name) : null;
    if (secret !== null) throw new InvalidInput(field, secret);
  }
  const rest = text.replace(PLACEHOLDER, '\u0000');
  if (rest.includes('{{') || rest.includes('}}')) {
    throw new InvalidInput(field, 'a "{{" or "}}" that is not part of a placeholder such as {{name}}');
  }
  // "{{{name}}}" (Mustache's unescaped form, typed from habit) would be mailed as "{Ada}".
  const hugged = /\{\u0000|\u0000\}/.exec(rest);
  if (hugged) {
    throw new InvalidInput(field, 'a brace next to a placeholder, as in {{{name}}}: write a placeholder with two braces each side, {{name}}');
  }
}

/**
 * Checks that the body keeps the placeholders its key needs (the link of a sign-in or an
 * invitation mail, which no other way reaches its person); throws InvalidInput naming the body.
 */
export function checkRequired(key: TemplateKey, body: string): void {
  const used = new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim()));
  const missing = requiredPlaceholders(key).filter((name) => !used.has(name));
  if (missing.length > 0) {
    const names = missing.map((n) => `{{${n}}}`).join(', ');
    throw new InvalidInput('body', `must contain ${names}: this mail is the only way its link reaches the reader`);
  }
}

/**
 * What is wrong with a subject and a body (those given), field by field: the first fault of each,
 * as its own check says it. Both are checked, so that a fault in the body shows beside one in the
 * subject and not only once that is put right. `required`: the body must also keep the key's
 * required placeholders (saving; a preview may leave them out).
 */
function textFaults(key: TemplateKey, text: Partial<TemplateText>, required: boolean): Record<string, string> {
  const faults: Record<string, string> = {};
  const check = (field: 'subject' | 'body', fn: () => void) => {
    if (faults[field] !== undefined) return;
    try {
      fn();
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      faults[field] = err.why;
    }
  };
  if (text.subject !== undefined) check('subject', () => checkPlaceholders(key, 'subject', text.subject!));
  if (text.body !== undefined) {
    check('body', () => checkPlaceholders(key, 'body', text.body!));
    if (required) check('body', () => checkRequired(key, text.body!));
  }
  return faults;
}

/** Throws InvalidForm naming every field at fault, if any is. */
function refuseFaults(faults: Record<string, string>): void {
  if (Object.keys(faults).length > 0) throw new InvalidForm(faults);
}

/** A site-wide key (the sign-in mail) has no edition's own text: saving or resetting one is refused. */
function refuseEditionsOwn(editionId: number | null, key: TemplateKey): void {
  if (editionId !== null && isSiteWide(key)) throw new InvalidInput('key', `the ${key} mail belongs to no edition: its text is site-wide, the same for every edition`);
}

/**
 * Fills a template's placeholders with `values` (plain text, as given). Every placeholder needs
 * a value; a missing one is a bug in the caller, reported rather than mailed as "{{name}}".
 * In the subject, a value whose placeholder has a `subjectMax` (a topic's title) is cut to its
 * first words there. The subject stays one line whatever the values hold, and is cut to the longest a mail may
 * have (a value such as someone's own subject can be any length: the outbox would refuse it,
 * and with it whatever the caller was doing); the filled body is laid out at 72 columns, as
 * plain-text mail is read (wrap.ts: a plain paragraph a value made too long is reflowed as a whole),
 * the template's own tabs counted as the columns they take.
 */
export function renderTemplate(template: TemplateText, values: Readonly<Record<string, string>>, placeholders: Readonly<Record<string, PlaceholderSpec>> = {}): TemplateText {
  const fill = (text: string, inSubject = false) =>
    text.replace(PLACEHOLDER, (_, raw: string) => {
      const name = raw.trim();
      const v = Object.hasOwn(values, name) ? values[name] : undefined;
      if (v === undefined) throw new InvalidInput('values', `no value for {{${name}}}`);
      const max = inSubject && Object.hasOwn(placeholders, name) ? placeholders[name]!.subjectMax : undefined;
      return max === undefined ? v : cutAtWord(v, max);
    });
  return {
    subject: cutToFit(fill(template.subject, true).replace(/\s*[\r\n]+\s*/g, ' ').trim(), MAX_MAIL_SUBJECT),
    body: wrapMailBody(fill(expandTabs(template.body.replace(/\r\n?/g, '\n'))).replace(/\r\n?/g, '\n')),
  };
}

/**
 * The template's own tabs as the spaces a terminal shows (stops every 8 columns): wrapping counts
 * characters, and a tab counted as one column made a line of a text typed with tabs run past 72.
 * Values keep theirs (a patch quoted in a mail stays as it was written).
 */
function expandTabs(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let out = '';
      for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
      return out;
    })
    .join('\n');
}

async function assertEdition(db: Kysely<Database>, id: number | null): Promise<void> {
  if (id === null) return;
  const found = await db.selectFrom('editions').select('id').where('id', '=', id).executeTakeFirst();
  if (!found) throw new NotFound(`edition ${id} not found`);
}

/**
 * The input of saveTemplate parsed and checked: a subject and a body both wrong are named
 * together, the one's form (empty, two lines) with the other's placeholders (textFaults).
 */
function parseSave(input: SaveTemplateInput): z.output<typeof SaveTemplateInput> {
  const r = SaveTemplateInput.safeParse(input);
  if (r.success) {
    // The text first, then where it may be saved, as a person reads the refusals.
    refuseFaults(textFaults(r.data.key, r.data, true));
    refuseEditionsOwn(r.data.editionId, r.data.key);
    return r.data;
  }
  const { data, errors } = parseFields(SaveTemplateInput, input);
  // The edition or the key wrong: its text is not worth checking.
  if (data.key === undefined || data.editionId === undefined) return parseInput(SaveTemplateInput, input);
  const parsed = { ...(errors.subject === undefined ? { subject: data.subject } : {}), ...(errors.body === undefined ? { body: data.body } : {}) };
  const faults = { ...errors, ...textFaults(data.key, parsed, true) };
  // In the form's order, subject first, whichever check found its fault.
  refuseFaults(Object.fromEntries((['subject', 'body'] as const).flatMap((f) => (faults[f] === undefined ? [] : [[f, faults[f]]]))));
  return parseInput(SaveTemplateInput, input);
}

/**
 * Saves the committee's version of a template for an edition (or site-wide with editionId
 * null), replacing the one before. Refuses a subject or body with an unknown placeholder, naming
 * every field at fault at once.
 */
export async function saveTemplate(deps: Deps, input: SaveTemplateInput, actor?: Actor): Promise<TemplateView> {
  const t = parseSave(input);
  return deps.db.transaction().execute(async (trx) => {
    await assertEdition(trx, t.editionId);
    const before = await trx
      .selectFrom('mail_templates')
      .select(['subject', 'body'])
      .where('key', '=', t.key)
      .where((eb) => (t.editionId === null ? eb('edition_id', 'is', null) : eb('edition_id', '=', t.editionId)))
      .executeTakeFirst();
    const values = { edition_id: t.editionId, key: t.key, subject: t.subject, body: t.body };
    const update = { subject: t.subject, body: t.body, updated_at: new Date() };
    const row = await trx
      .insertInto('mail_templates')
      .values(values)
      // Each of the two partial unique indexes is its own conflict target (see 002-mail.ts).
      .onConflict((oc) =>
        t.editionId === null
          ? oc.column('key').where('edition_id', 'is', null).doUpdateSet(update)
          : oc.columns(['edition_id', 'key']).where('edition_id', 'is not', null).doUpdateSet(update),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    if (actor) {
      await recordAudit(trx, actor, {
        action: 'template.save',
        entity: 'mail_template',
        entityId: t.key,
        editionId: t.editionId,
        before: before ?? null,
        after: { subject: row.subject, body: row.body },
      });
    }
    return {
      key: t.key,
      editionId: t.editionId,
      subject: row.subject,
      body: row.body,
      origin: t.editionId === null ? 'site' : 'edition',
      updatedAt: row.updated_at,
    };
  });
}

/**
 * The template in force for an edition and key: the edition's version, else the site-wide one,
 * else the built-in text. Never missing, so sending code need not care whether anyone edited it.
 */
export async function getTemplate(deps: Deps, ref: TemplateRef): Promise<TemplateView> {
  const { editionId: id, key: k } = parseInput(TemplateRef, ref);
  // An edition's version of a site-wide key, saved before they were refused, is never used.
  const own = id !== null && !isSiteWide(k);
  const rows = await deps.db
    .selectFrom('mail_templates')
    .selectAll()
    .where('key', '=', k)
    .where((eb) => (own ? eb.or([eb('edition_id', '=', id), eb('edition_id', 'is', null)]) : eb('edition_id', 'is', null)))
    .execute();
  const found = rows.find((r) => r.edition_id !== null) ?? rows.find((r) => r.edition_id === null);
  if (found) {
    return {
      key: k,
      editionId: id,
      subject: found.subject,
      body: found.body,
      origin: found.edition_id === null ? 'site' : 'edition',
      updatedAt: found.updated_at,
    };
  }
  const builtIn = TEMPLATE_KEYS[k];
  return { key: k, editionId: id, subject: builtIn.subject, body: builtIn.body, origin: 'default', updatedAt: null };
}

/**
 * What the list of templates says beside a key still in the built-in words while the key it was
 * added beside (ADDED_BESIDE) has the committee's own (edition's or site-wide) text: the two mails
 * would read unalike. `views` are the texts in force for one edition (or site-wide); null for a
 * key with nothing to say. Sending is not changed: the built-in text is what goes.
 */
export function defaultBesideNote(key: TemplateKey, views: readonly Pick<TemplateView, 'key' | 'origin'>[]): string | null {
  const origin = (k: TemplateKey) => views.find((v) => v.key === k)?.origin;
  for (const [added, beside] of ADDED_BESIDE) {
    if (added !== key || origin(added) !== 'default') continue;
    const other = origin(beside);
    if (other !== undefined && other !== 'default') return `uses the default text; ${beside} is customised — check it reads alike`;
  }
  return null;
}

/**
 * Removes the committee's version for an edition (or the site-wide one), so that the next one
 * in the lookup order applies again. Returns what is now in force.
 */
export async function resetTemplate(deps: Deps, ref: TemplateRef, actor?: Actor): Promise<TemplateView> {
  const { editionId: id, key: k } = parseInput(TemplateRef, ref);
  refuseEditionsOwn(id, k);
  await deps.db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('mail_templates')
      .where('key', '=', k)
      .where((eb) => (id === null ? eb('edition_id', 'is', null) : eb('edition_id', '=', id)))
      .returning(['subject', 'body'])
      .executeTakeFirst();
    if (actor && removed) await recordAudit(trx, actor, { action: 'template.reset', entity: 'mail_template', entityId: k, editionId: id, before: removed });
  });
  return getTemplate(deps, { editionId: id, key: k });
}

/**
 * Renders the template in force with the key's sample values, for the editor's preview. Given
 * a subject or body, previews that unsaved text instead, checked as saving would check it.
 * `known` (the edition's own title, dates, place and committee) takes the place of the samples it
 * names; with `site`, the sample links point where mail's will.
 */
export async function previewTemplate(deps: Deps, input: PreviewInput, known: Readonly<Record<string, string>> = {}, site?: PreviewSite): Promise<TemplateText & { origin: TemplateOrigin | 'draft' }> {
  const p = parseInput(PreviewInput, input);
  const current = await getTemplate(deps, { editionId: p.editionId, key: p.key });
  const subject = p.subject ?? current.subject;
  const body = p.body ?? current.body;
  refuseFaults(textFaults(p.key, { subject, body }, false));
  const drafted = p.subject !== undefined || p.body !== undefined;
  const names = new Set(placeholderNames(p.key));
  const samples = sampleValues(p.key, site);
  // A sample subject naming the sample edition ("Invitation to Netconf 2026") names this one.
  if (samples.subject !== undefined && known.edition_title) samples.subject = samples.subject.replace(SAMPLE_EDITION_TITLE, known.edition_title);
  const values = { ...samples, ...Object.fromEntries(Object.entries(known).filter(([k]) => names.has(k))) };
  return { ...renderTemplate({ subject, body }, values, TEMPLATE_KEYS[p.key].placeholders), origin: drafted ? 'draft' : current.origin };
}

/**
 * The rendered subject and body of a real message: the template in force filled with `values`.
 * This is what invitations and sign-in hand to enqueueMail.
 */
export async function renderMail(deps: Deps, ref: TemplateRef & { values: Readonly<Record<string, string>> }): Promise<TemplateText> {
  const t = await getTemplate(deps, ref);
  refuseSecretSubject(t);
  return renderTemplate(t, ref.values, TEMPLATE_KEYS[ref.key].placeholders);
}

/**
 * Refuses to mail a text whose subject holds a placeholder that carries a secret. Saving such a
 * subject is refused; one saved before that check, or written into the database by other means
 * (SQL), is not sent with the secret for all to read: the mail is refused, saying which template
 * to put right.
 */
function refuseSecretSubject(t: TemplateView): void {
  for (const m of t.subject.matchAll(PLACEHOLDER)) {
    const why = secretInSubject(t.key, m[1]!.trim());
    if (why === null) continue;
    const where = t.origin === 'site' || isSiteWide(t.key) ? 'site-wide' : 'of this edition';
    throw new InvalidInput('subject', `the ${t.key} template ${where} is not mailed: ${why} (edit it under Mail templates, or conclave template set)`);
  }
}

/** The mail settings every template mail uses: BASE_URL, the From and the default Reply-To. */
export interface MailSettings {
  baseUrl: string;
  from: string;
  replyTo?: string | null;
}

/** One template mail: what to render, and how enqueueMail sends it (its kind is the key). */
export type TemplateMail = TemplateRef &
  Omit<EnqueueInput, 'editionId' | 'kind' | 'baseUrl' | 'from' | 'subject' | 'body'> & {
    values: Readonly<Record<string, string>>;
    /** Close up the run of blank lines that an empty value (a comment not given) leaves. */
    closeGaps?: boolean;
    /** A paragraph of conclave's own put before the template's text, whatever the committee's template says. */
    lead?: string;
  };

/**
 * Renders the template in force with its values and writes the message to the outbox, in the
 * caller's transaction; From and BASE_URL are the settings', and so is Reply-To unless given.
 */
export async function sendTemplate(trx: Kysely<Database>, mail: MailSettings, m: TemplateMail): Promise<OutboxMessage> {
  const { key, editionId, values, closeGaps, replyTo, lead, ...how } = m;
  const text = await renderMail({ db: trx }, { editionId, key, values });
  const body = lead ? `${wrapMailBody(lead)}\n\n${text.body}` : text.body;
  return enqueueMail(trx, {
    ...how,
    editionId,
    kind: key,
    baseUrl: mail.baseUrl,
    from: mail.from,
    replyTo: replyTo === undefined ? (mail.replyTo ?? null) : replyTo,
    subject: text.subject,
    body: closeGaps ? body.replace(/\n{3,}/g, '\n\n') : body,
  });
}
