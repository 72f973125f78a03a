/**
 * The NodeModel: the normalized, version-neutral view of a node that rules read.
 * It is plain JSON data (its shape is published as `schemas/node-model.schema.json`)
 * so that custom rules can target any part of it with a JSON Schema.
 */
import type { JoinModel } from './join.js';
import type { KernelModel } from './kernel.js';
import type { LiveModel } from './live.js';

/** Where an effective value came from. */
export interface Source {
  /** Absolute node path of the file that set the value. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  /** 1-based column in that file. */
  column?: number;
  /** Key path inside the file (TOML/YAML key, unit section and directive, …). */
  key?: string;
  /** Set when nothing on the node set the value, e.g. "built-in default of containerd 2.1". */
  default?: string;
}

/** What happened when a file was read. */
export type FileState = 'ok' | 'missing' | 'invalid' | 'unreadable' | 'not-collected';

/** A file that a domain model was built from. */
export interface FileInfo {
  /** Absolute node path. */
  path: string;
  state: FileState;
  /** Parse error (state `invalid`) or read error (state `unreadable`). */
  error?: { message: string; line?: number; column?: number };
}

/** A value together with where it came from. */
export interface Sourced<T> {
  value: T;
  source: Source;
}

/** crictl's view of `/etc/crictl.yaml`. */
export interface CrictlModel {
  file: FileInfo;
  /** Top-level entries as crictl reads them (raw scalar text), in file order. */
  entries: { key: string; value: string; line: number; column: number }[];
  /** Values crictl rejects (unknown keys, non-integer timeout, …). */
  problems: { key: string; message: string; line: number; column: number }[];
  /** `runtime-endpoint`, or null when unset (crictl then probes deprecated defaults). */
  runtimeEndpoint: Sourced<string> | null;
  /** `image-endpoint`, defaulting to the runtime endpoint as crictl does. */
  imageEndpoint: Sourced<string> | null;
  /** `timeout` in seconds; values <= 0 mean crictl's 2 s default. */
  timeoutSeconds: number | null;
}

/** A kubelet flag found in one of the places kubelet reads arguments from. */
export interface KubeletFlagUse {
  name: string;
  value: string | null;
  /** The variable that carried it (`KUBELET_KUBEADM_ARGS`, `KUBELET_EXTRA_ARGS`) or `ExecStart`. */
  via: string;
  source: Source;
}

/** kubelet's configuration as far as the node's files tell it before a join. */
export interface KubeletModel {
  /** `/var/lib/kubelet/config.yaml` (written by kubeadm at join; usually absent before). */
  config: FileInfo;
  /** `/var/lib/kubelet/instance-config.yaml` (kubeadm NodeLocalCRISocket). */
  instanceConfig: FileInfo;
  /** kubelet's `cgroupDriver` when a config sets it. */
  cgroupDriver: Sourced<string> | null;
  /** kubelet's `resolvConf` when a config sets it. */
  resolvConf: Sourced<string> | null;
  /** Every runtime endpoint configured anywhere (flags, instance config, config), in precedence order. */
  runtimeEndpoints: Sourced<string>[];
  /**
   * Flags kubelet is started with: from the variables and words of
   * kubelet.service's `ExecStart=` (the kubeadm drop-in passes
   * KUBELET_KUBEADM_ARGS and KUBELET_EXTRA_ARGS from its environment files), or,
   * without a kubelet.service, from kubeadm-flags.env, /etc/default/kubelet and
   * /etc/sysconfig/kubelet.
   */
  flags: KubeletFlagUse[];
  /** Files whose presence means the node already joined a cluster. */
  previousJoinFiles: { path: string; exists: boolean }[];
}

/** A sysctl value persisted in sysctl.d or /etc/sysctl.conf, after precedence. */
export interface PersistedSysctl {
  value: string;
  file: string;
  line: number;
}

/** A binary looked up on the standard PATH under the root. */
export interface BinaryLookup {
  name: string;
  /** Absolute node path where it was found, or null. */
  path: string | null;
}

