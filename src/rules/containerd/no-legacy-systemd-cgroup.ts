import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/no-legacy-systemd-cgroup',
  title: 'The legacy CRI-level systemd_cgroup option is not set',
  severity: 'error',
  mode: 'static',
  rationale: 'systemd_cgroup = true at the CRI level only works with the removed v1 runtime; on containerd 1.3 and later the CRI plugin fails to load with it.',
  remediation: 'Remove systemd_cgroup from the CRI section and set SystemdCgroup = true in the runc runtime options instead.',
  references: ['https://github.com/containerd/containerd/blob/main/RELEASES.md#deprecated-config-properties'],
  applies: settingsUnknown,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const legacy = c.cri.legacySystemdCgroup;
    if (!legacy || legacy.value !== true) return [];
    const one = c.semantics.version.startsWith('1');
    return [
      {
        message: one
          ? `systemd_cgroup = true at ${where(legacy.source)} makes the CRI plugin of ${release(ctx)} fail to load ("systemd_cgroup only works for runtime io.containerd.runtime.v1.linux").`
          : `systemd_cgroup = true at ${where(legacy.source)} is not an option of ${release(ctx)}, which ignores it; it does not set runc's cgroup driver.`,
        evidence: { ...at(legacy.source), observed: true, expected: 'absent' },
        severity: one ? 'error' : 'warning',
      },
    ];
  },
});
