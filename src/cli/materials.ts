/** (Being written: Materials: add files and links.) */
import { Command } from 'commander';

export function materialsCommand(): Command {
  return new Command('materials').description('Materials: add files and links (not ready yet)');
}
