/**
 * kubeadm's ignore semantics: names are rule ids, domains or kubeadm check
 * names of any supported release, matched case-insensitively; ignoring demotes
 * a finding, it does not hide it (kubeadm still runs an ignored check and prints
 * `[WARNING Name]`). A kubeadm name demotes exactly the findings of that kubeadm
 * check (the violations whose `alias` is the name); a rule id or domain demotes
 * every finding of its rules.
 */
import type { Checklist, Severity, Waiver } from '../checklist/types.js';
import { PreflightError } from '../errors.js';
import { HISTORICAL_KUBEADM_NAMES, KUBEADM_JOIN_CHECKS, kubeadmLevel, kubeadmMinor, kubeadmName, type JoinRole } from '../model/kubeadm.js';
import { suggest } from '../parsers/suggest.js';
import { domainOf, type Rule, type Violation } from '../rules/types.js';

/** What `--ignore` asked for. */
export interface IgnorePlan {
  /** Rule id → the rule id or domain that ignores all of its findings. */
  rules: Map<string, string>;
  /** Lower-case kubeadm name → its canonical spelling. */
  kubeadm: Map<string, string>;
}

function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** A kubeadm name of any supported release, or an alias some rule declares (custom catalogues). */
function knownKubeadmName(name: string, rules: readonly Rule[]): string | null {
  return kubeadmName(name) ?? rules.flatMap((r) => r.aliases ?? []).find((a) => a.toLowerCase() === name.toLowerCase()) ?? null;
}

/** Every name `--ignore`, checklist severities and waivers accept, for did-you-mean hints. */
export function acceptedNames(rules: readonly Rule[]): string[] {
  const kubeadm = [...KUBEADM_JOIN_CHECKS, ...HISTORICAL_KUBEADM_NAMES].map((c) => c.name);
  return [...new Set([...rules.map((r) => r.id), ...rules.map((r) => domainOf(r.id)), ...kubeadm, ...rules.flatMap((r) => r.aliases ?? [])])];
}

/**
 * Resolve `--ignore` values: rule ids, domains or kubeadm check names,
 * case-insensitive, comma-separated or repeated.
 *
 * @throws PreflightError `usage` for a name that is none of these (with a
 * did-you-mean), and for `all`, which would hide every exception.
 */
export function resolveIgnore(values: readonly string[], rules: readonly Rule[]): IgnorePlan {
  const plan: IgnorePlan = { rules: new Map(), kubeadm: new Map() };
  for (const value of splitList(values)) {
    const lower = value.toLowerCase();
    if (lower === 'all') {
      throw new PreflightError('usage', '--ignore all is not accepted: name each rule id or kubeadm check so every exception stays visible');
    }
    const byId = rules.find((r) => r.id.toLowerCase() === lower);
    if (byId) {
      plan.rules.set(byId.id, byId.id);
      continue;
    }
    const inDomain = rules.filter((r) => domainOf(r.id) === lower);
    if (inDomain.length > 0) {
      for (const r of inDomain) if (!plan.rules.has(r.id)) plan.rules.set(r.id, lower);
      continue;
    }
    const name = knownKubeadmName(value, rules);
    if (name === null) {
      const hint = suggest(value, acceptedNames(rules));
      throw new PreflightError(
        'usage',
        `--ignore ${value}: unknown rule id, domain or kubeadm check name${hint ? ` (did you mean ${hint}?)` : ''}; \`preflight rules\` lists them`,
      );
    }
    plan.kubeadm.set(name.toLowerCase(), name);
  }
  return plan;
}

/** A checklist's severities and waivers that name kubeadm checks rather than rules. */
export interface KubeadmSettings {
  /** Lower-case kubeadm name → canonical name and severity (or off). */
  severity: Map<string, { name: string; severity: Severity | 'off' }>;
  /** Lower-case kubeadm name → the waiver that applies to this host, with whether it expired. */
  waivers: Map<string, { name: string; waiver: Waiver; expired: boolean }>;
}

/** Split a checklist's kubeadm-named severities and waivers out (rule ids are handled per rule). */
export function kubeadmSettings(checklist: Checklist, rules: readonly Rule[], hostname: string | null, date: string): KubeadmSettings {
  const ids = new Set(rules.map((r) => r.id));
  const out: KubeadmSettings = { severity: new Map(), waivers: new Map() };
  for (const [key, severity] of Object.entries(checklist.severity)) {
    const name = ids.has(key) ? null : knownKubeadmName(key, rules);
    if (name) out.severity.set(name.toLowerCase(), { name, severity });
  }
  for (const waiver of checklist.waivers) {
    const name = ids.has(waiver.rule) ? null : knownKubeadmName(waiver.rule, rules);
    if (!name || (waiver.hosts && (hostname === null || !waiver.hosts.includes(hostname)))) continue;
    out.waivers.set(name.toLowerCase(), { name, waiver, expired: waiver.expires < date });
  }
  return out;
}

/** Why a finding does not block: the name that ignored it, and the waiver when one did. */
export interface Acceptance {
  by: string;
  waiver?: Waiver;
}

/**
 * The name that demotes one finding of a rule: the rule id or domain given to
 * `--ignore`, else the finding's kubeadm name when `--ignore`, a checklist
 * severity `off` or a current waiver names it.
 */
export function acceptance(rule: Rule, violation: Violation, plan: IgnorePlan, settings: KubeadmSettings): Acceptance | null {
  const byRule = plan.rules.get(rule.id);
  if (byRule) return { by: byRule };
  const alias = violation.alias?.toLowerCase();
  if (!alias) return null;
  const ignored = plan.kubeadm.get(alias);
  if (ignored) return { by: ignored };
  const severity = settings.severity.get(alias);
  if (severity?.severity === 'off') return { by: severity.name };
  const waived = settings.waivers.get(alias);
  if (waived && !waived.expired) return { by: waived.name, waiver: waived.waiver };
  return null;
}

/** The severity a checklist gives a finding through its kubeadm name, if any. */
export function kubeadmSeverity(violation: Violation, settings: KubeadmSettings): Severity | undefined {
  const s = violation.alias ? settings.severity.get(violation.alias.toLowerCase())?.severity : undefined;
  return s === 'off' ? undefined : s;
}

/**
 * The names to pass to `kubeadm join --ignore-preflight-errors=` for this run:
 * the kubeadm names the run ignored or waived (given by name, or the names of
 * findings a rule id, domain or waiver demoted), limited to the checks kubeadm
 * of the target minor runs on this kind of join.
 */
export function kubeadmIgnoreList(minor: number, role: JoinRole, plan: IgnorePlan, settings: KubeadmSettings, demoted: readonly string[]): string[] {
  const m = kubeadmMinor(minor);
  const named = [
    ...plan.kubeadm.values(),
    ...[...settings.severity.values()].filter((s) => s.severity === 'off').map((s) => s.name),
    ...[...settings.waivers.values()].filter((w) => !w.expired).map((w) => w.name),
    ...demoted,
  ];
  const valid = named.map((n) => kubeadmName(n)).filter((n): n is string => n !== null && kubeadmLevel(n, m, role) !== null);
  return [...new Set(valid)].sort();
}
