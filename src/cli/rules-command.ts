import { PreflightError } from '../errors.js';
import { suggest } from '../parsers/suggest.js';
import { RULES } from '../rules/index.js';
import type { Rule } from '../rules/types.js';

/** A rule by id or kubeadm name (case-insensitive). */
export function findRule(name: string): Rule {
  const lower = name.toLowerCase();
  const rule = RULES.find((r) => r.id.toLowerCase() === lower || r.aliases?.some((a) => a.toLowerCase() === lower));
  if (rule) return rule;
  const hint = suggest(
    name,
    RULES.flatMap((r) => [r.id, ...(r.aliases ?? [])]),
  );
  throw new PreflightError('usage', `rules ${name}: unknown rule id or kubeadm check name${hint ? ` (did you mean ${hint}?)` : ''}`);
}

/** The public metadata of a rule (what `rules --format json` prints). */
export function ruleMetadata(rule: Rule): Record<string, unknown> {
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    mode: rule.mode,
    aliases: rule.aliases ?? [],
    rationale: rule.rationale,
    remediation: rule.remediation,
    references: rule.references,
    docs: `docs/rules/${rule.id}.md`,
  };
}

/** The catalogue as a table, or as JSON. */
export function formatRuleList(format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(RULES.map(ruleMetadata), null, 2) + '\n';
  const width = Math.max(...RULES.map((r) => r.id.length));
  const rows = RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.mode.padEnd(6)}  ${r.title}`);
  return [`${'ID'.padEnd(width)}  SEVERITY MODE    TITLE`, ...rows, '', `${RULES.length} rules. \`preflight rules ID\` explains one.`, ''].join('\n');
}

/** One rule's rationale, remediation and references. */
export function formatRule(rule: Rule, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(ruleMetadata(rule), null, 2) + '\n';
  return [
    `${rule.id}: ${rule.title}`,
    `  severity: ${rule.severity}   mode: ${rule.mode === 'live' ? 'live (--online)' : 'static'}`,
    ...(rule.aliases?.length ? [`  kubeadm names: ${rule.aliases.join(', ')}`] : []),
    '',
    'Why:',
    `  ${rule.rationale}`,
    '',
    'Fix:',
    `  ${rule.remediation}`,
    '',
    'References:',
    ...rule.references.map((r) => `  ${r}`),
    '',
  ].join('\n');
}
