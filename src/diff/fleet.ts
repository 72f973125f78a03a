/**
 * Many nodes at once: for every setting `preflight diff` compares, the value
 * most nodes have, and the nodes that have another. Pure.
 */
import type { NodeModel } from '../model/types.js';
import { comparableSettings, type DiffValue } from './diff.js';

/** A node's setting that differs from the value a strict majority of the nodes has. */
export interface SettingOutlier {
  group: string;
  path: string;
  /** This node's value, or null when it does not have the setting. */
  value: DiffValue | null;
  /** The majority's value (null: most nodes do not have the setting), and how many of the nodes have it. */
  majority: { value: string | null; count: number };
}

/** What `preflight fleet` prints. */
export interface FleetSettings {
  kind: 'FleetSettings';
  nodes: string[];
  /** Per node, its settings that differ from the majority; nodes that agree everywhere are absent. */
  outliers: Record<string, SettingOutlier[]>;
}

/**
 * The nodes whose settings differ from what most nodes have. A setting without
 * a strict majority (two nodes that differ, a fleet split in halves) has no
 * outlier: there is no "usual" value to stand out from.
 */
export function fleetOutliers(nodes: readonly { label: string; model: NodeModel }[]): FleetSettings {
  const settings = nodes.map((n) => comparableSettings(n.model));
  const keys = [...new Set(settings.flatMap((s) => [...s.keys()]))].sort();
  const outliers: Record<string, SettingOutlier[]> = {};
  for (const key of keys) {
    const values = settings.map((s) => s.get(key));
    const counts = new Map<string | null, number>();
    for (const v of values) counts.set(v?.value.value ?? null, (counts.get(v?.value.value ?? null) ?? 0) + 1);
    const [majority, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (count * 2 <= nodes.length) continue;
    const { group, path } = values.find((v) => v !== undefined)!;
    values.forEach((v, i) => {
      if ((v?.value.value ?? null) === majority) return;
      (outliers[nodes[i]!.label] ??= []).push({ group, path, value: v?.value ?? null, majority: { value: majority, count } });
    });
  }
  return { kind: 'FleetSettings', nodes: nodes.map((n) => n.label), outliers };
}

/** The fleet comparison as text: per outlying node, each differing setting with its value, source and the majority's value. */
export function formatFleetText(fleet: FleetSettings): string {
  const lines: string[] = [];
  for (const [node, list] of Object.entries(fleet.outliers)) {
    lines.push(`${node}: ${list.length} setting${list.length === 1 ? '' : 's'} differ${list.length === 1 ? 's' : ''} from most nodes`);
    for (const o of list) {
      const mine = o.value === null ? '(not present)' : o.value.source === undefined ? o.value.value : `${o.value.value}  (${o.value.source})`;
      lines.push(`  ${o.group}: ${o.path}`, `    here: ${mine}`, `    ${o.majority.count} of ${fleet.nodes.length} nodes: ${o.majority.value ?? '(not present)'}`);
    }
  }
  const n = Object.keys(fleet.outliers).length;
  lines.push(n === 0 ? `[preflight] All ${fleet.nodes.length} nodes agree with the majority in every compared setting.` : `[preflight] ${n} of ${fleet.nodes.length} nodes differ from the majority.`);
  return `${lines.join('\n')}\n`;
}
