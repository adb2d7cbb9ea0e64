import { Argument, Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { previewMailValues } from '../domain/invitations/invitee-mail.js';
import { utcMinute } from '../domain/invitations/dates.js';
import { ADDED_BESIDE, TEMPLATE_KEYS, templateKeys, type TemplateKey } from '../domain/mail/template-keys.js';
import { defaultBesideNote, getTemplate, previewTemplate, resetTemplate, saveTemplate, type TemplateView } from '../domain/mail/templates.js';
import { cliActor, commandMail, output, table, withDb, yearArgument } from './context.js';
import { readText } from './read-upload.js';
import { UsageError } from './usage-error.js';
import { editionNamed, seriesOption } from './series-option.js';

interface Opts {
  series?: string;
  json?: boolean;
  subject?: string;
  bodyFile?: string;
}


/**
 * The edition named by <year>, or with "site" none: the site-wide texts, which an edition's own
 * replaces, and the only text of a site-wide key such as signin.
 */
async function editionOf(db: Kysely<Database>, config: Config, opts: Opts, year: string): Promise<{ id: number | null; title: string; known: Record<string, string>; site?: { series: string; year: number } }> {
  if (year === 'site') return { id: null, title: 'every edition (site-wide)', known: {} };
  const e = await editionNamed(db, config, year, opts);
  return { id: e.id, title: e.title, known: await previewMailValues(db, e), site: { series: e.series_slug, year: e.year } };
}

const YEAR_OR_SITE = 'the edition\'s year, or "site" for the site-wide texts';

/**
 * <year|site> as commander reads it: "site", or a year by yearArgument's rule; anything else is
 * bad usage, before any database is opened (editionOf checked it only once one was open).
 */
function yearOrSite(value: string): string {
  if (value !== 'site') yearArgument(value, 'year|site');
  return value;
}

/** The KEY argument: one of the keys, else bad usage (exit 2) naming them. */
const keyArgument = () => new Argument('<key>', 'the template').choices(templateKeys);

/** The key as given: one of the keys (keyArgument); the domain says where it belongs. */
const keyOf = (key: string) => key as TemplateKey;

/** --subject and --body-file (a file, or standard input for "-"), for those given. */
async function draftOf(opts: Opts): Promise<{ subject?: string; body?: string }> {
  return { ...(opts.subject !== undefined ? { subject: opts.subject } : {}), ...(opts.bodyFile !== undefined ? { body: await readText(opts.bodyFile, '--body-file') } : {}) };
}

function mailLines(t: { subject: string; body: string }): string[] {
  return [`Subject: ${t.subject}`, '', t.body.replace(/\n$/, '')];
}

function withCommon(cmd: Command): Command {
  return cmd.addOption(seriesOption()).option('--json', 'print as JSON');
}

export function templateCommand(): Command {
  const cmd = new Command('template').description(`Mail templates of an edition, or with "site" for the year the site-wide ones (signin is only site-wide): list, show, set, preview, reset (keys: ${templateKeys.join(', ')}).`);
  withCommon(
    cmd
      .command('list')
      .description(
        `List the templates and where each text comes from (edition, site or default), with a note on a key still at its default while the key it was added beside is customised (${ADDED_BESIDE.map(([added, beside]) => `${added} beside ${beside}`).join(', ')}).`,
      )
      .argument('<year|site>', YEAR_OR_SITE, yearOrSite),
  ).action(async (year: string, opts: Opts) =>
    withDb(async ({ db }, config) => {
      const e = await editionOf(db, config, opts, year);
      const views: TemplateView[] = [];
      for (const key of templateKeys) views.push(await getTemplate({ db }, { editionId: e.id, key }));
      const list = views.map((t) => ({ ...t, about: TEMPLATE_KEYS[t.key].about, note: defaultBesideNote(t.key, views) }));
      output(opts.json, list, () => [
        ...table([['KEY', 'ORIGIN', 'SAVED (UTC)', 'SUBJECT'], ...list.map((t) => [t.key, t.origin, t.updatedAt ? utcMinute(t.updatedAt) : '-', t.subject])]),
        ...list.flatMap((t) => (t.note ? [`note: ${t.key} ${t.note}`] : [])),
      ]);
    }),
  );
  withCommon(cmd.command('show').description('Show the template in force, with its placeholders.').argument('<year|site>', YEAR_OR_SITE, yearOrSite).addArgument(keyArgument())).action(
    async (year: string, key: string, opts: Opts) =>
      withDb(async ({ db }, config) => {
        const e = await editionOf(db, config, opts, year);
        const t = await getTemplate({ db }, { editionId: e.id, key: keyOf(key) });
        const placeholders: Record<string, { about: string; sample: string }> = TEMPLATE_KEYS[t.key].placeholders;
        output(opts.json, { ...t, placeholders }, () => [
          `# ${t.key} of ${e.title}: ${t.origin}${t.updatedAt ? `, saved ${utcMinute(t.updatedAt)} UTC` : ''}`,
          `# placeholders: ${Object.keys(placeholders).map((n) => `{{${n}}}`).join(' ')}`,
          ...mailLines(t),
        ]);
      }),
  );
  withCommon(
    cmd
      .command('set')
      .description("Save the edition's own subject and body; what is not given stays as it is. An unknown placeholder is refused.")
      .argument('<year|site>', YEAR_OR_SITE, yearOrSite)
      .addArgument(keyArgument())
      .option('--subject <text>', 'the subject, one line')
      .option('--body-file <file>', 'the body, from a file ("-" for standard input)'),
  ).action(async (year: string, key: string, opts: Opts) => {
    // Nothing to save is bad usage, said before the database is opened.
    if (opts.subject === undefined && opts.bodyFile === undefined) throw new UsageError('--subject', 'give --subject, --body-file or both');
    return withDb(async ({ db }, config) => {
      const e = await editionOf(db, config, opts, year);
      const draft = await draftOf(opts);
      const current = await getTemplate({ db }, { editionId: e.id, key: keyOf(key) });
      const t = await saveTemplate({ db }, { editionId: e.id, key: current.key, subject: draft.subject ?? current.subject, body: draft.body ?? current.body }, cliActor());
      output(opts.json, t, () => [`saved the ${t.key} template of ${e.title}`]);
    });
  });
  withCommon(
    cmd
      .command('preview')
      .description("Render the template in force (or the text given) with the edition's title, dates, place and committee, and sample values for the rest; nothing is saved.")
      .argument('<year|site>', YEAR_OR_SITE, yearOrSite)
      .addArgument(keyArgument())
      .option('--subject <text>', 'preview this subject instead')
      .option('--body-file <file>', 'preview this body instead ("-" for standard input)'),
  ).action(async (year: string, key: string, opts: Opts) =>
    withDb(async (handle, config) => {
      const { db } = handle;
      const e = await editionOf(db, config, opts, year);
      const { baseUrl } = await commandMail(handle, config);
      const p = await previewTemplate({ db }, { editionId: e.id, key: keyOf(key), ...(await draftOf(opts)) }, e.known, { baseUrl, ...(e.site ? { edition: e.site } : {}) });
      output(opts.json, p, () => mailLines(p));
    }),
  );
  withCommon(cmd.command('reset').description("Remove the edition's own text: the site-wide or built-in one applies again.").argument('<year|site>', YEAR_OR_SITE, yearOrSite).addArgument(keyArgument())).action(
    async (year: string, key: string, opts: Opts) =>
      withDb(async ({ db }, config) => {
        const e = await editionOf(db, config, opts, year);
        const t = await resetTemplate({ db }, { editionId: e.id, key: keyOf(key) }, cliActor());
        output(opts.json, t, () => [`reset the ${t.key} template of ${e.title}: the ${t.origin} text applies`]);
      }),
  );
  return cmd;
}
