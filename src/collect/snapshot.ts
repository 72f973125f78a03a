import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PreflightError } from '../errors.js';
import { planInputs } from '../model/build.js';
import type { InputRequest } from '../model/inputs.js';
import { normalizePath } from '../snapshot/paths.js';
import { redactSecrets } from '../parsers/redact.js';
import { SNAPSHOT_SCHEMA_VERSION, type PathRecord, type RequestKind, type Snapshot } from '../snapshot/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { DEFAULT_LIMITS, RootReader, type ReadLimits } from './fs.js';

/** Options for {@link collectSnapshot}. */
export interface CollectOptions {
  /** The node's root directory: `/` on a live node, a mount point or a copy otherwise. */
  root?: string;
  /** Run live probes (only with root `/`). */
  online?: boolean;
  /** Read limits for hostile roots. */
  limits?: Partial<ReadLimits>;
  /** Stop after this many paths (a bound on pathological roots). */
  maxPaths?: number;
  /** systemd units to collect besides containerd.service and kubelet.service (for resolveUnit()). */
  units?: readonly string[];
}

/** Rounds of follow-up reads (imports of imports, drop-ins, env files) before giving up. */
const MAX_ROUNDS = 32;

/**
 * Read everything the checks need from a node into a Snapshot. Reads only
 * under `root`, never writes, and never follows a symlink out of the root.
 *
 * @throws PreflightError `root-unreadable` when the root is not a readable directory.
 */
export function collectSnapshot(options: CollectOptions = {}): Snapshot {
  const root = resolve(options.root ?? '/');
  let rootReal: string;
  try {
    rootReal = realpathSync(root);
    if (!statSync(rootReal).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : code === 'ENOTDIR' ? 'not a directory' : `cannot be read (${code})`;
    throw new PreflightError('root-unreadable', `--root ${root}: ${why}`, { cause: err });
  }
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const maxPaths = options.maxPaths ?? 20_000;
  const snapshot = emptySnapshot(root, options.online ?? false);
  const reader = new RootReader(rootReal, limits);
  // A hostile file may repeat one secret a million times: hash each distinct value once.
  const hashes = new Map<string, string>();
  const hashOnce = (secret: string): string => hashes.get(secret) ?? hashes.set(secret, hashSecret(secret)).get(secret)!;
  const done = new Map<string, Set<RequestKind>>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const todo = pendingRequests(planInputs(snapshot, { units: options.units }), done);
    if (todo.size === 0 || done.size >= maxPaths) break;
    for (const [path, kinds] of todo) {
      if (done.size >= maxPaths) break;
      const record = reader.collect(path, kinds);
      // Secrets never get further than this line: the snapshot holds a marker and a hash.
      if (record.content !== undefined) record.content = redactSecrets(record.content, path, hashOnce);
      snapshot.paths[path] = record;
      done.set(path, kinds);
    }
  }
  snapshot.paths = sortedRecord(snapshot.paths);
  snapshot.redacted = true;
  return snapshot;
}

/**
 * A snapshot as collectSnapshot() would have made it: one gathered by another
 * tool (the Ansible role's controller runtime) gets its secrets replaced and
 * its paths normalized and sorted. One this tool made (`redacted`) is returned
 * as it is, so its markers stay the same.
 */
export function adoptSnapshot(snapshot: Snapshot): Snapshot {
  if (snapshot.redacted === true) return snapshot;
  const paths: Record<string, PathRecord> = {};
  for (const [raw, record] of Object.entries(snapshot.paths)) {
    const path = normalizePath(raw);
    paths[path] = record.content === undefined ? record : { ...record, content: redactSecrets(record.content, path, hashSecret) };
  }
  return { ...snapshot, paths: sortedRecord(paths), redacted: true };
}

/** A snapshot with nothing collected yet. */
function emptySnapshot(root: string, online: boolean): Snapshot {
  return { schemaVersion: SNAPSHOT_SCHEMA_VERSION, kind: 'NodeSnapshot', tool: { name: TOOL_NAME, version: TOOL_VERSION }, root, online, paths: {}, commands: {} };
}

/**
 * What the static collector still needs after what `gathered` holds (from
 * nothing when absent): the same plan collectSnapshot() follows, for a
 * gatherer that is not this tool (`preflight inputs`, the Ansible role's
 * controller mode). It repeats until this is empty, since imports, drop-ins
 * and environment files name further paths.
 */
export function remainingInputs(gathered?: Snapshot, options: Pick<CollectOptions, 'units'> = {}): InputRequest {
  const snapshot = gathered ?? emptySnapshot('/', false);
  const done = new Map(Object.entries(snapshot.paths).map(([path, record]) => [path, answered(record)]));
  const remaining: InputRequest = { read: [], list: [], stat: [] };
  for (const [path, kinds] of pendingRequests(planInputs(snapshot, { units: options.units }), done)) {
    for (const kind of kinds) if (!done.get(path)?.has(kind)) remaining[kind].push(path);
  }
  for (const kind of ['read', 'list', 'stat'] as const) remaining[kind].sort();
  return remaining;
}

/** The kinds of request a record answers: a stat always; a read or listing unless the path turned out not to be a file or directory. */
function answered(record: PathRecord): Set<RequestKind> {
  const kinds = new Set<RequestKind>(['stat']);
  if (record.type !== 'file' || record.content !== undefined || record.error !== undefined) kinds.add('read');
  if (record.type !== 'directory' || record.entries !== undefined || record.error !== undefined) kinds.add('list');
  return kinds;
}

/**
 * What is left to collect: each path with every kind of access it needs,
 * including kinds collected before (a path is collected again with the union).
 * A read or a listing also answers a stat.
 */
export function pendingRequests(plan: InputRequest, done: ReadonlyMap<string, ReadonlySet<RequestKind>>): Map<string, Set<RequestKind>> {
  const todo = new Map<string, Set<RequestKind>>();
  for (const kind of ['read', 'list', 'stat'] as const) {
    for (const raw of plan[kind]) {
      const path = normalizePath(raw);
      const have = new Set([...(done.get(path) ?? []), ...(todo.get(path) ?? [])]);
      if (have.has(kind) || (kind === 'stat' && have.size > 0)) continue;
      todo.set(path, have.add(kind));
    }
  }
  return todo;
}

/** A short, stable hash of a secret; crypto is loaded only when a file or probe output holds one. */
export function hashSecret(secret: string): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

function sortedRecord(paths: Record<string, PathRecord>): Record<string, PathRecord> {
  // Keys are unique, so the order never needs a tie.
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
}
