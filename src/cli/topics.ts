/**
 * `conclave topics`: the topics proposed for an edition, one proposed by the committee for an
 * attendee, and the committee's decisions on them (each decision is mailed to the presenters
 * through the outbox).
 */
import fs from 'node:fs';
import { Command } from 'commander';
import type { Db } from '../db/connect.js';
import { getEdition } from '../domain/editions/edit-edition.js';
import { fileProblem, InvalidForm, InvalidInput } from '../domain/errors.js';
import { attendeeNamed, decideTopic, listTopics, proposeTopic, topicByNumber, TOPIC_STATES, type Decision, type TopicView } from '../domain/program/topics.js';
import { UsageError } from './usage-error.js';
import { cliActor, invitationDeps, output, table, withDb, yearArgument } from './context.js';

/** The domain's names of a proposal's fields, as `topics propose` takes them. */
const PROPOSE_OPTION: Record<string, string> = { title: '--title', abstract: '--abstract', wishedMinutes: '--length', coPresenterIds: '--co-presenter', proposerId: '--by' };

/** The abstract of --abstract, or what --abstract-file reads (standard input for "-"). */
function abstractOf(opts: { abstract?: string; abstractFile?: string }): string {
  if (opts.abstract !== undefined && opts.abstractFile !== undefined) throw new UsageError('--abstract-file', 'give --abstract or --abstract-file, not both');
  if (opts.abstractFile === undefined) return opts.abstract ?? '';
  try {
    return fs.readFileSync(opts.abstractFile === '-' ? 0 : opts.abstractFile, 'utf8');
  } catch (err) {
    throw new InvalidInput('--abstract-file', `cannot read ${opts.abstractFile === '-' ? 'standard input' : opts.abstractFile}: ${fileProblem(err)}`);
  }
}

async function editionId(handle: Db, year: string, series: string): Promise<number> {
  return (await getEdition({ db: handle.db }, series, yearArgument(year))).id;
}

function lines(t: TopicView): string[] {
  return [
    `#${t.number} [${t.state}] ${t.title}`,
    `  by ${t.presenters.map((p) => p.name).join(', ') || 'nobody named'}${t.wishedMinutes ? `, ${t.wishedMinutes} minutes wished` : ''}`,
    ...(t.decisionComment ? [`  committee: ${t.decisionComment.replace(/\n/g, ' ')}`] : []),
  ];
}

export function topicsCommand(): Command {
  const cmd = new Command('topics').description('Topic proposals of an edition: list them, propose one for an attendee, accept, decline or ask for changes.');
  cmd
    .command('list')
    .description('The topics of an edition, with presenters, wished length, state and the committee\'s comment.')
    .argument('<year>')
    .option('--state <state>', `only topics in this state (${TOPIC_STATES.join(', ')})`)
    .option('--series <slug>', 'the series', 'netconf')
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { state?: string; series: string; json?: boolean }) =>
      withDb(async (handle) => {
        const state = opts.state;
        if (state !== undefined && !(TOPIC_STATES as readonly string[]).includes(state)) {
          throw new InvalidInput('state', `must be one of: ${TOPIC_STATES.join(', ')}`);
        }
        const topics = await listTopics({ db: handle.db }, { editionId: await editionId(handle, year, opts.series), state: state as TopicView['state'] | undefined });
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
    .command('propose')
    .description('Propose a topic for an accepted attendee (one sent to the committee by mail, say): it is theirs to edit or withdraw on their page until decided. Nobody is mailed.')
    .argument('<year>')
    .requiredOption('--by <who>', 'the proposer: an accepted attendee, by name, slug, invitation #id (conclave invite list) or address')
    .requiredOption('--title <text>', 'the title, one line')
    .option('--abstract <markdown>', 'the abstract, in Markdown')
    .option('--abstract-file <file>', "the abstract read from a file ('-': standard input)")
    .option('--length <minutes>', 'the wished length, 5 to 480 minutes')
    .option('--co-presenter <who>', 'a co-presenter, an accepted attendee; repeat for several', (v: string, prev: string[] = []) => [...prev, v])
    .option('--series <slug>', 'the series', 'netconf')
    .option('--json', 'print as JSON')
    .action(
      async (
        year: string,
        opts: { by: string; title: string; abstract?: string; abstractFile?: string; length?: string; coPresenter?: string[]; series: string; json?: boolean },
      ) =>
        withDb(async (handle, config) => {
          const abstract = abstractOf(opts);
          const edition = await getEdition({ db: handle.db }, opts.series, yearArgument(year));
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
            if (!(err instanceof InvalidForm || err instanceof InvalidInput)) throw err;
            const fields = err instanceof InvalidForm ? err.fields : { [err.field]: err.why };
            throw new InvalidForm(Object.fromEntries(Object.entries(fields).map(([k, v]) => [PROPOSE_OPTION[k.split('.')[0]!] ?? k, v])));
          }
          output(opts.json, t, () => [
            ...lines(t),
            `  proposed for ${proposer.name}, who can edit or withdraw it on their page until the committee decides; nobody was mailed`,
            `  decide with: conclave topics accept ${edition.year} ${t.number}${opts.series === 'netconf' ? '' : ` --series ${opts.series}`}`,
          ]);
        }),
    );

  const decision = (name: string, d: Decision, about: string, commentRequired: boolean) => {
    const c = cmd.command(name).description(about).argument('<year>').argument('<number>', 'the topic\'s number in the edition, as `conclave topics list` shows it');
    if (commentRequired) c.requiredOption('--comment <text>', 'the comment mailed to the presenters');
    else c.option('--comment <text>', 'a comment mailed to the presenters (required to reverse a decline)');
    c.option('--series <slug>', 'the series', 'netconf')
      .option('--json', 'print as JSON')
      .action(async (year: string, number: string, opts: { comment?: string; series: string; json?: boolean }) =>
        withDb(async (handle, config) => {
          const edition = await getEdition({ db: handle.db }, opts.series, yearArgument(year));
          const topic = await topicByNumber({ db: handle.db }, edition, number, 'number');
          const t = await decideTopic((await invitationDeps(handle, config)), cliActor(), { topicId: topic.id, decision: d, comment: opts.comment ?? '' });
          output(opts.json, t, () => [...lines(t), `  mailed to ${t.mailed.join(', ') || 'nobody (no presenter has an invitation address)'}`]);
        }),
      );
  };
  decision('accept', 'accept', 'Accept a proposed topic; the presenters are mailed.', false);
  decision('decline', 'decline', 'Decline a topic, saying why; the presenters are mailed.', true);
  decision('request-changes', 'request-changes', 'Ask the proposer for changes, saying which; the presenters are mailed.', true);
  return cmd;
}
