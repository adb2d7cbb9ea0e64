/** (Being written: Candidates from a git history.) */
import { Command } from 'commander';

export function candidatesCommand(): Command {
  return new Command('candidates').description('Candidates from a git history (not ready yet)');
}
