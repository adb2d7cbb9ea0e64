/** (Being written: The schedule: show, add, move, publish.) */
import { Command } from 'commander';

export function scheduleCommand(): Command {
  return new Command('schedule').description('The schedule: show, add, move, publish (not ready yet)');
}
