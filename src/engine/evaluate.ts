import type { ErrorObject, ValidateFunction } from 'ajv';
import { ruleValidators } from '../generated/validators.js';
import { deriveTargets, isKubernetesVersion, kubernetesMinor, NEWEST_KNOWN_MINOR, OLDEST_KNOWN_MINOR } from '../checklist/targets.js';
import type { Checklist, Waiver } from '../checklist/types.js';
import { PreflightError } from '../errors.js';
import { getAt } from '../model/pointer.js';
import { redactDeep } from '../parsers/redact.js';
import type { NodeModel } from '../model/types.js';
import { RULES } from '../rules/index.js';
import { domainOf, type Evidence, type Rule, type RuleContext, type Severity, type Violation } from '../rules/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { PreparedChecklist } from './checklist.js';
import { groupCauses } from './causes.js';
import { acceptance, kubeadmIgnoreList, kubeadmSettings, kubeadmSeverity, resolveIgnore, type IgnorePlan, type KubeadmSettings } from './ignore.js';
import { resolveOnly } from './selectors.js';
import { locate } from './locate.js';
export { locate } from './locate.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportedViolation, type RuleResult, type Status, type Summary } from './types.js';

/** Options for {@link evaluate}. */
export interface EvaluateOptions {
  /** Failed warnings block too. */
  strict?: boolean;
  /** Rule ids or kubeadm check names to skip (case-insensitive). */
  ignore?: readonly string[];
  /** Rule ids or domains to evaluate; everything else is skipped. */
  only?: readonly string[];
  /** The day waivers are judged against (YYYY-MM-DD); today (UTC) by default. */
  date?: string;
  /** Milliseconds a custom rule's schema may run on the node's value ({@link CUSTOM_RULE_TIMEOUT_MS} by default). */
  customRuleTimeoutMs?: number;
  /** The target Kubernetes version (`--kubernetes-version`), over the checklist's and the node's packages. */
  kubernetesVersion?: string;
}

/**
 * How long one custom rule's schema may run. A checklist's `pattern` is a
 * JavaScript regular expression, and one such as `^(a+)+$` backtracks for
 * ever on a long enough value; V8 cannot bound a match itself, but it stops
 * a `vm` script at its timeout, wherever it is.
 */
export const CUSTOM_RULE_TIMEOUT_MS = 1000;

/** A custom rule's validator, run under a time limit; past it, the checklist is at fault (exit 2). */
function boundedValidator(validate: ValidateFunction, rule: Rule, source: string, ms: number): ValidateFunction {
  const vm = process.getBuiltinModule('node:vm');
  const context = vm.createContext({ validate, value: undefined });
  const script = new vm.Script('validate(value)');
  const run = (value: unknown): boolean => {
    context.value = value;
    try {
      return script.runInContext(context, { timeout: ms }) as boolean;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
      const patterns = JSON.stringify(rule.schema).match(/"pattern":"(?:[^"\\]|\\.)*"/g) ?? [];
      const hint = patterns.length > 0 ? ` (${patterns.map((p) => p.slice(10)).join(', ')}: nested or overlapping repetition backtracks without end)` : '';
      throw new PreflightError(
        'checklist-invalid',
        `${source}: custom rule ${rule.id} did not finish within ${ms} ms on ${rule.target}${hint}; simplify its schema`,
      );
    }
  };
  return Object.defineProperty(run, 'errors', { get: () => validate.errors }) as unknown as ValidateFunction;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The higher of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Every rule a checklist brings into play: the built-in catalogue and its custom rules, sorted by id. */
