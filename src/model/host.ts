import { exists, lookup, readText } from '../snapshot/query.js';
import { joinPath } from '../snapshot/paths.js';
import type { Snapshot } from '../snapshot/types.js';
import { parseFstabSwaps, parseModulesLoad, parseProcModules, parseProcSwaps, parseResolvConf, parseSysctl } from '../parsers/host-files.js';
import { listConfFiles } from './conf-files.js';
import { fileInfo } from './file-info.js';
import { buildKernel, planKernelInputs } from './kernel.js';
import { KUBEADM_BINARIES } from './kubeadm.js';
import { mergeRequests, type InputRequest } from './inputs.js';
import type { HostModel, PersistedSysctl } from './types.js';

/** The PATH kubeadm's checks see on a standard node (systemd's default PATH). */
export const STANDARD_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Kernel settings the checklist reads, as /proc/sys paths. */
export const LIVE_SYSCTLS = ['net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables', 'net.ipv6.conf.default.forwarding'] as const;

/** Modules whose loaded state the checklist reads. */
export const WATCHED_MODULES = ['br_netfilter'] as const;

/** sysctl.d directories in systemd-sysctl precedence order; /etc/sysctl.conf is applied after them (procps). */
const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];
const MODULES_LOAD_DIRS = ['/etc/modules-load.d', '/run/modules-load.d', '/usr/local/lib/modules-load.d', '/usr/lib/modules-load.d', '/lib/modules-load.d'];

const sysctlPath = (key: string): string => '/proc/sys/' + key.replaceAll('.', '/');

/** What the host checks read. */
export function planHostInputs(snapshot: Snapshot): InputRequest {
  const read = [
    '/proc/sys/kernel/hostname',
    '/etc/hostname',
    '/proc/swaps',
    '/etc/fstab',
    '/etc/sysctl.conf',
    '/proc/modules',
    '/etc/modules',
    '/etc/resolv.conf',
    '/sys/fs/cgroup/cgroup.controllers',
    ...LIVE_SYSCTLS.map(sysctlPath),
    ...listConfFiles(snapshot, SYSCTL_DIRS, '.conf').map((f) => f.path),
    ...listConfFiles(snapshot, MODULES_LOAD_DIRS, '.conf').map((f) => f.path),
  ];
  const stat = [
    '/proc/sys',
    '/sys/fs/cgroup',
    '/sys/module',
    ...WATCHED_MODULES.map((m) => `/sys/module/${m}`),
    ...STANDARD_PATH.flatMap((dir) => KUBEADM_BINARIES.map((b) => joinPath(dir, b))),
  ];
  return mergeRequests({ read, list: [...SYSCTL_DIRS, ...MODULES_LOAD_DIRS], stat }, planKernelInputs(snapshot));
}

/** Build the host part of the model. */
export function buildHost(snapshot: Snapshot): HostModel {
  const procAvailable = exists(snapshot, '/proc/sys') === true;
  return {
    hostname: readHostname(snapshot),
    procAvailable,
    swap: readSwap(snapshot),
    sysctl: {
      live: Object.fromEntries(LIVE_SYSCTLS.map((k) => [k, liveValue(snapshot, sysctlPath(k))])),
      persisted: readPersistedSysctls(snapshot),
    },
    modules: readModules(snapshot),
    binaries: KUBEADM_BINARIES.map((name) => ({ name, path: findBinary(snapshot, name) })),
    resolvConf: readResolvConf(snapshot),
    cgroup: { version: cgroupVersion(snapshot) },
    kernel: buildKernel(snapshot),
  };
}

function liveValue(snapshot: Snapshot, path: string): string | null {
  const r = readText(snapshot, path);
  return r.status === 'ok' ? r.text.trim() : null;
}

