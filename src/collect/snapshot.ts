import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { PreflightError } from '../errors.js';
import { planInputs } from '../model/build.js';
import { CONTAINERD_CONFIG, loadContainerdConfig } from '../model/containerd/load.js';
import { planContainerdInputs } from '../model/containerd/build.js';
import type { InputRequest } from '../model/inputs.js';
import { Redactor } from '../parsers/redact.js';
import type { SiteInputs } from '../model/site.js';
import { normalizePath } from '../snapshot/paths.js';
import { buildCollection } from '../model/collection.js';
import { SNAPSHOT_SCHEMA_VERSION, type CollectionLimit, type PathRecord, type RequestKind, type Snapshot } from '../snapshot/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { DEFAULT_LIMITS, RootReader, type ReadLimits } from './fs.js';
import { redactPaths, redactProbeOutput } from './secrets/index.js';

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
  /** Stop reading after this many milliseconds (a bound on slow or pathological roots). */
  deadlineMs?: number;
  /** systemd units to collect besides containerd.service and kubelet.service (for resolveUnit()). */
  units?: readonly string[];
  /** Makes the markers that replace secrets (with the user's key, if any); one per snapshot. */
  redactor?: Redactor;
  /** What the checklist's site checks read (PreparedChecklist.modelOptions.site). */
  site?: SiteInputs;
}

/** The path budget of a collection. */
export const DEFAULT_MAX_PATHS = 20_000;
/** The time budget of a collection, in milliseconds. */
export const DEFAULT_DEADLINE_MS = 60_000;

const redactors = new WeakMap<Snapshot, Redactor>();

/** The redactor a snapshot's markers were made with in this process (live probes must use the same, so equal secrets get equal markers). */
export function redactorOf(snapshot: Snapshot): Redactor {
  let r = redactors.get(snapshot);
  if (r === undefined) {
    r = new Redactor();
    for (const record of Object.values(snapshot.paths)) if (record.content !== undefined) r.skipPast(record.content);
    for (const c of Object.values(snapshot.commands)) r.skipPast(`${c.stdout}\n${c.stderr}`);
    redactors.set(snapshot, r);
  }
  return r;
}

/**
 * Read everything the checks need from a node into a Snapshot. Reads only
 * under `root`, never writes, and never follows a symlink out of the root.
 * Imports are followed until they repeat (containerd has no depth limit);
 * what a limit leaves unread (paths, bytes, time, a directory's entries, a
 * file's size, a pattern's matches) is listed in `incomplete`, which the
 * rule host/collection-complete reports: a limit never passes silently.
 * Units, their drop-ins and environment files are read before registry
 * directory trees, so no number of registries starves them.
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
  const maxPaths = options.maxPaths ?? DEFAULT_MAX_PATHS;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const deadline = Date.now() + deadlineMs;
  const snapshot = emptySnapshot(root, options.online ?? false);
  const reader = new RootReader(rootReal, limits);
  const incomplete: CollectionLimit[] = [];
  const done = new Map<string, Set<RequestKind>>();
  const wanted = { units: options.units, site: options.site };
  try {
    let stopped: CollectionLimit | null = null;
    while (stopped === null) {
      const todo = pendingRequests(planInputs(snapshot, wanted), done);
      if (todo.size === 0) break;
      // Ordering costs a plan of its own; it only matters where the path budget could run out.
      const batch = done.size + todo.size > maxPaths / 2 ? firstThings(snapshot, todo) : todo;
      for (const [path, kinds] of batch) {
        if (done.size >= maxPaths) {
          stopped = { limit: 'paths', message: `stopped after ${maxPaths} paths; ${pendingCount(snapshot, done, wanted)} more were not read` };
          break;
        }
        if (Date.now() > deadline) {
          stopped = { limit: 'deadline', message: `stopped after ${deadlineMs} ms; ${pendingCount(snapshot, done, wanted)} more paths were not read` };
          break;
        }
        snapshot.paths[path] = reader.collect(path, kinds);
        done.set(path, kinds);
      }
    }
    if (stopped) incomplete.push(stopped);
  } finally {
    reader.close();
  }
  // Files over the size cap or past the budget, listings cut short, patterns cut short while planning.
  incomplete.push(...buildCollection(snapshot).limits);
  // Secrets never get further than this: every record that holds one is replaced by one with markers.
  const redactor = options.redactor ?? new Redactor();
  // A site check's units are units too: their Environment= words are parsed for secrets like containerd's.
  redactPaths(snapshot, redactor, [...(options.units ?? []), ...(options.site?.systemdUnits ?? [])]);
  redactors.set(snapshot, redactor);
  snapshot.paths = sortedRecord(snapshot.paths);
  snapshot.redacted = true;
  snapshot.redaction = { keyId: redactor.keyId };
  if (incomplete.length > 0) snapshot.incomplete = incomplete;
  return snapshot;
}

/**
 * The requests to serve in this round: everything but registry directory
 * trees while anything else is pending, then those. containerd's registry
 * directories (config_path, certs.d) can hold any number of hosts; reading
 * them last means the path budget they may use up never keeps a unit, a
 * drop-in or an environment file from being read.
 */
