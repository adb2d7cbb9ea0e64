import { Command } from 'commander';
import { AddMemberInput, addCommitteeMember, disableCommitteeMember, listCommitteeMembers, MemberAddressInput } from '../domain/committee/accounts.js';
import { signOutMember } from '../domain/committee/sessions.js';
import { createSigninLink } from '../domain/committee/signin.js';
import { count } from '../domain/count.js';
import { NotFound } from '../domain/errors.js';
import { cliActor, commandMail, output, table, withDb } from './context.js';
import { schemaValue } from './usage-error.js';

/** A member's address as typed, by the domain's own rule: a typo is bad usage, before the database. */
const memberAddress = schemaValue('email', MemberAddressInput.shape.email);

export function committeeCommand(): Command {
  const cmd = new Command('committee').description('Committee members: who may sign in and run editions.');
  cmd
    .command('add')
    .description('Add a committee member by address (or bring back one disabled).')
    .argument('<email>', 'the address sign-in links are mailed to', schemaValue('email', AddMemberInput.shape.email))
    .option('--name <name>', 'their name, when the address is new to the archive')
    .option('--json', 'print the result as JSON')
    .action(async (email: string, opts: { name?: string; json?: boolean }) =>
      withDb(async ({ db }) => {
        const m = await addCommitteeMember({ db }, cliActor(), { email, ...(opts.name ? { name: opts.name } : {}) });
        output(opts.json, m, () => [m.restored ? `${m.name} <${m.email}> is back on the committee` : `added ${m.name} <${m.email}> to the committee`]);
      }),
    );
  cmd
    .command('disable')
    .description('Take a member off the committee: their sessions end and their sign-in links stop working.')
    .argument('<email>', "the member's address", memberAddress)
    .option('--json', 'print the result as JSON')
    .action(async (email: string, opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const m = await disableCommitteeMember({ db, clock: () => new Date() }, cliActor(), { email });
        output(opts.json, m, () => [`${m.name} <${m.email}> is off the committee (conclave committee add ${m.email} brings them back)`]);
      }),
    );
  cmd
    .command('signout')
    .description('End every session of a member, on every device, as their "Sign out everywhere" does; they stay on the committee.')
    .argument('<email>', "the member's address", memberAddress)
    .option('--json', 'print the result as JSON')
    .action(async (email: string, opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const r = await signOutMember({ db }, cliActor(), { email });
        output(opts.json, r, () => [`ended ${count(r.ended, 'session')} of ${r.name} <${r.email}>`]);
      }),
    );
  cmd
    .command('list')
    .description('List committee members.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) =>
      withDb(async ({ db }) => {
        const list = await listCommitteeMembers({ db });
        output(opts.json, list, () =>
          list.length === 0
            ? ['no committee members yet: conclave committee add EMAIL --name NAME']
            : table([['ID', 'NAME', 'EMAIL', 'SINCE', 'STATE'], ...list.map((m) => [String(m.id), m.name, m.email, m.createdAt.toISOString().slice(0, 10), m.disabled ? 'disabled' : 'active'])]),
        );
      }),
    );
  cmd
    .command('signin-link')
    .description('Print a one-time sign-in link for a member (valid 15 minutes), without mailing it.')
    .argument('<email>', "the member's address", memberAddress)
    .option('--json', 'print the link as JSON')
    .action(async (email: string, opts: { json?: boolean }) =>
      withDb(async (handle, config) => {
        const link = await createSigninLink({ db: handle.db, clock: () => new Date(), mail: await commandMail(handle, config) }, { email }, cliActor());
        if (!link) throw new NotFound(`${email} is not a committee member (conclave committee add ${email})`);
        output(opts.json, { email, link: link.link }, () => [link.link]);
      }),
    );
  return cmd;
}
