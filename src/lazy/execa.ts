// A lazy module (see yaml.ts): execa runs the live probes, which only --online needs.
import { execa } from 'execa';

/** execa, loaded on first use in the executable. */
export function load(): typeof execa {
  return execa;
}
