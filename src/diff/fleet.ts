/**
 * Many nodes at once: for every setting `preflight diff` compares, the value
 * most nodes have, and the nodes that have another. Pure.
 */
import type { NodeModel } from '../model/types.js';
import { hasMarker, MARKER_PATTERN } from '../parsers/redact.js';
import { comparableSettings, type ComparableSetting, type DiffValue } from './diff.js';
import { settingName } from './setting-names.js';

export { settingName } from './setting-names.js';

/** A node's setting that differs from the value a strict majority of the nodes has. */
export interface SettingOutlier {
  /** The setting in operator terms: `containerd HTTPS_PROXY`, `sandbox image`, `runc SystemdCgroup`. */
  setting: string;
  /** This node's value, or null when it does not have the setting. */
  value: DiffValue | null;
  /** The majority's value (null: most nodes do not have the setting), and how many of the nodes have it. */
  majority: { value: string | null; count: number };
}

/** A setting that is not the same on all nodes and has no strict majority: every node's value. */
export interface SplitSetting {
  setting: string;
  /** Per node (in the order given), its value, or null when it does not have the setting. */
  values: Record<string, DiffValue | null>;
}

/** What `preflight fleet` prints. */
export interface FleetSettings {
  kind: 'FleetSettings';
  nodes: string[];
  /** Per node, its settings that differ from the majority; nodes that agree everywhere are absent. */
  outliers: Record<string, SettingOutlier[]>;
  /** Settings that differ between nodes without a strict majority (two nodes that differ, a fleet split in halves). */
  split: SplitSetting[];
  /**
   * Settings holding secrets whose markers cannot be compared across nodes
   * (no redaction key, or different keys): compared without their secrets,
   * whose equality is not claimed either way.
   */
  secretsNotComparable?: string[];
}

/** Keyed markers of one key compare as they are; any other marker is a secret whose value cannot be compared. */
function comparableForm(values: readonly (string | null)[]): { form: (v: string | null) => string | null; comparable: boolean } {
  const markers = values.flatMap((v) => (v === null ? [] : (v.match(MARKER_PATTERN) ?? [])));
  const keys = new Set(markers.map((m) => (m[9] === 'k' ? m.slice(0, 17) : null)));
  if (markers.length === 0 || (keys.size === 1 && !keys.has(null))) return { form: (v) => v, comparable: true };
  return { form: (v) => (v === null ? null : v.replace(MARKER_PATTERN, 'redacted')), comparable: false };
}

/** One node's settings by operator name: a value to compare (every part of the setting) and one to show. */
function namedSettings(model: NodeModel): Map<string, { compare: string; shown: DiffValue }> {
  const parts = new Map<string, ComparableSetting[]>();
  for (const s of comparableSettings(model).values()) {
    const name = settingName(s.group, s.path);
    // A null leaf is a setting the node does not have, as an absent one.
    if (name === null || s.value.value === 'null') continue;
    parts.set(name, [...(parts.get(name) ?? []), s]);
  }
  const out = new Map<string, { compare: string; shown: DiffValue }>();
  for (const [name, list] of parts) {
    if (list.length === 1) {
      out.set(name, { compare: list[0]!.value.value, shown: list[0]!.value });
      continue;
    }
    // Several parts of one setting (a list's elements, a registry's hosts): compared part by part, shown as one list.
    // A registry shows its host URLs (marked where TLS verification is off); other settings their parts' values.
    const urls = list.filter((p) => /\.url$/.test(p.path));
    const values =
      urls.length > 0
        ? urls.map(
            (u) =>
              `${u.value.value}${list.some((p) => p.path === u.path.replace(/\.url$/, '.skipVerify') && p.value.value === 'true') ? ' (skip_verify)' : ''}`,
          )
        : list.filter((p) => p.value.value !== '[]').map((p) => p.value.value);
    const source = list.find((p) => p.value.source !== undefined)?.value.source;
    out.set(name, {
      compare: list.map((p) => `${p.path}=${p.value.value}`).join('\n'),
      shown: { value: values.length === 0 ? 'null' : values.join(', '), ...(source !== undefined ? { source } : {}) },
    });
  }
  return out;
}