export function allRules(prepared: PreparedChecklist): Rule[] {
  // Ids are unique (custom ids may not reuse built-in ones), so the order never needs a tie.
  return [...RULES, ...prepared.customRules].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * Evaluate a node against a checklist. Pure: the same model, checklist,
 * options and date give the same report.
 *
 * @throws PreflightError `usage` for unknown `ignore`/`only` values; `internal` when a rule fails.
 */
export function evaluate(model: NodeModel, prepared: PreparedChecklist, options: EvaluateOptions = {}): Report {
  const { checklist } = prepared;
  const rules = allRules(prepared);
  const ignore = resolveIgnore(options.ignore ?? [], rules);
  const only = resolveOnly(options.only ?? [], rules);
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const strict = options.strict ?? false;
  if (options.kubernetesVersion !== undefined) checkKubernetesVersion(options.kubernetesVersion, checklist);
  const targets = deriveTargets(checklist, { model, ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}) });
  const ctx: RuleContext = { model, checklist, targets, explicit: prepared.explicit, date };
  const hostname = model.host.hostname?.value ?? null;
  const kubeadm = kubeadmSettings(checklist, rules, hostname, date);

  const timeout = options.customRuleTimeoutMs ?? CUSTOM_RULE_TIMEOUT_MS;
  const fromChecklist = new Set(prepared.customRules.map((r) => r.id));
  const results = rules.map((rule) => {
    const custom = prepared.customValidators.get(rule.id);
    const validator = ruleValidators[rule.id] ?? (custom && boundedValidator(custom, rule, prepared.source, timeout));
    const result = evaluateRule(rule, ctx, { validator, ignore, kubeadm, only, override: checklist.severity[rule.id] });
    if (fromChecklist.has(rule.id)) result.custom = true;
    return applyWaiver(result, checklist.waivers, hostname, date);
  });

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'PreflightReport',
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    node: { hostname, root: model.root, containerd: { ...model.containerd.semantics } },
    checklist: {
      source: prepared.source,
      sha256: prepared.sha256,
      kubernetesVersion: targets.kubernetesVersion,
      versionSource: targets.kubernetes.source,
      versionBasis: targets.kubernetes.basis,
      ...(targets.kubernetes.note ? { versionNote: targets.kubernetes.note } : {}),
    },
    settings: { strict, online: model.online, only: [...(options.only ?? [])], ignore: [...(options.ignore ?? [])], date },
    summary: summarize(results, strict),
    results,
    causes: groupCauses(results),
    kubeadm: {
      version: `1.${ctx.targets.kubernetesMinor}`,
      ignorePreflightErrors: kubeadmIgnoreList(ctx.targets.kubernetesMinor, checklist.joinRole ?? 'worker', ignore, kubeadm, demotedNames(results)),
    },
  };
}

/**
 * `--kubernetes-version`: a malformed version, or one older than this release
 * knows the pause image of (without a checklist sandboxImage), cannot be judged.
 * A newer one is judged with the newest known targets.
 */
export function checkKubernetesVersion(version: string, checklist: Pick<Checklist, 'sandboxImage'>): void {
  if (!isKubernetesVersion(version)) throw new PreflightError('usage', `--kubernetes-version ${version}: expected a Kubernetes version such as 1.33`);
  if (kubernetesMinor(version) < OLDEST_KNOWN_MINOR && !checklist.sandboxImage) {
    throw new PreflightError(
      'usage',
      `--kubernetes-version ${version}: this release knows Kubernetes 1.${OLDEST_KNOWN_MINOR} to 1.${NEWEST_KNOWN_MINOR}; set sandboxImage in a checklist to judge an older version`,
    );
  }
}

interface RuleInputs {
  validator: ValidateFunction | undefined;
  ignore: IgnorePlan;
  kubeadm: KubeadmSettings;
  only: Set<string> | null;
  override: Severity | 'off' | undefined;
}

function baseResult(rule: Rule, severity: Severity): RuleResult {
  return {
    id: rule.id,
    aliases: [...(rule.aliases ?? [])],
    title: rule.title,
    domain: domainOf(rule.id),
    mode: rule.mode,
    severity,
    status: 'pass',
    message: `${rule.title}.`,
    evidence: {},
    violations: [],
    remediation: rule.remediation,
    references: [...rule.references],
  };
}

