/**
 * `conclave materials`: slides and other files, links, meeting notes and the group photo of an
 * edition, as the committee adds them on the web (same checks: type sniffed from the content,
 * size limit CONCLAVE_MAX_UPLOAD_MB, plain file names).
 */
import { Command, Option } from 'commander';
import { utf8Problem } from '../domain/archive/decode-page.js';
import { findEdition } from '../domain/editions/find-edition.js';
import { ACCEPTED_TEXT } from '../domain/files/material-types.js';
import { InvalidInput } from '../domain/errors.js';
import { addMaterialFile, addMaterialLink, addNotes, LinkInput, KIND_CHOICES_TEXT, KIND_NAMES, listMaterials, removeMaterial, setGroupPhoto, UPLOAD_KIND_NAMES, uploadKindNamed, type UploadKind } from '../domain/program/materials.js';
import { editionPersonNamed } from '../domain/program/person-named.js';
import { topicByNumber } from '../domain/program/topics.js';
import { cliActor, idArgument, idValue, output, table, withDb } from './context.js';
import { schemaValue, topicNumber, UsageError } from './usage-error.js';
import { readTextInput, readUpload } from './read-upload.js';
import { editionRefOf, seriesOption } from './series-option.js';

interface Common {
  series?: string;
  json?: boolean;
}


/**
 * --kind as typed: a kind's name (help lists them: "paper", not the stored "whitepaper", which
 * is still taken) as the kind it stores; any other value is bad usage, before anything runs.
 */
function kindOption(value: string): UploadKind {
  const kind = uploadKindNamed(value);
  if (!kind) throw new UsageError('--kind', `${KIND_CHOICES_TEXT}, not ${JSON.stringify(value)}`);
  return kind;
}

