import type { DirEntry, PathRecord, Snapshot } from './types.js';
import { compareBytes, goPatternValid, hasGlobMeta, joinPath, matchSegment, normalizePath } from './paths.js';

/** The outcome of reading a file's text from a snapshot. */
export type TextResult =
  | { status: 'ok'; path: string; text: string; record: PathRecord }
  | { status: 'missing'; path: string; record: PathRecord }
  | { status: 'not-collected'; path: string }
  | { status: 'unreadable'; path: string; reason: string; record: PathRecord };

/** The record of a path, or undefined when the collector did not look at it. */
export function lookup(snapshot: Snapshot, path: string): PathRecord | undefined {
  return snapshot.paths[normalizePath(path)];
}

/** Describe why a record holds no usable text, in words an operator understands. */
export function describeUnreadable(record: PathRecord): string {
  if (record.error) return `${record.error.code}: ${record.error.message}`;
  if (record.type === 'error') return 'unreadable';
  if (record.type === 'directory') return 'is a directory, not a file';
  if (record.type === 'file') return 'its content was not collected';
  return `is a ${record.type}, not a regular file`;
}

/** Read the text of a regular file. Missing files and non-files are reported, never thrown. */
export function readText(snapshot: Snapshot, path: string): TextResult {
  const p = normalizePath(path);
  const record = snapshot.paths[p];
  if (!record) return { status: 'not-collected', path: p };
  if (record.type === 'missing') return { status: 'missing', path: p, record };
  if (record.type === 'file' && record.content !== undefined) return { status: 'ok', path: p, text: record.content, record };
  return { status: 'unreadable', path: p, reason: describeUnreadable(record), record };
}

/** The sorted entries of a listed directory, or undefined when it is not a listed directory. */
export function listDir(snapshot: Snapshot, path: string): DirEntry[] | undefined {
  const record = lookup(snapshot, path);
  return record?.type === 'directory' ? record.entries : undefined;
}

/** Whether a path exists on the node: true, false, or undefined when it was not collected. */
export function exists(snapshot: Snapshot, path: string): boolean | undefined {
  const record = lookup(snapshot, path);
  if (!record) return undefined;
  return record.type !== 'missing';
}

/** Result of expanding a glob against a snapshot. */
export interface GlobResult {
  /** Matching absolute paths, in Go's order (each directory's names sorted, directories in the order they matched). */
  matches: string[];
  /** Directories that must be listed before the expansion is complete. */
  needList: string[];
  /** Paths whose existence must be checked before the expansion is complete. */
  needStat: string[];
  /** Set when the pattern is malformed (Go returns `ErrBadPattern`). */
  badPattern?: boolean;
  /** Set when the expansion stopped at {@link MAX_GLOB_PATHS} candidates. */
  truncated?: boolean;
}

/**
 * Most paths one glob expansion considers at any level. A pattern such as
 * `*\/*\/*` over directories linked to themselves multiplies at every level
 * (Go's Glob follows them too, without end); past this the expansion stops
 * and the collection is reported incomplete (host/collection-complete).
 */
export const MAX_GLOB_PATHS = 10_000;

const globLimits = new WeakMap<Snapshot, Set<string>>();

/** Note that a pattern's expansion over this snapshot stopped at the bound. */
export function noteGlobLimit(snapshot: Snapshot, pattern: string): void {
  const set = globLimits.get(snapshot) ?? new Set<string>();
  globLimits.set(snapshot, set.add(pattern));
}

/** The patterns whose expansion over this snapshot stopped at the bound, sorted. */
export function globLimitsOf(snapshot: Snapshot): string[] {
  return [...(globLimits.get(snapshot) ?? [])].sort();
}

/**
 * Expand a pattern over the snapshot the way Go's `filepath.Glob` does
 * (containerd's imports): the whole pattern is checked first (a malformed
 * class anywhere is ErrBadPattern, even where nothing matches), each
 * directory's names are sorted and matched with filepath.Match, directories
 * are searched in the order they matched, and a pattern without
 * metacharacters matches itself only if it exists.
 */
export function expandGlob(snapshot: Snapshot, pattern: string): GlobResult {
  const result: GlobResult = { matches: [], needList: [], needStat: [] };
  if (!goPatternValid(pattern)) return { ...result, badPattern: true };
  const segments = normalizePath(pattern).split('/').filter(Boolean);
  let current = ['/'];
  for (const [index, segment] of segments.entries()) {
    const next: string[] = [];
    const last = index === segments.length - 1;
    for (const dir of current) {
      if (!hasGlobMeta(segment)) {
        next.push(joinPath(dir, segment));
        continue;
      }
      const entries = listDir(snapshot, dir);
      if (entries === undefined) {
        // Not looked at yet, or only stat'ed so far (a directory whose listing was not collected).
        const record = lookup(snapshot, dir);
        if (record === undefined || (record.type === 'directory' && record.error === undefined)) result.needList.push(dir);
        continue;
      }
      // Go sorts each directory's names (a listing from another gatherer may not be sorted).
      const names = entries.filter((e) => matchSegment(segment, e.name, 'go') && (last || e.type !== 'file')).map((e) => e.name);
      for (const name of names.sort(compareBytes)) next.push(joinPath(dir, name));
    }
    if (next.length > MAX_GLOB_PATHS) {
      noteGlobLimit(snapshot, pattern);
      next.length = MAX_GLOB_PATHS;
      result.truncated = true;
    }
    current = next;
  }
  for (const path of current) {
    const present = exists(snapshot, path);
    if (present === undefined) result.needStat.push(path);
    else if (present) result.matches.push(path);
  }
  return result;
}