function evaluateRule(rule: Rule, ctx: RuleContext, inputs: RuleInputs): RuleResult {
  const { override } = inputs;
  const severity: Severity = override && override !== 'off' ? override : (rule.severityFor?.(ctx) ?? rule.severity);
  const result = baseResult(rule, severity);
  const skip = (status: Status, message: string): RuleResult => ({ ...result, status, message });

  if (override === 'off') return skip('skipped', 'Turned off by the checklist (severity: off).');
  if (inputs.only && !inputs.only.has(rule.id) && !rule.alwaysEvaluated) return skip('skipped', 'Not selected by --only.');
  if (rule.mode === 'live' && !ctx.model.online) {
    return skip('not-applicable', 'Live check: run with --online on the node itself (--root /).');
  }
  if (!rule.check && !rule.schema) return skip('skipped', 'Not implemented in this version of kube-preflight.');

  let violations: Violation[];
  try {
    const outcome = runRule(rule, ctx, inputs.validator);
    if ('notApplicable' in outcome) return skip('not-applicable', sentence(outcome.notApplicable));
    violations = outcome.violations;
  } catch (err) {
    if (err instanceof PreflightError) throw err;
    throw new PreflightError('internal', `rule ${rule.id} failed: ${(err as Error).message}`, { cause: err });
  }

  if (violations.length === 0) return result;
  let waiver: Waiver | undefined;
  const reported: ReportedViolation[] = violations.map((v) => {
    const accepted = acceptance(rule, v, inputs.ignore, inputs.kubeadm);
    waiver ??= accepted?.waiver;
    return {
      message: sentence(v.message),
      // A checklist override applies to every violation; otherwise a violation may be milder than its rule.
      severity: override ? severity : (kubeadmSeverity(v, inputs.kubeadm) ?? v.severity ?? severity),
      evidence: v.evidence ?? {},
      ...(v.alias ? { alias: v.alias } : {}),
      ...(v.fix ? { fix: v.fix } : {}),
      ...(accepted ? { ignoredBy: accepted.by } : {}),
    };
  });
  const out = withViolations(result, reported, expiredKubeadmWaivers(violations, inputs.kubeadm));
  return waiver ? { ...out, waiver: recordWaiver(waiver, false) } : out;
}

function recordWaiver(waiver: Waiver, expired: boolean): NonNullable<RuleResult['waiver']> {
  return { reason: waiver.reason, expires: waiver.expires, ...(waiver.hosts ? { hosts: [...waiver.hosts] } : {}), expired };
}

/** Expired waivers that name the kubeadm check of a finding, said once each. */
function expiredKubeadmWaivers(violations: readonly Violation[], kubeadm: KubeadmSettings): string[] {
  const names = new Set(violations.map((v) => v.alias?.toLowerCase()).filter((a): a is string => a !== undefined));
  return [...kubeadm.waivers.values()]
    .filter((w) => w.expired && names.has(w.name.toLowerCase()))
    .map((w) => `The waiver for ${w.name} expired on ${w.waiver.expires}.`);
}

/**
 * A result from its reported violations. Ignored ones stay, marked, and do not
 * count towards its severity; when every one is ignored the rule is waived for
 * this run (it never blocks), with the names that ignored it.
 */
function withViolations(result: RuleResult, reported: ReportedViolation[], notes: string[]): RuleResult {
  const kept = reported.filter((v) => !v.ignoredBy);
  const names = [...new Set(reported.map((v) => v.ignoredBy).filter((n): n is string => n !== undefined))].sort();
  const shown = kept.length > 0 ? kept : reported;
  const first = shown[0]!.message;
  const message = shown.length > 1 ? `${first.replace(/[.!?]$/, '')} (and ${shown.length - 1} more).` : first;
  return {
    ...result,
    status: kept.length > 0 ? 'fail' : 'waived',
    severity: shown.map((v) => v.severity).reduce(maxSeverity),
    message: [message, ...notes, ...(kept.length > 0 ? [] : [`Ignored by ${names.join(', ')}.`])].join(' '),
    evidence: shown[0]!.evidence,
    violations: reported,
    ...(names.length > 0 ? { ignored: names } : {}),
  };
}

