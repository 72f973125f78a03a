import { globLimitsOf, MAX_GLOB_PATHS } from '../snapshot/query.js';
import type { CollectionLimit, Snapshot } from '../snapshot/types.js';
import type { CollectionModel } from './types.js';

/**
 * The limits the collection of a snapshot reached: what the collector
 * recorded, what its records say (a file over the size cap or past the
 * budget, a listing cut short; a snapshot from another gatherer has only
 * these), and the patterns whose expansion stopped at a bound while this
 * model was built.
 */
export function buildCollection(snapshot: Snapshot): CollectionModel {
  const limits: CollectionLimit[] = [...(snapshot.incomplete ?? [])];
  const seen = new Set(limits.map((l) => `${l.limit}\u0000${l.path ?? ''}`));
  const add = (limit: CollectionLimit['limit'], path: string, message: string): void => {
    const key = `${limit}\u0000${path}`;
    if (!seen.has(key)) limits.push({ limit, path, message });
    seen.add(key);
  };
  for (const [path, record] of Object.entries(snapshot.paths)) {
    if (record.error?.code === 'TOO_LARGE') add('file-size', path, record.error.message);
    else if (record.error?.code === 'BUDGET') add('bytes', path, record.error.message);
    // A listing cut short still holds its first entries.
    if (record.truncated !== undefined)
      add('dir-entries', path, `the directory has ${record.truncated} entries; the first ${record.entries!.length} were read`);
  }
  for (const pattern of globLimitsOf(snapshot)) add('glob', pattern, `the pattern has more matches than the ${MAX_GLOB_PATHS} paths followed at one level`);
  return { complete: limits.length === 0, limits };
}