export function materialsCommand(): Command {
  const cmd = new Command('materials').description('Materials: slides, files and links, meeting notes, the group photo.');

  cmd
    .command('add')
    .description('Add a file or a link to a slot, a topic, or the edition.')
    .argument('<year>', 'the edition, e.g. 2027')
    .option('--file <path>', `a file to upload, at most CONCLAVE_MAX_UPLOAD_MB: ${ACCEPTED_TEXT}`)
    .option('--url <url>', 'a link (http or https) instead of a file', schemaValue('--url', LinkInput.shape.url))
    .option('--slot <id>', 'the slot it belongs to', idValue('--slot', 'is not a slot number (see conclave schedule show)'))
    .option('--topic <number>', 'the topic it belongs to, by its number in the edition (see conclave topics list)', topicNumber('--topic'))
    .addOption(new Option('--kind <kind>', 'what it is (default: from the file\'s type, slides for a link)').choices(UPLOAD_KIND_NAMES).argParser(kindOption))
    .option('--label <text>', 'the text shown for it (default: from the kind)')
    .option('--credit <text>', 'who made it')
    .addOption(seriesOption())
    .option('--json', 'print the new material as JSON')
    .action(async (year: string, o: Common & { file?: string; url?: string; slot?: string; topic?: string; kind?: UploadKind; label?: string; credit?: string }) => {
      // What to add and where are the command's to say: bad usage, before the database is opened.
      if (!o.file === !o.url) throw new UsageError('--file', 'give either --file or --url');
      if (o.slot && o.topic) throw new UsageError('--slot', 'give --slot or --topic, not both');
      return withDb(async ({ db }, config) => {
        const e = await findEdition(db, await editionRefOf(db, config, year, o));
        const deps = { db, filesDir: config.filesDir, maxUploadBytes: config.maxUploadBytes };
        const common = {
          editionId: e.id,
          slotId: o.slot === undefined ? undefined : idArgument(o.slot, '--slot', 'is not a slot number (see conclave schedule show)'),
          topicId: o.topic === undefined ? undefined : (await topicByNumber({ db }, e, o.topic, '--topic')).id,
          ...(o.kind ? { kind: o.kind } : {}),
          label: o.label,
          credit: o.credit,
        };
        const m = await (o.file
          ? addMaterialFile(deps, cliActor(), { ...common, ...(await readUpload(o.file, config.maxUploadBytes)) })
          : addMaterialLink(deps, cliActor(), { ...common, url: o.url! })
        ).catch((err: unknown) => {
          // The domain names the slot or topic it belongs to `target`: here that is --slot or --topic.
          throw err instanceof InvalidInput && err.field === 'target' ? new InvalidInput(o.slot ? '--slot' : '--topic', err.why) : err;
        });
        output(o.json, m, () => [`added material ${m.id}: ${m.label} (${KIND_NAMES[m.kind]}${m.file_name ? `, ${m.file_name}` : `, ${m.url}`})`]);
      });
    });

  cmd
    .command('notes')
    .description('Add meeting notes (a Markdown file) credited to a person of the edition.')
    .argument('<year>', 'the edition')
    .requiredOption('--file <path>', "the notes, in Markdown ('-': standard input)")
    .requiredOption('--author <who>', 'who wrote them: a person of the edition, by name, slug, address or #id (see conclave invite list)')
    .option('--label <text>', 'the title (default: Meeting notes)')
    .addOption(seriesOption())
    .option('--json', 'print the new material as JSON')
    .action(async (year: string, o: Common & { file: string; author: string; label?: string }) =>
      withDb(async ({ db }, config) => {
        const e = await findEdition(db, await editionRefOf(db, config, year, o));
        const bytes = await readTextInput(o.file, '--file', config.maxUploadBytes);
        const named = o.file === '-' ? 'standard input' : o.file;
        const bad = utf8Problem(bytes);
        if (bad) throw new InvalidInput('--file', `${named} is not UTF-8 text (${bad}); notes are Markdown in UTF-8 (from Latin-1: iconv -f latin1 -t utf-8${o.file === '-' ? '' : ` ${o.file}`})`);
        const body = bytes.toString('utf8');
        const author = await editionPersonNamed({ db }, e, o.author, '--author');
        const m = await addNotes({ db, filesDir: config.filesDir }, cliActor(), { editionId: e.id, authorId: author.id, body, label: o.label }).catch((err: unknown) => {
          // The notes' text is the file's.
          throw err instanceof InvalidInput && err.field === 'body' ? new InvalidInput('--file', `${named}: ${err.why}`) : err;
        });
        output(o.json, m, () => [`added material ${m.id}: ${m.label} by ${author.name}`]);
      }),
    );

  cmd
    .command('photo')
    .description("Set the edition's group photo (a thumbnail is made).")
    .argument('<year>', 'the edition')
    .requiredOption('--file <path>', 'the photo: PNG, JPEG, GIF or WebP')
    .option('--label <text>', 'its caption (default: the caption of the photo it replaces)')
    .option('--credit <text>', 'who took it')
    .addOption(seriesOption())
    .option('--json', 'print the new material as JSON')
    .action(async (year: string, o: Common & { file: string; label?: string; credit?: string }) =>
      withDb(async ({ db }, config) => {
        const e = await findEdition(db, await editionRefOf(db, config, year, o));
        const deps = { db, filesDir: config.filesDir, maxUploadBytes: config.maxUploadBytes };
        const m = await setGroupPhoto(deps, cliActor(), { editionId: e.id, label: o.label, credit: o.credit, ...(await readUpload(o.file, config.maxUploadBytes)) });
        output(o.json, m, () => [`set the group photo of ${e.title}: material ${m.id} (${m.file_name})`]);
      }),
    );

  cmd
    .command('list')
    .description('List the materials of an edition.')
    .argument('<year>', 'the edition')
    .addOption(seriesOption())
    .option('--json', 'print JSON')
    .action(async (year: string, o: Common) =>
      withDb(async ({ db }, config) => {
        const e = await findEdition(db, await editionRefOf(db, config, year, o));
        const list = await listMaterials({ db }, e.id);
        output(o.json, list, () =>
          list.length === 0
            ? [`${e.title} has no materials`]
            : table([['ID', 'KIND', 'FOR', 'LABEL', 'FILE OR LINK'], ...list.map((m) => [String(m.id), KIND_NAMES[m.kind], m.target, m.label, m.fileName ?? m.url ?? (m.hasBody ? '(notes)' : '')])]),
        );
      }),
    );

  cmd
    .command('remove')
    .description('Remove one material of an edition (see `materials list` for ids).')
    .argument('<year>', 'the edition')
    .argument('<id>', 'the material', idValue('id', 'is not a material id such as 12 (see conclave materials list)'))
    .addOption(seriesOption())
    .option('--json', 'print the removed material as JSON')
    .action(async (year: string, mid: string, o: Common) =>
      withDb(async ({ db }, config) => {
        const e = await findEdition(db, await editionRefOf(db, config, year, o));
        const m = await removeMaterial({ db, filesDir: config.filesDir }, cliActor(), { editionId: e.id, id: idArgument(mid, 'id', 'is not a material id such as 12 (see conclave materials list)') });
        output(o.json, m, () => [`removed material ${m.id}: ${m.label}`]);
      }),
    );
  return cmd;
}
