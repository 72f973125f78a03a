import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import type { DirEntry, PathRecord, PathType, RequestKind } from '../snapshot/types.js';
import { compareBytes } from '../snapshot/paths.js';
import { gunzipIfGzip } from './gzip.js';

/** Limits that keep a hostile root from stalling or exhausting the collector. */
export interface ReadLimits {
  /** Largest file read, in bytes; larger files are recorded as TOO_LARGE. */
  maxFileBytes: number;
  /** Most entries kept from one directory listing. */
  maxDirEntries: number;
  /** Most symlinks followed while resolving one path (Linux allows 40). */
  maxSymlinkHops: number;
}

/** The limits used unless a caller sets its own. */
export const DEFAULT_LIMITS: ReadLimits = Object.freeze({ maxFileBytes: 4 * 1024 * 1024, maxDirEntries: 10_000, maxSymlinkHops: 40 });

type Failure = { missing: true } | { error: { code: string; message: string } };

/** A node path resolved to a host path inside the root. */
export type Resolution = { hostPath: string; stats: Stats; link?: string } | Failure;

/** The errno name of a file-system error (EACCES, ELOOP, …). */
function errorCode(err: unknown): string {
  return String((err as NodeJS.ErrnoException).code);
}

const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.');

/** Host path of clean components under the root (no `.`, `..` or empty parts, so no normalising needed). */
const hostJoin = (root: string, parts: readonly string[]): string => (parts.length === 0 ? root : `${root === '/' ? '' : root}/${parts.join('/')}`);

function typeOf(st: Stats): PathType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  return 'block-device';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_LOSSY = new TextDecoder('utf-8');

/**
 * Reads node paths under one root the way the kernel would under chroot: an
 * absolute symlink target restarts at the root, `..` never climbs above it,
 * and loops stop after `maxSymlinkHops`. The host's own files are never
 * reached. Resolved directories are remembered for the reader's lifetime, so
 * many files in the same directories cost one lookup each.
 */
export class RootReader {
  private readonly dirs = new Map<string, Resolution>();

  constructor(
    readonly rootReal: string,
    readonly limits: ReadLimits = DEFAULT_LIMITS,
  ) {}

  /** Resolve a node path; `link` is the raw target when its last component is a symlink. */
  resolve(nodePath: string): Resolution {
    const parts = components(nodePath);
    const name = parts.pop();
    const parentPath = '/' + parts.join('/');
    const parent = this.resolveDir(parentPath);
    if (!('hostPath' in parent)) return parent;
    try {
      if (name === undefined || name === '..') return this.walk(nodePath, 0);
      const host = hostJoin(parent.hostPath, [name]);
      const st = lstatSync(host, { throwIfNoEntry: false });
      if (st === undefined) return { missing: true };
      if (!st.isSymbolicLink()) return { hostPath: host, stats: st };
      const link = readlinkSync(host);
      // A relative target is relative to the directory the link really is in, as the kernel resolves it.
      const realParent = this.rootReal === '/' ? parent.hostPath : parent.hostPath.slice(this.rootReal.length) || '/';
      const target = this.walk(link.startsWith('/') ? link : `${realParent}/${link}`, 1);
      return 'hostPath' in target ? { ...target, link } : target;
    } catch (err) {
      return { error: { code: errorCode(err), message: `cannot look up ${nodePath}` } };
    }
  }

  private resolveDir(nodeDir: string): Resolution {
    let known = this.dirs.get(nodeDir);
    if (known === undefined) {
      known = this.walk(nodeDir, 0);
      if ('hostPath' in known && !known.stats.isDirectory()) known = { missing: true };
      this.dirs.set(nodeDir, known);
    }
    return known;
  }

  /** Follow every component of a node path, counting symlinks from `hops`. */
  private walk(nodePath: string, hops: number): Resolution {
    const remaining = components(nodePath);
    const current: string[] = [];
    try {
      while (remaining.length > 0) {
        const c = remaining.shift()!;
        if (c === '..') {
          current.pop();
          continue;
        }
        const host = hostJoin(this.rootReal, [...current, c]);
        const st = lstatSync(host, { throwIfNoEntry: false });
        if (st === undefined) return { missing: true };
        if (st.isSymbolicLink()) {
          if (++hops > this.limits.maxSymlinkHops) return { error: { code: 'ELOOP', message: 'too many levels of symbolic links' } };
          const target = readlinkSync(host);
          if (target.startsWith('/')) current.length = 0;
          remaining.unshift(...components(target));
          continue;
        }
        if (remaining.length > 0 && !st.isDirectory()) return { missing: true };
        current.push(c);
      }
      // After `..` the last component looked at is not the result, so look at the result itself.
      const hostPath = hostJoin(this.rootReal, current);
      return { hostPath, stats: lstatSync(hostPath) };
    } catch (err) {
      return { error: { code: errorCode(err), message: `cannot look up ${nodePath}` } };
    }
  }