/**
 * The settings that are not the same on all nodes, by operator name: for a
 * setting that a strict majority of the nodes shares, the nodes that differ
 * from it (outliers); for one without (two nodes that differ, a fleet split in
 * halves), every node's value.
 */
export function fleetOutliers(nodes: readonly { label: string; model: NodeModel }[]): FleetSettings {
  const settings = nodes.map((n) => namedSettings(n.model));
  const names = [...new Set(settings.flatMap((s) => [...s.keys()]))].sort();
  const outliers: Record<string, SettingOutlier[]> = {};
  const split: SplitSetting[] = [];
  const secrets: string[] = [];
  for (const setting of names) {
    const values = settings.map((s) => s.get(setting));
    const { form, comparable } = comparableForm(values.map((v) => v?.compare ?? null));
    if (!comparable && values.filter((v) => v !== undefined && hasMarker(v.compare)).length > 1) secrets.push(setting);
    const counts = new Map<string | null, number>();
    for (const v of values) counts.set(form(v?.compare ?? null), (counts.get(form(v?.compare ?? null)) ?? 0) + 1);
    if (counts.size === 1) continue;
    const [majority, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    if (count * 2 <= nodes.length) {
      split.push({ setting, values: Object.fromEntries(values.map((v, i) => [nodes[i]!.label, v?.shown ?? null])) });
      continue;
    }
    const shown = values.find((v) => form(v?.compare ?? null) === majority)?.shown.value ?? null;
    values.forEach((v, i) => {
      if (form(v?.compare ?? null) === majority) return;
      (outliers[nodes[i]!.label] ??= []).push({ setting, value: v?.shown ?? null, majority: { value: shown, count } });
    });
  }
  return { kind: 'FleetSettings', nodes: nodes.map((n) => n.label), outliers, split, ...(secrets.length > 0 ? { secretsNotComparable: secrets } : {}) };
}

/** A value for people: `not set` for an absent or null setting, else the value and where it was set. */
function shown(v: DiffValue | null): string {
  if (v === null || v.value === 'null') return 'not set';
  return v.source === undefined ? v.value : `${v.value} (from ${v.source})`;
}

/**
 * The fleet comparison as text, one line per setting: per outlying node its
 * settings with its value and the majority's; then the settings without a
 * majority with each node's value.
 */
export function formatFleetText(fleet: FleetSettings): string {
  const lines: string[] = [];
  for (const [node, list] of Object.entries(fleet.outliers)) {
    lines.push(`${node}: ${list.length} setting${list.length === 1 ? '' : 's'} differ${list.length === 1 ? 's' : ''} from most nodes`);
    for (const o of list)
      lines.push(
        `  ${o.setting}: ${shown(o.value)}; ${o.majority.count} of ${fleet.nodes.length} nodes: ${o.majority.value === null || o.majority.value === 'null' ? 'not set' : o.majority.value}`,
      );
  }
  if (fleet.split.length > 0) {
    lines.push(`Not the same on all nodes, with no majority (${fleet.split.length} setting${fleet.split.length === 1 ? '' : 's'}):`);
    for (const s of fleet.split)
      lines.push(
        `  ${s.setting}: ${Object.entries(s.values)
          .map(([node, v]) => `${node}: ${shown(v)}`)
          .join('; ')}`,
      );
  }
  const secrets = fleet.secretsNotComparable ?? [];
  if (secrets.length > 0) {
    lines.push('Secrets present on several nodes but not comparable (their markers carry no digest; collect every node with the same --redaction-key-file):');
    for (const s of secrets) lines.push(`  ${s}`);
  }
  const n = Object.keys(fleet.outliers).length;
  const verdict = [
    ...(n > 0 ? [`${n} of ${fleet.nodes.length} nodes differ from the majority`] : []),
    ...(fleet.split.length > 0
      ? [`${fleet.split.length} setting${fleet.split.length === 1 ? '' : 's'} differ${fleet.split.length === 1 ? 's' : ''} with no majority`]
      : []),
  ];
  lines.push(
    verdict.length === 0 ? `[preflight] All ${fleet.nodes.length} nodes have the same value in every compared setting.` : `[preflight] ${verdict.join('; ')}.`,
  );
  return `${lines.join('\n')}\n`;
}