function readHostname(snapshot: Snapshot): HostModel['hostname'] {
  for (const file of ['/proc/sys/kernel/hostname', '/etc/hostname']) {
    const r = readText(snapshot, file);
    if (r.status !== 'ok') continue;
    // /etc/hostname may carry comments; the first non-comment word is the name.
    const line = r.text.split('\n').findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    if (line < 0) continue;
    return { value: r.text.split('\n')[line]!.trim(), source: { file, line: line + 1 } };
  }
  return null;
}

function readSwap(snapshot: Snapshot): HostModel['swap'] {
  const proc = readText(snapshot, '/proc/swaps');
  const fstab = readText(snapshot, '/etc/fstab');
  return {
    active: proc.status === 'ok' ? parseProcSwaps(proc.text).map(({ filename, type }) => ({ filename, type })) : null,
    fstab: fstab.status === 'ok' ? parseFstabSwaps(fstab.text).map((s) => ({ spec: s.spec, noauto: s.noauto, file: '/etc/fstab', line: s.line })) : [],
  };
}

function readPersistedSysctls(snapshot: Snapshot): Record<string, PersistedSysctl> {
  const files = listConfFiles(snapshot, SYSCTL_DIRS, '.conf')
    .filter((f) => !f.masked)
    .map((f) => f.path);
  files.push('/etc/sysctl.conf');
  const out: Record<string, PersistedSysctl> = {};
  for (const file of files) {
    const r = readText(snapshot, file);
    if (r.status !== 'ok') continue;
    for (const a of parseSysctl(r.text)) out[a.key] = { value: a.value, file, line: a.line };
  }
  return out;
}

function readModules(snapshot: Snapshot): HostModel['modules'] {
  const proc = readText(snapshot, '/proc/modules');
  const sysModule = exists(snapshot, '/sys/module') === true;
  let loaded: string[] | null = null;
  if (proc.status === 'ok' || sysModule) {
    const names = new Set(proc.status === 'ok' ? parseProcModules(proc.text) : []);
    // Built-in modules appear under /sys/module but not in /proc/modules.
    for (const m of WATCHED_MODULES) if (exists(snapshot, `/sys/module/${m}`)) names.add(m);
    loaded = [...names].sort();
  }
  const persisted: HostModel['modules']['persisted'] = [];
  const files = listConfFiles(snapshot, MODULES_LOAD_DIRS, '.conf')
    .filter((f) => !f.masked)
    .map((f) => f.path);
  // Debian's /etc/modules is read by its kmod service in addition to modules-load.d.
  for (const file of [...files, '/etc/modules']) {
    const r = readText(snapshot, file);
    if (r.status === 'ok') for (const m of parseModulesLoad(r.text)) persisted.push({ name: m.name, file, line: m.line });
  }
  return { loaded, persisted };
}

function findBinary(snapshot: Snapshot, name: string): string | null {
  for (const dir of STANDARD_PATH) {
    const path = joinPath(dir, name);
    const record = lookup(snapshot, path);
    // Any execute bit makes exec.LookPath accept a regular file.
    if (record?.type === 'file' && ((record.mode ?? 0) & 0o111) !== 0) return path;
  }
  return null;
}

function readResolvConf(snapshot: Snapshot): HostModel['resolvConf'] {
  const file = fileInfo(snapshot, '/etc/resolv.conf');
  const r = readText(snapshot, '/etc/resolv.conf');
  const link = lookup(snapshot, '/etc/resolv.conf')?.link ?? null;
  const parsed = r.status === 'ok' ? parseResolvConf(r.text) : { nameservers: [], search: null };
  const nameservers = parsed.nameservers.map((n) => n.address);
  const resolvedStub = (link !== null && link.endsWith('stub-resolv.conf')) || nameservers.includes('127.0.0.53');
  return { file, link, nameservers, search: parsed.search?.domains ?? [], resolvedStub };
}

function cgroupVersion(snapshot: Snapshot): 1 | 2 | null {
  if (exists(snapshot, '/sys/fs/cgroup') !== true) return null;
  return exists(snapshot, '/sys/fs/cgroup/cgroup.controllers') ? 2 : 1;
}
