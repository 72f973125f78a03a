import { gunzipSync } from 'node:zlib';

/**
 * The decompressed bytes of a gzip file such as /proc/config.gz, or null when
 * the name or the magic number says it is not one, or it does not inflate
 * within `maxBytes` (a decompression bomb is refused, not expanded).
 */
export function gunzipIfGzip(path: string, bytes: Buffer, maxBytes: number): Buffer | null {
  if (!path.endsWith('.gz') || bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return null;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch {
    return null;
  }
}
