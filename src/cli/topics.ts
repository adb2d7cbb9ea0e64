/**
 * `conclave topics`: the topics proposed for an edition, and the committee's decisions on them
 * (each decision is mailed to the presenters through the outbox).
 */
import { Command } from 'commander';
import type { Db } from '../db/connect.js';
import { getEdition } from '../domain/editions/edit-edition.js';
import { InvalidInput } from '../domain/errors.js';
import { decideTopic, listTopics, topicByNumber, TOPIC_STATES, type Decision, type TopicView } from '../domain/program/topics.js';
import { cliActor, invitationDeps, output, table, withDb, yearArgument } from './context.js';


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
  const cmd = new Command('topics').description('Topic proposals of an edition: list them, accept, decline or ask for changes.');
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
