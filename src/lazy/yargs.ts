// A lazy module (see yaml.ts): yargs is needed for help, errors and subcommands,
// not for the plain check, which the fast path parses.
import yargs from 'yargs';

/** The yargs factory, loaded on first use in the executable. */
export function load(): typeof yargs {
  return yargs;
}
