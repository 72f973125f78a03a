/**
 * What differs between containerd releases for configuration (facts from
 * containerd's RELEASES.md, version/version.go and the config loaders of each
 * tag; see the containerd configuration spec of this project).
 */

/** The containerd release whose behaviour the model follows, and why. */
export interface ContainerdSemantics {
  /** The release as given or inferred, e.g. "1.7" or "2.2.1". */
  version: string;
  major: 1 | 2;
  minor: number;
  /** The patch release when known. */
  patch: number | null;
  /** Why this release was chosen, for reports. */
  basis: string;
}

/** Behaviour of a containerd release family. */
export interface ReleaseFacts {
  /** Highest config `version` it reads (1.6.x/1.7.x: 2; 2.0-2.2: 3; 2.3+: 4). */
  maxConfigVersion: number;
  /** Its built-in sandbox (pause) image. */
  sandboxImage: string;
  /** Its built-in registry hosts directories (`config_path`), empty when not used. */
  defaultConfigPath: string;
  /** 1.x replaces each plugin table per import; 2.x merges tables key by key. */
  mergePlugins: 'replace' | 'deep';
  /** 2.3+ migrates every file before merging; 2.0-2.2 migrate the merged result once. */
  migrateEachFile: boolean;
}


/** The release assumed when nothing tells which one the node runs. */
const FALLBACK = '1.7';

/** Parse "1.7", "v2.2.1"; null when it is not a containerd release number. */
export function parseContainerdVersion(text: string): { major: 1 | 2; minor: number; patch: number | null } | null {
  const m = /^v?([12])\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]) as 1 | 2, minor: Number(m[2]), patch: m[3] === undefined ? null : Number(m[3]) };
}

/**
 * Which containerd to model: the checklist's containerdVersion when given,
 * else the one the config's own `version` points at (1 and 2 are 1.x formats,
 * 3 is what 2.0-2.2 write, 4 what 2.3+ write).
 */
export function chooseSemantics(checklistVersion: string | undefined, configVersion: number | null): ContainerdSemantics {
  const given = checklistVersion === undefined ? null : parseContainerdVersion(checklistVersion);
  if (given) return { version: checklistVersion!.replace(/^v/, ''), ...given, basis: "the checklist's containerdVersion" };
  const inferred = configVersion === 4 ? '2.3' : configVersion === 3 ? '2.2' : FALLBACK;
  const basis =
    configVersion === null
      ? `assumed containerd ${FALLBACK}: no config version to infer from (set containerdVersion in the checklist)`
      : `inferred from config version ${configVersion} (set containerdVersion in the checklist to be exact)`;
  return { version: inferred, ...parseContainerdVersion(inferred)!, basis };
}

/** The configuration behaviour of a release (releases after 2.3 behave like 2.3). */
export function releaseFacts(s: Pick<ContainerdSemantics, 'major' | 'minor'>): ReleaseFacts {
  if (s.major === 1) {
    return { maxConfigVersion: 2, sandboxImage: `registry.k8s.io/pause:${s.minor >= 7 ? '3.8' : '3.6'}`, defaultConfigPath: '', mergePlugins: 'replace', migrateEachFile: false };
  }
  const pause = s.minor >= 3 ? '3.10.2' : s.minor === 2 ? '3.10.1' : '3.10';
  return {
    maxConfigVersion: s.minor >= 3 ? 4 : 3,
    sandboxImage: `registry.k8s.io/pause:${pause}`,
    defaultConfigPath: s.minor >= 2 ? '/etc/containerd/certs.d:/etc/docker/certs.d' : '',
    mergePlugins: 'deep',
    migrateEachFile: s.minor >= 3,
  };
}

/** A short name for reports: "containerd 1.7". */
export const describeRelease = (s: ContainerdSemantics): string => `containerd ${s.version}`;

/**
 * Short plugin ids of version 1 files and their full ids (containerd's
 * v1MigratePluginName). Any other dot-less name becomes io.containerd.grpc.v1.<name>.
 */
const V1_PLUGIN_IDS: Record<string, string> = {
  cri: 'io.containerd.grpc.v1.cri',
  cgroups: 'io.containerd.monitor.v1.cgroups',
  linux: 'io.containerd.runtime.v1.linux',
  scheduler: 'io.containerd.gc.v1.scheduler',
  bolt: 'io.containerd.metadata.v1.bolt',
  task: 'io.containerd.runtime.v2.task',
  opt: 'io.containerd.internal.v1.opt',
  restart: 'io.containerd.internal.v1.restart',
  tracing: 'io.containerd.internal.v1.tracing',
  otlp: 'io.containerd.tracing.processor.v1.otlp',
};
const SNAPSHOTTERS = new Set(['aufs', 'btrfs', 'devmapper', 'native', 'overlayfs', 'zfs', 'windows', 'windows-lcow']);

/** The full plugin id of a version 1 short id (names with a dot are kept). */
export function fullPluginId(id: string): string {
  if (id.includes('.')) return id;
  if (V1_PLUGIN_IDS[id]) return V1_PLUGIN_IDS[id];
  if (SNAPSHOTTERS.has(id)) return `io.containerd.snapshotter.v1.${id}`;
  if (id.endsWith('-service')) return `io.containerd.service.v1.${id}`;
  return `io.containerd.grpc.v1.${id}`;
}

/** CRI plugin ids per config generation. */
export const CRI_V2 = 'io.containerd.grpc.v1.cri';
export const CRI_IMAGES = 'io.containerd.cri.v1.images';
export const CRI_RUNTIME = 'io.containerd.cri.v1.runtime';
/** The gRPC listener plugin of version 4 files. */
export const SERVER_GRPC = 'io.containerd.server.v1.grpc';
