import type { Snapshot } from '../snapshot/types.js';
import { buildContainerd, planContainerdInputs, type ContainerdOptions } from './containerd/build.js';
import { buildCrictl, planCrictlInputs } from './crictl.js';
import { buildHost, planHostInputs } from './host.js';
import { mergeRequests, type InputRequest } from './inputs.js';
import { buildJoin, planJoinInputs } from './join.js';
import { buildLive } from './live.js';
import { buildKubelet, planKubeletInputs } from './kubelet.js';
import { buildSystemd, planSystemdInputs } from './systemd.js';
import type { NodeModel } from './types.js';

/** What to model beyond the checklist's needs, and how. */
export interface ModelOptions extends ContainerdOptions {
  /** systemd units to resolve besides containerd.service and kubelet.service. */
  units?: readonly string[];
}

/**
 * Everything the static checks read from a node, given what has been collected
 * so far. The collector calls this until it asks for nothing new.
 */
export function planInputs(snapshot: Snapshot, options: ModelOptions = {}): InputRequest {
  return mergeRequests(planHostInputs(snapshot), planCrictlInputs(), planKubeletInputs(), planContainerdInputs(snapshot), planSystemdInputs(snapshot, options.units), planJoinInputs(snapshot));
}

/**
 * Build the normalized, version-neutral NodeModel from a snapshot. Pure: no
 * I/O. `containerdVersion` (the checklist's) picks the containerd release whose
 * merging and defaults apply; it is inferred from the config otherwise.
 */
export function buildModel(snapshot: Snapshot, options: ModelOptions = {}): NodeModel {
  const systemd = buildSystemd(snapshot, options.units);
  const containerd = buildContainerd(snapshot, options);
  return {
    schemaVersion: 1,
    root: snapshot.root,
    online: snapshot.online,
    host: buildHost(snapshot),
    crictl: buildCrictl(snapshot),
    kubelet: buildKubelet(snapshot, systemd),
    containerd,
    systemd,
    join: buildJoin(snapshot, systemd),
    live: buildLive(snapshot, systemd, containerd),
  };
}
