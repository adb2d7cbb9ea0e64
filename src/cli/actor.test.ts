/** Who the audit log names for a command: the account, and whoever ran it through sudo. */
import { describe, expect, it } from 'vitest';
import { cliActor } from './context.js';

describe('cliActor', () => {
  it('names the account a command runs as', () => {
    expect(cliActor({ USER: 'alice' })).toEqual({ accountId: null, label: 'cli:alice' });
    expect(cliActor({ LOGNAME: 'bob' }).label).toBe('cli:bob');
  });

  it('names who typed a command run through sudo -u, and the account', () => {
    // sudo sets USER to the target account and SUDO_USER to the one who ran it.
    expect(cliActor({ USER: 'conclave', SUDO_USER: 'alice' }).label).toBe('cli:alice as conclave');
    // sudo to oneself, or a root shell from `sudo -i` that ran it as root: one name is enough.
    expect(cliActor({ USER: 'alice', SUDO_USER: 'alice' }).label).toBe('cli:alice');
  });
});
