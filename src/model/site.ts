/**
 * The site part of the model: the files, kernel settings, modules and units
 * that a checklist's site checks name. The checklist says what to read
 * ({@link SiteInputs}); the collector reads it under the root through the same
 * planner as everything else, with the same confinement, limits and redaction.
 */
import { listDir, lookup, readText } from '../snapshot/query.js';
import { basename, joinPath } from '../snapshot/paths.js';
import type { PathRecord, Snapshot } from '../snapshot/types.js';
import { normalizeSysctlKey, parseProcModules } from '../parsers/host-files.js';
import { parseUnitFile } from '../parsers/systemd-unit.js';
import { parsePemCertificates } from '../parsers/x509.js';
import type { InputRequest } from './inputs.js';
import type { HostModel, SiteFile, SiteKernelModule, SiteModel, SiteSysctl, SiteSystemdUnit, SystemdModel } from './types.js';

/** What site checks need read from the node. */
export interface SiteInputs {
  /** Files whose text a check reads. */
  read?: readonly string[];
  /** Paths whose existence, type, mode or owner a check looks at. */
  stat?: readonly string[];
  /** A check names an owner or group: read the node's /etc/passwd and /etc/group to turn names into ids. */
  accounts?: boolean;
  /** sysctl keys (dotted or slash-separated). */
  sysctls?: readonly string[];
  /** Kernel module names. */
  kernelModules?: readonly string[];
  /** Units whose enablement a check reads (they are also resolved under /systemd/units). */
  systemdUnits?: readonly string[];
}

const ACCOUNT_FILES = ['/etc/passwd', '/etc/group'];

/**
 * The directories whose links enable a unit, and the state each gives
 * (systemd 252 src/shared/install.c, find_symlinks_in_scope: the persistent
 * and runtime configuration, their .control variants first). Links in the
 * packages' directories (/usr/lib) do not make a unit enabled: it stays
 * `disabled` or `static`, as `systemctl is-enabled` says.
 */
const ENABLE_DIRS: readonly [string, 'enabled' | 'enabled-runtime'][] = [
  ['/etc/systemd/system.control', 'enabled'],
  ['/etc/systemd/system', 'enabled'],
  ['/run/systemd/system.control', 'enabled-runtime'],
  ['/run/systemd/system', 'enabled-runtime'],
];
const DEPENDENCY_DIR = /\.(wants|requires|upholds)$/;
/** [Install] settings; without any, a unit is `static` (only Also=: `indirect`). */
const INSTALL_KEYS = ['WantedBy', 'RequiredBy', 'UpheldBy', 'Alias'];

/** The /proc/sys path of a key: dots separate names unless the key is written with slashes. */
export function sysctlProcPath(key: string): string {
  return key.includes('/') ? joinPath('/proc/sys', key) : `/proc/sys/${key.replaceAll('.', '/')}`;
}

/** modprobe treats `-` and `_` in module names alike; /proc/modules writes `_`. */
const moduleKey = (name: string): string => name.replaceAll('-', '_');

/** The links directories a unit's enablement is read from, once the configuration directories are listed. */
function dependencyDirs(snapshot: Snapshot): string[] {
  return ENABLE_DIRS.flatMap(([dir]) =>
    (listDir(snapshot, dir) ?? [])
      .filter((e) => (e.type === 'directory' || e.type === 'symlink') && DEPENDENCY_DIR.test(e.name))
      .map((e) => joinPath(dir, e.name)),
  );
}

/** What the site checks read, given what has been collected so far. */
export function planSiteInputs(snapshot: Snapshot, site: SiteInputs = {}): InputRequest {
  const read = [...(site.read ?? []), ...(site.sysctls ?? []).map(sysctlProcPath)];
  const stat = [...(site.stat ?? [])];
  const list: string[] = [];
  if (site.accounts) read.push(...ACCOUNT_FILES);
  // One listing of /sys/module answers for every module (a stat each would be a lookup each).
  if (site.kernelModules?.length) {
    read.push('/proc/modules');
    list.push('/sys/module');
  }
  if (site.systemdUnits?.length) list.push(...ENABLE_DIRS.map(([dir]) => dir), ...dependencyDirs(snapshot));
  return { read, list, stat };
}

