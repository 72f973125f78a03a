import type { Evidence, RuleMode, Severity } from '../rules/types.js';

/** A rule's outcome on a node. */
export type Status = 'pass' | 'fail' | 'waived' | 'not-applicable' | 'skipped';

/** Version of the JSON report format (`schemas/report.schema.json`). */
export const REPORT_SCHEMA_VERSION = 1;

/** One violation as reported. */
export interface ReportedViolation {
  message: string;
  severity: Severity;
  evidence: Evidence;
  alias?: string;
  /** The rule id, domain or kubeadm name that ignored or waived this finding: it is reported and never blocks. */
  ignoredBy?: string;
  /** What fixes this violation when the rule's remediation does not fit it. */
  fix?: string;
}

/** The outcome of one rule. */
export interface RuleResult {
  id: string;
  /** kubeadm preflight check names that cover the same ground. */
  aliases: string[];
  title: string;
  domain: string;
  mode: RuleMode;
  /** Effective severity: the highest of the violations, else the rule's (after overrides). */
  severity: Severity;
  status: Status;
  /** One sentence: the first violation, why the rule did not apply, or the good state. */
  message: string;
  /** Evidence of the first violation (empty when the rule passed). */
  evidence: Evidence;
  /** Every violation the rule found (including waived ones). */
  violations: ReportedViolation[];
  remediation: string;
  references: string[];
  /** The waiver that matched this rule, whether or not it still applies. */
  waiver?: { reason: string; expires: string; hosts?: string[]; expired: boolean };
  /** The names (rule id, domain, kubeadm check) that demoted some of its violations; all of them when the status is `waived` without a waiver. */
  ignored?: string[];
  /** Set for rules that come from the checklist file. */
  custom?: boolean;
}

/** Counts over the results. */
export interface Summary {
  /** No blocking finding: the node may join. */
  ready: boolean;
  /** The exit code the CLI uses: 0 ready, 1 blocking findings. */
  exitCode: 0 | 1;
  /** Failed rules that block (errors, and warnings under --strict). */
  blocking: number;
  total: number;
  byStatus: Record<Status, number>;
  /** Failed rules per severity. */
  failed: Record<Severity, number>;
}

/** One finding a cause explains: a violation of a result. */
export interface Consequence {
  /** The result's id (the rule id). */
  result: string;
  /** The index of the violation in that result's `violations`. */
  violation: number;
  severity: Severity;
  /** The kubeadm check name of the violation, where it has one. */
  alias?: string;
  /** Ignored (--ignore, a kubeadm name) or waived: reported, never blocking. */
  demoted?: true;
}

/**
 * What on the node is responsible for one or more findings: a file (one
 * systemd drop-in as a whole, else one line of a file) or, for findings that
 * name no file, their rule. Computed by the engine from the violations' evidence.
 */
export interface Cause {
  /** The drop-in's path, `file:line`, a file's path, or the rule id. */
  id: string;
  file?: string;
  /** The first line of the file that its consequences name. */
  line?: number;
  /** The systemd unit a drop-in belongs to. */
  unit?: string;
  /** The worst severity of its consequences that are not demoted (of all of them when every one is). */
  severity: Severity;
  /** Some consequence is neither ignored nor waived. */
  active: boolean;
  consequences: Consequence[];
  /** One fix for all of them. */
  fix: string;
}

/** The JSON report: a public, versioned contract. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'PreflightReport';
  tool: { name: string; version: string };
  /** containerd: the release whose loading, merging and defaults the containerd rules followed, and why. */
  node: {
    hostname: string | null;
    root: string;
    containerd: { version: string; basis: string; source?: 'checklist' | 'node-package' | 'binary' | 'config' | 'default' };
  };
  /**
   * The checklist, and the Kubernetes version the node was judged for:
   * `versionSource` says where it came from (--kubernetes-version, the
   * checklist, the installed kubeadm or kubelet package, or the default, the
   * newest known), `versionBasis` says it in words, and `versionNote` is one
   * line when the version is outside what this release knows.
   */
  checklist: {
    source: string;
    sha256: string;
    kubernetesVersion: string;
    versionSource?: 'flag' | 'checklist' | 'node-package' | 'default';
    versionBasis?: string;
    versionNote?: string;
  };
  settings: { strict: boolean; online: boolean; only: string[]; ignore: string[]; date: string };
  summary: Summary;
  results: RuleResult[];
  /** The causes of the failed and waived results' findings, worst first (`src/engine/causes.ts`). */
  causes?: Cause[];
  /**
   * What to tell `kubeadm join` of the target version: the kubeadm check names
   * this run ignored or waived, for `--ignore-preflight-errors=`.
   */
  kubeadm?: { version: string; ignorePreflightErrors: string[] };
  /** Timing fields; everything else is identical between two runs on the same node and day. */
  timing?: { startedAt: string; durationMs: number };
}
