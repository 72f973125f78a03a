/**
 * Where each effective value the rules judge comes from, highest precedence
 * first, with the component code that decides it. The documentation
 * (docs/effective-values.md, the rule pages, the README) is generated from
 * this table, and a test keeps it in step with the rule catalogue.
 */

/** One effective value: what it is, where it comes from (first wins), which rules read it. */
export interface EffectiveValue {
  id: string;
  title: string;
  /** Where the value comes from, highest precedence first. */
  precedence: string[];
  /** The component code or documentation that decides it. */
  basis: string;
  /** NodeModel paths that hold it. */
  model: string[];
  /** Rule ids that judge it. */
  readBy: string[];
}

export const EFFECTIVE_VALUES: readonly EffectiveValue[] = [
  {
    id: 'kubelet-command',
    title: "kubelet's command line",
    precedence: [
      'the last `ExecStart=` of kubelet.service after its drop-ins (an empty `ExecStart=` resets the list; a second command without the reset makes systemd refuse the unit)',
      '`$VAR` as a word of its own: the variable split at blanks, quotes removed (no word when unset); `${VAR}` anywhere in a word: the whole value; `$$`: a dollar',
      "the unit's environment: DefaultEnvironment=, Environment=, EnvironmentFile= (kubeadm-flags.env, /etc/default/kubelet, /etc/sysconfig/kubelet, kubelet.env, …) in systemd's merge order",
      'without a kubelet.service that can start: KUBELET_KUBEADM_ARGS of /var/lib/kubelet/kubeadm-flags.env, then KUBELET_EXTRA_ARGS of /etc/default/kubelet and /etc/sysconfig/kubelet',
    ],
    basis:
      'systemd src/core/load-fragment.c (config_parse_exec), src/core/service.c (service_verify), src/basic/env-util.c (replace_env_argv); checked with `systemd --test`. Flags are read as pflag reads them (`--name=value`, `--name value` unless the flag is boolean, `--` ends the flags); the last of a flag wins',
    model: ['/systemd/units/kubelet.service/command', '/kubelet/command', '/kubelet/flags'],
    readBy: ['kubelet/no-removed-flags', 'kubelet/runtime-endpoint', 'containerd/systemd-cgroup', 'host/resolv-conf'],
  },
  {
    id: 'kubelet-config',
    title: "kubelet's configuration files",
    precedence: [
      'the file `--config` names (YAML or JSON; relative to `/`), else /var/lib/kubelet/config.yaml, the file kubeadm writes at join and names in its drop-in',
      '`--config-dir`: its `*.conf` files, subdirectories included, merged in lexical order over the `--config` file (Kubernetes 1.28+; 1.28 and 1.29 also need KUBELET_CONFIG_DROPIN_DIR_ALPHA)',
      "kubeadm's /var/lib/kubelet/instance-config.yaml, which kubeadm merges into its own config.yaml only",
    ],
    basis:
      'kubernetes cmd/kubelet/app/server.go (loadConfigFile, mergeKubeletConfigurations); the kubelet-config-file task page ("Kubelet configuration merging order")',
    model: ['/kubelet/config', '/kubelet/configDir', '/kubelet/instanceConfig'],
    readBy: ['kubelet/runtime-endpoint', 'containerd/systemd-cgroup', 'host/resolv-conf'],
  },
  {
    id: 'kubelet-settings',
    title: "kubelet's cgroup driver, runtime endpoint, resolv.conf and failSwapOn",
    precedence: [
      'the command-line flag (`--cgroup-driver`, `--container-runtime-endpoint`, `--resolv-conf`, `--fail-swap-on`), wherever it is written: the ExecStart= line or the variable that carries it',
      'the last `--config-dir` drop-in that sets the key',
      'the `--config` file (with instance-config.yaml over kubeadm config.yaml)',
      "for the runtime endpoint, when nothing sets it: kubeadm writes one at join into its config.yaml; with another `--config` file, kubelet's own default, unix:///run/containerd/containerd.sock",
    ],
    basis: 'kubernetes cmd/kubelet/app/server.go (flags re-applied over the configuration: kubeletConfigFlagPrecedence); KubeletConfiguration v1beta1 defaults',
    model: ['/kubelet/cgroupDriver', '/kubelet/runtimeEndpoints', '/kubelet/resolvConf', '/kubelet/failSwapOn'],
    readBy: ['kubelet/runtime-endpoint', 'containerd/systemd-cgroup', 'host/resolv-conf'],
  },
  {
    id: 'containerd-config',
    title: "containerd's configuration file and socket",
    precedence: [
      "the file containerd.service's command line names with `--config`/`-c` (the variables substituted), else /etc/containerd/config.toml; its imports are loaded as containerd loads them",
      'the gRPC socket: `--address`/`-a` on the command line, else the files (`[grpc].address`, or the server plugin in a version 4 file), else /run/containerd/containerd.sock',
      'a value a containerd 1.x import erased by replacing a whole plugin table falls back to the built-in default and names that import',
    ],
    basis:
      'containerd cmd/containerd/command/main.go (app.Flags, applyFlags: "flags will always override the config values"); server/config LoadConfig and mergeConfig of each release',
    model: ['/containerd/configFile', '/containerd/configSource', '/containerd/files', '/containerd/grpcAddress'],
    readBy: [
      'containerd/config-present',
      'containerd/config-parses',
      'containerd/config-version',
      'containerd/known-keys',
      'containerd/imports-resolve',
      'containerd/systemd-cgroup',
      'containerd/sandbox-image',
      'containerd/grpc-address',
      'kubelet/runtime-endpoint',
      'crictl/endpoints-match-runtime',
    ],
  },
  {
    id: 'containerd-version',
    title: 'The containerd release the configuration is read as',
    precedence: [
      "the checklist's `containerdVersion`",
      'the installed package: dpkg `containerd` (Debian, Ubuntu) or `containerd.io` (Docker), from /var/lib/dpkg/status',
      'the running daemon (`ctr version`, recorded with `--online`)',
      'what the configuration proves: version 4 means 2.3+; version 3, or a 2.x-only plugin id such as io.containerd.cri.v1.images in an older file, means 2.0-2.2 (read as 2.2)',
      'containerd 1.7',
    ],
    basis:
      "containerd RELEASES.md and each release's config loader; the built-in defaults (sandbox image, registry hosts directory) and the known keys (per patch release: scripts/audit-containerd-keys.sh) follow the release chosen",
    model: ['/containerd/semantics'],
    readBy: ['containerd/config-version', 'containerd/known-keys', 'containerd/sandbox-image', 'containerd/systemd-cgroup', 'host/component-versions'],
  },
  {
    id: 'kubernetes-version',
    title: 'The Kubernetes version the node is judged for',
    precedence: [
      '`--kubernetes-version`',
      "the checklist's `kubernetesVersion`",
      'the installed kubeadm package, else the kubelet package (dpkg status; the rpm database is binary and not read)',
      'the newest version this release knows (1.37); a newer version is judged with the newest known targets, with a one-line note in the report',
    ],
    basis:
      "kubeadm's constants (pause image per minor) and the changelogs of each minor (removed kubelet flags); the report's `checklist.versionSource` says which applied",
    model: ['/packages/installed'],
    readBy: ['containerd/sandbox-image', 'kubelet/no-removed-flags', 'host/cgroup-v2', 'host/component-versions'],
  },
  {
    id: 'service-environment',
    title: 'The environment of containerd.service and kubelet.service',
    precedence: [
      "the manager's DefaultEnvironment= (system.conf, system.conf.d)",
      'PassEnvironment= (from PID 1)',
      'Environment= of the unit file and its drop-ins, in drop-in order (an empty assignment resets)',
      'EnvironmentFile= (with `-`: optional), then UnsetEnvironment=',
    ],
    basis: 'systemd src/core/execute.c and exec-invoke.c; proxy decisions follow Go net/http (golang.org/x/net/http/httpproxy)',
    model: ['/systemd/units/containerd.service/environment', '/systemd/units/kubelet.service/environment'],
    readBy: [
      'systemd/proxy-policy',
      'systemd/no-proxy-coverage',
      'systemd/proxy-consistency',
      'systemd/shell-env-divergence',
      'systemd/environment-files-exist',
    ],
  },
];
