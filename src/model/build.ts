import type { Snapshot } from '../snapshot/types.js';
import { buildContainerd, planContainerdInputs, type ContainerdOptions } from './containerd/build.js';
import { buildCrictl, planCrictlInputs } from './crictl.js';
import { buildHost, planHostInputs } from './host.js';
import { mergeRequests, type InputRequest } from './inputs.js';
import { buildJoin, planJoinInputs } from './join.js';
import { buildLive } from './live.js';
import { buildKubelet, planKubeletInputs } from './kubelet.js';
import { buildPackages, planPackageInputs } from './packages.js';
import { buildSite, planSiteInputs, type SiteInputs } from './site.js';
import { buildSystemd, modelNeeds, planSystemdInputs } from './systemd.js';
import type { NodeModel } from './types.js';
import { buildCollection } from './collection.js';

/** What to model beyond the checklist's needs, and how. */
export interface ModelOptions extends ContainerdOptions {
  /** systemd units to resolve besides containerd.service and kubelet.service. */
  units?: readonly string[];
  /** What the checklist's site checks read (files, sysctls, kernel modules, units); see /site in the model. */
  site?: SiteInputs;
}

/** Units to resolve: those asked for, and those whose enablement a site check reads. */
function unitsOf(options: ModelOptions): readonly string[] {
  const site = options.site?.systemdUnits ?? [];
  return site.length === 0 ? (options.units ?? []) : [...new Set([...(options.units ?? []), ...site])];
}

/**
 * Everything the static checks read from a node, given what has been collected
 * so far. The collector calls this until it asks for nothing new.
 */
export function planInputs(snapshot: Snapshot, options: ModelOptions = {}): InputRequest {
  // The first round guesses where containerd's and kubelet's unit files and drop-ins are; a site check's units
  // join from the second, when the unit search path is listed and only their own files need reading.
  const first = Object.keys(snapshot.paths).length === 0;
  return mergeRequests(
    planHostInputs(snapshot),
    planCrictlInputs(),
    planKubeletInputs(snapshot),
    planContainerdInputs(snapshot),
    planSystemdInputs(snapshot, first ? (options.units ?? []) : unitsOf(options)),
    planJoinInputs(snapshot),
    planPackageInputs(),
    planSiteInputs(snapshot, options.site),
  );
}

/**
 * Build the normalized, version-neutral NodeModel from a snapshot. Pure: no
 * I/O. `containerdVersion` (the checklist's) picks the containerd release whose
 * merging and defaults apply; it is inferred from the config otherwise.
 */
export function buildModel(snapshot: Snapshot, options: ModelOptions = {}): NodeModel {
  const systemd = buildSystemd(snapshot, unitsOf(options));
  const packages = buildPackages(snapshot);
  const containerd = buildContainerd(snapshot, { ...options, packages });
  const host = buildHost(snapshot);
  return {
    schemaVersion: 1,
    root: snapshot.root,
    online: snapshot.online,
    host,
    crictl: buildCrictl(snapshot),
    kubelet: buildKubelet(snapshot, systemd),
    containerd,
    systemd,
    join: buildJoin(snapshot, systemd),
    packages,
    live: buildLive(snapshot, systemd, containerd),
    site: buildSite(snapshot, options.site ?? {}, host, systemd, options.site?.systemdUnits?.length ? modelNeeds(snapshot, unitsOf(options)) : undefined),
    // Last: building the other parts notes the patterns whose expansion stopped at a bound.
    collection: buildCollection(snapshot),
  };
}
