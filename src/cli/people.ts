/**
 * `conclave people`: the people of the archive as the committee sees them, and its corrections:
 * two records of one person made one (an import read two spellings as two people), a shown name
 * changed.
 */
import { Command } from 'commander';
import { clashMessage, mergePeople, personRecord, personRecords, planMerge, renamePerson, type MergePlan, type PersonRecord } from '../domain/people/merge.js';
import { Conflict } from '../domain/errors.js';
import { cliActor, output, table, withDb } from './context.js';

/** What a merge moves, makes one and refuses, a line each. */
export function planLines(p: MergePlan, done: boolean): string[] {
  const head = `${done ? 'merged' : 'would merge'} ${p.from.name} (${p.from.slug}) into ${p.into.name} (${p.into.slug})`;
  const items = p.items.flatMap((i) => [
    ...(i.moved.length ? [`  ${i.what}: ${i.moved.length} ${done ? 'moved' : 'to move'}: ${i.moved.join('; ')}`] : []),
    ...(i.collapsed.length ? [`  ${i.what}: ${i.collapsed.length} ${done ? 'made one with theirs' : 'to make one with theirs'}: ${i.collapsed.join('; ')}`] : []),
  ]);
  const clashes = p.clashes.map((c) => `  clash: ${c}`);
  return [head, ...(items.length ? items : ['  nothing to move']), ...clashes, ...(!done && p.clashes.length ? ['refused: the clashes must be resolved first'] : [])];
}

function recordLines(p: PersonRecord): string[] {
  return [
    `${p.name} (${p.slug})`,
    `other names: ${p.otherNames.join(', ') || 'none'}`,
    `addresses: ${p.addresses.join(', ') || 'none'}`,
    ...(p.oldSlugs.length ? [`old slugs (leading here): ${p.oldSlugs.join(', ')}`] : []),
    ...(p.editions.length ? ['editions:', ...p.editions.map((e) => `  ${e.edition}: ${e.parts.join(', ')}`)] : ['editions: none']),
  ];
}

export function peopleCommand(): Command {
  const cmd = new Command('people').description('The people of the archive: list them, show one, merge two records of one person, rename one.');
  cmd
    .command('list')
    .description('Everybody, by name: slug, name, other names and the editions each took part in or was invited to.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) =>
      withDb(async (handle) => {
        const people = await personRecords({ db: handle.db });
        output(opts.json, people, () =>
          people.length === 0
            ? ['nobody']
            : table([
                ['SLUG', 'NAME', 'OTHER NAMES', 'EDITIONS'],
                ...people.map((p) => [p.slug, p.name, p.otherNames.join(', ') || '-', p.editions.map((e) => e.edition).join(', ') || '-']),
              ]),
        );
      }),
    );

  cmd
    .command('show')
    .description('One person: names, addresses, old slugs, and their part in each edition.')
    .argument('<slug>', 'the person, as `conclave people list` shows them')
    .option('--json', 'print as JSON')
    .action(async (slug: string, opts: { json?: boolean }) =>
      withDb(async (handle) => {
        const p = await personRecord({ db: handle.db }, slug);
        output(opts.json, p, () => recordLines(p));
      }),
    );

  cmd
    .command('merge')
    .description(
      'Make two records of one person one: every reference to FROM (attendances, committee seats, talks, topics, materials, invitations, names, addresses) moves to INTO, rows there twice become one, and FROM\'s slug leads to INTO. Refused, writing nothing, when two invitations to one edition or two committee roles of one edition would clash.',
    )
    .argument('<from-slug>', 'the record that goes, as `conclave people list` shows it')
    .argument('<into-slug>', 'the record kept')
    .option('--dry-run', 'say what would move and what clashes; write nothing')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  conclave people merge jane-doe jane-q-doe --dry-run\n')
    .action(async (from: string, into: string, opts: { dryRun?: boolean; json?: boolean }) =>
      withDb(async (handle) => {
        if (opts.dryRun) {
          const p = await planMerge({ db: handle.db }, { from, into });
          output(opts.json, p, () => planLines(p, false));
          if (p.clashes.length) throw new Conflict(clashMessage(p));
          return;
        }
        const p = await mergePeople({ db: handle.db }, cliActor(), { from, into });
        output(opts.json, p, () => planLines(p, true));
      }),
    );

  cmd
    .command('rename')
    .description("Give a person another shown name. The old name stays one of theirs (an import of it still finds them); the slug follows the new name when it is nobody else's, and the old slug leads to them.")
    .argument('<slug>', 'the person, as `conclave people list` shows them')
    .argument('<name>', 'the name to show')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  conclave people rename jane-doe "Jane Q. Doe"\n')
    .action(async (slug: string, name: string, opts: { json?: boolean }) =>
      withDb(async (handle) => {
        const r = await renamePerson({ db: handle.db }, cliActor(), { slug, name });
        output(opts.json, r, () => [`renamed ${r.before.name} (${r.before.slug}) to ${r.after.name} (${r.after.slug})`]);
      }),
    );
  return cmd;
}
