/** kubelet's part of the NodeModel (src/model/types.ts). */
import type { FileInfo, Source, Sourced } from './common.js';

/** A kubelet flag found in one of the places kubelet reads arguments from. */
export interface KubeletFlagUse {
  name: string;
  value: string | null;
  /** The variable that carried it (`KUBELET_KUBEADM_ARGS`, `KUBELET_EXTRA_ARGS`) or `ExecStart`. */
  via: string;
  source: Source;
}

/** A kubelet configuration file: the `--config` file, kubeadm's instance-config.yaml, or a `--config-dir` drop-in. */
export interface KubeletConfigFile extends FileInfo {
  role: 'config' | 'instance-config' | 'drop-in';
}

/**
 * kubelet's configuration as its command line and files make it before a join.
 * Precedence, highest first: command-line flags, `--config-dir` drop-ins (the
 * last in lexical order first), the `--config` file (with kubeadm's
 * instance-config.yaml over kubeadm's config.yaml). Each effective value
 * carries the file and line of the flag or key that set it.
 */
export interface KubeletModel {
  /** The command kubelet.service runs (argv after variable substitution), or null without a unit that can start. */
  command: { file: string; line: number; argv: string[] } | null;
  /** The `--config` file, or kubeadm's /var/lib/kubelet/config.yaml when nothing names one (written at join; usually absent before). */
  config: KubeletConfigFile;
  /** Where the config path came from: the `--config` flag, or a default. */
  configSource: Source;
  /** `--config-dir` and its `.conf` drop-ins in merge order (Kubernetes 1.28+; 1.28 and 1.29 also need KUBELET_CONFIG_DROPIN_DIR_ALPHA). */
  configDir: { path: string; source: Source; files: KubeletConfigFile[] } | null;
  /** `/var/lib/kubelet/instance-config.yaml` (kubeadm NodeLocalCRISocket; merged into config.yaml by kubeadm). */
  instanceConfig: KubeletConfigFile;
  /** The effective cgroup driver (`--cgroup-driver` or `cgroupDriver`) when something sets it. */
  cgroupDriver: Sourced<string> | null;
  /** The effective resolv.conf (`--resolv-conf` or `resolvConf`) when something sets it. */
  resolvConf: Sourced<string> | null;
  /** The effective image service endpoint when something sets it. */
  imageServiceEndpoint: Sourced<string> | null;
  /** The effective failSwapOn (`--fail-swap-on` or `failSwapOn`) when something sets it. */
  failSwapOn: Sourced<boolean> | null;
  /** `--pod-infra-container-image` (kubelet 1.27-1.34 only keeps it from image garbage collection; removed in 1.35). */
  podInfraContainerImage: Sourced<string> | null;
  /** Every runtime endpoint configured anywhere, the effective one first (flags, then drop-ins, then the config file). */
  runtimeEndpoints: Sourced<string>[];
  /**
   * Flags kubelet is started with: the words of kubelet.service's command
   * after systemd substitutes `$VAR` (split at blanks) and `${VAR}` (one
   * word), each with the file and line of the word or of the variable's
   * assignment; without a kubelet.service that can start, the flags of
   * kubeadm-flags.env, /etc/default/kubelet and /etc/sysconfig/kubelet.
   */
  flags: KubeletFlagUse[];
  /** Files whose presence means the node already joined a cluster. */
  previousJoinFiles: { path: string; exists: boolean }[];
}
