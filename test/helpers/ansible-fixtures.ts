import type { Test } from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { failureOf, joinFacts, violationLines, type Hosts, type PlaybookRun } from './ansible.js';
import { checklistFile, nodeFixtures } from './node-fixtures.js';
import { validateReport } from './report-schema.js';

/**
 * One inventory host per node fixture, `fx-<case>`: not strict and with the
 * fixture's own arguments, so its expect.yaml describes the run.
 */
export function fixtureHosts(vars: Record<string, unknown> = {}): Hosts {
  const hosts: Hosts = {};
  for (const f of nodeFixtures()) {
    const checklist = checklistFile(f.name, f.expect);
    hosts[`fx-${f.name}`] = {
      preflight_root: f.root,
      preflight_strict: false,
      preflight_extra_args: ['--date', '2026-06-01', ...(f.expect.args ?? [])],
      ...(checklist ? { preflight_checklist: checklist } : {}),
      ...vars,
    };
  }
  return hosts;
}

/** A host's report in a report directory. */
export const readReport = (dir: string, host: string) => JSON.parse(readFileSync(join(dir, `${host}.json`), 'utf8'));

/** Whether a host failed in a run. */
export const failed = (run: PlaybookRun, host: string): boolean => (run.recap[host]?.failed ?? -1) > 0;

/**
 * One subtest per node fixture: a ready node passes and reaches the join play;
 * a broken one fails with a line per expected rule id and then one failure
 * line; its report in `reports` has exactly the expected failures.
 */
export function checkFixtureHosts(t: Test, run: PlaybookRun, reports: string): void {
  for (const f of nodeFixtures()) {
    t.test(`fixture ${f.name}: ${f.expect.description}`, async (t) => {
      const host = `fx-${f.name}`;
      const facts = joinFacts(run)[host];
      if (f.expect.exitCode === 0) {
        t.notOk(failed(run, host), 'the host passes');
        t.equal(facts?.passed, true, 'the join play sees preflight_passed');
      } else if (f.expect.exitCode === 1) {
        t.ok(failed(run, host), 'the host fails');
        t.equal(facts, undefined, 'the host does not reach the join play');
        const lines = violationLines(run, host);
        for (const id of f.expect.fail)
          t.ok(
            lines.some((l) => l.startsWith(`${id} | `)),
            `a line for ${id} in the play output`,
          );
        for (const line of lines) t.match(line, /^[a-z0-9-]+\/[a-z0-9-]+ \| .+ \| (\/\S+|-) \| fix: .+$/, 'rule | message | file:line | fix');
        const message = failureOf(run, host)!;
        t.match(message, new RegExp(`^${host} is not ready to join: `), 'then one failure line');
        t.notMatch(message, /\n/, 'of one line');
      } else {
        t.match(failureOf(run, host), /could not evaluate .* \(exit 2\)/, 'exit 2 reads as a role/variable problem');
        return;
      }
      const report = readReport(reports, host);
      t.ok(validateReport(report), JSON.stringify(validateReport.errors));
      const failedIds = report.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
      t.same(failedIds, [...f.expect.fail].sort(), 'the report has exactly the expected failures');
      for (const id of f.expect.notApplicable ?? [])
        t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'not-applicable', `${id} is not applicable`);
      t.equal(report.node.root, f.root, 'the checker read the fixture root');
    });
  }
}