/** Host basics. */
export interface HostModel {
  /** The node's hostname (live /proc value, else /etc/hostname), or null when unknown. */
  hostname: Sourced<string> | null;
  /** Whether /proc/sys exists under the root; a mounted image has no live kernel state. */
  procAvailable: boolean;
  swap: {
    /** Active swap areas, or null when /proc/swaps is not available. */
    active: { filename: string; type: string }[] | null;
    /** Swap entries of /etc/fstab. */
    fstab: { spec: string; noauto: boolean; file: string; line: number }[];
  };
  sysctl: {
    /** Current kernel values read from /proc/sys (null when not available). */
    live: Record<string, string | null>;
    /** Values persisted for boot, after sysctl.d precedence (last assignment wins). */
    persisted: Record<string, PersistedSysctl>;
  };
  modules: {
    /**
     * Loaded modules from /proc/modules, plus watched modules present under
     * /sys/module (built-in ones); null when neither is available.
     */
    loaded: string[] | null;
    /** Modules configured to load at boot. */
    persisted: { name: string; file: string; line: number }[];
  };
  binaries: BinaryLookup[];
  resolvConf: {
    file: FileInfo;
    /** Raw symlink target of /etc/resolv.conf, when it is a symlink. */
    link: string | null;
    nameservers: string[];
    search: string[];
    /** Whether it is systemd-resolved's stub (127.0.0.53 or stub-resolv.conf). */
    resolvedStub: boolean;
  };
  cgroup: {
    /** 2 for the unified hierarchy, 1 for legacy or hybrid, null when /sys/fs/cgroup is absent. */
    version: 1 | 2 | null;
  };
  /** The kernel release and configuration kubeadm's SystemVerification reads. */
  kernel: KernelModel;
}

/** One containerd configuration file: the main file or an import, in load order. */
export interface ContainerdFile {
  path: string;
  state: FileState;
  /** decode: the TOML is valid but a key has a type containerd cannot decode. */
  error?: { message: string; line?: number; column?: number; decode?: true };
  /** The file's own `version` key, null when absent. */
  version: number | null;
  /** The import entry that loaded it (absent for the main file). */
  importedBy?: { file: string; line: number; entry: string };
  /** The parsed file (secrets already replaced at collection). */
  data?: Record<string, unknown>;
  /** Line of every key path written in the file (TOML notation: plugins."io.containerd.grpc.v1.cri".sandbox_image). */
  keyLines?: Record<string, number>;
}

/** One `imports` entry and what it resolved to. */
export interface ContainerdImport {
  file: string;
  line: number;
  entry: string;
  glob: boolean;
  matches: string[];
  /** Why containerd refuses to start because of it. */
  problem?: 'missing' | 'not-a-file' | 'bad-pattern';
}

/** A plugin id, list entry or section containerd ignores or rejects, with where it is written. */
export interface ContainerdPlacement {
  file: string;
  line: number;
  key: string;
  /** Why: what containerd does with it. */
  why: string;
}

/** A key containerd does not know, or a value it cannot decode, in one file. */
export interface ContainerdKeyProblem {
  file: string;
  line: number;
  column: number;
  /** The key path as written in the file. */
  key: string;
  /** unknown-plugin: a plugin id that is not a plugin of the release but is close to one. */
  kind: 'unknown' | 'unknown-plugin' | 'type';
  /** The plugin the key configures, when it is inside one. */
  plugin?: string;
  /** The runtime whose runc options hold the key. */
  runtime?: string;
  /** type: what containerd decodes there. */
  expected?: string;
  /** unknown: the nearest known key or plugin id. */
  suggestion?: string;
}

/** One runtime handler of the CRI plugin. */
export interface ContainerdRuntime {
  /** runtime_type ("" when a table declares the runtime without it). */
  type: Sourced<string>;
  /** options as written (runc's Options: BinaryName, SystemdCgroup, …). */
  options: Record<string, Sourced<unknown>>;
  /**
   * The options entry runc reads as SystemdCgroup: go-toml matches the field
   * name exactly, all lower case, all upper case or with its first letter lowered.
   */
  systemdCgroup: Sourced<unknown> | null;
  /** Where the runtime is declared (or the built-in default). */
  source: Source;
}

/** One place containerd may pull from, as hosts.toml describes it. */
export interface ContainerdRegistryHost {
  /** The URL as written (`[host."https://mirror"]`) or the server ("" for `_default` without one). */
  url: string;
  /** `host` entries are tried first, in file order; the `server` last. */
  kind: 'host' | 'server';
  capabilities: string[];
  skipVerify: boolean;
  /** CA files, resolved against the host directory. */
  ca: { path: string; source: Source }[];
  /** Client certificates and keys, resolved against the host directory (key null: in the cert file). */
  client: { cert: string; key: string | null; source: Source }[];
  overridePath: boolean;
  /** Header names only; values may be credentials. */
  headers: { name: string; source: Source }[];
  source: Source;
}

