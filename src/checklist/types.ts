/** How much a failed rule matters: errors block a join, warnings block only under `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

/** A JSON Schema object (the project's own schemas are draft-07; custom rules are draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

/** Proxy policy for containerd and kubelet: none, a required URL, or any with NO_PROXY coverage. */
export type ProxyPolicy = 'none' | 'required' | 'allowed';

/** A rule an organization adds in its checklist file: a JSON Schema over a NodeModel path. */
export interface CustomRule {
  id: string;
  title: string;
  severity: Severity;
  remediation: string;
  /** JSON Pointer into the NodeModel. */
  target: string;
  schema: JsonSchema;
  /** The failure message, with `{value}`, `{file}`, `{line}`, `{source}` and `{path}` filled in. */
  message?: string;
  rationale?: string;
  references?: string[];
}

/** What every site check has besides its test: a rule id under `site/` and, optionally, its words. */
export interface SiteCheckBase {
  /** `site/<slug>`. */
  id: string;
  title?: string;
  /** `error` by default. */
  severity?: Severity;
  remediation?: string;
  rationale?: string;
  references?: string[];
}

/** A file or directory that must exist (or be absent), with a mode, owner, text or certificates. */
export interface SiteFileCheck extends SiteCheckBase {
  path: string;
  /** true by default; false: the path must be absent. */
  exists?: boolean;
  /** Exact permission bits in octal ("0644"). */
  mode?: string;
  /** A user name of the node's /etc/passwd, or a uid. */
  owner?: string | number;
  /** A group name of the node's /etc/group, or a gid. */
  group?: string | number;
  /** Regular expressions that must each match the text. */
  contains?: string | string[];
  /** Regular expressions that must match nowhere in the text. */
  notContains?: string | string[];
  /** The file holds PEM certificates, each valid now and for `validForDays` more days. */
  certificate?: { validForDays?: number };
}

/** A kernel setting, now and for boot. */
export interface SiteSysctlCheck extends SiteCheckBase {
  key: string;
  value: string | number;
}

/** A kernel module, loaded now and at boot. */
export interface SiteKernelModuleCheck extends SiteCheckBase {
  name: string;
}

/** A systemd unit: exists, enabled, environment. */
export interface SiteSystemdUnitCheck extends SiteCheckBase {
  unit: string;
  /** true by default. */
  exists?: boolean;
  enabled?: boolean;
  environment?: { has?: string[]; lacks?: string[] };
}

/** The checklist's site checks. */
export interface SiteChecks {
  files?: SiteFileCheck[];
  sysctls?: SiteSysctlCheck[];
  kernelModules?: SiteKernelModuleCheck[];
  systemdUnits?: SiteSystemdUnitCheck[];
}

/** An accepted exception: a rule id, a reason, and the day it stops applying. */
export interface Waiver {
  rule: string;
  reason: string;
  /** YYYY-MM-DD; the waiver applies up to and including this day. */
  expires: string;
  /** Hostnames the waiver is limited to; all hosts when absent. */
  hosts?: string[];
}

/** A checklist with every default filled in. Keys are a public contract. */
export interface Checklist {
  apiVersion: 'kube-preflight/v1';
  kind: 'Checklist';
  /**
   * Target Kubernetes minor, e.g. "1.36". Absent: the installed kubeadm (else
   * kubelet) package decides, else the newest version this release knows;
   * `--kubernetes-version` overrides it.
   */
  kubernetesVersion?: string;
  /** Which containerd semantics apply; inferred from the config when absent. */
  containerdVersion?: string;
  cgroupDriver: 'systemd' | 'cgroupfs';
  criSocket: string;
  /** The join this node is prepared for: kubeadm checks the CA file only on worker joins (default worker). */
  joinRole?: 'worker' | 'control-plane';
  /** Expected sandbox image; derived from kubernetesVersion when absent. */
  sandboxImage?: string;
  /** Runtime types the default runtime may use. */
  allowedRuntimeTypes: string[];
  cluster: {
    podSubnet?: string;
    serviceSubnet?: string;
    controlPlaneEndpoint?: string;
    dnsDomain: string;
  };
  proxy: { policy: ProxyPolicy; url?: string };
  registries: {
    insecureAllowed: string[];
    internal: string[];
    mirrors: Record<string, string>;
  };
  criticalImages: string[];
  systemd: { allowedDropIns: Record<string, string[]> };
  host: { swapAllowed: boolean };
  severity: Record<string, Severity | 'off'>;
  rules: CustomRule[];
  /** Site checks (files, sysctls, kernel modules, units), each a rule under `site/`. */
  site?: SiteChecks;
  waivers: Waiver[];
}

/** The Kubernetes version a node is judged for, and where it came from. */
export interface KubernetesTarget {
  /** "1.36" (the minor only). */
  version: string;
  minor: number;
  /** The minor whose tables apply: the version, or the newest this release knows when it is newer. */
  tableMinor: number;
  /** `flag`: --kubernetes-version; `checklist`: kubernetesVersion; `node-package`: the installed kubeadm (else kubelet); `default`: the newest known. */
  source: 'flag' | 'checklist' | 'node-package' | 'default';
  /** Where exactly, in words ("the installed kubeadm package (1.32.3-1.1, /var/lib/dpkg/status:812)"). */
  basis: string;
  /** One line when the version is outside what this release knows. */
  note?: string;
}

/** Expectations derived from the checklist that rules compare against. */
export interface Targets {
  /** The Kubernetes minor number whose tables apply (36 for "1.36"; the newest known for a newer version). */
  kubernetesMinor: number;
  /** The target Kubernetes version, "1.36". */
  kubernetesVersion: string;
  /** The target version with its source. */
  kubernetes: KubernetesTarget;
  /** The sandbox image the node must use, or null when neither set nor derivable. */
  sandboxImage: string | null;
  /** Where the sandbox image target came from, for messages. */
  sandboxImageOrigin: string;
  cgroupDriver: 'systemd' | 'cgroupfs';
  criSocket: string;
}

/** A checklist as loaded, with where it came from. */
export interface LoadedChecklist {
  checklist: Checklist;
  /** A file path, or `embedded:default`. */
  source: string;
  /** SHA-256 of the source text (of the canonical JSON for objects and the default). */
  sha256: string;
}
