import { kernelConfigPaths, kernelSpecFor, type KernelOption } from '../../model/kernel.js';
import { kubeadmMinor, kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule, type Violation } from '../types.js';

const ALIAS = 'SystemVerification';

/** How an option stands in the configuration: set (y or m), disabled (n) or absent. */
function state(options: Record<string, string>, option: KernelOption): { name: string; value: string | undefined } {
  // system-validators tries the name, then its aliases, and reports the last one it tried.
  const names = [option.name, ...(option.aliases ?? [])];
  const found = names.find((n) => options[n] !== undefined);
  return { name: `CONFIG_${found ?? names[names.length - 1]!}`, value: found ? options[found] : undefined };
}

export default defineRule({
  id: 'host/kernel-config',
  title: 'The kernel configuration has what kubeadm join requires, and the release meets its floor',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('host/kernel-config'),
  rationale:
    "kubeadm's SystemVerification check (k8s.io/system-validators) reads the kernel configuration from /proc/config.gz, /boot/config-<release> and a few other places, fails the join when none exists or a required CONFIG_ option (namespaces, cgroups, netfilter) is missing, and checks the release against a floor that rose with the Kubernetes version (3.10, then 4.19 in 1.32, then 5.4 in 1.33; a warning from 1.34).",
  remediation:
    'Boot a kernel built with the reported options (a current distribution kernel has them), and ship its configuration as /boot/config-<release> (or enable CONFIG_IKCONFIG_PROC for /proc/config.gz).',
  references: [
    'https://github.com/kubernetes/system-validators/blob/master/validators/types_unix.go',
    'https://github.com/kubernetes/system-validators/blob/master/validators/kernel_validator.go',
  ],
  applies: ({ model }) =>
    model.host.kernel.release ? undefined : 'The kernel release is unknown: no /proc/sys/kernel/osrelease and not exactly one kernel under /lib/modules',
  check: ({ model, targets }) => {
    const { release, config, unusable, configsModule } = model.host.kernel;
    const minor = kubeadmMinor(targets.kubernetesMinor);
    const spec = kernelSpecFor(minor);
    const out: Violation[] = [];
    if (!spec.versions.some((re) => re.test(release!.value))) {
      out.push({
        message: `the kernel release ${release!.value} (${release!.file}) is older than kubeadm 1.${minor} supports (${spec.floor}, system-validators ${spec.validators}).`,
        evidence: { file: release!.file, observed: release!.value, expected: spec.floor },
        severity: spec.floorLevel,
        alias: ALIAS,
      });
    }
    if (!config) {
      const tried = kernelConfigPaths(release!.value);
      const why = unusable.length > 0 ? ` (${unusable.map((u) => `${u.file}: ${u.reason}`).join('; ')})` : '';
      out.push(
        configsModule.length > 0
          ? {
              message: `no kernel configuration file was found${why}; kubeadm would load the configs module (${configsModule[0]}) to read /proc/config.gz, which cannot be checked offline.`,
              evidence: { path: 'kernel configuration', observed: null, expected: tried[0] },
              severity: 'warning',
              alias: ALIAS,
            }
          : {
              message: `none of ${tried.join(', ')} holds the kernel configuration${why}, so kubeadm's SystemVerification fails.`,
              evidence: { path: 'kernel configuration', observed: null, expected: tried[1] },
              alias: ALIAS,
            },
      );
      return out;
    }
    // system-validators picks the cgroup-specific list from the mounted hierarchy; an image is judged as cgroup v2.
    const required = [...spec.required, ...(model.host.cgroup.version === 1 ? spec.requiredCgroupV1 : spec.requiredCgroupV2)];
    const bad = required.map((o) => state(config.options, o)).filter((s) => s.value !== 'y' && s.value !== 'm');
    if (bad.length > 0) {
      out.push({
        message: `${config.file} lacks kernel options kubeadm 1.${minor} requires: ${bad.map((b) => `${b.name} ${b.value === undefined ? 'not set' : `=${b.value}`}`).join(', ')}.`,
        evidence: { file: config.file, observed: bad.map((b) => b.name), expected: 'y or m' },
        alias: ALIAS,
      });
    }
    return out;
  },
});