/** A registry's directory under a config_path root. */
export interface ContainerdHostsDir {
  /** The directory name: a registry host (`docker.io`, `harbor.example.net_5000_`) or `_default`. */
  name: string;
  root: string;
  dir: string;
  /**
   * hosts.toml: absent, read, or unusable (then the directory is read as a
   * Docker certs directory). Unknown keys are ignored by containerd (fatal
   * false); every other problem drops the whole file.
   */
  hostsToml: { path: string; state: FileState; problems: { message: string; line?: number; column?: number; key?: string; fatal: boolean }[] };
  /** Hosts in the order containerd tries them; empty when hosts.toml is absent or dropped. */
  hosts: ContainerdRegistryHost[];
  /** Docker layout used without a usable hosts.toml: *.crt are CAs, *.cert with the same-named *.key are client pairs. */
  dockerCerts: { ca: string[]; client: { cert: string; key: string }[] };
}

/** A certificate or key file referenced by the registry configuration. */
export interface ContainerdCertFile {
  path: string;
  kind: 'ca' | 'cert' | 'key';
  /** Where it is referenced. */
  source: Source;
  state: FileState;
  /** Whether the file holds a PEM block (a private key's body is redacted, its armour kept). */
  pem: boolean;
}

/** containerd's effective configuration, the same shape whatever the config version. */
export interface ContainerdModel {
  /** The containerd release whose loading, merging and defaults the model follows. */
  semantics: { version: string; basis: string };
  /** /etc/containerd/config.toml (absent: containerd runs its built-in defaults). */
  configFile: FileInfo;
  /** The main file and every import, in load order. */
  files: ContainerdFile[];
  imports: ContainerdImport[];
  /** The version containerd decides on (the last non-zero `version` of the files), 1 when none. */
  version: Sourced<number>;
  /** Plugin sections, list entries and top-level sections that have no effect, or make containerd refuse to start. */
  ignored: ContainerdPlacement[];
  fatal: ContainerdPlacement[];
  /** Unknown keys and undecodable values per file, against the release's key schema (schemas/containerd/). */
  keys: { schema: string; problems: ContainerdKeyProblem[] };
  /** disabled_plugins as merged (all files), with the entries that switch the CRI off. */
  disabledPlugins: Sourced<string>[];
  criDisabledBy: Sourced<string>[];
  /** containerd's gRPC socket path. */
  grpcAddress: Sourced<string>;
  cri: {
    sandboxImage: Sourced<string>;
    defaultRuntimeName: Sourced<string>;
    runtimes: Record<string, ContainerdRuntime>;
    /** The legacy CRI-level systemd_cgroup, when set. */
    legacySystemdCgroup: Sourced<unknown> | null;
    registry: {
      /** config_path as set ("" when unset), and its roots after containerd's defaulting. */
      configPath: Sourced<string>;
      roots: string[];
      mirrors: Record<string, { endpoints: string[]; source: Source }>;
      /** Legacy TLS settings per registry host. */
      tls: Record<string, { insecureSkipVerify: Sourced<unknown> | null; caFile: Sourced<string> | null; certFile: Sourced<string> | null; keyFile: Sourced<string> | null }>;
      /** Registries named in the legacy sections (mirrors, configs, auths), deprecated in favour of config_path. */
      legacy: { mirrors: Sourced<string>[]; configs: Sourced<string>[]; auths: Sourced<string>[]; configTls: Sourced<string>[] };
      hostsDirs: ContainerdHostsDir[];
      certFiles: ContainerdCertFile[];
    };
  };
  /** The merged configuration tree in the modelled release's plugin ids (for custom rules). */
  effective: Record<string, unknown>;
}

/** Where a service's variable came from, in the order systemd merges them (later wins). */
export type EnvOrigin = 'DefaultEnvironment' | 'PassEnvironment' | 'Environment' | 'EnvironmentFile';

/** One variable of a service's environment, with the assignment that set it last. */
export interface EnvVar {
  value: string;
  /** Absolute node path of the unit file, drop-in, environment file or system.conf that set it. */
  file: string;
  /** 1-based line of that assignment. */
  line: number;
  /** The setting it came from. */
  origin: EnvOrigin;
  /** Specifiers (`%b`, …) whose value is not known offline; they stay literal in `value`. */
  unresolved?: string[];
}

/** A line or file that systemd ignores or rejects, where it is and what systemd does about it. */
export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
}

/** Why systemd would not run a unit's processes. */
export interface StartFailure extends ConfigProblem {
  /** `unit-file`: the unit fails to load; `environment-file`: a required environment file cannot be loaded at start. */
  reason: 'unit-file' | 'environment-file';
}

