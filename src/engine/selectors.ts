import { PreflightError } from '../errors.js';
import { suggest } from '../parsers/suggest.js';
import type { Rule } from '../rules/types.js';
import { domainOf } from '../rules/types.js';

/** What `--ignore` asked for: whole rules, and kubeadm names that map to one violation kind. */
export interface IgnoreSelection {
  rules: Set<string>;
  aliases: Map<string, Set<string>>;
}

function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/**
 * Resolve `--ignore` values: rule ids or kubeadm check names, case-insensitive.
 * A kubeadm name that a rule lists for one kind of violation (FileExisting-socat)
 * ignores only those violations; a rule's only alias ignores the rule.
 *
 * @throws PreflightError `usage` for an unknown id, or for `all`.
 */
export function resolveIgnore(values: readonly string[], rules: readonly Rule[]): IgnoreSelection {
  const selection: IgnoreSelection = { rules: new Set(), aliases: new Map() };
  for (const value of splitList(values)) {
    const lower = value.toLowerCase();
    if (lower === 'all') {
      throw new PreflightError('usage', '--ignore all is not accepted: name each rule id or kubeadm check so every exception stays visible');
    }
    const byId = rules.find((r) => r.id.toLowerCase() === lower);
    if (byId) {
      selection.rules.add(byId.id);
      continue;
    }
    const owners = rules.filter((r) => r.aliases?.some((a) => a.toLowerCase() === lower));
    if (owners.length === 0) throw new PreflightError('usage', unknownMessage('--ignore', value, rules, true));
    for (const rule of owners) {
      const alias = rule.aliases!.find((a) => a.toLowerCase() === lower)!;
      if (rule.aliases!.length === 1) selection.rules.add(rule.id);
      else selection.aliases.set(rule.id, (selection.aliases.get(rule.id) ?? new Set()).add(alias));
    }
  }
  return selection;
}

/**
 * Resolve `--only` values: rule ids or domains, case-insensitive.
 *
 * @throws PreflightError `usage` for a value that names neither.
 */
export function resolveOnly(values: readonly string[], rules: readonly Rule[]): Set<string> | null {
  const list = splitList(values);
  if (list.length === 0) return null;
  const selected = new Set<string>();
  for (const value of list) {
    const lower = value.toLowerCase();
    const matched = rules.filter((r) => r.id.toLowerCase() === lower || domainOf(r.id) === lower);
    if (matched.length === 0) throw new PreflightError('usage', unknownMessage('--only', value, rules, false));
    matched.forEach((r) => selected.add(r.id));
  }
  return selected;
}

function unknownMessage(flag: string, value: string, rules: readonly Rule[], withAliases: boolean): string {
  const names = rules.flatMap((r) => [r.id, ...(withAliases ? (r.aliases ?? []) : [domainOf(r.id)])]);
  const hint = suggest(value, names);
  const what = withAliases ? 'rule id or kubeadm check name' : 'rule id or domain';
  return `${flag} ${value}: unknown ${what}${hint ? ` (did you mean ${hint}?)` : ''}; \`preflight rules\` lists them`;
}
