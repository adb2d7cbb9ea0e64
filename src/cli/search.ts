/** (Being written: Search every edition.) */
import { Command } from 'commander';

export function searchCommand(): Command {
  return new Command('search').description('Search every edition (not ready yet)');
}
