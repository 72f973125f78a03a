/** containerd's part of the NodeModel (src/model/types.ts). */
import type { FileInfo, FileState, Source, Sourced } from './common.js';

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
  /** The `skip_verify` line, when the key is written. */
  skipVerifySource?: Source;
  /** Where the URL is written (the `[host."…"]` header or the `server` key); absent for a default server. */
  urlSource?: Source;
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
  semantics: {
    version: string;
    basis: string;
    /** Where the version came from: the checklist, the installed package, the running daemon (--online), what the config proves, or the default (1.7). */
    source: 'checklist' | 'node-package' | 'binary' | 'config' | 'default';
  };
  /** The file containerd.service's `--config`/`-c` names, else /etc/containerd/config.toml (absent: containerd runs its built-in defaults). */
  configFile: FileInfo;
  /** Where the config path was decided: the `--config` word of containerd.service's command line, or containerd's default. */
  configSource: Source;
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
  /** containerd's gRPC socket path (`--address` on its command line overrides the files). */
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
      /** Legacy mirrors: the endpoints, the table, and the `endpoint` line. */
      mirrors: Record<string, { endpoints: string[]; source: Source; endpointsSource?: Source }>;
      /** Legacy TLS settings per registry host. */
      tls: Record<
        string,
        { insecureSkipVerify: Sourced<unknown> | null; caFile: Sourced<string> | null; certFile: Sourced<string> | null; keyFile: Sourced<string> | null }
      >;
      /** Registries named in the legacy sections (mirrors, configs, auths), deprecated in favour of config_path. */
      legacy: { mirrors: Sourced<string>[]; configs: Sourced<string>[]; auths: Sourced<string>[]; configTls: Sourced<string>[] };
      hostsDirs: ContainerdHostsDir[];
      certFiles: ContainerdCertFile[];
    };
  };
  /** The merged configuration tree in the modelled release's plugin ids (for custom rules). */
  effective: Record<string, unknown>;
}
