/** (Being written: Topic proposals: list, accept, decline.) */
import { Command } from 'commander';

export function topicsCommand(): Command {
  return new Command('topics').description('Topic proposals: list, accept, decline (not ready yet)');
}
