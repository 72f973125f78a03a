/** How much a failed rule matters: errors block a join, warnings block only under `--strict`. */
export type Severity = 'error' | 'warning' | 'info';

/** A JSON Schema (draft-07) object. */
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
  rationale?: string;
  references?: string[];
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
  /** Target Kubernetes minor, e.g. "1.36". */
  kubernetesVersion: string;
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
  waivers: Waiver[];
}

/** Expectations derived from the checklist that rules compare against. */
export interface Targets {
  /** The Kubernetes minor number (36 for "1.36"). */
  kubernetesMinor: number;
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
