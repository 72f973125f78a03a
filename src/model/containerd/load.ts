import { expandGlob, lookup, readText } from '../../snapshot/query.js';
import { dirname, joinPath, normalizePath } from '../../snapshot/paths.js';
import type { Snapshot } from '../../snapshot/types.js';
import { positionOf, type TomlData, type TomlLocations, type TomlValue } from '../../parsers/toml.js';
import { parsedToml } from './toml-cache.js';
import type { ContainerdFile, ContainerdImport } from '../types.js';

import { CONTAINERD_CONFIG } from './command.js';

export { CONTAINERD_CONFIG };

/** One configuration file containerd loads, with its parsed data and key positions. */
export interface LoadedFile extends Omit<ContainerdFile, 'data' | 'keyLines'> {
  data?: TomlData;
  locations?: TomlLocations;
}

/** One entry of an `imports` list, resolved (a `*` makes it a glob; only `*` does). */
export type ImportEntry = ContainerdImport;

/** What loading the configuration found. */
export interface LoadResult {
  files: LoadedFile[];
  imports: ImportEntry[];
  /** Directories that must be listed and files that must be read to finish (for the input planner). */
  needs: { list: string[]; read: string[] };
}

/**
 * Load the main configuration and its imports the way containerd does:
 * breadth first (all of a file's imports are queued after the files already
 * queued), each glob's matches in byte order, relative entries resolved against
 * the importing file's directory, and a path string loaded once (no
 * canonicalisation: a file reached under two spellings loads twice).
 *
 * containerd 1.6.0-1.6.29 resolved a relative glob against the daemon's working
 * directory instead (fixed in 1.6.30); this model uses the importing file's
 * directory, which is what every later release does.
 */
export function loadContainerdConfig(snapshot: Snapshot, main = CONTAINERD_CONFIG): LoadResult {
  const result: LoadResult = { files: [], imports: [], needs: { list: [], read: [] } };
  const queue: { path: string; importedBy?: LoadedFile['importedBy'] }[] = [{ path: main }];
  const loaded = new Set<string>();
  while (queue.length > 0) {
    const { path, importedBy } = queue.shift()!;
    if (loaded.has(path)) continue;
    loaded.add(path);
    const file = readConfigFile(snapshot, path, importedBy);
    if (file.state === 'not-collected') result.needs.read.push(path);
    result.files.push(file);
    if (!file.data) continue;
    for (const { entry, needList, needRead } of importsOf(snapshot, file)) {
      result.imports.push(entry);
      result.needs.list.push(...needList);
      result.needs.read.push(...needRead);
      for (const match of entry.matches) queue.push({ path: match, importedBy: { file: path, line: entry.line, entry: entry.entry } });
    }
  }
  return result;
}

const stringList = (x: TomlValue): boolean => Array.isArray(x) && x.every((e) => typeof e === 'string');
/** Top-level keys with the type containerd decodes them into. */
const STRICT_KEYS: [string, (x: TomlValue) => boolean, string][] = [
  ['version', (x) => Number.isInteger(x), 'an integer'],
  ['imports', stringList, 'a list of path strings'],
  ['disabled_plugins', stringList, 'a list of plugin ids'],
  ['required_plugins', stringList, 'a list of plugin ids'],
];

function readConfigFile(snapshot: Snapshot, path: string, importedBy?: LoadedFile['importedBy']): LoadedFile {
  const base: LoadedFile = { path, state: 'ok', version: null, ...(importedBy ? { importedBy } : {}) };
  const r = readText(snapshot, path);
  if (r.status === 'missing' || r.status === 'not-collected') return { ...base, state: r.status };
  if (r.status === 'unreadable') return { ...base, state: 'unreadable', error: { message: r.reason } };
  const parsed = parsedToml(r.record, r.text);
  if (!parsed.ok) return { ...base, state: 'invalid', error: parsed.error };
  const locations = parsed.locations;
  // Keys the model reads before merging; a wrong type fails the whole file ("failed to unmarshal TOML: (L, C): Can't convert 2(string) to int").
  const wrong = STRICT_KEYS.find(([key, ok]) => parsed.value[key] !== undefined && !ok(parsed.value[key]));
  if (wrong) {
    const [key, , what] = wrong;
    return {
      ...base,
      state: 'invalid',
      error: { message: `${key} must be ${what}, not ${JSON.stringify(parsed.value[key])}`, ...positionOf(locations, [key])!, decode: true },
    };
  }
  const v = parsed.value.version as number | undefined;
  return { ...base, version: v ?? null, data: parsed.value, locations };
}

function importsOf(snapshot: Snapshot, file: LoadedFile): { entry: ImportEntry; needList: string[]; needRead: string[] }[] {
  // readConfigFile let through only a list of strings; a top-level key is always located.
  const list = (file.data!.imports ?? []) as string[];
  return list.map((value) => resolveImport(snapshot, file, value, positionOf(file.locations!, ['imports'])!.line));
}

/** `imports` is resolved on a snapshot: a glob needs listings (and its candidate files read), a plain entry its file. */
function resolveImport(snapshot: Snapshot, file: LoadedFile, value: string, line: number): { entry: ImportEntry; needList: string[]; needRead: string[] } {
  const dir = dirname(file.path);
  const absolute = value.startsWith('/') ? normalizePath(value) : joinPath(dir, value);
  const entry: ImportEntry = { file: file.path, line, entry: value, glob: value.includes('*'), matches: [] };
  if (entry.glob) {
    const g = expandGlob(snapshot, absolute);
    if (g.badPattern) return { entry: { ...entry, problem: 'bad-pattern' }, needList: [], needRead: [] };
    return { entry: { ...entry, matches: g.matches }, needList: g.needList, needRead: g.needStat };
  }
  const record = lookup(snapshot, absolute);
  if (record === undefined) return { entry: { ...entry, matches: [absolute] }, needList: [], needRead: [] };
  if (record.type === 'missing') return { entry: { ...entry, problem: 'missing' }, needList: [], needRead: [] };
  if (record.type !== 'file') return { entry: { ...entry, problem: 'not-a-file' }, needList: [], needRead: [] };
  return { entry: { ...entry, matches: [absolute] }, needList: [], needRead: [] };
}
