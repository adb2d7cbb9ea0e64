/**
 * `conclave topics`: the topics proposed for an edition, one proposed by the committee for an
 * attendee, the committee's decisions on them (each decision is mailed to the presenters
 * through the outbox), and its changes to a topic's title, abstract, length or presenters
 * (mailed to nobody).
 */
import { Command, Option } from 'commander';
import { InvalidForm, InvalidInput } from '../domain/errors.js';
import { decideTopic, listTopics, notComingSentence, proposeTopic, topicByNumber, TOPIC_STATES, updateTopic, type Decision, type TopicView } from '../domain/program/topics.js';
import { attendeeNamed, presentersNamed } from '../domain/program/person-named.js';
import { KIND_NAMES } from '../domain/program/materials.js';
import { topicMaterials, type MaterialItem } from '../domain/program/material-queries.js';
import { minutesValue, topicNumber, UsageError } from './usage-error.js';
import { cliActor, invitationDeps, output, table, withDb } from './context.js';
import { editionNamed, seriesAgain, seriesOption } from './series-option.js';
import { readText } from './read-upload.js';

/** The domain's names of a proposal's fields, as `topics propose` takes them. */
const PROPOSE_OPTION: Record<string, string> = {
  title: '--title',
  abstract: '--abstract',
  wishedMinutes: '--length',
  coPresenterIds: '--co-presenter',
  proposerId: '--by',
  presenterIds: '--presenter',
};

/** --abstract and --abstract-file given together: bad usage, said before the database is opened. */
function oneAbstract(opts: { abstract?: string; abstractFile?: string }): void {
  if (opts.abstract !== undefined && opts.abstractFile !== undefined) throw new UsageError('--abstract-file', 'give --abstract or --abstract-file, not both');
}

/** The abstract of --abstract, or what --abstract-file reads (standard input for "-"); undefined for neither. */
async function givenAbstract(opts: { abstract?: string; abstractFile?: string }): Promise<string | undefined> {
  oneAbstract(opts);
  return opts.abstractFile === undefined ? opts.abstract : readText(opts.abstractFile, '--abstract-file');
}

/** The abstract of --abstract or --abstract-file, empty for neither. */
async function abstractOf(opts: { abstract?: string; abstractFile?: string }): Promise<string> {
  return (await givenAbstract(opts)) ?? '';
}

/** A refusal of the domain's, its fields named as the command's options. */
function asOptions(err: unknown): unknown {
  if (!(err instanceof InvalidForm || err instanceof InvalidInput)) return err;
  const fields = err instanceof InvalidForm ? err.fields : { [err.field]: err.why };
  return new InvalidForm(Object.fromEntries(Object.entries(fields).map(([k, v]) => [PROPOSE_OPTION[k.split('.')[0]!] ?? k, v])));
}

function lines(t: TopicView): string[] {
  return [
    `#${t.number} [${t.state}] ${t.title}`,
    `  by ${t.presenters.map((p) => p.name).join(', ') || 'nobody named'}${t.wishedMinutes ? `, ${t.wishedMinutes} minutes wished` : ''}`,
    ...(t.decisionComment ? [`  committee: ${t.decisionComment.replace(/\n/g, ' ')}`] : []),
  ];
}

/** The states a decision put a topic in, whose date is said beside them (as on the web page). */
const DECIDED: readonly TopicView['state'][] = ['accepted', 'declined', 'changes-requested'];

/**
 * One topic whole, as the committee's topics page shows it: title, state, presenters, length,
 * when proposed and last changed, the abstract (its Markdown as written), the committee's
 * comment; and its materials, filed under it or under its slot.
 */
function showLines(t: TopicView, materials: MaterialItem[]): string[] {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const indented = (text: string) => text.trim().split('\n').map((l) => (l.trim() ? `  ${l}` : ''));
  return [
    `#${t.number} ${t.title}`,
    `state: ${t.state}${t.decidedAt && DECIDED.includes(t.state) ? ` (decided ${day(t.decidedAt)})` : ''}`,
    `presenters: ${t.presenters.map((p) => p.name).join(', ') || 'none named'}`,
    `length: ${t.wishedMinutes ? `${t.wishedMinutes} minutes wished` : 'no wish'}`,
    t.origin === 'proposal' ? `proposed ${day(t.createdAt)}, last changed ${day(t.updatedAt)}` : 'from the imported page',
    '',
    ...(t.abstract.trim() ? ['abstract:', ...indented(t.abstract)] : ['abstract: none']),
    ...(t.decisionComment ? ['', 'the committee’s comment:', ...indented(t.decisionComment)] : []),
    '',
    ...(materials.length
      ? ['materials:', ...materials.map((m) => `  material ${m.id}: ${m.label} (${KIND_NAMES[m.kind]}${m.fileName ? `, ${m.fileName}` : m.url ? `, ${m.url}` : m.hasBody ? ', notes' : ''})`)]
      : ['materials: none']),
  ];
}

