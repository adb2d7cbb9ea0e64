/**
 * `conclave schedule --help` (and the list of `conclave --help`) sums up its subcommands in one
 * line, "show, add, edit, …": the line names every one of them, `notify` included, so that a
 * reader of the help learns that the waiting change notices can be sent now.
 */
import { describe, expect, it } from 'vitest';

describe('the schedule command’s summary', () => {
  it('names every schedule subcommand', async () => {
    const { program } = await import('../src/cli/main.js');
    const schedule = (await program()).commands.find((c) => c.name() === 'schedule')!;
    const listed = schedule.description().replace(/^[^:]*:\s*/, '').replace(/\.$/, '').split(/,\s*/);
    expect(listed.sort()).toEqual(schedule.commands.map((c) => c.name()).sort());
  });
});
