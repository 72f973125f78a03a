/**
 * The node as `kubeadm join` finds it before it starts: static Pod manifests,
 * CRI sockets to choose from, whether kubelet.service is enabled, and the CNI
 * configuration a network plugin left.
 */
import { listDir, lookup, readText } from '../snapshot/query.js';
import { joinPath } from '../snapshot/paths.js';
import type { Snapshot } from '../snapshot/types.js';
import type { InputRequest } from './inputs.js';
import type { SystemdModel } from './types/systemd.js';

/** kubelet's static Pod directory (kubeadm's ManifestsSubDirName under /etc/kubernetes). */
export const MANIFESTS_DIR = '/etc/kubernetes/manifests';

/**
 * The sockets kubeadm probes when its configuration names none, in its order
 * (cmd/kubeadm/app/util/runtime: defaultKnownCRISockets, all under /var/run).
 */
export const KNOWN_CRI_SOCKETS = [
  { runtime: 'containerd', path: '/var/run/containerd/containerd.sock' },
  { runtime: 'CRI-O', path: '/var/run/crio/crio.sock' },
  { runtime: 'cri-dockerd', path: '/var/run/cri-dockerd.sock' },
] as const;

/** Where libcni finds network configurations and plugins (containerd's CRI defaults). */
export const CNI_CONF_DIR = '/etc/cni/net.d';
export const CNI_BIN_DIR = '/opt/cni/bin';

/** libcni's ConfFiles extensions. */
const CNI_EXTENSIONS = ['.conf', '.conflist', '.json'];

/** Unit directories where `systemctl enable` and `enable --runtime` put their links. */
const ENABLE_DIRS = ['/etc/systemd/system', '/run/systemd/system'];

/** The join-time state of the node. */
export interface JoinModel {
  /** Files kubelet would start as static Pods, or null when the directory could not be listed. */
  manifests: { dir: string; files: string[] } | null;
  /** Known CRI sockets that exist as sockets. */
  criSockets: { runtime: string; path: string }[];
  /** kubelet.service's enablement as `systemctl is-enabled` decides it. */
  kubeletService: {
    /** enabled: a link in a .wants/.requires directory; static: no [Install] section; disabled: neither. */
    state: 'enabled' | 'enabled-runtime' | 'static' | 'disabled' | 'not-found';
    /** The enablement links found. */
    links: string[];
    /** The targets its [Install] section names (WantedBy=, RequiredBy=). */
    installTargets: string[];
    fragment: string | null;
  };
  cni: {
    /** Configuration files in lexical order (the first is the one containerd uses). */
    configs: { file: string; name: string | null; types: string[]; error?: string }[];
    /** Plugins in /opt/cni/bin, or null when it could not be listed. */
    plugins: string[] | null;
  };
}

function wantsDirs(snapshot: Snapshot, dir: string): string[] {
  return (listDir(snapshot, dir) ?? [])
    .filter((e) => (e.type === 'directory' || e.type === 'symlink') && /\.(wants|requires)$/.test(e.name))
    .map((e) => joinPath(dir, e.name));
}

/** What the join checks read; .wants directories are listed once their parents are. */
export function planJoinInputs(snapshot: Snapshot): InputRequest {
  const confs = (listDir(snapshot, CNI_CONF_DIR) ?? [])
    .filter((e) => CNI_EXTENSIONS.some((x) => e.name.endsWith(x)))
    .map((e) => joinPath(CNI_CONF_DIR, e.name));
  return {
    read: confs,
    list: [MANIFESTS_DIR, CNI_CONF_DIR, CNI_BIN_DIR, ...ENABLE_DIRS, ...ENABLE_DIRS.flatMap((d) => wantsDirs(snapshot, d))],
    stat: KNOWN_CRI_SOCKETS.map((s) => s.path),
  };
}