/** Names by id from /etc/passwd or /etc/group (`name:x:id:...`); the first line with an id wins, as getpwuid() does. */
function accountNames(snapshot: Snapshot, file: string): Map<number, string> {
  const names = new Map<number, string>();
  const r = readText(snapshot, file);
  if (r.status !== 'ok') return names;
  for (const line of r.text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === undefined || id === undefined || !/^\d+$/.test(id) || name.startsWith('#')) continue;
    if (!names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

function describeRecord(record: PathRecord): string | null {
  return record.error ? `${record.error.code}: ${record.error.message}` : null;
}

function siteFile(snapshot: Snapshot, path: string, users: Map<number, string>, groups: Map<number, string>, wantText: boolean): SiteFile {
  const record = lookup(snapshot, path);
  if (!record)
    return { type: 'not-collected', link: null, mode: null, uid: null, gid: null, owner: null, group: null, error: null, text: null, certificates: [] };
  const text = wantText && record.type === 'file' && record.content !== undefined ? record.content : null;
  return {
    type: record.type,
    link: record.link ?? null,
    mode: record.mode === undefined ? null : (record.mode & 0o7777).toString(8).padStart(4, '0'),
    uid: record.uid ?? null,
    gid: record.gid ?? null,
    owner: record.uid === undefined ? null : (users.get(record.uid) ?? null),
    group: record.gid === undefined ? null : (groups.get(record.gid) ?? null),
    error: describeRecord(record),
    text,
    certificates: text === null ? [] : parsePemCertificates(text),
  };
}

function siteSysctl(snapshot: Snapshot, key: string, host: HostModel): SiteSysctl {
  const live = host.procAvailable ? readText(snapshot, sysctlProcPath(key)) : undefined;
  return {
    collected: live?.status !== 'not-collected',
    // /proc prints multi-value settings (tcp_rmem) with tabs; sysctl.d files with spaces.
    live: live?.status === 'ok' ? live.text.trim().replace(/\s+/g, ' ') : null,
    persisted: host.sysctl.persisted[normalizeSysctlKey(key)] ?? null,
  };
}

/** What every kernel module check reads, gathered once: loaded modules, /sys/module, boot lists. */
interface ModuleFacts {
  proc: Set<string> | null;
  sys: Set<string> | null;
  sysMissing: boolean;
  persisted: Map<string, { file: string; line: number }>;
}

function moduleFacts(snapshot: Snapshot, host: HostModel): ModuleFacts {
  const proc = readText(snapshot, '/proc/modules');
  const sysModule = lookup(snapshot, '/sys/module');
  const entries = sysModule?.type === 'directory' ? sysModule.entries : undefined;
  const persisted = new Map<string, { file: string; line: number }>();
  // The first line that loads a module is the one to name.
  for (const m of host.modules.persisted) if (!persisted.has(moduleKey(m.name))) persisted.set(moduleKey(m.name), { file: m.file, line: m.line });
  return {
    proc: proc.status === 'ok' ? new Set(parseProcModules(proc.text)) : null,
    // A module's /sys/module entry is a directory (a symlink never: it is the kernel's own kobject).
    sys: entries === undefined ? null : new Set(entries.filter((e) => e.type === 'directory').map((e) => e.name)),
    sysMissing: sysModule?.type === 'missing',
    persisted,
  };
}

function siteModule(name: string, facts: ModuleFacts): SiteKernelModule {
  const key = moduleKey(name);
  const inProc = facts.proc === null ? null : facts.proc.has(key);
  const inSys = facts.sys === null ? null : facts.sys.has(key);
  const loaded = inProc === null && inSys === null ? null : inProc === true || inSys === true;
  // Listed, or known to be absent (a mounted image): what every snapshot taken for these checks has.
  return {
    loaded,
    builtin: inSys === true && inProc === false,
    persisted: facts.persisted.get(key) ?? null,
    collected: facts.sys !== null || facts.sysMissing,
  };
}

/** The links that can enable units, indexed once for all of them: by the unit name they carry, per state. */
type LinkIndex = Record<'enabled' | 'enabled-runtime', Map<string, string[]>>;

function linkIndex(snapshot: Snapshot): LinkIndex {
  const index: LinkIndex = { enabled: new Map(), 'enabled-runtime': new Map() };
  const add = (state: keyof LinkIndex, name: string, path: string): void => void index[state].set(name, [...(index[state].get(name) ?? []), path]);
  for (const [dir, state] of ENABLE_DIRS) {
    for (const entry of listDir(snapshot, dir) ?? []) {
      const path = joinPath(dir, entry.name);
      // An alias link (`systemctl enable` of a unit with Alias=) names another unit and points at this one.
      if (entry.type === 'symlink' && basename(entry.link!) !== entry.name) add(state, `alias:${basename(entry.link!)}`, path);
      if ((entry.type === 'directory' || entry.type === 'symlink') && DEPENDENCY_DIR.test(entry.name)) {
        for (const dep of listDir(snapshot, path) ?? []) add(state, dep.name, joinPath(path, dep.name));
      }
    }
  }
  return index;
}

/** systemctl is-enabled for one unit, from the node's files. */
function siteUnit(snapshot: Snapshot, name: string, systemd: SystemdModel, collected: boolean, index: LinkIndex): SiteSystemdUnit {
  const state = (enablement: SiteSystemdUnit['enablement'], links: string[] = []): SiteSystemdUnit => ({ enablement, links, collected });
  const unit = systemd.units[name];
  if (!unit || unit.loadState === 'not-found') return state('not-found');
  if (unit.loadState === 'masked') return state('masked');
  for (const enabled of ['enabled', 'enabled-runtime'] as const) {
    const links = [`alias:${unit.name}`, unit.name, ...unit.aliases].flatMap((n) => index[enabled].get(n) ?? []);
    if (links.length > 0) return state(enabled, links);
  }
  const fragment = readText(snapshot, unit.fragmentPath!);
  const install =
    fragment.status === 'ok'
      ? parseUnitFile(fragment.text, { sections: ['Install'], keys: {} }).assignments.filter((a) => a.section === 'Install' && a.value !== '')
      : [];
  if (install.some((a) => INSTALL_KEYS.includes(a.key))) return state('disabled');
  return state(install.some((a) => a.key === 'Also') ? 'indirect' : 'static');
}

/**
 * Whether the snapshot holds what the units' model and enablement read: the
 * systemd model lacks nothing, and every links directory is listed (a
 * snapshot taken for another checklist may have neither).
 */
function unitsCollected(snapshot: Snapshot, units: readonly string[], unitNeeds: InputRequest): boolean {
  if (unitNeeds.read.length + unitNeeds.list.length + unitNeeds.stat.length > 0) return false;
  return planSiteInputs(snapshot, { systemdUnits: units }).list.every((p) => {
    const record = lookup(snapshot, p);
    return record !== undefined && (record.type !== 'directory' || record.entries !== undefined);
  });
}

/**
 * Build the site part of the model from what the collector read for `site`.
 * `unitNeeds` is what the systemd model still lacks for its units: anything
 * there means the snapshot was taken without these checks.
 */
export function buildSite(
  snapshot: Snapshot,
  site: SiteInputs,
  host: HostModel,
  systemd: SystemdModel,
  unitNeeds: InputRequest = { read: [], list: [], stat: [] },
): SiteModel {
  const users = site.accounts ? accountNames(snapshot, '/etc/passwd') : new Map<number, string>();
  const groups = site.accounts ? accountNames(snapshot, '/etc/group') : new Map<number, string>();
  const reads = new Set(site.read ?? []);
  const paths = [...new Set([...(site.read ?? []), ...(site.stat ?? [])])].sort();
  const modules = site.kernelModules?.length ? moduleFacts(snapshot, host) : undefined;
  const units = site.systemdUnits ?? [];
  const collected = units.length > 0 && unitsCollected(snapshot, units, unitNeeds);
  const index = units.length > 0 ? linkIndex(snapshot) : { enabled: new Map(), 'enabled-runtime': new Map() };
  return {
    files: Object.fromEntries(paths.map((p) => [p, siteFile(snapshot, p, users, groups, reads.has(p))])),
    sysctls: Object.fromEntries((site.sysctls ?? []).map((k) => [k, siteSysctl(snapshot, k, host)])),
    kernelModules: Object.fromEntries((site.kernelModules ?? []).map((m) => [m, siteModule(m, modules!)])),
    systemdUnits: Object.fromEntries(units.map((u) => [u, siteUnit(snapshot, u, systemd, collected, index)])),
  };
}
