/**
 * The NodeModel: the normalized, version-neutral view of a node that rules read.
 * It is plain JSON data (its shape is published as `schemas/node-model.schema.json`)
 * so that custom rules can target any part of it with a JSON Schema.
 */

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
  /** kubeadm blocks the join (`error`) or only warns (`warning`) when it is missing. */
  level: 'error' | 'warning';
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
}

/** Minimal containerd facts the foundation needs; the containerd issue extends this model. */
export interface ContainerdModel {
  configFile: FileInfo;
  /** containerd's gRPC socket path. */
  grpcAddress: Sourced<string>;
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
  /** containerd's effective configuration (null when it could not be modelled). */
  containerd: ContainerdModel | null;
  /** containerd.service and kubelet.service as systemd loads them, and the login environment. */
  systemd: SystemdModel;
}
