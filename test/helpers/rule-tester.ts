import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate, type EvaluateOptions } from '../../src/engine/evaluate.js';
import type { Report, RuleResult, Status } from '../../src/engine/types.js';
import type { Evidence, Severity } from '../../src/rules/types.js';
import type { CommandResult } from '../../src/snapshot/types.js';
import { writeNode, type NodeFiles } from './node-root.js';

/** A node on which to run one rule. */
export interface RuleCase {
  name: string;
  files: NodeFiles;
  /** Checklist keys over the embedded default. */
  checklist?: Record<string, unknown>;
  options?: Omit<EvaluateOptions, 'only'>;
  /** Live probe results, as a snapshot taken with --online records them (the snapshot is then online). */
  commands?: Record<string, CommandResult>;
}

/** A case where the rule must stay quiet. */
export interface QuietCase extends RuleCase {
  /**
   * `pass` unless the rule must decline to judge the node; `waived` when every
   * finding is ignored (`--ignore`, a kubeadm name): reported, never blocking.
   */
  status?: Extract<Status, 'pass' | 'not-applicable' | 'skipped' | 'waived'>;
  /** With status `waived`: the name that must have ignored each finding. */
  ignoredBy?: string;
  /** What the message must say (for not-applicable and skipped). */
  reason?: RegExp;
}

/** One violation the rule must report. */
export interface ExpectedViolation {
  message: RegExp;
  evidence?: Partial<Evidence>;
  severity?: Severity;
  alias?: string;
  /** The name that ignored it (it is reported and does not block). */
  ignoredBy?: string;
  /** The violation's own fix text, when it has one. */
  fix?: RegExp;
}

/** A case where the rule must fire, with every violation it must report. */
export interface FiringCase extends RuleCase {
  violations: ExpectedViolation[];
  /** The result's severity (after overrides and per-violation severities). */
  severity?: Severity;
}

/** Run one rule on a node written from `files`; the whole pipeline is real. */
export async function runRule(dir: string, id: string, c: RuleCase): Promise<{ result: RuleResult; report: Report }> {
  const root = writeNode(dir, c.files);
  const prepared = await loadChecklist(c.checklist ? { apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...c.checklist } : undefined);
  // The checklist's site checks and custom rules decide what else is read, as in the CLI.
  const snapshot = collectSnapshot({ root, units: prepared.modelOptions.units, site: prepared.modelOptions.site });
  if (c.commands) Object.assign(snapshot, { online: true, commands: c.commands });
  const model = buildModel(snapshot, prepared.modelOptions);
  const report = evaluate(model, prepared, { date: '2026-06-01', ...c.options, only: [id] });
  const result = report.results.find((r) => r.id === id);
  if (!result) throw new Error(`no result for ${id}`);
  return { result, report };
}

/**
 * ESLint's RuleTester idea on node-tap: every rule has nodes where it fires
 * and nodes where it stays quiet, and a rule with either list empty fails.
 */
export function testRule(id: string, cases: { quiet: QuietCase[]; firing: FiringCase[] }): void {
  t.test(id, async (t) => {
    t.ok(cases.quiet.length > 0, `${id} has cases where it stays quiet`);
    t.ok(cases.firing.length > 0, `${id} has cases where it fires`);
    const names = [...cases.quiet, ...cases.firing].map((c) => c.name);
    t.same(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
      'case names are unique',
    );

    for (const c of cases.quiet) {
      await t.test(`quiet: ${c.name}`, async (t) => {
        const { result } = await runRule(t.testdir(), id, c);
        t.equal(result.status, c.status ?? 'pass', result.message);
        if (c.status === 'waived') {
          t.ok(result.violations.length > 0, 'ignored findings stay in the report');
          t.ok(
            result.violations.every((v) => (c.ignoredBy ? v.ignoredBy === c.ignoredBy : v.ignoredBy !== undefined)),
            `every finding is ignored by ${c.ignoredBy ?? 'a name'}`,
          );
        } else t.same(result.violations, [], 'no violations');
        if (c.reason) t.match(result.message, c.reason);
      });
    }
    for (const c of cases.firing) {
      await t.test(`fires: ${c.name}`, async (t) => {
        const { result } = await runRule(t.testdir(), id, c);
        t.equal(result.status, 'fail', 'the rule fails');
        t.equal(result.violations.length, c.violations.length, `violations: ${result.violations.map((v) => v.message).join(' | ')}`);
        c.violations.forEach((expected, i) => {
          const got = result.violations[i];
          if (!got) return;
          t.match(got.message, expected.message);
          t.match(got.message, /\.$/, 'a message is a sentence');
          if (expected.evidence) t.match(got.evidence, expected.evidence);
          if (expected.severity) t.equal(got.severity, expected.severity);
          if (expected.alias) t.equal(got.alias, expected.alias);
          t.equal(got.ignoredBy, expected.ignoredBy, expected.ignoredBy ? `ignored by ${expected.ignoredBy}` : 'not ignored');
          if (expected.fix) t.match(got.fix, expected.fix);
        });
        if (c.severity) t.equal(result.severity, c.severity);
      });
    }
  });
}
