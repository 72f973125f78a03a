import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import type { DirEntry, PathRecord, PathType, RequestKind } from '../snapshot/types.js';
import { compareBytes } from '../snapshot/paths.js';
import { DEFAULT_LIMITS, errorCode, readOpen, Swapped, type ReadLimits } from './read-file.js';

export { DEFAULT_LIMITS, Swapped, type ReadLimits } from './read-file.js';

type Failure = { missing: true } | { error: { code: string; message: string } };

/**
 * A node path resolved inside the root: `dir` is the real node directory
 * that holds it (no symlink in it), `name` its entry there (null for the root
 * itself), `hostPath` the same on the host, for messages.
 */
export type Resolution = { hostPath: string; dir: string; name: string | null; stats: Stats; link?: string } | Failure;

const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.');

function typeOf(st: Stats): PathType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  return 'block-device';
}

/** Directory descriptors kept open at once; older ones are closed (a root may have thousands of directories). */
const OPEN_DIRS = 64;

/** A file or directory that changed between being looked at and being opened, more times than a lookup is retried. */
const CHANGED = { code: 'ECHANGED', message: 'changed while it was being read (a symlink swapped in); not read' };

/**
 * Run a lookup, and again (after `reset`) when something in the root was
 * swapped under it, three times in all; then give up with `changed`.
 */
export function retried<T>(lookup: () => T, reset: () => void, changed: T): T {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return lookup();
    } catch (err) {
      if (!(err instanceof Swapped)) throw err;
      reset();
    }
  }
  return changed;
}

/**
 * Reads node paths under one root the way the kernel would under chroot: an
 * absolute symlink target restarts at the root, `..` never climbs above it,
 * and loops stop after `maxSymlinkHops`. The host's own files are never
 * reached, even while the root changes under the reader: every component is
 * opened from its parent directory's descriptor with O_NOFOLLOW (through
 * /proc/self/fd/N/name, which is openat(N, name) for a path API), so a
 * directory swapped for a symlink between the lookup and the open fails the
 * open instead of being followed on the host. Symlinks are followed only by
 * the reader itself, inside the root.
 */
export class RootReader {
  private readonly dirs = new Map<string, Resolution>();
  private readonly fds = new Map<string, number>();
  private readonly rootFd: number;
  /** File contents by inode, so a file reached through many links is read once. */
  private readonly inodes = new Map<string, { content: string; bytes: number; invalidUtf8?: boolean; gunzipped?: boolean }>();
  /** Bytes of content kept so far, against `maxTotalBytes`. */
  totalBytes = 0;

  constructor(
    readonly rootReal: string,
    readonly limits: ReadLimits = DEFAULT_LIMITS,
  ) {
    this.rootFd = openSync(rootReal, constants.O_RDONLY | constants.O_DIRECTORY);
  }

