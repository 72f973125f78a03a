import { defineRule, type Violation } from '../types.js';
import { at, q, where } from '../helpers.js';
import { RUNC_TYPES, declared, droppedFix, settingsUnknown, containerdOf } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/systemd-cgroup',
  title: "runc's cgroup driver matches kubelet's",
  severity: 'error',
  mode: 'static',
  rationale:
    'When runc\'s SystemdCgroup does not match kubelet\'s cgroupDriver, pods fail to start ("expected cgroupsPath to be of format slice:prefix:name") or restart periodically with no clear error.',
  remediation:
    "Set SystemdCgroup in the options of the default runtime and of every runc runtime to match kubelet's cgroup driver (true for systemd, false for cgroupfs), then restart containerd.",
  references: [
    'https://kubernetes.io/docs/setup/production-environment/container-runtimes/#containerd-systemd',
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/configure-cgroup-driver/',
  ],
  applies: settingsUnknown,
  check: (ctx) => {
    const { cri } = containerdOf(ctx);
    // kubelet's own effective setting (flags over --config-dir drop-ins over the --config file), else the checklist's target.
    const kubelet = ctx.model.kubelet.cgroupDriver;
    const driver = kubelet?.value ?? ctx.targets.cgroupDriver;
    // The effective setting: a --cgroup-driver flag (its variable, or the ExecStart word) beats the config files.
    const setting = kubelet?.source.key === 'cgroupDriver' ? 'cgroupDriver' : '--cgroup-driver';
    const origin = kubelet ? `kubelet's ${setting} (${where(kubelet.source)})` : "the checklist's cgroup driver";
    const expected = driver === 'systemd';
    const out: Violation[] = [];
    // The fix names the value kubelet's driver needs, never a fixed one: true for systemd, false for cgroupfs.
    const fixFor = (name: string, file: string | undefined): string =>
      `Set SystemdCgroup = ${expected} in the options of runtime ${q(name)}${file ? ` (${file})` : ''} to match the ${driver} driver set by ${kubelet ? origin : 'the checklist'}, then restart containerd.`;
    for (const [name, runtime] of Object.entries(cri.runtimes)) {
      // The default runtime, and every runc runtime the configuration declares (not a built-in one it never uses).
      const isDefault = name === cri.defaultRuntimeName.value;
      if (!isDefault && (!RUNC_TYPES.includes(runtime.type.value) || !runtime.source.file)) continue;
      const s = runtime.systemdCgroup;
      if (s && typeof s.value !== 'boolean') {
        out.push({
          message: `SystemdCgroup of runtime ${q(name)} is ${q(s.value)} (${where(s.source)}), not a boolean; runc needs true or false.`,
          evidence: { ...at(s.source), observed: s.value, expected },
          fix: fixFor(name, s.source.file),
        });
        continue;
      }
      const actual = s?.value === true;
      if (actual === expected) continue;
      const dropped: { fix?: string } = droppedFix(runtime.source);
      const seen = s ? `SystemdCgroup = ${actual} (${where(s.source)})` : `no SystemdCgroup option, so false (the runtime is ${declared(runtime.source, ctx)})`;
      out.push({
        message: `runtime ${q(name)} has ${seen}, but ${origin} is ${driver}; runc and kubelet must use the same cgroup driver.`,
        evidence: { ...at(s?.source ?? runtime.source), path: s?.source.key ?? 'options.SystemdCgroup', observed: actual, expected },
        fix: dropped.fix ?? fixFor(name, s?.source.file ?? runtime.source.file),
      });
    }
    return out;
  },
});
