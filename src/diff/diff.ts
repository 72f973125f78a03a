/**
 * Comparing two nodes: the settings of their NodeModels that differ, with the
 * file and line that set each side, and the rules whose outcome differs. Pure:
 * the caller builds the models and reports.
 */
import type { Report, Status } from '../engine/types.js';
import type { NodeModel, Source } from '../model/types.js';
import { compareMarked } from '../parsers/redact.js';
import { settingName } from './setting-names.js';

/** One node of a comparison. */
export interface DiffSide {
  /** How the node is named in the output (a file or directory as given). */
  label: string;
  model: NodeModel;
  report: Report;
}

/** One side's value of a setting: shown as JSON text, with where it was set when the model knows. */
export interface DiffValue {
  value: string;
  source?: string;
}

/** A setting whose effective value differs; a side is null where the node does not have it at all. */
export interface SettingDifference {
  /** The setting as operators know it (`containerd HTTPS_PROXY`, `sandbox image`); see `preflight fleet`. */
  setting: string;
  /** Reader's grouping: `systemd: containerd.service`, `containerd: registry docker.io`, … */
  group: string;
  /** Path of the setting inside the group. */
  path: string;
  a: DiffValue | null;
  b: DiffValue | null;
}

/** A rule that came out differently on the two nodes. */
export interface RuleDifference {
  id: string;
  a: { status: Status; message: string };
  b: { status: Status; message: string };
  /** What on the node where the rule failed is responsible (the report's cause), and its one fix. */
  cause?: { side: 'a' | 'b'; id: string; fix: string };
}

/** The comparison `preflight diff` prints. */
export interface NodeDiff {
  kind: 'NodeDiff';
  a: { label: string; root: string };
  b: { label: string; root: string };
  settings: SettingDifference[];
  rules: RuleDifference[];
  /**
   * Settings that hold a secret on both nodes whose equality cannot be told:
   * their markers carry no digest (no redaction key) or come from different keys.
   */
  secretsNotComparable?: { group: string; path: string }[];
}

/**
 * Parts of the model left out: what always differs between two nodes
 * (hostname, root), parsed copies of files whose effect is compared elsewhere
 * (raw data, key lines), the `Environment=` list that `environment` already
 * covers, and provenance that is shown next to values rather than as one.
 */
const SKIPPED_KEYS = new Set(['root', 'online', 'schemaVersion', 'hostname', 'data', 'keyLines', 'environmentList', 'notes', 'source', 'line', 'column']);

/** Fields that name an element of a list, tried in order, so lists compare by identity rather than position. */
const IDENTITY_KEYS = ['name', 'path', 'url', 'entry', 'key', 'filename', 'spec', 'file'];

/** A setting of a model as the comparisons see it. */
export type ComparableSetting = { group: string; path: string; value: DiffValue };

/** Compare two nodes: what differs in their settings and in their rules' outcomes. */
export function diffNodes(a: DiffSide, b: DiffSide): NodeDiff {
  const left = comparableSettings(a.model);
  const right = comparableSettings(b.model);
  const settings: SettingDifference[] = [];
  const secrets: { group: string; path: string }[] = [];
  for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = left.get(key);
    const r = right.get(key);
    const verdict = l && r ? compareMarked(l.value.value, r.value.value) : 'different';
    if (verdict === 'equal') continue;
    const { group, path } = (l ?? r)!;
    // Present on both, equal except for secrets that cannot be compared: neither "equal" nor "different" can be claimed.
    if (verdict === 'not-comparable') secrets.push({ group, path });
    else settings.push({ setting: settingName(group, path) ?? `${group} ${path}`, group, path, a: l?.value ?? null, b: r?.value ?? null });
  }
  const byId = new Map(b.report.results.map((r) => [r.id, r]));
  const rules: RuleDifference[] = [];
  for (const ra of a.report.results) {
    const rb = byId.get(ra.id);
    if (rb === undefined || rb.status === ra.status) continue;
    // The cause on the side where the rule failed: one file (a drop-in as a whole) and its one fix.
    const side = rb.status === 'fail' ? 'b' : ra.status === 'fail' ? 'a' : undefined;
    const cause =
      side === undefined
        ? undefined
        : (side === 'a' ? a : b).report.causes?.find((c) => c.file !== undefined && c.consequences.some((q) => q.result === ra.id));
    rules.push({
      id: ra.id,
      a: { status: ra.status, message: ra.message },
      b: { status: rb.status, message: rb.message },
      ...(cause ? { cause: { side: side!, id: cause.id, fix: cause.fix } } : {}),
    });
  }
  return {
    kind: 'NodeDiff',
    a: { label: a.label, root: a.model.root },
    b: { label: b.label, root: b.model.root },
    settings,
    rules,
    ...(secrets.length > 0 ? { secretsNotComparable: secrets } : {}),
  };
}

/** Every comparable setting of a model, keyed by group and path (what `diff` and `fleet` compare). */
export function comparableSettings(model: NodeModel): Map<string, ComparableSetting> {
  const out = new Map<string, ComparableSetting>();
  const add = (segments: readonly string[], value: DiffValue) => {
    const { group, path } = place(segments);
    out.set(`${group}\u0000${path}`, { group, path, value });
  };
  const walk = (node: unknown, segments: string[]): void => {
    if (node === null || typeof node !== 'object') return add(segments, { value: String(JSON.stringify(node)) });
    if (Array.isArray(node)) {
      if (node.every((e) => e === null || typeof e !== 'object')) return add(segments, { value: JSON.stringify(node) });
      // Elements that do not name themselves apart (two ExecStart= lines of one file) compare by position.
      const names = node.map(identity);
      const unique = new Set(names).size === names.length;
      node.forEach((e, i) => walk(e, [...segments, unique ? names[i]! : String(i)]));
      return;
    }
    const record = node as Record<string, unknown>;
    const sourced = sourcedLeaf(record);
    if (sourced) return add(segments, sourced);
    for (const [k, v] of Object.entries(record)) if (!SKIPPED_KEYS.has(k)) walk(v, [...segments, k]);
  };
  walk(model, []);
  return out;
}

