import type { Severity } from '../rules/types.js';
import type { Cause, Consequence, RuleResult } from './types.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * A systemd drop-in (`<unit>.d/*.conf` under the unit search path). The unit
 * name needs a type suffix: `service.d/` applies to every service, and there is
 * no one unit to restart for it.
 */
const DROP_IN = /^\/(?:etc|run|usr\/lib|lib)\/systemd\/system\/([^/]+\.[a-z]+)\.d\/[^/]+\.conf$/;

/** A consequence that reads a proxy variable of a unit's environment (the NodeModel path the systemd rules report). */
const PROXY_VARIABLE = /\/environment\/(?:https?|no|all|ftp)_proxy$/i;

interface Group {
  key: string;
  file?: string;
  unit?: string;
  lines: number[];
  consequences: (Consequence & { fix: string; proxy: boolean })[];
}

/**
 * Where a violation comes from. A drop-in is one cause as a whole: removing or
 * correcting it and one daemon-reload clears every finding it gives, whatever
 * line each names. Any other file is one cause per line (a config.toml with a
 * wrong cgroup setting and a stale sandbox image has two fixes). A violation
 * without a file is explained by its rule alone.
 */
function causeOf(result: RuleResult, file: string | undefined, line: number | undefined): Pick<Group, 'key' | 'file' | 'unit'> {
  if (!file) return { key: result.id };
  const unit = DROP_IN.exec(file)?.[1];
  if (unit) return { key: file, file, unit };
  return { key: line ? `${file}:${line}` : file, file };
}

/**
 * Group the findings of failed and waived results by the thing on the node
 * responsible for them, worst first. Ignored and waived findings stay (marked
 * `demoted`), as they do in the results: a cause made only of those never blocks.
 * Pure; the order is total (active before demoted, severity, then id).
 */
export function groupCauses(results: readonly RuleResult[]): Cause[] {
  const groups = new Map<string, Group>();
  for (const r of results) {
    if (r.status !== 'fail' && r.status !== 'waived') continue;
    // A waiver that still applies demotes every finding of its rule; an expired one demotes none.
    const waived = r.status === 'waived' && r.waiver !== undefined;
    r.violations.forEach((v, index) => {
      const { file, line, path } = v.evidence;
      const where = causeOf(r, file, line);
      let group = groups.get(where.key);
      if (!group) groups.set(where.key, (group = { ...where, lines: [], consequences: [] }));
      if (line) group.lines.push(line);
      group.consequences.push({
        result: r.id,
        violation: index,
        severity: v.severity,
        ...(v.alias ? { alias: v.alias } : {}),
        ...(waived || v.ignoredBy ? { demoted: true as const } : {}),
        fix: v.fix ?? r.remediation,
        proxy: PROXY_VARIABLE.test(path ?? ''),
      });
    });
  }
  return [...groups.values()].map(toCause).sort(compareCauses);
}

function toCause(group: Group): Cause {
  // Worst first; the sort is stable, so results stay in id order and violations in the order the rule reported them.
  group.consequences.sort((a, b) => Number(a.demoted ?? false) - Number(b.demoted ?? false) || RANK[b.severity] - RANK[a.severity]);
  const active = group.consequences.filter((c) => !c.demoted);
  const worst = group.consequences[0]!;
  const line = group.lines.length > 0 ? Math.min(...group.lines) : undefined;
  return {
    id: group.key,
    ...(group.file ? { file: group.file } : {}),
    ...(line ? { line } : {}),
    ...(group.unit ? { unit: group.unit } : {}),
    severity: worst.severity,
    active: active.length > 0,
    consequences: group.consequences.map(({ fix: _fix, proxy: _proxy, ...c }) => c),
    fix: fixFor(group, worst.fix),
  };
}

/**
 * One fix for the cause. A drop-in that sets proxy variables is the stale-proxy
 * incident: every rule that saw it has its own advice (remove the variable, add
 * to NO_PROXY, allow the drop-in), and only one of them is the fix.
 */
function fixFor(group: Group, worst: string): string {
  if (!group.unit || !group.consequences.some((c) => c.proxy)) return worst;
  return (
    `Remove ${group.file!} (or correct its proxy variables to the checklist's proxy policy), ` +
    `then run systemctl daemon-reload && systemctl restart ${group.unit}.`
  );
}

function compareCauses(a: Cause, b: Cause): number {
  // Ids are unique, so the order never needs a tie.
  return Number(b.active) - Number(a.active) || RANK[b.severity] - RANK[a.severity] || (a.id < b.id ? -1 : 1);
}
