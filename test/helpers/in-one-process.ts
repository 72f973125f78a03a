import { readdirSync } from 'node:fs';

/**
 * Import every test file under `dir` whose path (relative to it) matches `pattern`, in byte order, into
 * the calling test process: their tests become this file's subtests, and the suite pays the TypeScript
 * loader's start once for all of them instead of once per file. package.json's tap config leaves those
 * files out of the default run; `npx tap <file>` still runs one alone.
 */
export async function importTests(dir: URL, pattern: RegExp): Promise<string[]> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => pattern.test(f))
    .sort();
  for (const file of files) await import(new URL(file, dir).href);
  return files;
}