function firstThings(snapshot: Snapshot, todo: Map<string, Set<RequestKind>>): Map<string, Set<RequestKind>> {
  const containerd = planContainerdInputs(snapshot);
  const load = loadContainerdConfig(snapshot);
  const configs = new Set([CONTAINERD_CONFIG, ...load.files.map((f) => f.path), ...load.needs.read, ...load.needs.list].map(normalizePath));
  const registry = new Set([...containerd.read, ...containerd.list].map(normalizePath).filter((p) => !configs.has(p)));
  const first = new Map([...todo].filter(([path]) => !registry.has(path)));
  return first.size > 0 ? first : todo;
}

/** How many paths are still wanted (for the message of a limit). */
function pendingCount(snapshot: Snapshot, done: ReadonlyMap<string, ReadonlySet<RequestKind>>, wanted: Pick<CollectOptions, 'units' | 'site'>): number {
  return pendingRequests(planInputs(snapshot, wanted), done).size;
}

/**
 * A snapshot from a file, made ready to evaluate: paths normalized and
 * sorted, and every secret replaced by a marker. Secrets are looked for
 * whatever the snapshot says (a file that claims `redacted: true` may hold
 * anything); markers already in it stay as they are.
 */
export function adoptSnapshot(snapshot: Snapshot, redactor?: Redactor): Snapshot {
  const paths: Record<string, PathRecord> = {};
  for (const [raw, record] of Object.entries(snapshot.paths)) {
    // The markers a file claims are recomputed below; a listing's count is kept.
    const { secrets: _secrets, masked: _masked, ...rest } = record;
    paths[normalizePath(raw)] = rest;
  }
  const adopted: Snapshot = { ...snapshot, paths, commands: { ...snapshot.commands } };
  const r = redactor ?? new Redactor();
  for (const record of Object.values(paths)) if (record.content !== undefined) r.skipPast(record.content);
  for (const c of Object.values(adopted.commands)) r.skipPast(`${c.stdout}\n${c.stderr}`);
  redactPaths(adopted, r);
  redactCommands(adopted, r);
  redactors.set(adopted, r);
  adopted.paths = sortedRecord(adopted.paths);
  adopted.redacted = true;
  adopted.redaction = { keyId: r.keyId };
  return adopted;
}

/** A snapshot with nothing collected yet. */
function emptySnapshot(root: string, online: boolean): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    kind: 'NodeSnapshot',
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    root,
    online,
    paths: {},
    commands: {},
  };
}

/**
 * What the static collector still needs after what `gathered` holds (from
 * nothing when absent): the same plan collectSnapshot() follows, for a
 * gatherer that is not this tool (`preflight inputs`, the Ansible role's
 * controller mode). It repeats until this is empty, since imports, drop-ins
 * and environment files name further paths.
 */
export function remainingInputs(gathered?: Snapshot, options: Pick<CollectOptions, 'units' | 'site'> = {}): InputRequest {
  const snapshot = gathered ?? emptySnapshot('/', false);
  const done = new Map(Object.entries(snapshot.paths).map(([path, record]) => [path, answered(record)]));
  const remaining: InputRequest = { read: [], list: [], stat: [] };
  for (const [path, kinds] of pendingRequests(planInputs(snapshot, { units: options.units, site: options.site }), done)) {
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

/** Probe outputs with their secrets replaced (a snapshot from a file may hold anything). */
function redactCommands(snapshot: Snapshot, redactor: Redactor): void {
  for (const [name, c] of Object.entries(snapshot.commands))
    snapshot.commands[name] = { ...c, stdout: redactProbeOutput(name, c.stdout, redactor), stderr: redactProbeOutput(name, c.stderr, redactor) };
}

function sortedRecord(paths: Record<string, PathRecord>): Record<string, PathRecord> {
  // Keys are unique, so the order never needs a tie.
  return Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Refuse a root that holds none of the files a node has (a typo, an empty
 * mount point, a home directory): every path the checks read is missing, so
 * a report would be all findings about nothing.
 *
 * @throws PreflightError `root-unreadable` "does not look like a node root".
 */
export function assertNodeRoot(snapshot: Snapshot): void {
  if (Object.values(snapshot.paths).some((r) => r.type !== 'missing')) return;
  throw new PreflightError(
    'root-unreadable',
    `--root ${snapshot.root}: does not look like a node root (none of the paths the checks read exists: /etc/hostname, /etc/containerd/config.toml, /etc/systemd/system, /proc/sys, …)`,
  );
}