/** One `EnvironmentFile=` entry and what starting the service would find. */
export interface EnvironmentFileEntry {
  /** The path after specifiers, without the leading `-`; a glob pattern. */
  path: string;
  /** Written with a leading `-`: a missing file is skipped. */
  optional: boolean;
  /** The unit file or drop-in with the `EnvironmentFile=` line. */
  file: string;
  line: number;
  /** The files the pattern matches, in the order systemd reads them. */
  matches: string[];
  /**
   * `ok`: every match was read; `missing`: nothing matches; `unreadable`: a
   * match cannot be read (`error` says why); `unresolved`: the path uses a
   * specifier whose value is not known offline.
   */
  state: 'ok' | 'missing' | 'unreadable' | 'unresolved';
  error?: string;
}

/** A command line of the unit (`ExecStart=`), with where it is written. */
export interface UnitCommand {
  value: string;
  file: string;
  line: number;
}

/**
 * A unit as systemd loads it from the node's files: its fragment, drop-ins and
 * the configured environment of its processes (spec §0): DefaultEnvironment,
 * PassEnvironment, Environment, EnvironmentFile, then UnsetEnvironment.
 */
export interface SystemdUnit {
  /** The unit's name (an alias resolves to the name of its file). */
  name: string;
  loadState: 'loaded' | 'masked' | 'not-found';
  /** The main unit file (for a masked unit, the entry that masks it), as seen on the node. */
  fragmentPath: string | null;
  /** Other names of the unit (alias symlinks in the search path). */
  aliases: string[];
  /** Drop-ins in the order systemd applies them (`systemctl show -p DropInPaths`). */
  dropInPaths: string[];
  /** Drop-ins that are symlinks to /dev/null or empty: they mask a lower one and add nothing. */
  maskedDropIns: string[];
  /** Files in the drop-in directories that systemd does not read (not `.conf`, or hidden). */
  ignoredFiles: string[];
  /** Variable → value with its source; null when masked, not found, or the service cannot start. */
  environment: Record<string, EnvVar> | null;
  /** The `Environment=` list alone (what `systemctl show -p Environment` prints). */
  environmentList: Record<string, EnvVar>;
  environmentFiles: EnvironmentFileEntry[];
  /** `ExecStart=` after resets by empty assignments. */
  execStart: UnitCommand[];
  /** Why systemd cannot load or start the unit: a broken unit file, or a missing required environment file. */
  startFailure?: StartFailure;
  /** Lines of the unit file, drop-ins and environment files that systemd ignores or rejects. */
  problems: ConfigProblem[];
}

/** A variable a login shell exports, and where it was set. */
export interface LoginVar {
  value: string;
  file: string;
  line: number;
}

/** systemd as the node's files configure it, for the units the checklist reads. */
export interface SystemdModel {
  /** The unit search path, highest precedence first, after duplicates and the /lib → /usr/lib symlink are folded. */
  searchPath: string[];
  /** The manager's `DefaultEnvironment=` from system.conf and system.conf.d, and the files read. */
  manager: { files: string[]; defaultEnvironment: Record<string, EnvVar>; problems: ConfigProblem[] };
  /** containerd.service and kubelet.service (and any unit a caller asked for), by name. */
  units: Record<string, SystemdUnit>;
  /** What a login shell exports from /etc/environment and /etc/profile.d/*.sh (plain assignments only). */
  login: { files: string[]; variables: Record<string, LoginVar> };
  /** What cannot be evaluated from these files (generator output, PID 1's environment). */
  notes: string[];
}

export type { LiveModel, LiveSystemd, ProbeOutcome, ContainerdFacts } from './live.js';
export type { JoinModel } from './join.js';
export type { KernelModel } from './kernel.js';

/** The whole normalized node. */
export interface NodeModel {
  schemaVersion: 1;
  /** The root the node was read from. */
  root: string;
  /** Whether live probes were part of the snapshot. */
  online: boolean;
  host: HostModel;
  crictl: CrictlModel;
  kubelet: KubeletModel;
  /** containerd's effective configuration (its built-in defaults when there is no config file). */
  containerd: ContainerdModel;
  /** containerd.service and kubelet.service as systemd loads them, and the login environment. */
  systemd: SystemdModel;
  /** The node as `kubeadm join` finds it: static Pod manifests, CRI sockets, kubelet.service enablement, CNI configuration. */
  join: JoinModel;
  /** What the live probes of `--online` saw (from `snapshot.commands`); null offline. */
  live: LiveModel | null;
}