export function topicsCommand(): Command {
  const cmd = new Command('topics').description('Topic proposals of an edition: list them, show one, propose one for an attendee, accept, decline or ask for changes.');
  cmd
    .command('list')
    .description('The topics of an edition, with presenters, wished length, state and the committee\'s comment.')
    .argument('<year>')
    .addOption(new Option('--state <state>', 'only topics in this state').choices(TOPIC_STATES))
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { state?: string; series?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const state = opts.state;
        const topics = await listTopics({ db: handle.db }, { editionId: (await editionNamed(handle.db, config, year, opts)).id, state: state as TopicView['state'] | undefined });
        output(opts.json, topics, () =>
          topics.length === 0
            ? ['no topics']
            : table([
                ['#', 'STATE', 'MIN', 'TITLE', 'PRESENTERS'],
                ...topics.map((t) => [String(t.number), t.state, t.wishedMinutes ? String(t.wishedMinutes) : '-', t.title, t.presenters.map((p) => p.name).join(', ')]),
              ]),
        );
      }),
    );

  cmd
    .command('show')
    .description("One topic whole, as the committee's topics page shows it: title, state, presenters, length, abstract, the committee's comment; and its materials.")
    .argument('<year>')
    .argument('<number>', "the topic's number in the edition, as `conclave topics list` shows it", topicNumber('number'))
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, number: string, opts: { series?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const edition = await editionNamed(handle.db, config, year, opts);
        const topic = await topicByNumber({ db: handle.db }, edition, number, 'number');
        const materials = await topicMaterials({ db: handle.db }, edition.id, topic.id);
        output(opts.json, { ...topic, materials }, () => showLines(topic, materials));
      }),
    );

  cmd
    .command('propose')
    .description('Propose a topic for an accepted attendee (one sent to the committee by mail, say): it is theirs to edit or withdraw on their page until decided. Nobody is mailed.')
    .argument('<year>')
    .requiredOption('--by <who>', 'the proposer: an accepted attendee, by name, slug, invitation #id (conclave invite list) or address')
    .requiredOption('--title <text>', 'the title, one line')
    .option('--abstract <markdown>', 'the abstract, in Markdown')
    .option('--abstract-file <file>', "the abstract read from a file ('-': standard input)")
    .option('--length <minutes>', 'the wished length, 5 to 480 minutes', minutesValue('--length'))
    .option('--co-presenter <who>', 'a co-presenter, an accepted attendee; repeat for several', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(
      async (
        year: string,
        opts: { by: string; title: string; abstract?: string; abstractFile?: string; length?: string; coPresenter?: string[]; series?: string; json?: boolean },
      ) => {
        oneAbstract(opts);
        return withDb(async (handle, config) => {
          const abstract = await abstractOf(opts);
          const edition = await editionNamed(handle.db, config, year, opts);
          const proposer = await attendeeNamed({ db: handle.db }, edition, opts.by, '--by');
          const co = [];
          for (const who of opts.coPresenter ?? []) co.push(await attendeeNamed({ db: handle.db }, edition, who, '--co-presenter'));
          let t: TopicView;
          try {
            t = await proposeTopic(
              await invitationDeps(handle, config),
              cliActor(),
              { editionId: edition.id, proposerId: proposer.id, title: opts.title, abstract, wishedMinutes: opts.length ?? '', coPresenterIds: co.map((p) => p.id) },
              'committee',
            );
          } catch (err) {
            throw asOptions(err);
          }
          const again = await seriesAgain(handle.db, edition.series_slug);
          output(opts.json, t, () => [
            ...lines(t),
            `  proposed for ${proposer.name}, who can edit or withdraw it on their page until the committee decides; nobody was mailed`,
            `  decide with: conclave topics accept ${edition.year} ${t.number}${again}`,
          ]);
        });
      },
    );

  cmd
    .command('update')
    .description(
      "Change a topic's title, abstract, length or presenters, in any state (before or after a decision): an option left out keeps its value. The state stays and nobody is mailed; a slot made for the topic shows the new title (the published schedule's changelog says so) and keeps its times and speakers (schedule edit --speaker changes those).",
    )
    .argument('<year>')
    .argument('<number>', "the topic's number in the edition, as `conclave topics list` shows it", topicNumber('number'))
    .option('--title <text>', 'the new title, one line')
    .option('--abstract <markdown>', 'the new abstract, in Markdown (empty: none)')
    .option('--abstract-file <file>', "the new abstract read from a file ('-': standard input)")
    .option('--length <minutes>', 'the new length, 5 to 480 minutes (empty: none)', minutesValue('--length'))
    .option(
      '--presenter <who>',
      'a presenter, in order, replacing the list: an accepted attendee (or one presenting it already) by name, slug, address, invitation #id or person #id; repeat for several; the proposer stays first',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, number: string, opts: { title?: string; abstract?: string; abstractFile?: string; length?: string; presenter?: string[]; series?: string; json?: boolean }) => {
      // A topic is never left with no presenter: an empty name is bad usage, before the database opens.
      if (opts.presenter?.some((v) => v.trim() === '')) throw new UsageError('--presenter', 'give each presenter by name, slug, address or #id: a topic keeps at least one presenter');
      // No option at all is a mistake of the command, not a change of nothing.
      if (opts.title === undefined && opts.abstract === undefined && opts.abstractFile === undefined && opts.length === undefined && opts.presenter === undefined)
        throw new UsageError('--title', 'give --title, --abstract, --abstract-file, --length or --presenter: what to change');
      oneAbstract(opts);
      return withDb(async (handle, config) => {
        const abstract = await givenAbstract(opts);
        const edition = await editionNamed(handle.db, config, year, opts);
        const topic = await topicByNumber({ db: handle.db }, edition, number, 'number');
        const presenterIds = opts.presenter && (await presentersNamed({ db: handle.db }, edition, topic.presenters, opts.presenter, '--presenter'));
        let out: Awaited<ReturnType<typeof updateTopic>>;
        try {
          out = await updateTopic(await invitationDeps(handle, config), cliActor(), { topicId: topic.id, title: opts.title, abstract, wishedMinutes: opts.length, presenterIds });
        } catch (err) {
          throw asOptions(err);
        }
        const { oldTitle, ...shown } = out;
        output(opts.json, shown, () => [
          ...lines(out.topic),
          // The line above shows the new title only: say which topic it was, by the title the
          // change replaced (`topic`, read before it, may hold another edit's).
          ...(out.changed.includes('title') ? [`  topic #${out.topic.number} “${oldTitle}” is now “${out.topic.title}”`] : []),
          out.changed.length === 0 ? '  nothing changed' : `  changed: ${out.changed.map((f) => (f === 'presenterIds' ? 'presenters' : PROPOSE_OPTION[f]!.slice(2))).join(', ')}; nobody was mailed`,
          ...out.logged.map((l) => `  in the schedule's changelog: ${l}`),
        ]);
      });
    });

  const decision = (name: string, d: Decision, about: string, commentRequired: boolean) => {
    const c = cmd.command(name).description(about).argument('<year>').argument('<number>', 'the topic\'s number in the edition, as `conclave topics list` shows it', topicNumber('number'));
    if (commentRequired) c.requiredOption('--comment <text>', 'the comment mailed to the presenters');
    else c.option('--comment <text>', 'a comment mailed to the presenters (required to reverse a decline)');
    c.addOption(seriesOption())
      .option('--json', 'print as JSON')
      .action(async (year: string, number: string, opts: { comment?: string; series?: string; json?: boolean }) =>
        withDb(async (handle, config) => {
          const edition = await editionNamed(handle.db, config, year, opts);
          const topic = await topicByNumber({ db: handle.db }, edition, number, 'number');
          const t = await decideTopic((await invitationDeps(handle, config)), cliActor(), { topicId: topic.id, decision: d, comment: opts.comment ?? '' });
          output(opts.json, t, () => [
            ...lines(t),
            `  mailed to ${t.mailed.join(', ') || 'nobody (no presenter has an invitation address)'}`,
            ...(t.notComing.length ? [`! ${notComingSentence(t.notComing, t.title)}`] : []),
          ]);
        }),
      );
  };
  decision('accept', 'accept', 'Accept a proposed topic; the presenters are mailed.', false);
  decision('decline', 'decline', 'Decline a topic, saying why; the presenters are mailed.', true);
  decision('request-changes', 'request-changes', 'Ask the proposer for changes, saying which; the presenters are mailed.', true);
  return cmd;
}
