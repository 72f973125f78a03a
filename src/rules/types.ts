import type { ErrorObject } from 'ajv';
import type { NodeModel } from '../model/types.js';
import type { Checklist, JsonSchema, Severity, Targets } from '../checklist/types.js';

export type { JsonSchema, Severity };

/** `static` rules read files under the root; `live` rules need `--online` on the node itself. */
export type RuleMode = 'static' | 'live';

/** The checklist domains, the first part of every built-in rule id; `site` holds the checklist's site checks. */
export const DOMAINS = ['containerd', 'systemd', 'crictl', 'kubelet', 'host', 'runtime', 'site'] as const;
export type Domain = (typeof DOMAINS)[number];

/** What a finding points at. Secrets never appear in `observed`. */
export interface Evidence {
  /** Absolute node path of the file responsible. */
  file?: string;
  line?: number;
  column?: number;
  /** Key path in the file, or the NodeModel path for model-level facts. */
  path?: string;
  observed?: unknown;
  expected?: unknown;
}

/** One thing wrong on the node. A rule may report several. */
export interface Violation {
  /** One sentence: what was seen, where, and what was expected. */
  message: string;
  evidence?: Evidence;
  /** A lower severity for this violation than the rule's (e.g. an optional binary). */
  severity?: Severity;
  /** The kubeadm check name this violation corresponds to; ignoring that name demotes it. */
  alias?: string;
  /** What fixes this violation, when the rule's remediation does not fit it (one imperative sentence). */
  fix?: string;
}

/** The result of a rule's check: violations (none means pass) or why it does not apply. */
export type CheckOutcome = Violation[] | { notApplicable: string };

/** What a rule sees. */
export interface RuleContext {
  model: NodeModel;
  checklist: Checklist;
  targets: Targets;
  /** Top-level keys the checklist file set itself (the rest are defaults). */
  explicit?: ReadonlySet<string>;
  /** The day the node is judged for (YYYY-MM-DD): waivers and certificate expiry; today when absent. */
  date?: string;
}

/** Everything that describes a rule, without its logic. */
export interface RuleMeta {
  /** `<domain>/<slug>`: a public contract, never renamed or reused. */
  id: string;
  /** The good state, sentence case, no trailing period. */
  title: string;
  /** Default severity (a checklist may override it). */
  severity: Severity;
  mode: RuleMode;
  /** kubeadm preflight check names that cover the same ground. */
  aliases?: string[];
  /** Why a join breaks when the rule fails (1–3 sentences). */
  rationale: string;
  /** What to do, imperative, ending with a period. */
  remediation: string;
  /** https URLs. */
  references: string[];
  /** Evaluated even when --only does not select it (a rule that guards every other rule's inputs). */
  alwaysEvaluated?: boolean;
}

/**
 * A rule: metadata plus either a JSON Schema over a NodeModel path (`target`,
 * `schema`), a typed predicate (`check`), or both. Schemas are compiled to
 * standalone validators at build time.
 */
export interface Rule extends RuleMeta {
  /** JSON Pointer into the NodeModel that `schema` validates. */
  target?: string;
  schema?: JsonSchema;
  /** Turn one schema error into a violation; a generic sentence is used otherwise. */
  describe?: (error: ErrorObject, value: unknown, ctx: RuleContext) => Violation;
  /** Why the rule cannot be evaluated on this node, or undefined when it can. */
  applies?: (ctx: RuleContext) => string | undefined;
  /** Checks a schema cannot express (cross-file comparisons, version-dependent defaults). */
  check?: (ctx: RuleContext) => CheckOutcome;
  /** A severity that depends on the target (e.g. cgroup v1 becomes an error for Kubernetes 1.35). */
  severityFor?: (ctx: RuleContext) => Severity;
}

/** Declare a rule; an identity function that gives rule files their types. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The domain part of a rule id. */
export function domainOf(id: string): string {
  return id.slice(0, id.indexOf('/'));
}
