/**
 * The kernel configuration as kubeadm's SystemVerification reads it, and the
 * spec it judges it by.
 *
 * Source: kubernetes/system-validators validators/kernel_validator.go and
 * validators/types_unix.go (DefaultSysSpec) at the tag each Kubernetes release
 * vendors: v1.8.0 (1.27–1.31), v1.9.1 (1.32), v1.10.0 (1.33), v1.10.1 (1.34),
 * v1.12.1 (1.35 and later).
 */
import { listDir, readText } from '../snapshot/query.js';
import type { Snapshot } from '../snapshot/types.js';
import type { InputRequest } from './inputs.js';

/** One `CONFIG_` option of a spec, with the aliases tried in order. */
export interface KernelOption {
  name: string;
  aliases?: string[];
}

/** What one system-validators release requires of the kernel. */
export interface KernelSpec {
  /** The system-validators tag. */
  validators: string;
  /** Release patterns; a release that matches none fails the floor. */
  versions: RegExp[];
  /** What the floor says, for messages. */
  floor: string;
  /** A release below the floor is an error (a warning from v1.10.1). */
  floorLevel: 'error' | 'warning';
  required: KernelOption[];
  /** Required on top, depending on the host's cgroup version (split out in v1.11.0). */
  requiredCgroupV1: KernelOption[];
  requiredCgroupV2: KernelOption[];
}

const opts = (...names: string[]): KernelOption[] =>
  names.map((name) => (name === 'NETFILTER_XT_TARGET_REDIRECT' ? { name, aliases: ['IP_NF_TARGET_REDIRECT'] } : { name }));

const BASE = ['NAMESPACES', 'NET_NS', 'PID_NS', 'IPC_NS', 'UTS_NS'];
const TAIL = ['CPUSETS', 'MEMCG', 'INET', 'EXT4_FS', 'PROC_FS', 'NETFILTER_XT_TARGET_REDIRECT', 'NETFILTER_XT_MATCH_COMMENT', 'FAIR_GROUP_SCHED'];
const CGROUPS_V1_8 = ['CGROUPS', 'CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER', 'CGROUP_PIDS', 'CGROUP_SCHED'];
const CGROUPS_V1_9 = ['CGROUPS', 'CGROUP_BPF', 'CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER', 'CGROUP_PIDS', 'CGROUP_SCHED'];
const LTS_5 = [/^5\.4.*$/, /^5\.10.*$/, /^5\.15.*$/, /^([6-9]|[1-9][0-9]+)\.([0-9]+)\.([0-9]+).*$/];

const V1_8: KernelSpec = {
  validators: 'v1.8.0',
  versions: [/^3\.[1-9][0-9].*$/, /^([4-9]|[1-9][0-9]+)\.([0-9]+)\.([0-9]+).*$/],
  floor: '3.10 or newer',
  floorLevel: 'error',
  required: opts(...BASE, ...CGROUPS_V1_8, ...TAIL),
  requiredCgroupV1: [],
  requiredCgroupV2: [],
};
const V1_9: KernelSpec = {
  ...V1_8,
  validators: 'v1.9.1',
  versions: [/^4\.19.*$/, /^4\.[2-9][0-9].*$/, /^([5-9]|[1-9][0-9]+)\.([0-9]+)\.([0-9]+).*$/],
  floor: '4.19 or newer',
  required: opts(...BASE, ...CGROUPS_V1_9, ...TAIL),
};
const V1_10: KernelSpec = { ...V1_9, validators: 'v1.10.0', versions: LTS_5, floor: '5.4, 5.10, 5.15 or 6.x and newer' };
const V1_12: KernelSpec = {
  ...V1_10,
  validators: 'v1.12.1',
  floorLevel: 'warning',
  required: opts(...BASE, ...TAIL),
  requiredCgroupV1: opts('CGROUPS', 'CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER', 'CGROUP_PIDS', 'CGROUP_SCHED'),
  requiredCgroupV2: opts('CGROUPS', 'CGROUP_BPF', 'CGROUP_PIDS', 'CGROUP_SCHED'),
};

