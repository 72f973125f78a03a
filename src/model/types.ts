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
  /** Flags from kubeadm-flags.env, /etc/default/kubelet and /etc/sysconfig/kubelet. */
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
}
