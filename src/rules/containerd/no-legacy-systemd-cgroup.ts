import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/no-legacy-systemd-cgroup',
  title: 'The legacy CRI-level systemd_cgroup option is not set',
  severity: 'error',
  mode: 'static',
  rationale: 'systemd_cgroup = true at the CRI level only works with the removed v1 runtime; on containerd 1.3 and later the CRI plugin fails to load with it.',
  remediation:
    "Remove systemd_cgroup from the CRI section and set runc's driver with SystemdCgroup in the runc runtime options instead (true for kubelet's systemd driver, false for cgroupfs).",
  references: ['https://github.com/containerd/containerd/blob/main/RELEASES.md#deprecated-config-properties'],
  applies: settingsUnknown,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const legacy = c.cri.legacySystemdCgroup;
    if (!legacy || legacy.value !== true) return [];
    const one = c.semantics.version.startsWith('1');
    const driver = ctx.model.kubelet.cgroupDriver?.value ?? ctx.targets.cgroupDriver;
    return [
      {
        message: one
          ? `systemd_cgroup = true at ${where(legacy.source)} makes the CRI plugin of ${release(ctx)} fail to load ("systemd_cgroup only works for runtime io.containerd.runtime.v1.linux").`
          : `systemd_cgroup = true at ${where(legacy.source)} is not an option of ${release(ctx)}, which ignores it; it does not set runc's cgroup driver.`,
        evidence: { ...at(legacy.source), observed: true, expected: 'absent' },
        severity: one ? 'error' : 'warning',
        fix: `Remove systemd_cgroup from ${where(legacy.source)} and set SystemdCgroup = ${driver === 'systemd'} (kubelet's cgroup driver is ${driver}) in the runc runtime options instead, then restart containerd.`,
      },
    ];
  },
});
