/**
 * Reading one open file as the collector does: within the size limit, to EOF
 * (files in /proc and /sys stat with size 0), gunzipped when it is gzip, and
 * decoded as UTF-8 (lossy, and flagged, when it is not).
 */
import { readSync } from 'node:fs';
import type { PathRecord } from '../snapshot/types.js';
import { gunzipIfGzip } from './gzip.js';

/** Limits that keep a hostile root from stalling or exhausting the collector. */
export interface ReadLimits {
  /** Largest file read, in bytes; larger files are recorded as TOO_LARGE. */
  maxFileBytes: number;
  /** Most entries kept from one directory listing. */
  maxDirEntries: number;
  /** Most symlinks followed while resolving one path (Linux allows 40). */
  maxSymlinkHops: number;
  /** Most bytes of file content a run keeps in all (a file read through many links counts each time it is kept). */
  maxTotalBytes: number;
}

/** The limits used unless a caller sets its own. */
export const DEFAULT_LIMITS: ReadLimits = Object.freeze({
  maxFileBytes: 4 * 1024 * 1024,
  maxDirEntries: 10_000,
  maxSymlinkHops: 40,
  maxTotalBytes: 64 * 1024 * 1024,
});

/** The errno name of a file-system error (EACCES, ELOOP, …). */
export function errorCode(err: unknown): string {
  return String((err as NodeJS.ErrnoException).code);
}

/** Raised inside a lookup when a component turned out not to be what it was a moment ago. */
export class Swapped extends Error {}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_LOSSY = new TextDecoder('utf-8');

/** Read an open regular file to EOF, at most `maxFileBytes`; returns the bytes read (before any gunzip). */
export function readOpen(fd: number, path: string, limits: ReadLimits, record: PathRecord): number {
  // /proc and /sys report size 0, so read to EOF instead of trusting st_size.
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.alloc(64 * 1024);
  for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) {
    total += n;
    if (total > limits.maxFileBytes) {
      record.error = { code: 'TOO_LARGE', message: `larger than the ${limits.maxFileBytes}-byte limit` };
      return total;
    }
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  let bytes: Buffer = Buffer.concat(chunks);
  // The kernel configuration comes gzipped (/proc/config.gz); the snapshot holds its text.
  const inflated = gunzipIfGzip(path, bytes, limits.maxFileBytes);
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
  return total;
}
