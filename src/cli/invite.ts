import { Argument, Command, Option } from 'commander';
import { promotedSentence } from '../domain/invitations/cap.js';
import { addCandidateList, parseCandidateList } from '../domain/invitations/candidate-list.js';
import { AddCandidateInput, addCandidate, AmbiguousPerson, nameNotTakenSentence, type CandidateView } from '../domain/invitations/candidates.js';
import { CapFull, overriddenSentence, overrideState, revokedSentence, revokeInvitation } from '../domain/invitations/committee-actions.js';
import { invitationPipeline } from '../domain/invitations/pipeline.js';
import { remindAndExpire } from '../domain/invitations/reminders.js';
import { NoAnswerBy, resendInvitation, resentSentence, sendInvitations, sentSentence, type SentInvitation } from '../domain/invitations/send.js';
import { INVITATION_STATES, type InvitationState } from '../domain/invitations/states.js';
import { Conflict, InvalidInput } from '../domain/errors.js';
import { dateValue, schemaValue, UsageError } from './usage-error.js';
import { cliActor, idArgument, idValue, idValues, invitationDeps, output, table, withDb } from './context.js';
import { count } from '../domain/count.js';
import { editionNamed, seriesAgain, seriesOption } from './series-option.js';
import { readText } from './read-upload.js';


const INVITATION_ID = 'is not an invitation id such as 12 (see conclave invite list)';

/**
 * The STATE of `invite override` as commander parses it: not a state at all is bad usage (exit 2),
 * as an option's value outside its choices, said before the database is opened.
 */
function stateArgument(state: string): string {
  if (!(INVITATION_STATES as readonly string[]).includes(state)) throw new UsageError('state', `must be one of ${INVITATION_STATES.map((x) => `“${x}”`).join(', ')}`);
  return state;
}

/** One sent invitation: who, until when (an accepted one re-sent asks nothing), the link. */
function sentLine(i: SentInvitation): string {
  return `  ${i.name} <${i.email}>${i.answerBy ? ` (answer by ${i.answerBy})` : ''}: ${i.link}`;
}

/** What `invite add` says of one candidate added. */
function addedLines(c: CandidateView): string[] {
  return [`added ${c.name} <${c.email}> as a candidate (#${c.id})`, ...(nameNotTakenSentence(c) ? [nameNotTakenSentence(c)!] : [])];
}

/**
 * `invite add YEAR --file FILE`: the list read and every line checked for its shape before the
 * database is opened, then all added in one transaction (addCandidateList), each said as `invite
 * add` says one, and the total.
 */
async function addList(year: string, file: string, opts: { note?: string; series?: string; json?: boolean }): Promise<void> {
  const where = file === '-' ? '<stdin>' : file;
  const people = parseCandidateList(await readText(file, '--file'), where);
  return withDb(async (handle, config) => {
    const edition = await editionNamed(handle.db, config, year, opts);
    const added = await addCandidateList(await invitationDeps(handle, config), cliActor(), {
      editionId: edition.id,
      people,
      where,
      source: 'cli',
      ...(opts.note ? { note: opts.note } : {}),
      ambiguous: (err) =>
        `${err.message}; take the line out and add them alone with conclave invite add ${year} ${err.address} --name NAME ${err.namesakes.length ? '--same-as ADDRESS (one they are known by) or --new-person' : '--new-person'}`,
    });
    output(opts.json, added, () => [...added.flatMap(addedLines), `${count(added.length, 'candidate')} added to ${edition.title}`]);
  });
}

