/** (Being written: the static export of the whole public site.) */
import { Command } from 'commander';

export function exportCommand(): Command {
  return new Command('export').description('Write the public site as static files (not ready yet)');
}