/** The kernel spec kubeadm of a Kubernetes minor applies. */
export function kernelSpecFor(minor: number): KernelSpec {
  if (minor <= 31) return V1_8;
  if (minor === 32) return V1_9;
  if (minor === 33) return V1_10;
  if (minor === 34) return { ...V1_10, validators: 'v1.10.1', floorLevel: 'warning' };
  return V1_12;
}

/** The kernel's configuration as read from the node. */
export interface KernelModel {
  /** The running kernel's release (/proc/sys/kernel/osrelease), else the only one under /lib/modules. */
  release: { value: string; file: string } | null;
  /** The first configuration file found in system-validators' order, with its options (y, m or n). */
  config: { file: string; options: Record<string, string> } | null;
  /** Candidate files that exist but could not be used (compressed content not collected, unreadable). */
  unusable: { file: string; reason: string }[];
  /** Files of the `configs` module, which kubeadm loads to get /proc/config.gz when no file is found. */
  configsModule: string[];
}

const OSRELEASE = '/proc/sys/kernel/osrelease';

/** Where system-validators looks for the configuration, in order. */
export function kernelConfigPaths(release: string | null): string[] {
  const r = release;
  return [
    '/proc/config.gz',
    ...(r
      ? [
          `/boot/config-${r}`,
          `/usr/src/linux-${r}/.config`,
          '/usr/src/linux/.config',
          `/usr/lib/modules/${r}/config`,
          `/usr/lib/ostree-boot/config-${r}`,
          `/usr/lib/kernel/config-${r}`,
          `/usr/src/linux-headers-${r}/.config`,
          `/lib/modules/${r}/build/.config`,
        ]
      : ['/usr/src/linux/.config']),
  ];
}

function release(snapshot: Snapshot): KernelModel['release'] {
  const r = readText(snapshot, OSRELEASE);
  if (r.status === 'ok' && r.text.trim()) return { value: r.text.trim(), file: OSRELEASE };
  // An image has no /proc: its one installed kernel is the one it boots.
  const installed = (listDir(snapshot, '/lib/modules') ?? []).filter((e) => e.type === 'directory');
  return installed.length === 1 ? { value: installed[0]!.name, file: `/lib/modules/${installed[0]!.name}` } : null;
}

const CONFIGS_MODULE = ['configs.ko', 'configs.ko.xz', 'configs.ko.zst', 'configs.ko.gz'];

/** What the kernel check reads: the release first, then the candidate files for it. */
export function planKernelInputs(snapshot: Snapshot): InputRequest {
  const r = release(snapshot)?.value ?? null;
  const moduleDir = r ? [`/lib/modules/${r}/kernel/kernel`] : [];
  return { read: [OSRELEASE, ...kernelConfigPaths(r)], list: ['/lib/modules', ...moduleDir], stat: [] };
}

/**
 * Parse a kernel .config: `CONFIG_NAME=value` lines, keeping the first
 * character of the value as system-validators does (y, m, n); `# CONFIG_X is
 * not set` lines leave the option unset.
 */
export function parseKernelConfig(text: string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^CONFIG_([A-Za-z0-9_]+)=(.)/.exec(line.trim());
    if (m) options[m[1]!] = m[2]!;
  }
  return options;
}

/** Build the kernel part of the host model. */
export function buildKernel(snapshot: Snapshot): KernelModel {
  const rel = release(snapshot);
  const unusable: KernelModel['unusable'] = [];
  let config: KernelModel['config'] = null;
  for (const file of kernelConfigPaths(rel?.value ?? null)) {
    const r = readText(snapshot, file);
    if (r.status === 'missing' || r.status === 'not-collected') continue;
    if (r.status === 'ok' && !r.record.invalidUtf8) {
      config = { file, options: parseKernelConfig(r.text) };
      break;
    }
    // A gzip file whose bytes were collected without decompression is lossy text.
    unusable.push({ file, reason: r.status === 'ok' ? 'its compressed content was not decompressed when collected' : r.reason });
  }
  const moduleDir = rel ? `/lib/modules/${rel.value}/kernel/kernel` : null;
  const configsModule = moduleDir
    ? (listDir(snapshot, moduleDir) ?? []).filter((e) => CONFIGS_MODULE.includes(e.name)).map((e) => `${moduleDir}/${e.name}`)
    : [];
  return { release: rel, config, unusable, configsModule };
}
