import type { Sourced } from '../../model/types.js';
import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/cri-enabled',
  title: 'containerd serves the CRI',
  severity: 'error',
  mode: 'static',
  rationale:
    'kubelet talks to containerd only through the CRI plugin; Docker\'s containerd.io package ships disabled_plugins = ["cri"], and kubelet then fails with "unknown service runtime.v1.RuntimeService".',
  remediation:
    'Remove cri (and any io.containerd.grpc.v1.cri or io.containerd.cri.v1.* id) from disabled_plugins in the config and every import, then restart containerd.',
  references: [
    'https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd',
    'https://github.com/containerd/containerd/blob/main/docs/PLUGINS.md',
  ],
  applies: settingsUnknown,
  target: '/containerd/criDisabledBy',
  schema: { type: 'array', maxItems: 0 },
  describe: (_error, value, ctx) => {
    const entries = value as Sourced<string>[];
    const first = entries[0]!;
    const others =
      entries.length > 1
        ? ` (and ${entries
            .slice(1)
            .map((e) => JSON.stringify(e.value))
            .join(', ')})`
        : '';
    return {
      message: `disabled_plugins at ${where(first.source)} lists ${JSON.stringify(first.value)}${others}, so ${release(ctx)} runs without the CRI plugin and kubelet gets "unknown service runtime.v1.RuntimeService".`,
      evidence: { ...at(first.source), path: 'disabled_plugins', observed: entries.map((e) => e.value), expected: [] },
    };
  },
});
