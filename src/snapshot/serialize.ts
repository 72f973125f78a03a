import type { ErrorObject } from 'ajv';
import { PreflightError } from '../errors.js';
import { load as loadSnapshotValidator } from '../lazy/snapshot-validator.js';
import type { Snapshot } from './types.js';

/** At most this many schema problems are listed for a snapshot file; the rest are counted. */
const MAX_PROBLEMS = 10;

/**
 * The snapshot as the JSON document `preflight snapshot` writes
 * (`schemas/snapshot.schema.json`): two-space indented, keys in the
 * collector's order (paths sorted), ending with a newline.
 */
export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Read a snapshot document, checked against `schemas/snapshot.schema.json`.
 *
 * @param text The JSON text.
 * @param source The file name, for error messages.
 * @throws PreflightError `snapshot-invalid`, with one line per problem (values are never quoted: they may be node data).
 */
export function parseSnapshot(text: string, source: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // V8 quotes the text around the error ("…" is not valid JSON); the text may be a node's secret, so only where is said.
    const message = (err as Error).message;
    const where = /position (\d+)/.exec(message);
    const why = where ? `invalid at character ${Number(where[1]) + 1}` : /end of JSON/.test(message) ? 'it ends early' : 'an unexpected character';
    throw new PreflightError('snapshot-invalid', `${source}: not a JSON document (${why})`);
  }
  const { validateSnapshot } = loadSnapshotValidator();
  if (validateSnapshot(data)) return data as Snapshot;
  if (isOtherKind(data)) throw new PreflightError('snapshot-invalid', `${source}: not a kube-preflight snapshot (write one with \`preflight snapshot\`)`);
  const errors = validateSnapshot.errors as ErrorObject[];
  const problems = errors.slice(0, MAX_PROBLEMS).map((e) => `${source}: ${e.instancePath || '(top level)'}: ${describe(e)}`);
  if (errors.length > MAX_PROBLEMS) problems.push(`${source}: and ${errors.length - MAX_PROBLEMS} more problems`);
  throw new PreflightError('snapshot-invalid', problems[0]!, { problems });
}

function describe(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'const') return `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return e.message!;
}

function isOtherKind(data: unknown): boolean {
  return typeof data !== 'object' || data === null || (data as { kind?: unknown }).kind !== 'NodeSnapshot';
}