/** The targets of a unit file's [Install] section. */
function installTargets(text: string): { installable: boolean; targets: string[] } {
  let section = '';
  let installable = false;
  const targets: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    const m = /^(WantedBy|RequiredBy|UpheldBy|Also|Alias)\s*=\s*(.*)$/.exec(line);
    if (section !== '[Install]' || !m) continue;
    const words = m[2]!.split(/\s+/).filter(Boolean);
    if (words.length > 0) installable = true;
    if (m[1] === 'WantedBy' || m[1] === 'RequiredBy') targets.push(...words);
  }
  return { installable, targets };
}

function kubeletService(snapshot: Snapshot, systemd: SystemdModel): JoinModel['kubeletService'] {
  const unit = systemd.units['kubelet.service'];
  const fragment = unit?.loadState === 'loaded' ? unit.fragmentPath : null;
  if (!fragment) return { state: 'not-found', links: [], installTargets: [], fragment: null };
  // systemd loaded the unit, so its fragment was read.
  const install = installTargets(lookup(snapshot, fragment)!.content!);
  // systemctl is-enabled looks for the unit's name in every .wants/.requires directory of the configuration paths.
  const names = new Set(['kubelet.service', ...unit!.aliases]);
  const links = ENABLE_DIRS.flatMap((d) =>
    wantsDirs(snapshot, d).flatMap((w) => (listDir(snapshot, w) ?? []).filter((e) => names.has(e.name)).map((e) => joinPath(w, e.name))),
  );
  const state = links.some((l) => l.startsWith('/etc/')) ? 'enabled' : links.length > 0 ? 'enabled-runtime' : install.installable ? 'disabled' : 'static';
  return { state, links, installTargets: install.targets, fragment };
}

function cniConfig(snapshot: Snapshot, file: string): JoinModel['cni']['configs'][number] {
  const r = readText(snapshot, file);
  if (r.status !== 'ok') return { file, name: null, types: [], error: r.status === 'unreadable' ? r.reason : r.status };
  let data: unknown;
  try {
    data = JSON.parse(r.text);
  } catch (err) {
    return { file, name: null, types: [], error: (err as Error).message };
  }
  const obj = (data ?? {}) as { name?: unknown; type?: unknown; plugins?: unknown };
  // A .conflist lists its plugins; a .conf or .json is one plugin.
  const plugins = file.endsWith('.conflist') ? (Array.isArray(obj.plugins) ? obj.plugins : []) : [obj];
  const types = plugins.map((p) => (p as { type?: unknown } | null)?.type).filter((t): t is string => typeof t === 'string' && t !== '');
  return { file, name: typeof obj.name === 'string' ? obj.name : null, types };
}

/** Build the join-time part of the model. */
export function buildJoin(snapshot: Snapshot, systemd: SystemdModel): JoinModel {
  const manifestEntries = listDir(snapshot, MANIFESTS_DIR);
  // kubelet reads every file of the directory except hidden ones.
  const manifests = manifestEntries
    ? {
        dir: MANIFESTS_DIR,
        files: manifestEntries.filter((e) => !e.name.startsWith('.') && e.type !== 'directory').map((e) => joinPath(MANIFESTS_DIR, e.name)),
      }
    : null;
  const criSockets = KNOWN_CRI_SOCKETS.filter((s) => lookup(snapshot, s.path)?.type === 'socket').map((s) => ({ runtime: s.runtime, path: s.path }));
  const configs = (listDir(snapshot, CNI_CONF_DIR) ?? [])
    .filter((e) => e.type !== 'directory' && CNI_EXTENSIONS.some((x) => e.name.endsWith(x)))
    .map((e) => cniConfig(snapshot, joinPath(CNI_CONF_DIR, e.name)));
  const bin = listDir(snapshot, CNI_BIN_DIR);
  return {
    manifests,
    criSockets,
    kubeletService: kubeletService(snapshot, systemd),
    cni: { configs, plugins: bin ? bin.filter((e) => e.type !== 'directory').map((e) => e.name) : null },
  };
}
