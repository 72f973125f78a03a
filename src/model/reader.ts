import { listDir, MAX_GLOB_PATHS, noteGlobLimit, readText, type TextResult } from '../snapshot/query.js';
import { compareBytes, hasGlobMeta, joinPath, matchSegment, normalizePath } from '../snapshot/paths.js';
import type { DirEntry, PathRecord, Snapshot } from '../snapshot/types.js';
import type { InputRequest } from './inputs.js';

/**
 * Reads a snapshot and notes what it still lacks. A model built through it is
 * also its own input planner: building it once with what has been collected
 * names exactly the paths the next round must read, list or stat (the files a
 * unit's drop-ins, environment files and specifiers lead to).
 */
export class SnapshotReader {
  private readonly needs = { read: new Set<string>(), list: new Set<string>(), stat: new Set<string>() };
  private readonly real = new Map<string, string>();
  /** Every path looked at, with the record it had: what a result built through this reader depends on. */
  readonly touched = new Map<string, PathRecord | undefined>();

  constructor(readonly snapshot: Snapshot) {}

  /** A file's text; a file not collected, or only stat'ed so far, is noted for reading. */
  text(path: string): TextResult {
    const r = readText(this.snapshot, path);
    this.touched.set(r.path, this.snapshot.paths[r.path]);
    if (r.status === 'not-collected' || (r.status === 'unreadable' && r.record.type === 'file' && r.record.content === undefined && !r.record.error)) {
      this.needs.read.add(r.path);
    }
    return r;
  }

  /** A directory's entries; a directory not listed yet is noted for listing. */
  entries(path: string): DirEntry[] | undefined {
    const record = this.look(path);
    if (record === undefined || (record.type === 'directory' && record.entries === undefined && !record.error)) this.needs.list.add(normalizePath(path));
    return listDir(this.snapshot, path);
  }

  /** A path's record; a path not looked at yet is noted for a stat. */
  record(path: string): PathRecord | undefined {
    const record = this.look(path);
    if (record === undefined) this.needs.stat.add(normalizePath(path));
    return record;
  }

  /**
   * The path with the symlinks of its components resolved through the
   * snapshot's records (chase() confined to the root); components not looked at
   * yet are noted for a stat and taken as they are.
   */
  chase(path: string): string {
    let known = this.real.get(path);
    if (known === undefined) {
      known = this.resolveLinks(path);
      this.real.set(path, known);
    }
    return known;
  }

  private resolveLinks(path: string): string {
    const remaining = normalizePath(path).split('/').filter(Boolean);
    const current: string[] = [];
    // Linux follows at most 40 symlinks while resolving one path.
    for (let hops = 0; remaining.length > 0;) {
      const c = remaining.shift()!;
      if (c === '..') {
        current.pop();
        continue;
      }
      const link = this.record(`/${[...current, c].join('/')}`)?.link;
      if (link !== undefined && ++hops <= 40) {
        if (link.startsWith('/')) current.length = 0;
        remaining.unshift(...link.split('/').filter((p) => p !== '' && p !== '.'));
      } else current.push(c);
    }
    return `/${current.join('/')}`;
  }

  /**
   * Expand a glob as glibc's glob() does for systemd: each name matched with
   * fnmatch() (FNM_PERIOD: a leading dot only by a literal dot, unless
   * `matchDotFiles`), sorted, through this reader so that every directory it
   * lists is noted. Stops at MAX_GLOB_PATHS candidates (noted on the snapshot).
   */
  glob(pattern: string, matchDotFiles: boolean): string[] {
    const segments = normalizePath(pattern).split('/').filter(Boolean);
    let current = ['/'];
    for (const [index, segment] of segments.entries()) {
      const next: string[] = [];
      for (const dir of current) {
        if (!hasGlobMeta(segment)) {
          next.push(joinPath(dir, segment));
          continue;
        }
        for (const entry of this.entries(dir) ?? []) {
          if (matchSegment(segment, entry.name, 'fnmatch', !matchDotFiles) && (index === segments.length - 1 || entry.type !== 'file'))
            next.push(joinPath(dir, entry.name));
        }
      }
      if (next.length > MAX_GLOB_PATHS) {
        noteGlobLimit(this.snapshot, pattern);
        next.length = MAX_GLOB_PATHS;
      }
      current = next;
    }
    return current.filter((p) => (this.record(p)?.type ?? 'missing') !== 'missing').sort(compareBytes);
  }

  /** Whether every path looked at still has the record it had. */
  unchanged(snapshot: Snapshot): boolean {
    for (const [path, record] of this.touched) if (snapshot.paths[path] !== record) return false;
    return true;
  }

  private look(path: string): PathRecord | undefined {
    const p = normalizePath(path);
    const record = this.snapshot.paths[p];
    this.touched.set(p, record);
    return record;
  }

  /** Everything noted so far. */
  request(): InputRequest {
    return { read: [...this.needs.read], list: [...this.needs.list], stat: [...this.needs.stat] };
  }
}