/** A value that carries its provenance: `{ value, source }` (Sourced) or `{ value, file, line }` (EnvVar, commands). */
function sourcedLeaf(record: Record<string, unknown>): DiffValue | undefined {
  if (!('value' in record)) return undefined;
  const value = String(JSON.stringify(record.value));
  if (typeof record.source === 'object' && record.source !== null) return { value, source: describeSource(record.source) };
  if (typeof record.file === 'string') return { value, source: `${record.file}:${String(record.line)}` };
  return undefined;
}

/** A source for people: `file:line (key)`, or the default that applies. */
export function describeSource(source: Source): string | undefined {
  if (source.file !== undefined) return `${source.file}${source.line === undefined ? '' : `:${source.line}`}`;
  return source.default;
}

function identity(element: unknown, index: number): string {
  if (element !== null && typeof element === 'object') {
    for (const k of IDENTITY_KEYS) {
      const v = (element as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '') return v;
    }
  }
  return String(index);
}

/** Group and path for a model path: the domain, and for units and registry directories the unit or registry. */
function place(segments: readonly string[]): { group: string; path: string } {
  const [domain, ...rest] = segments;
  if (domain === 'systemd' && rest[0] === 'units' && rest.length > 1) return { group: `systemd: ${rest[1]}`, path: join(rest.slice(2)) };
  if (domain === 'containerd' && rest[0] === 'effective') return { group: 'containerd: effective configuration', path: join(rest.slice(1)) };
  if (domain === 'containerd' && rest[0] === 'cri' && rest[1] === 'registry' && rest[2] === 'hostsDirs' && rest.length > 3) {
    return { group: `containerd: registry ${rest[3]}`, path: join(rest.slice(4)) };
  }
  return { group: domain!, path: join(rest) };
}

/** A path for people: dotted, with positions and segments that hold dots or slashes bracketed. */
function join(segments: readonly string[]): string {
  const part = (s: string, i: number) => (/^[A-Za-z_][\w-]*$/.test(s) ? `${i === 0 ? '' : '.'}${s}` : /^\d+$/.test(s) ? `[${s}]` : `[${JSON.stringify(s)}]`);
  return segments.map(part).join('') || '(value)';
}

/** The comparison as text: settings grouped, each side with its source, then the rules, then one summary line. */
export function formatDiffText(diff: NodeDiff): string {
  const lines = [`[preflight] A: ${diff.a.label}`, `[preflight] B: ${diff.b.label}`];
  if (diff.settings.length > 0) lines.push('', 'Settings that differ');
  // A setting of several parts (a registry's hosts) names the part.
  const names = diff.settings.map((d) => d.setting);
  diff.settings.forEach((d, i) => {
    const shared = names.indexOf(d.setting) !== i || names.lastIndexOf(d.setting) !== i;
    lines.push(`  ${d.setting}${shared ? ` (${d.path})` : ''}`, `    A: ${side(d.a)}`, `    B: ${side(d.b)}`);
  });
  if (diff.rules.length > 0) {
    lines.push('', 'Rules whose outcome differs');
    // By cause: the rules one file makes fail are one group, with its one fix.
    const byCause = new Map<string, RuleDifference[]>();
    for (const r of diff.rules) {
      const key = r.cause ? `${r.cause.side}\u0000${r.cause.id}` : '';
      byCause.set(key, [...(byCause.get(key) ?? []), r]);
    }
    // The rules without a cause last (a stable sort keeps the causes in the order they came).
    for (const [key, list] of [...byCause].sort(([x], [y]) => Number(x === '') - Number(y === ''))) {
      const cause = list[0]!.cause;
      const indent = cause || byCause.size > 1 ? '    ' : '  ';
      if (cause) lines.push(`  ${cause.side.toUpperCase()}: caused by ${cause.id}; fix: ${cause.fix}`);
      else if (byCause.size > 1 && key === '') lines.push('  Other rules');
      for (const r of list) lines.push(`${indent}${r.id}`, `${indent}  A: ${r.a.status}: ${r.a.message}`, `${indent}  B: ${r.b.status}: ${r.b.message}`);
    }
  }
  const secrets = diff.secretsNotComparable ?? [];
  if (secrets.length > 0) {
    lines.push('', 'Secrets present on both nodes but not comparable (their markers carry no digest; run both with the same --redaction-key-file)');
    for (const s of secrets) lines.push(`  ${s.group}: ${s.path}`);
  }
  lines.push(
    '',
    diff.settings.length === 0 && diff.rules.length === 0
      ? '[preflight] The nodes do not differ in any compared setting or rule outcome.'
      : `[preflight] ${count(diff.settings.length, 'setting')} ${diff.settings.length === 1 ? 'differs' : 'differ'}; ${count(diff.rules.length, 'rule')} ${diff.rules.length === 1 ? 'has' : 'have'} a different outcome.`,
  );
  if (secrets.length > 0)
    lines[lines.length - 1] += ` ${count(secrets.length, 'secret')} present on both ${secrets.length === 1 ? 'is' : 'are'} not comparable.`;
  return `${lines.join('\n')}\n`;
}

function side(v: DiffValue | null): string {
  if (v === null) return '(not present)';
  return v.source === undefined ? v.value : `${v.value}  (${v.source})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