  /** Close every descriptor the reader holds. */
  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    closeSync(this.rootFd);
  }

  /** The host path of a real path below the root (never the root itself: a resolved name is never empty). */
  private host(real: string): string {
    return `${this.rootReal === '/' ? '' : this.rootReal}${real}`;
  }

  /** `name` inside the directory open as `fd`, as a path the kernel resolves from that descriptor. */
  private static at(fd: number, name: string): string {
    return `/proc/self/fd/${fd}/${name}`;
  }

  /**
   * A descriptor of a real node directory (one whose components are all
   * directories), opened component by component with O_NOFOLLOW.
   * @throws Swapped when a component is no longer a directory.
   */
  private dirFd(real: string): number {
    if (real === '/') return this.rootFd;
    const cached = this.fds.get(real);
    if (cached !== undefined) {
      this.fds.delete(real);
      this.fds.set(real, cached);
      return cached;
    }
    const slash = real.lastIndexOf('/');
    const parent = this.dirFd(slash === 0 ? '/' : real.slice(0, slash));
    let fd: number;
    try {
      fd = openSync(RootReader.at(parent, real.slice(slash + 1)), constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENOENT') throw new Swapped();
      throw err;
    }
    this.fds.set(real, fd);
    if (this.fds.size > OPEN_DIRS) {
      const [oldest, old] = this.fds.entries().next().value!;
      this.fds.delete(oldest);
      closeSync(old);
    }
    return fd;
  }

  /** lstat of `name` in a real directory. */
  private lstatIn(dir: string, name: string): Stats | undefined {
    return lstatSync(RootReader.at(this.dirFd(dir), name), { throwIfNoEntry: false });
  }

  /** Resolve a node path; `link` is the raw target when its last component is a symlink. */
  resolve(nodePath: string): Resolution {
    // Something changed under us: forget what was learnt and look again, a few times.
    return retried(
      () => this.resolveOnce(nodePath),
      () => this.forget(),
      { error: CHANGED },
    );
  }

  private forget(): void {
    this.dirs.clear();
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private resolveOnce(nodePath: string): Resolution {
    const parts = components(nodePath);
    const name = parts.pop();
    const parent = this.resolveDir('/' + parts.join('/'));
    if (!('hostPath' in parent)) return parent;
    try {
      if (name === undefined || name === '..') return this.walk(nodePath, 0);
      const dir = parent.name === null ? parent.dir : join(parent.dir, parent.name);
      const st = this.lstatIn(dir, name);
      if (st === undefined) return { missing: true };
      if (!st.isSymbolicLink()) return { hostPath: this.host(join(dir, name)), dir, name, stats: st };
      const link = readlinkSync(RootReader.at(this.dirFd(dir), name));
      // A relative target is relative to the directory the link really is in, as the kernel resolves it.
      const target = this.walk(link.startsWith('/') ? link : `${dir}/${link}`, 1);
      return 'hostPath' in target ? { ...target, link } : target;
    } catch (err) {
      if (err instanceof Swapped) throw err;
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
    const remaining = components(nodePath).reverse();
    const current: string[] = [];
    try {
      let last: { dir: string; name: string; stats: Stats } | null = null;
      while (remaining.length > 0) {
        const c = remaining.pop()!;
        if (c === '..') {
          current.pop();
          last = null;
          continue;
        }
        const dir = '/' + current.join('/');
        const st = this.lstatIn(dir, c);
        if (st === undefined) return { missing: true };
        if (st.isSymbolicLink()) {
          if (++hops > this.limits.maxSymlinkHops) return { error: { code: 'ELOOP', message: 'too many levels of symbolic links' } };
          const target = readlinkSync(RootReader.at(this.dirFd(dir), c));
          if (target.startsWith('/')) current.length = 0;
          for (const t of components(target).reverse()) remaining.push(t);
          last = null;
          continue;
        }
        if (remaining.length > 0 && !st.isDirectory()) return { missing: true };
        current.push(c);
        last = { dir, name: c, stats: st };
      }
      if (current.length === 0) return { hostPath: this.rootReal, dir: '/', name: null, stats: fstatSync(this.rootFd) };
      // After `..` the last component looked at is not the result, so look at the result itself.
      if (last === null) {
        const dir = '/' + current.slice(0, -1).join('/');
        const st = this.lstatIn(dir, current[current.length - 1]!);
        if (st === undefined || st.isSymbolicLink()) throw new Swapped();
        last = { dir, name: current[current.length - 1]!, stats: st };
      }
      return { hostPath: this.host(join(last.dir, last.name)), ...last };
    } catch (err) {
      if (err instanceof Swapped) throw err;
      return { error: { code: errorCode(err), message: `cannot look up ${nodePath}` } };
    }
  }

  /** Collect the record of one node path for the requested kinds of access. */
  collect(nodePath: string, kinds: ReadonlySet<RequestKind>): PathRecord {
    return retried(
      () => this.collectOnce(nodePath, kinds),
      () => this.forget(),
      { type: 'error', error: CHANGED },
    );
  }

  private collectOnce(nodePath: string, kinds: ReadonlySet<RequestKind>): PathRecord {
    const resolved = this.resolve(nodePath);
    if ('missing' in resolved) return withLink({ type: 'missing' }, this.linkOf(nodePath));
    if ('error' in resolved) return withLink({ type: 'error', error: resolved.error }, this.linkOf(nodePath));
    const st = resolved.stats;
    const record: PathRecord = withLink(
      { type: typeOf(st), mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) },
      resolved.link,
    );
    const isRoot = resolved.name === null;
    const path = isRoot ? '' : RootReader.at(this.dirFd(resolved.dir), resolved.name!);
    if (kinds.has('read') && st.isFile()) this.read(path, record);
    if (kinds.has('list') && st.isDirectory()) this.list(isRoot ? null : path, record);
    return record;
  }

  /** Read a regular file, once per inode, within the total budget. */
  private read(path: string, record: PathRecord): void {
    const fd = openNoFollow(path, record);
    if (fd === null) return;
    try {
      const st = fstatSync(fd);
      Object.assign(record, { type: typeOf(st), mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
      if (!st.isFile()) return;
      // /proc and /sys files all stat with size 0 and change under us: only real files are shared.
      const inode = st.size > 0 ? `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}` : null;
      let known = inode === null ? undefined : this.inodes.get(inode);
      if (known === undefined) {
        const bytes = readOpen(fd, path, this.limits, record);
        if (record.content === undefined) return;
        known = { content: record.content, bytes, ...(record.invalidUtf8 ? { invalidUtf8: true } : {}), ...(record.gunzipped ? { gunzipped: true } : {}) };
        if (inode !== null) this.inodes.set(inode, known);
      } else {
        record.content = known.content;
        if (known.invalidUtf8) record.invalidUtf8 = true;
        if (known.gunzipped) record.gunzipped = true;
      }
      const bytes = known.bytes;
      if (this.totalBytes + bytes > this.limits.maxTotalBytes) {
        delete record.content;
        delete record.invalidUtf8;
        record.error = { code: 'BUDGET', message: `not read: the run's ${this.limits.maxTotalBytes}-byte budget for file contents is spent` };
        return;
      }
      this.totalBytes += bytes;
    } catch (err) {
      record.type = 'error';
      record.error = { code: errorCode(err), message: 'cannot read the file' };
    } finally {
      closeSync(fd);
    }
  }

  private list(path: string | null, record: PathRecord): void {
    let fd: number | null = null;
    try {
      fd = path === null ? null : openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      const dir = `/proc/self/fd/${fd ?? this.rootFd}`;
      const dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareBytes(a.name, b.name));
      if (dirents.length > this.limits.maxDirEntries) record.truncated = dirents.length;
      record.entries = dirents.slice(0, this.limits.maxDirEntries).map((d): DirEntry => {
        if (d.isSymbolicLink()) return { name: d.name, type: 'symlink', link: readlinkSync(`${dir}/${d.name}`) };
        return { name: d.name, type: d.isFile() ? 'file' : d.isDirectory() ? 'directory' : 'other' };
      });
    } catch (err) {
      if (errorCode(err) === 'ELOOP' || errorCode(err) === 'ENOTDIR') throw new Swapped();
      record.error = { code: errorCode(err), message: 'cannot list the directory' };
    } finally {
      if (fd !== null) closeSync(fd);
    }
  }

  /** The raw link target of a path whose resolution failed (dangling links, loops). */
  private linkOf(nodePath: string): string | undefined {
    const parts = components(nodePath);
    const name = parts.pop();
    const parent = this.resolveDir('/' + parts.join('/'));
    if (name === undefined || !('hostPath' in parent)) return undefined;
    try {
      const dir = parent.name === null ? parent.dir : join(parent.dir, parent.name);
      const at = RootReader.at(this.dirFd(dir), name);
      return lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink() ? readlinkSync(at) : undefined;
    } catch {
      // The lookup already failed and was recorded; the link is only extra detail.
      return undefined;
    }
  }
}

/** A child path of a real node directory. */
const join = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

function withLink(record: PathRecord, link: string | undefined): PathRecord {
  return link === undefined ? record : { ...record, link };
}

/** Open a file for reading (here, beside the lookups it races with) without following a symlink or blocking on a FIFO; a failure is recorded on the record. */
function openNoFollow(path: string, record: PathRecord): number | null {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    // A symlink swapped in after the lookup: look again.
    if (errorCode(err) === 'ELOOP') throw new Swapped();
    record.type = 'error';
    record.error = { code: errorCode(err), message: 'cannot open the file' };
    return null;
  }
}

/** Collect one path with a fresh reader (for callers that read a single path). */
export function collectPath(rootReal: string, nodePath: string, kinds: ReadonlySet<RequestKind>, limits: Partial<ReadLimits> = {}): PathRecord {
  const reader = new RootReader(rootReal, { ...DEFAULT_LIMITS, ...limits });
  try {
    return reader.collect(nodePath, kinds);
  } finally {
    reader.close();
  }
}

/** Resolve one path with a fresh reader. */
export function resolveInRoot(rootReal: string, nodePath: string, maxHops = DEFAULT_LIMITS.maxSymlinkHops): Resolution {
  const reader = new RootReader(rootReal, { ...DEFAULT_LIMITS, maxSymlinkHops: maxHops });
  try {
    return reader.resolve(nodePath);
  } finally {
    reader.close();
  }
}