export function inviteCommand(): Command {
  const cmd = new Command('invite').description('The invitation cycle of an edition: candidates, invitations, reminders.');
  cmd
    .command('add')
    .description('Add a candidate to an edition; with --file, a list of them, all or none.')
    .argument('<year>')
    .argument('[email]', 'their address', schemaValue('email', AddCandidateInput.shape.email))
    .option('--name <name>', 'their name (one the archive knows keeps theirs); needed with EMAIL')
    .option('--file <file>', 'instead of EMAIL and --name: a list, one "Name <address>" a line, blank lines and "#" comments skipped (\'-\': standard input); any line refused refuses all, naming its number')
    .option('--note <text>', 'why them (with --file: for each)')
    .addOption(new Option('--same-as <address>', 'the person known by this address (theirs is new): asked when the archive knows the name by other addresses').conflicts('newPerson').argParser(schemaValue('--same-as', AddCandidateInput.shape.sameAs)))
    .option('--new-person', 'somebody else than the one(s) the archive knows by this name')
    .addOption(seriesOption())
    .option('--json', 'print as JSON (with --file: an array)')
    .action(async (year: string, email: string | undefined, opts: { name?: string; file?: string; note?: string; sameAs?: string; newPerson?: boolean; series?: string; json?: boolean }) => {
      // One person or a list: which, and what goes with it, is bad usage before the database is opened.
      if (opts.file !== undefined) {
        if (email !== undefined) throw new UsageError('--file', 'give EMAIL and --name for one person, or --file for a list, not both');
        for (const [given, flag] of [[opts.name, '--name'], [opts.sameAs, '--same-as'], [opts.newPerson, '--new-person']] as const) {
          if (given !== undefined) throw new UsageError(flag, `is for one person; for one line of --file that needs it, add that person alone: conclave invite add ${year} EMAIL --name NAME ${flag}`);
        }
        return addList(year, opts.file, opts);
      }
      if (email === undefined) throw new UsageError('email', 'give the address of the candidate (conclave invite add YEAR EMAIL --name NAME), or --file for a list');
      if (opts.name === undefined) throw new UsageError('--name', 'give the name of the candidate (conclave invite add YEAR EMAIL --name NAME)');
      const name = opts.name;
      return withDb(async (handle, config) => {
        const c = await addCandidate((await invitationDeps(handle, config)), cliActor(), {
          editionId: (await editionNamed(handle.db, config, year, opts)).id,
          name,
          email,
          source: 'cli',
          ...(opts.note ? { note: opts.note } : {}),
          ...(opts.sameAs !== undefined ? { sameAs: opts.sameAs } : {}),
          newPerson: !!opts.newPerson,
        }).catch((err: unknown) => {
          if (err instanceof AmbiguousPerson) throw new Conflict(err.namesakes.length ? `${err.message}; add again with --same-as ADDRESS (one they are known by) or --new-person` : `${err.message} (--new-person)`);
          throw err;
        });
        output(opts.json, c, () => addedLines(c));
      });
    });
  cmd
    .command('send')
    .description('Invite candidates: each gets a personal link by mail.')
    .argument('<year>')
    .argument('[ids...]', 'invitation ids (default: every candidate)', idValues('id', INVITATION_ID))
    .option('--answer-by <date>', "answer-by date (default: the edition's)", dateValue('--answer-by'))
    .option('--hold', 'hold the mail as drafts: read them with `conclave mail list`, send with `conclave mail send --batch`')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, ids: string[], opts: { answerBy?: string; hold?: boolean; series?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const chosen = ids.length ? ids.map((id) => idArgument(id, 'id', INVITATION_ID)) : 'all-candidates';
        const edition = await editionNamed(handle.db, config, year, opts);
        const r = await sendInvitations((await invitationDeps(handle, config)), cliActor(), {
          editionId: edition.id,
          ids: chosen,
          ...(opts.answerBy ? { answerBy: opts.answerBy } : {}),
          hold: !!opts.hold,
        }).catch(async (err: unknown) => {
          if (!(err instanceof NoAnswerBy)) throw err;
          const again = await seriesAgain(handle.db, edition.series_slug);
          throw new InvalidInput('answerBy', `no answer-by date: give one (--answer-by YYYY-MM-DD), or set ${err.editionTitle}'s own (conclave edition update ${edition.year}${again} --answer-by YYYY-MM-DD)`);
        });
        output(opts.json, r, () => [
          sentSentence(r),
          ...r.invitations.map(sentLine),
        ]);
      }),
    );
  cmd
    .command('list')
    .description('The pipeline: counts per state; who, since when, and by when they answer.')
    .argument('<year>')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string, opts: { series?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const p = await invitationPipeline({ db: handle.db }, (await editionNamed(handle.db, config, year, opts)).id, { pages: false });
        output(opts.json, p, () => [
          `${p.title}: ${p.accepted} of ${p.cap} places taken`,
          Object.entries(p.counts)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ') || 'no invitations yet',
          ...table([
            ['ID', 'STATE', 'SINCE', 'NAME', 'EMAIL', 'ANSWER BY'],
            ...p.rows.map((r) => [String(r.id), r.state + (r.promoted ? ' (moved up)' : '') + (r.heldIn ? ` (held: ${r.heldIn})` : '') + (r.waitlistRank ? ` #${r.waitlistRank}` : ''), r.since.toISOString().slice(0, 10), r.name, r.email, r.answerBy ?? '-']),
          ]),
        ]);
      }),
    );
  cmd
    .command('remind')
    .description('Send due reminders and expire invitations past their answer-by date (the server does this hourly).')
    .argument('[year]', 'only this edition')
    .addOption(seriesOption())
    .option('--json', 'print as JSON')
    .action(async (year: string | undefined, opts: { series?: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const scope = year ? { editionId: (await editionNamed(handle.db, config, year, opts)).id } : {};
        const r = await remindAndExpire(await invitationDeps(handle, config), cliActor(), scope);
        output(opts.json, r, () => [
          `${count(r.reminded.length, 'reminder')} queued${r.reminded.length ? `: ${r.reminded.map((m) => m.email).join(', ')}` : ''}`,
          `${count(r.expired.length, 'invitation')} expired${r.expired.length ? `: ${r.expired.map((m) => m.email).join(', ')}` : ''}`,
        ]);
      }),
    );
  cmd
    .command('revoke')
    .description('Revoke an invitation (its link stops working).')
    .addArgument(new Argument('<id>').argParser(idValue('id', INVITATION_ID)))
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { reason: string; json?: boolean }) =>
      withDb(async (handle, config) => {
        const r = await revokeInvitation((await invitationDeps(handle, config)), cliActor(), { id: idArgument(id, 'id', INVITATION_ID), reason: opts.reason });
        output(opts.json, r, () => [revokedSentence(r), ...promotedSentence(r.promoted, 'The freed place')]);
      }),
    );
  cmd
    .command('resend')
    .description('Send an invitation again with a new link (earlier links stop working); an expired one is invited again.')
    .addArgument(new Argument('<id>').argParser(idValue('id', INVITATION_ID)))
    .option('--answer-by <date>', 'a new answer-by date (needed when the old one has passed)', dateValue('--answer-by'))
    .option('--hold', 'hold the mail as a draft: send it with `conclave mail send --batch`')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { answerBy?: string; hold?: boolean; json?: boolean }) =>
      withDb(async (handle, config) => {
        const r = await resendInvitation((await invitationDeps(handle, config)), cliActor(), { id: idArgument(id, 'id', INVITATION_ID), ...(opts.answerBy ? { answerBy: opts.answerBy } : {}), hold: !!opts.hold });
        output(opts.json, r, () => [resentSentence(r), ...r.invitations.map(sentLine)]);
      }),
    );
  cmd
    .command('override')
    .description('Set an invitation to any state, outside the usual rules, with a reason (audited; the person is not mailed, though anyone it moves up from the waiting list is).')
    .addArgument(new Argument('<id>').argParser(idValue('id', INVITATION_ID)))
    .argument('<state>', INVITATION_STATES.join(', '), stateArgument)
    .requiredOption('--reason <text>', 'why (kept in the audit log)')
    .option('--force', 'accept even when every place is taken (the edition goes past its cap)')
    .option('--json', 'print as JSON')
    .action(async (id: string, state: string, opts: { reason: string; force?: boolean; json?: boolean }) =>
      withDb(async (handle, config) => {
        const r = await overrideState((await invitationDeps(handle, config)), cliActor(), { id: idArgument(id, 'id', INVITATION_ID), state: state as InvitationState, reason: opts.reason, force: !!opts.force }).catch(async (err: unknown) => {
          if (!(err instanceof CapFull)) throw err;
          const again = await seriesAgain(handle.db, err.edition.series);
          throw new Conflict(`${err.edition.title} is full: ${err.taken} of ${err.cap} places are taken: raise the cap (conclave edition update ${err.edition.year}${again} --cap N), or pass --force to accept past it`);
        });
        output(opts.json, r, () => [overriddenSentence(r), ...promotedSentence(r.promoted, 'The freed place')]);
      }),
    );
  return cmd;
}
