import { PreflightError } from '../errors.js';
import { suggest } from '../parsers/suggest.js';
import { domainOf, type Rule } from '../rules/types.js';

function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
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
    if (matched.length === 0) throw new PreflightError('usage', unknownMessage('--only', value, rules));
    matched.forEach((r) => selected.add(r.id));
  }
  return selected;
}

function unknownMessage(flag: string, value: string, rules: readonly Rule[]): string {
  const hint = suggest(
    value,
    rules.flatMap((r) => [r.id, domainOf(r.id)]),
  );
  return `${flag} ${value}: unknown rule id or domain${hint ? ` (did you mean ${hint}?)` : ''}; \`preflight rules\` lists them`;
}
