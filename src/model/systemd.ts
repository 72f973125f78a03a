/**
 * Units as systemd loads them from a node's files, and the environment their
 * processes get (spec: ../shared/reference/systemd-proxy-spec.md §0–§4).
 * Sources: systemd/systemd src/libsystemd/sd-path/path-lookup.c (search path),
 * src/shared/unit-file.c (name map, aliases, masks), src/shared/dropin.c
 * (drop-in directories), src/basic/conf-files.c (drop-in order),
 * src/core/execute.c and exec-invoke.c (environment files and merge order),
 * src/core/main.c (DefaultEnvironment=).
 */
import type { Snapshot } from '../snapshot/types.js';
import type { InputRequest } from './inputs.js';
import { SnapshotReader } from './reader.js';
import type { SystemdModel, SystemdUnit } from './types.js';
import { buildLogin } from './systemd/login.js';
import { firstRound } from './systemd/plan.js';
import type { ResolveOptions } from './systemd/settings.js';
import { context, resolveWith } from './systemd/unit.js';

// The parts live in ./systemd/ by concern; what this module exported stays importable from here.
export { UNIT_SEARCH_PATH, isValidUnitName, dropInNames } from './systemd/lookup.js';
export type { ResolveOptions } from './systemd/settings.js';

const GENERATOR_DIRS = ['/run/systemd/generator.early', '/run/systemd/generator', '/run/systemd/generator.late'];

/** The units the checklist reads; they are always modelled. */
export const MODELED_UNITS = ['containerd.service', 'kubelet.service'] as const;

function buildWith(r: SnapshotReader, units: readonly string[], options: ResolveOptions): SystemdModel {
  const ctx = context(r, options);
  const notes: string[] = [];
  if (GENERATOR_DIRS.every((d) => r.record(d)?.type === 'missing')) {
    notes.push(
      'Generator output (/run/systemd/generator*) exists only on a running system; units and drop-ins that generators would create are not evaluated.',
    );
  }
  const all = [...new Set([...MODELED_UNITS, ...units])];
  return {
    searchPath: ctx.dirs,
    manager: ctx.manager,
    units: Object.fromEntries(all.map((u) => [u, resolveWith(ctx, u)])),
    login: buildLogin(r),
    notes,
  };
}

/**
 * The last model built for a snapshot, with the records it was built from. The
 * collector plans by building the model, so its last planning round builds
 * exactly what buildModel() asks for next; a model is a function of the
 * records, so it is reused while every record is the same object.
 */
const lastBuilt = new WeakMap<Snapshot, { reader: SnapshotReader; units: string; model: SystemdModel; needs: InputRequest }>();

function buildCached(snapshot: Snapshot, units: readonly string[]): { model: SystemdModel; needs: InputRequest } {
  const key = units.join('\0');
  const last = lastBuilt.get(snapshot);
  if (last && last.units === key && last.reader.unchanged(snapshot)) return last;
  const reader = new SnapshotReader(snapshot);
  const built = { reader, units: key, model: buildWith(reader, units, {}), needs: reader.request() };
  lastBuilt.set(snapshot, built);
  return built;
}

/** What building the model on this snapshot reads that the snapshot still lacks. */
export function modelNeeds(snapshot: Snapshot, units: readonly string[] = []): InputRequest {
  return buildCached(snapshot, units).needs;
}

/** What the systemd model reads, given what has been collected so far: it plans by building itself. */
export function planSystemdInputs(snapshot: Snapshot, units: readonly string[] = []): InputRequest {
  const all = [...new Set([...MODELED_UNITS, ...units])];
  return Object.keys(snapshot.paths).length === 0 ? firstRound(all) : modelNeeds(snapshot, units);
}

/** Build the systemd part of the model: containerd.service, kubelet.service (and `units`), the manager, the login environment. */
export function buildSystemd(snapshot: Snapshot, units: readonly string[] = []): SystemdModel {
  return buildCached(snapshot, units).model;
}

/**
 * Resolve one unit the way systemd loads it from the node's files: the unit
 * search path (/etc over /run over /usr/lib, `/lib` only where it is not the
 * /usr/lib symlink), masks (a symlink to /dev/null or an empty file), aliases,
 * drop-ins (`name.d`, dash prefixes, templates, aliases, `service.d`) in
 * file-name order with same-name precedence, and the environment its processes
 * get: the manager's DefaultEnvironment=, PassEnvironment=, Environment=,
 * EnvironmentFile= (with and without `-`), then UnsetEnvironment=.
 *
 * The snapshot must hold the unit's files: collectSnapshot() collects
 * containerd.service and kubelet.service, and any unit named in its `units`
 * option.
 *
 * @param snapshot - the node's files
 * @param unitName - e.g. `containerd.service`
 * @param options - `managerEnvironment`: PID 1's environment for PassEnvironment= (empty by default)
 * @returns `loadState`, `fragmentPath` and `dropInPaths` (node paths, never
 *   prefixed with the root), `environment` (name → `{ value, file, line }`, or
 *   null when the unit is masked, not found or cannot start),
 *   `environmentFiles`, and `startFailure` when systemd would not start it.
 */
export function resolveUnit(snapshot: Snapshot, unitName: string, options: ResolveOptions = {}): SystemdUnit {
  return resolveWith(context(new SnapshotReader(snapshot), options), unitName);
}