  /** Collect the record of one node path for the requested kinds of access. */
  collect(nodePath: string, kinds: ReadonlySet<RequestKind>): PathRecord {
    const resolved = this.resolve(nodePath);
    if ('missing' in resolved) return withLink({ type: 'missing' }, this.linkOf(nodePath));
    if ('error' in resolved) return withLink({ type: 'error', error: resolved.error }, this.linkOf(nodePath));
    const st = resolved.stats;
    const record: PathRecord = withLink({ type: typeOf(st), mode: st.mode, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) }, resolved.link);
    if (kinds.has('read') && st.isFile()) readRegularFile(resolved.hostPath, this.limits, record);
    if (kinds.has('list') && st.isDirectory()) listDirectory(resolved.hostPath, this.limits, record);
    return record;
  }

  /** The raw link target of a path whose resolution failed (dangling links, loops). */
  private linkOf(nodePath: string): string | undefined {
    const parts = components(nodePath);
    const name = parts.pop();
    const parent = this.resolveDir('/' + parts.join('/'));
    if (name === undefined || !('hostPath' in parent)) return undefined;
    try {
      const host = hostJoin(parent.hostPath, [name]);
      return lstatSync(host, { throwIfNoEntry: false })?.isSymbolicLink() ? readlinkSync(host) : undefined;
    } catch {
      // The lookup already failed and was recorded; the link is only extra detail.
      return undefined;
    }
  }
}

function withLink(record: PathRecord, link: string | undefined): PathRecord {
  return link === undefined ? record : { ...record, link };
}

/**
 * Read a regular file. O_NONBLOCK and O_NOFOLLOW guard against a FIFO or a
 * symlink swapped in after the lookup; the result is checked again with fstat.
 */
export function readRegularFile(hostPath: string, limits: ReadLimits, record: PathRecord): void {
  let fd: number;
  try {
    fd = openSync(hostPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    record.type = 'error';
    record.error = { code: errorCode(err), message: 'cannot open the file' };
    return;
  }
  try {
    const st = fstatSync(fd);
    Object.assign(record, { type: typeOf(st), mode: st.mode, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
    if (!st.isFile()) return;
    // /proc and /sys report size 0, so read to EOF instead of trusting st_size.
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
      total += n;
      if (total > limits.maxFileBytes) {
        record.error = { code: 'TOO_LARGE', message: `larger than the ${limits.maxFileBytes}-byte limit` };
        return;
      }
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    let bytes: Buffer = Buffer.concat(chunks);
    // The kernel configuration comes gzipped (/proc/config.gz); the snapshot holds its text.
    const inflated = gunzipIfGzip(hostPath, bytes, limits.maxFileBytes);
    if (inflated) {
      bytes = inflated;
      record.gunzipped = true;
    }
    try {
      record.content = UTF8.decode(bytes);
    } catch {
      record.content = UTF8_LOSSY.decode(bytes);
      record.invalidUtf8 = true;
    }
  } catch (err) {
    record.type = 'error';
    record.error = { code: errorCode(err), message: 'cannot read the file' };
  } finally {
    closeSync(fd);
  }
}

function listDirectory(hostPath: string, limits: ReadLimits, record: PathRecord): void {
  try {
    const dirents = readdirSync(hostPath, { withFileTypes: true }).sort((a, b) => compareBytes(a.name, b.name));
    record.entries = dirents.slice(0, limits.maxDirEntries).map((d): DirEntry => {
      if (d.isSymbolicLink()) return { name: d.name, type: 'symlink', link: readlinkSync(hostJoin(hostPath, [d.name])) };
      return { name: d.name, type: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other' };
    });
  } catch (err) {
    record.error = { code: errorCode(err), message: 'cannot list the directory' };
  }
}

/** Collect one path with a fresh reader (for callers that read a single path). */
export function collectPath(rootReal: string, nodePath: string, kinds: ReadonlySet<RequestKind>, limits: ReadLimits = DEFAULT_LIMITS): PathRecord {
  return new RootReader(rootReal, limits).collect(nodePath, kinds);
}

/** Resolve one path with a fresh reader. */
export function resolveInRoot(rootReal: string, nodePath: string, maxHops = DEFAULT_LIMITS.maxSymlinkHops): Resolution {
  return new RootReader(rootReal, { ...DEFAULT_LIMITS, maxSymlinkHops: maxHops }).resolve(nodePath);
}