/** kubeadm names of findings that were ignored or waived (whole waived rules included). */
function demotedNames(results: readonly RuleResult[]): string[] {
  return results.flatMap((r) =>
    r.violations.filter((v) => v.alias && (v.ignoredBy || (r.status === 'waived' && r.waiver && !r.waiver.expired))).map((v) => v.alias!),
  );
}

/** Run a rule's applicability test, schema and predicate. */
function runRule(rule: Rule, ctx: RuleContext, validator: ValidateFunction | undefined): { violations: Violation[] } | { notApplicable: string } {
  const reason = rule.applies?.(ctx);
  if (reason) return { notApplicable: reason };
  const violations: Violation[] = [];
  if (rule.schema) {
    if (!validator) throw new PreflightError('internal', `no compiled validator for ${rule.id}; run npm run build`);
    const value = getAt(ctx.model, rule.target!);
    if (value === undefined && !rule.check) return { notApplicable: `The node model has nothing at ${rule.target}` };
    if (value !== undefined && !validator(value)) {
      // A failed validation always sets errors; `if` errors only say which branch applied.
      const errors = validator.errors!.filter((e) => e.keyword !== 'if');
      violations.push(...errors.map((e) => (rule.describe ? rule.describe(e, value, ctx) : describeSchemaError(rule, e, ctx))));
    }
  }
  if (rule.check) {
    const outcome = rule.check(ctx);
    if (!Array.isArray(outcome)) return violations.length > 0 ? { violations } : outcome;
    violations.push(...outcome);
  }
  return { violations };
}

/** A generic sentence for a schema error, with the file and line the value came from. */
function describeSchemaError(rule: Rule, error: ErrorObject, ctx: RuleContext): Violation {
  const pointer = `${rule.target!}${error.instancePath}`;
  // Model values are raw (a proxy URL may carry a password); what a report shows is redacted.
  const observed = redactDeep(getAt(ctx.model, pointer));
  const evidence: Evidence = { ...locate(ctx.model, pointer), path: pointer, observed };
  if (error.keyword === 'const') evidence.expected = (error.params as { allowedValue: unknown }).allowedValue;
  if (error.keyword === 'enum') evidence.expected = (error.params as { allowedValues: unknown }).allowedValues;
  const where = evidence.file ? ` (${evidence.file}${evidence.line ? `:${evidence.line}` : ''})` : '';
  return { message: `${pointer} is ${JSON.stringify(observed)}${where}; it ${error.message!}.`, evidence };
}

/** End a message with a period; messages may start with an identifier, so case is left alone. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function applyWaiver(result: RuleResult, waivers: readonly Waiver[], hostname: string | null, date: string): RuleResult {
  if (result.status !== 'fail') return result;
  const waiver = waivers.find((w) => w.rule === result.id && (!w.hosts || (hostname !== null && w.hosts.includes(hostname))));
  if (!waiver) return result;
  const expired = waiver.expires < date;
  const recorded = recordWaiver(waiver, expired);
  if (expired) return { ...result, waiver: recorded, message: `${result.message} The waiver for this rule expired on ${waiver.expires}.` };
  return { ...result, status: 'waived', waiver: recorded };
}

function summarize(results: readonly RuleResult[], strict: boolean): Summary {
  const byStatus: Record<Status, number> = { pass: 0, fail: 0, waived: 0, 'not-applicable': 0, skipped: 0 };
  const failed: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let blocking = 0;
  for (const r of results) {
    byStatus[r.status]++;
    if (r.status !== 'fail') continue;
    failed[r.severity]++;
    if (r.severity === 'error' || (strict && r.severity === 'warning')) blocking++;
  }
  return { ready: blocking === 0, exitCode: blocking === 0 ? 0 : 1, blocking, total: results.length, byStatus, failed };
}
