import type { Cause, Report, ReportedViolation, RuleResult } from '../engine/types.js';
import type { Severity } from '../rules/types.js';

/** Options for {@link formatText}. */
export interface TextOptions {
  /** ANSI colours (the CLI turns them on only for a TTY without NO_COLOR). */
  color?: boolean;
  /** List every failed rule with its fixes (the pre-1.1 listing), and passed, not applicable and skipped rules. */
  verbose?: boolean;
  /** Columns to wrap at ({@link TEXT_WIDTH} by default; the CLI passes the terminal's width on a TTY). */
  width?: number;
}

/** Lines of a report that is not on a terminal (a log, a CI job, an Ansible message) stay within this many columns. */
export const TEXT_WIDTH = 100;

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const COLOR = { red: '31', yellow: '33', cyan: '36', magenta: '35', green: '32', dim: '2', bold: '1' } as const;
const SEVERITY_COLOR: Record<Severity, string> = { error: COLOR.red, warning: COLOR.yellow, info: COLOR.cyan };
/** Continuation lines of a finding, and the lines under a cause. */
const INDENT = '    ';
const NESTED = '        ';

type Paint = (code: string, text: string) => string;

function where(e: { file?: string; line?: number }): string {
  return e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Break a line at spaces so that no piece is wider than `width`, continuing
 * with `indent`. A word wider than that (a URL, a path) keeps its own line
 * rather than being cut where it could not be copied back.
 */
export function wrapLine(text: string, width: number, indent: string): string[] {
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let current = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const prefix = lines.length === 0 ? '' : indent;
    if (current.trim() !== '' && prefix.length + current.length + 1 + word.length > width) {
      lines.push(prefix + current);
      current = word;
    } else current = current.trim() === '' ? current + word : `${current} ${word}`;
  }
  lines.push((lines.length === 0 ? '' : indent) + current);
  return lines;
}

/** Collects wrapped lines; a label on the first line is painted after wrapping, so colour never counts towards the width. */
class Lines {
  readonly out: string[] = [];
  constructor(
    private readonly width: number,
    readonly paint: Paint,
  ) {}

  add(text: string, indent = INDENT, label?: { text: string; color: string }): void {
    const wrapped = wrapLine(text, this.width, indent);
    if (label) wrapped[0] = wrapped[0]!.replace(label.text, () => this.paint(label.color, label.text));
    this.out.push(...wrapped);
  }
}

/**
 * Human output in the style of kubeadm's preflight. By default, causes first,
 * worst first: the file (or rule) responsible, one line per finding it explains
 * (`[ERROR rule-id]: message`), and its one fix; then how to ignore or waive a
 * finding and one summary line. `verbose` lists failed rules by severity with
 * each rule's fixes, then every other rule.
 */
export function formatText(report: Report, options: TextOptions = {}): string {
  const paint: Paint = (code, text) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out = new Lines(options.width ?? TEXT_WIDTH, paint);
  const { node, checklist, summary, settings } = report;
  out.add(
    `[preflight] Checked ${node.root}${node.hostname ? ` (${node.hostname})` : ''} against ${checklist.source} ` +
      `(Kubernetes ${checklist.kubernetesVersion})${settings.strict ? ', strict' : ''}${settings.online ? ', online' : ''}: ${plural(summary.total, 'rule')}.`,
  );
  out.add(`[preflight] containerd rules follow containerd ${node.containerd.version} (${node.containerd.basis}).`);
  // Where the Kubernetes version came from, and the one-line note when it is outside what this release knows.
  if (checklist.versionBasis) out.add(`[preflight] Kubernetes ${checklist.kubernetesVersion} is the target (${checklist.versionBasis}).`);
  if (checklist.versionNote) out.add(`[preflight] ${checklist.versionNote}`);
  if (options.verbose) ruleLines(report.results, out);
  else for (const cause of report.causes ?? []) causeLines(cause, report.results, out);
  if (report.results.some((r) => r.violations.length > 0)) {
    out.add(
      '[preflight] To ignore a finding for a run: --ignore <rule id or kubeadm name>; to accept it until a date: a waiver (rule, reason, expires) under waivers in the checklist file.',
    );
  }
  if (options.verbose) verboseLines(report.results, out);
  const summaryText = summaryLine(report);
  out.add(summaryText.text, INDENT, summaryText.verdict);
  return out.out.join('\n') + '\n';
}

/** The label of a finding: its severity, or how it was demoted. */
function findingLabel(r: RuleResult, v: ReportedViolation): { text: string; color: string } {
  if (v.ignoredBy) return { text: `[IGNORED ${r.id}]`, color: COLOR.magenta };
  if (r.status === 'waived') return { text: `[WAIVED ${r.id}]`, color: COLOR.magenta };
  return { text: `[${LABEL[v.severity]} ${r.id}]`, color: SEVERITY_COLOR[v.severity] };
}

/** The rest of a finding's line: its message, and what it would have been when demoted. */
function findingText(r: RuleResult, v: ReportedViolation, message: string): string {
  const kubeadm = v.alias ? ` (kubeadm ${v.alias})` : '';
  if (v.ignoredBy) return `${message}${kubeadm} (${v.severity}, ignored by ${v.ignoredBy})`;
  return `${message}${kubeadm}`;
}

/** The note under a rule's findings about its waiver: still applying, or expired. */
function waiverNote(r: RuleResult): string | undefined {
  if (!r.waiver) return undefined;
  return r.waiver.expired ? `waiver expired ${r.waiver.expires}: ${r.waiver.reason}` : `waived until ${r.waiver.expires}: ${r.waiver.reason}`;
}

