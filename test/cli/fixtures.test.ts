import t from 'tap';
import { runBundle } from '../helpers/bundle.js';
import { validateReport } from '../helpers/report-schema.js';
import { hashTree } from '../helpers/tree.js';
import { checklistFile, nodeFixtures } from '../helpers/node-fixtures.js';

for (const { name, root, expect } of nodeFixtures()) {
  t.test(`node fixture ${name}`, async (t) => {
    const before = hashTree(root);
    const checklist = checklistFile(name, expect);
    const extra = [...(expect.args ?? []), ...(checklist ? ['--checklist', checklist] : [])];
    const args = ['--root', root, '--format', 'json', '--date', '2026-06-01', ...extra];
    const r = runBundle(args);
    t.equal(r.stderr, '', 'nothing on stderr');
    t.equal(r.code, expect.exitCode, expect.description);
    const report = JSON.parse(r.stdout);
    t.ok(validateReport(report), JSON.stringify(validateReport.errors));
    const failed = report.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
    t.same(failed, [...expect.fail].sort(), 'exactly the expected rules fail');
    for (const id of expect.pass ?? []) t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'pass', `${id} passes`);
    for (const id of expect.notApplicable ?? []) {
      t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'not-applicable', `${id} is not applicable`);
    }
    const again = JSON.parse(runBundle(args).stdout);
    t.same({ ...again, timing: null }, { ...report, timing: null }, 'a second run gives the same report');
    const text = runBundle(['--root', root, '--date', '2026-06-01', ...extra]);
    t.equal(text.code, expect.exitCode, 'the text format agrees on the exit code');
    // --verbose quotes every finding's message as the rule wrote it; continuation lines are joined back.
    const verbose = runBundle(['--root', root, '--date', '2026-06-01', '--verbose', ...extra]).stdout.replace(/\n +/g, ' ');
    for (const m of expect.mentions ?? []) t.match(verbose, m, `names: ${m}`);
    const outputs = [r.stdout, text.stdout, ...['junit', 'sarif'].map((f) => runBundle(['--root', root, '--format', f, ...extra]).stdout)];
    for (const secret of expect.secrets ?? [])
      t.notOk(
        outputs.some((o) => o.includes(secret)),
        `${secret} appears in no output format`,
      );
    t.equal(hashTree(root), before, 'the node root is byte-identical after the runs');
  });
}
