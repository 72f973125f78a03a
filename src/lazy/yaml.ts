// Lazy modules: each file here exports one `load()`. Under tests and the library
// it imports eagerly; the executable's build replaces the file with a loader
// that compiles the module only when `load()` is first called (scripts/build.mjs),
// so runs that never need it never parse it.
import * as yaml from 'yaml';

/** The yaml package, loaded on first use in the executable. */
export function load(): typeof yaml {
  return yaml;
}
