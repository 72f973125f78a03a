/**
 * The text searches of file site checks (`contains`, `notContains`): every
 * pattern of every file check searched once per model, in one vm script under
 * a time limit, so a runaway pattern is the checklist's error, not a hang.
 */
import type { SiteFileCheck } from '../checklist/types.js';
import { PreflightError } from '../errors.js';
import type { NodeModel } from '../model/types.js';

/** How long one site pattern may search one file (a backtracking pattern is the checklist's fault: exit 2), as for custom rule schemas. */
export const SITE_PATTERN_TIMEOUT_MS = 1000;

/** A checklist value that is one string or a list of them, as a list. */
export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** A pattern of a file check and the text it searches. */
interface Search {
  re: RegExp;
  text: string;
  /** The checklist and check, for the error when the pattern runs away. */
  where: string;
  pattern: string;
}

/** Where the searches are handed to the script (a symbol: no name of the process's global scope is taken). */
const JOBS = Symbol.for('kube-preflight.site-searches');

/** One script for every search: V8 can stop a script at its timeout wherever it is, not a bare RegExp#exec. */
let searcher: { runInThisContext(o: { timeout: number }): unknown } | undefined;

/**
 * The line of each search's first match (null: none). All searches run in one
 * vm call under one time limit, in this context (a new context costs more than
 * the searches); a batch past the limit is run again one search at a time,
 * each under the limit, to name the pattern at fault.
 */
function searchAll(searches: readonly Search[]): (number | null)[] {
  searcher ??= new (process.getBuiltinModule('node:vm').Script)(
    `globalThis[Symbol.for(${JSON.stringify(JOBS.description)})].map(([re, text]) => re.exec(text)?.index ?? -1)`,
  );
  const global = globalThis as unknown as Record<symbol, unknown>;
  global[JOBS] = searches.map((s) => [s.re, s.text]);
  let found: number[];
  try {
    found = searcher.runInThisContext({ timeout: SITE_PATTERN_TIMEOUT_MS }) as number[];
  } catch (err) {
    if (searches.length > 1) return searches.flatMap((s) => searchAll([s]));
    // What stops a search of a valid RegExp on a string is its time running out: the checklist's pattern is at fault.
    throw new PreflightError(
      'checklist-invalid',
      `${searches[0]!.where}: the pattern ${JSON.stringify(searches[0]!.pattern)} stopped: ${(err as Error).message} (nested or overlapping repetition backtracks without end); simplify it`,
    );
  } finally {
    // The files' text is not kept alive by the global.
    delete global[JOBS];
  }
  return found.map((index, i) => (index < 0 ? null : searches[i]!.text.slice(0, index).split('\n').length));
}

/** The first-match line of every pattern of every file check, searched once per model. */
export type Searches = (model: NodeModel) => Map<string, number | null>;

export function fileSearches(files: readonly SiteFileCheck[], source: string): Searches {
  const compiled = files.map((f) => ({ f, patterns: [...list(f.contains), ...list(f.notContains)].map((p) => ({ p, re: new RegExp(p, 'm') })) }));
  const done = new WeakMap<NodeModel, Map<string, number | null>>();
  return (model) => {
    let found = done.get(model);
    if (!found) {
      const keys: string[] = [];
      const searches: Search[] = [];
      for (const { f, patterns } of compiled) {
        const text = model.site.files[f.path]?.text;
        if (typeof text !== 'string') continue;
        for (const { p, re } of patterns) {
          keys.push(`${f.id}\0${p}`);
          searches.push({ re, text, where: `${source}: site check ${f.id}`, pattern: p });
        }
      }
      const lines = searchAll(searches);
      found = new Map(keys.map((k, i) => [k, lines[i]!]));
      done.set(model, found);
    }
    return found;
  };
}
