// The files the CLI opens and writes itself (never the node's): inputs are
// regular files under a size cap, opened so that a FIFO cannot block and a
// device cannot stream for ever; outputs never follow a symlink at their last
// component, never land inside the root being checked, and are private when
// they carry a redaction marker.
import { closeSync, constants, fchmodSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { PreflightError } from '../errors.js';
import { hasMarker, MIN_KEY_BYTES, Redactor } from '../parsers/redact.js';
import { writeAll } from './fd-write.js';

/** Size caps of the files the CLI reads. */
export const INPUT_CAPS = {
  /** A checklist is a few KiB; 4 MiB is generous. */
  checklist: 4 * 1024 * 1024,
  /** A snapshot holds at most the collector's 64 MiB of contents, JSON-escaped. */
  snapshot: 256 * 1024 * 1024,
  /** A redaction key. */
  key: 4096,
} as const;

/** What an opened descriptor is, when not a regular file (a socket cannot be opened at all: ENXIO). */
function kindOf(st: ReturnType<typeof fstatSync>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  return 'a block device';
}

/**
 * Read a file the user named: it must be a regular file (checked on the open
 * descriptor, which O_NONBLOCK keeps from blocking on a FIFO) no larger than
 * `cap` bytes (counted while reading: /proc files say 0).
 *
 * @throws PreflightError `usage` naming the option and what is wrong.
 */
export function readInputFile(file: string, option: string, cap: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PreflightError('usage', `${option} ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be opened (${code})`}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new PreflightError('usage', `${option} ${file}: ${kindOf(st)}, not a regular file`);
    if (st.size > cap) throw new PreflightError('usage', `${option} ${file}: ${st.size} bytes, more than the ${cap}-byte limit`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.alloc(64 * 1024);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) {
      total += n;
      if (total > cap) throw new PreflightError('usage', `${option} ${file}: more than the ${cap}-byte limit`);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/**
 * The redactor of a run: keyed with `--redaction-key-file` (the file's bytes,
 * a trailing newline dropped) or else `PREFLIGHT_REDACTION_KEY`, or unkeyed.
 *
 * @throws PreflightError `usage` when the key is shorter than 16 bytes.
 */
export function redactorFor(file: string | undefined, env: Record<string, string | undefined>): Redactor {
  let key: Buffer | undefined;
  let source = '';
  if (file !== undefined) {
    const bytes = readInputFile(file, '--redaction-key-file', INPUT_CAPS.key);
    key = bytes.at(-1) === 0x0a ? bytes.subarray(0, bytes.at(-2) === 0x0d ? -2 : -1) : bytes;
    source = `--redaction-key-file ${file}`;
  } else if (env.PREFLIGHT_REDACTION_KEY !== undefined && env.PREFLIGHT_REDACTION_KEY !== '') {
    key = Buffer.from(env.PREFLIGHT_REDACTION_KEY);
    source = 'PREFLIGHT_REDACTION_KEY';
  }
  if (key !== undefined && key.length < MIN_KEY_BYTES)
    throw new PreflightError('usage', `${source}: the key has ${key.length} bytes; a redaction key needs at least ${MIN_KEY_BYTES}`);
  return new Redactor(key);
}

/** Where a path to be written would be, with the symlinks of its directory resolved (the file itself need not exist). */
function realTarget(file: string): string {
  const abs = resolve(file);
  try {
    return `${realpathSync(dirname(abs))}/${basename(abs)}`.replace(/^\/\//, '/');
  } catch {
    return abs;
  }
}

/**
 * Refuse outputs that would write into the node being checked, or two outputs
 * to one file. With a root other than `/` nothing may be written inside it;
 * with `/` (the node itself) no output may replace a file the checks read.
 *
 * @throws PreflightError `usage`.
 */
export function checkOutputs(
  root: string | undefined,
  outputs: readonly { option: string; file: string | undefined }[],
  nodeFiles: ReadonlySet<string> = new Set(),
): void {
  const given = outputs.filter((o): o is { option: string; file: string } => o.file !== undefined);
  const targets = given.map((o) => ({ ...o, real: realTarget(o.file) }));
  for (const o of targets) if (o.file === '') throw new PreflightError('usage', `${o.option}: an empty path`);
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      if (sameFile(targets[i]!.real, targets[j]!.real))
        throw new PreflightError('usage', `${targets[i]!.option} and ${targets[j]!.option} name the same file (${targets[i]!.file}); give each its own`);
    }
  }
  if (root === undefined) return;
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
  } catch {
    // collectSnapshot says what is wrong with the root.
    return;
  }
  for (const o of targets) {
    const inside = rootReal === '/' ? nodeFiles.has(o.real) : o.real === rootReal || o.real.startsWith(`${rootReal}/`);
    if (inside) {
      const why =
        rootReal === '/' ? 'it is a file the checks read on this node' : `it is inside --root ${root}, the node being checked, which is never written to`;
      throw new PreflightError('usage', `${o.option} ${o.file}: refusing to write there: ${why}`);
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Write an output file: never through a symlink at its last component
 * (O_NOFOLLOW), created 0600 and made 0600 when its text carries a redaction
 * marker (or `private`), else created with the usual mode.
 *
 * @throws PreflightError `output-failed`.
 */
export function writeOutput(file: string, text: string, option: string, options: { private?: boolean } = {}): void {
  const secret = options.private === true || hasMarker(text);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO nobody reads fails (ENXIO) instead of hanging the run.
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK, secret ? 0o600 : 0o666);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ELOOP' ? 'it is a symlink; refusing to write through it' : (err as Error).message;
    throw new PreflightError('output-failed', `${option} ${file}: ${why}`);
  }
  try {
    // A device (/dev/stdout, /dev/null) is written as it is; a file is made private.
    if (secret && fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
    writeAll(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** The node paths a snapshot found (anything but missing): files an output must not replace. */
export function presentPaths(snapshot: { paths: Record<string, { type: string }> }): Set<string> {
  return new Set(
    Object.entries(snapshot.paths)
      .filter(([, r]) => r.type !== 'missing')
      .map(([p]) => p),
  );
}
