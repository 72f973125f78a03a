import { readText } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import type { FileInfo } from './types.js';
import type { ParseError } from '../parsers/yaml.js';

/**
 * Describe how reading a file went. Pass the parser's error, if any, to turn
 * an `ok` read into `invalid`.
 */
export function fileInfo(snapshot: Snapshot, path: string, parseError?: ParseError): FileInfo {
  const r = readText(snapshot, path);
  switch (r.status) {
    case 'ok':
      return parseError ? { path: r.path, state: 'invalid', error: parseError } : { path: r.path, state: 'ok' };
    case 'missing':
      return { path: r.path, state: 'missing' };
    case 'not-collected':
      return { path: r.path, state: 'not-collected' };
    case 'unreadable':
      return { path: r.path, state: 'unreadable', error: { message: r.reason } };
  }
}
