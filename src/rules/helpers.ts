import type { FileInfo, Source, Sourced } from '../model/types.js';
import type { Evidence, RuleContext } from './types.js';

/** The socket containerd serves: its effective gRPC address (containerd's default when no file sets one). */
export function containerdSocket(ctx: RuleContext): Sourced<string> {
  const address = ctx.model.containerd.grpcAddress;
  return { value: `unix://${address.value}`, source: address.source };
}

/** Evidence fields for a source. */
export function at(source: Source): Evidence {
  const e: Evidence = {};
  if (source.file !== undefined) e.file = source.file;
  if (source.line !== undefined) e.line = source.line;
  if (source.column !== undefined) e.column = source.column;
  if (source.key !== undefined) e.path = source.key;
  return e;
}

/**
 * "file:line" (or "file", or the default's description) for a message. A
 * default that a file caused (a 1.x import that replaced a whole table) is
 * described with that file and line in it.
 */
export function where(source: Source): string {
  if (source.file && source.default) return source.default;
  if (source.file) return source.line ? `${source.file}:${source.line}` : source.file;
  return source.default ?? 'an unknown place';
}

/** A value quoted for a message. */
export function q(value: unknown): string {
  return JSON.stringify(value);
}

/** The reason a rule cannot look at a file that was not collected, or undefined. */
export function notCollected(file: FileInfo): string | undefined {
  return file.state === 'not-collected' ? `${file.path} was not collected in this snapshot` : undefined;
}
