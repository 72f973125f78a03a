/**
 * What differs between containerd releases for configuration (facts from
 * containerd's RELEASES.md, version/version.go and the config loaders of each
 * tag; see the containerd configuration spec of this project).
 */

/** Where the containerd version the model follows came from, most certain first. */
export type ContainerdVersionSource = 'checklist' | 'node-package' | 'binary' | 'config' | 'default';

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
  /** Where the version came from. */
  source: ContainerdVersionSource;
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
export const DEFAULT_CONTAINERD = '1.7';

/** Parse "1.7", "v2.2.1"; null when it is not a containerd release number. */
export function parseContainerdVersion(text: string): { major: 1 | 2; minor: number; patch: number | null } | null {
  const m = /^v?([12])\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]) as 1 | 2, minor: Number(m[2]), patch: m[3] === undefined ? null : Number(m[3]) };
}

/** What tells which containerd the node runs, most certain first. */
export interface VersionEvidence {
  /** The checklist's containerdVersion. */
  checklist?: string;
  /** The installed package (dpkg `containerd` or `containerd.io`) and its upstream release. */
  package?: { name: string; release: string; where: string };
  /** The running daemon's version (`ctr version`), else the installed binary's (`containerd --version`), both recorded by --online. */
  binary?: string;
  /** Which of the two said it, and what it said. */
  binaryBasis?: string;
  /** The merged config's `version` (null without a config file). */
  configVersion: number | null;
  /** A 2.x-only plugin id written in a file, with where. */
  twoXId?: { id: string; where: string };
}

/** A version that parses, as the release its text names ("1.6.20~ds1" has been cut to "1.6.20" already). */
function known(text: string | undefined): ReturnType<typeof parseContainerdVersion> {
  return text === undefined ? null : parseContainerdVersion(text);
}

/**
 * Which containerd to model: the checklist's containerdVersion; else the
 * installed package; else the running daemon (`--online`); else what the
 * configuration proves (a 2.x-only plugin id or config version 3 means 2.0
 * to 2.2, version 4 means 2.3+); else containerd 1.7.
 */
export function chooseSemantics(e: VersionEvidence): ContainerdSemantics {
  const given = known(e.checklist);
  if (given) return { version: e.checklist!.trim().replace(/^v/, ''), ...given, basis: "the checklist's containerdVersion", source: 'checklist' };
  const pkg = known(e.package?.release);
  if (pkg) return { version: e.package!.release, ...pkg, basis: `the installed ${e.package!.name} package (${e.package!.where})`, source: 'node-package' };
  const bin = known(e.binary?.replace(/^v/, '').replace(/[-+~].*$/, ''));
  if (bin)
    return {
      version: e.binary!.replace(/^v/, '').replace(/[-+~].*$/, ''),
      ...bin,
      basis: e.binaryBasis ?? `the running containerd (ctr version: ${e.binary})`,
      source: 'binary',
    };
  const inferred = (version: string, why: string): ContainerdSemantics => ({
    version,
    ...parseContainerdVersion(version)!,
    basis: `${why} (set containerdVersion in the checklist to be exact)`,
    source: 'config',
  });
  if (e.configVersion !== null && e.configVersion >= 4)
    return inferred('2.3', `inferred from config version ${e.configVersion}, which containerd 2.3 and later read`);
  if (e.configVersion === 3) return inferred('2.2', 'inferred from config version 3, which containerd 2.0 to 2.2 write');
  if (e.twoXId)
    return inferred(
      '2.2',
      `inferred from the containerd 2.x plugin id ${e.twoXId.id} (${e.twoXId.where}) in a version ${e.configVersion ?? 1} file, which only containerd 2.x reads`,
    );
  const basis = e.configVersion === null ? 'no config file to infer from' : `config version ${e.configVersion} is read by 1.x and 2.x alike`;
  return {
    version: DEFAULT_CONTAINERD,
    ...parseContainerdVersion(DEFAULT_CONTAINERD)!,
    basis: `assumed containerd ${DEFAULT_CONTAINERD}: ${basis}, and no installed package or checklist containerdVersion says which`,
    source: 'default',
  };
}

/** The configuration behaviour of a release (releases after 2.3 behave like 2.3). */
export function releaseFacts(s: Pick<ContainerdSemantics, 'major' | 'minor'> & { patch?: number | null }): ReleaseFacts {
  if (s.major === 1) {
    // pkg/cri/config/config_unix.go: pause 3.6 on k8s.gcr.io until 1.6.8, on registry.k8s.io from 1.6.9; 3.8 in 1.7.
    const registry = s.minor <= 6 && s.patch !== null && s.patch !== undefined && s.patch < 9 ? 'k8s.gcr.io' : 'registry.k8s.io';
    return {
      maxConfigVersion: 2,
      sandboxImage: `${registry}/pause:${s.minor >= 7 ? '3.8' : '3.6'}`,
      defaultConfigPath: '',
      mergePlugins: 'replace',
      migrateEachFile: false,
    };
  }
  // internal/cri/config/config.go DefaultSandboxImage: 3.10 in 2.0 and 2.1, 3.10.1 in 2.2, 3.10.2 from 2.3.
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