/**
 * Inside a cause, its file is named once, in the header: a message's
 * `file:line` becomes `line N` and the bare path `this file`. The lookahead
 * keeps a longer path that starts with the same characters whole (a
 * sentence's full stop may follow the path).
 */
function relative(text: string, cause: Cause): string {
  if (!cause.file) return text;
  const file = cause.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`${file}:(\\d+(?::\\d+)?)`, 'g'), 'line $1').replace(new RegExp(`${file}(?![\\w/-]|\\.\\w)`, 'g'), 'this file');
}

function causeLines(cause: Cause, results: readonly RuleResult[], out: Lines): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  const found = cause.consequences.map((c) => ({ r: byId.get(c.result)!, v: byId.get(c.result)!.violations[c.violation]! }));
  const label = cause.active
    ? { text: `[${LABEL[cause.severity]}]`, color: SEVERITY_COLOR[cause.severity] }
    : { text: found.some(({ v }) => v.ignoredBy) ? '[IGNORED]' : '[WAIVED]', color: COLOR.magenta };
  const subject = cause.file ? `${where(cause)}${cause.unit ? ` (${cause.unit})` : ''}` : `${cause.id} (no single file)`;
  out.add(`${label.text} ${subject}: ${plural(found.length, 'finding')}`, INDENT, label);
  found.forEach(({ r, v }, i) => {
    const l = findingLabel(r, v);
    out.add(`  ${l.text}: ${findingText(r, v, relative(v.message, cause))}`, NESTED, { ...l, text: `  ${l.text}` });
    // A rule's waiver is said once, after the last of its findings here.
    const note = found[i + 1]?.r === r ? undefined : waiverNote(r);
    if (note) out.add(`${INDENT}${out.paint(COLOR.magenta, note)}`, NESTED);
  });
  out.add(`  ${out.paint(COLOR.dim, 'fix:')} ${relative(cause.fix, cause)}`, NESTED);
}

/** Failed rules by severity, each finding and the rule's fixes; then waived and ignored rules. */
function ruleLines(results: readonly RuleResult[], out: Lines): void {
  const failed = results.filter((r) => r.status === 'fail');
  for (const severity of ['error', 'warning', 'info'] as const) {
    for (const r of failed.filter((x) => x.severity === severity)) {
      for (const v of r.violations) out.add(`${findingLabel(r, v).text}: ${findingText(r, v, v.message)}`, INDENT, findingLabel(r, v));
      if (r.waiver) out.add(`${INDENT}${out.paint(COLOR.magenta, waiverNote(r)!)}`, NESTED);
      // A violation's own fix replaces the rule's remediation where it does not fit.
      const fixes = [...new Set(r.violations.map((v) => v.fix ?? r.remediation))];
      for (const fix of fixes) out.add(`${INDENT}${out.paint(COLOR.dim, 'fix:')} ${fix}`, NESTED);
    }
  }
  for (const r of results.filter((x) => x.status === 'waived')) {
    for (const v of r.violations) out.add(`${findingLabel(r, v).text}: ${findingText(r, v, v.message)}`, INDENT, findingLabel(r, v));
    const note = waiverNote(r);
    if (note) out.add(`${INDENT}${note}`, NESTED);
  }
}

function verboseLines(results: readonly RuleResult[], out: Lines): void {
  const tag = { pass: 'PASS', 'not-applicable': 'N/A', skipped: 'SKIPPED' } as const;
  for (const r of results.filter((x): x is RuleResult & { status: keyof typeof tag } => x.status in tag)) {
    const label = { text: `[${tag[r.status]} ${r.id}]`, color: r.status === 'pass' ? COLOR.green : COLOR.dim };
    out.add(`${label.text}: ${r.message}${where(r.evidence) ? ` (${where(r.evidence)})` : ''}`, INDENT, label);
  }
}

/**
 * One line that counts what the lines above show: findings of failed rules by
 * severity (each an [ERROR]/[WARNING]/[INFO] line), ignored and waived
 * findings, the causes that explain them, then the other rules.
 */
function summaryLine(report: Report): { text: string; verdict: { text: string; color: string } } {
  const { summary, settings, results } = report;
  const shown = results.flatMap((r) => r.violations.map((v) => ({ r, v })));
  const active = shown.filter(({ r, v }) => r.status === 'fail' && !v.ignoredBy);
  const count = (severity: Severity): number => active.filter(({ v }) => v.severity === severity).length;
  const [errors, warnings, info] = [count('error'), count('warning'), count('info')];
  const ignored = shown.filter(({ v }) => v.ignoredBy).length;
  const causes = (report.causes ?? []).filter((c) => c.active).length;
  const warningNote = warnings > 0 && !settings.strict ? ' (not blocking without --strict)' : '';
  const { byStatus } = summary;
  const counts =
    `${plural(byStatus.fail, 'rule')} failed with ${plural(active.length, 'finding')} ` +
    `(${plural(errors, 'error')}, ${plural(warnings, 'warning')}${warningNote}, ${info} info) from ${plural(causes, 'cause')}; ` +
    `${ignored} ignored, ${shown.length - active.length - ignored} waived; ` +
    `${plural(byStatus.pass, 'rule')} passed, ${byStatus['not-applicable']} not applicable, ${byStatus.skipped} skipped`;
  const verdict = summary.ready
    ? { text: 'The node is ready to join', color: COLOR.green }
    : { text: 'The node is NOT ready to join', color: `${COLOR.bold};${COLOR.red}` };
  return { text: `[preflight] ${verdict.text}: ${counts}.`, verdict };
}
