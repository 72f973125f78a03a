import type { Snapshot } from '../snapshot/types.js';
import { buildCrictl, planCrictlInputs } from './crictl.js';
import { buildHost, planHostInputs } from './host.js';
import { mergeRequests, type InputRequest } from './inputs.js';
import { buildKubelet, planKubeletInputs } from './kubelet.js';
import { buildSystemd, planSystemdInputs } from './systemd.js';
import type { NodeModel } from './types.js';

/** What to model beyond the checklist's needs. */
export interface ModelOptions {
  /** systemd units to resolve besides containerd.service and kubelet.service. */
  units?: readonly string[];
}

/**
 * Everything the static checks read from a node, given what has been collected
 * so far. The collector calls this until it asks for nothing new.
 */
export function planInputs(snapshot: Snapshot, options: ModelOptions = {}): InputRequest {
  return mergeRequests(planHostInputs(snapshot), planCrictlInputs(), planKubeletInputs(), planSystemdInputs(snapshot, options.units));
}

/** Build the normalized, version-neutral NodeModel from a snapshot. Pure: no I/O. */
export function buildModel(snapshot: Snapshot, options: ModelOptions = {}): NodeModel {
  const systemd = buildSystemd(snapshot, options.units);
  return {
    schemaVersion: 1,
    root: snapshot.root,
    online: snapshot.online,
    host: buildHost(snapshot),
    crictl: buildCrictl(snapshot),
    kubelet: buildKubelet(snapshot, systemd),
    containerd: null,
    systemd,
  };
}
