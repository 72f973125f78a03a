import type { Report, RuleResult } from '../engine/types.js';
import type { Severity } from '../rules/types.js';

/** Options for {@link formatText}. */
export interface TextOptions {
  /** ANSI colours (the CLI turns them on only for a TTY without NO_COLOR). */
  color?: boolean;
  /** Also list passed, not applicable and skipped rules. */
  verbose?: boolean;
}

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };
const COLOR = { red: '31', yellow: '33', cyan: '36', magenta: '35', green: '32', dim: '2', bold: '1' } as const;

function where(e: { file?: string; line?: number }): string {
  return e.file ? `${e.file}${e.line ? `:${e.line}` : ''}` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Human output in the style of kubeadm's preflight: `[ERROR id]: message`
 * lines grouped by severity, the remediation under each rule, one summary line.
 */
export function formatText(report: Report, options: TextOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const sevColor: Record<Severity, string> = { error: COLOR.red, warning: COLOR.yellow, info: COLOR.cyan };
  const lines: string[] = [];
  const { node, checklist, summary, settings } = report;
  lines.push(
    `[preflight] Checked ${node.root}${node.hostname ? ` (${node.hostname})` : ''} against ${checklist.source} ` +
      `(Kubernetes ${checklist.kubernetesVersion})${settings.strict ? ', strict' : ''}${settings.online ? ', online' : ''}: ${plural(summary.total, 'rule')}.`,
    `[preflight] containerd rules follow containerd ${node.containerd.version} (${node.containerd.basis}).`,
  );
  const failed = report.results.filter((r) => r.status === 'fail');
  for (const severity of ['error', 'warning', 'info'] as const) {
    for (const r of failed.filter((x) => x.severity === severity)) {
      for (const v of r.violations) lines.push(violationLine(v, paint(v.ignoredBy ? COLOR.magenta : sevColor[v.severity], `[${v.ignoredBy ? 'IGNORED' : LABEL[v.severity]} ${r.id}]`)));
      if (r.waiver?.expired) lines.push(`\t${paint(COLOR.magenta, `waiver expired ${r.waiver.expires}`)}: ${r.waiver.reason}`);
      lines.push(`\t${paint(COLOR.dim, 'fix:')} ${r.remediation}`);
    }
  }
  for (const r of report.results.filter((x) => x.status === 'waived')) {
    if (!r.waiver) {
      // Ignored for this run (--ignore or a kubeadm name): every finding stays visible, as kubeadm prints [WARNING Name].
      for (const v of r.violations) lines.push(violationLine(v, paint(COLOR.magenta, `[IGNORED ${r.id}]`)));
      continue;
    }
    lines.push(`${paint(COLOR.magenta, `[WAIVED ${r.id}]`)}: ${r.message}`);
    lines.push(`\twaived until ${r.waiver.expires}: ${r.waiver.reason}`);
  }
  if (options.verbose) lines.push(...verboseLines(report.results, paint));
  lines.push(summaryLine(report, paint));
  return lines.join('\n') + '\n';
}

/** One finding; an ignored one says which name ignored it and what it would have been. */
function violationLine(v: RuleResult['violations'][number], label: string): string {
  return `${label}: ${v.message}${v.ignoredBy ? ` (${v.severity}, ignored by ${v.ignoredBy})` : ''}`;
}

function verboseLines(results: readonly RuleResult[], paint: (c: string, t: string) => string): string[] {
  const tag = { pass: 'PASS', 'not-applicable': 'N/A', skipped: 'SKIPPED' } as const;
  return results
    .filter((r): r is RuleResult & { status: keyof typeof tag } => r.status in tag)
    .map((r) => `${paint(r.status === 'pass' ? COLOR.green : COLOR.dim, `[${tag[r.status]} ${r.id}]`)}: ${r.message}${where(r.evidence) ? ` (${where(r.evidence)})` : ''}`);
}

function summaryLine(report: Report, paint: (c: string, t: string) => string): string {
  const { summary, settings } = report;
  const { failed, byStatus } = summary;
  const warningNote = failed.warning > 0 && !settings.strict ? ' (not blocking without --strict)' : '';
  const counts =
    `${plural(failed.error, 'error')}, ${plural(failed.warning, 'warning')}${warningNote}, ${failed.info} info; ` +
    `${byStatus.waived} waived, ${byStatus.pass} passed, ${byStatus['not-applicable']} not applicable, ${byStatus.skipped} skipped`;
  const verdict = summary.ready
    ? paint(COLOR.green, 'The node is ready to join')
    : paint(`${COLOR.bold};${COLOR.red}`, 'The node is NOT ready to join');
  return `[preflight] ${verdict}: ${counts}.`;
}
