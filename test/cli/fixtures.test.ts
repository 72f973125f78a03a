import t from 'tap';
import { runBundle } from '../helpers/bundle.js';
import { validateReport } from '../helpers/report-schema.js';
import { hashTree } from '../helpers/tree.js';
import { nodeFixtures } from '../helpers/node-fixtures.js';

for (const { name, root, expect } of nodeFixtures()) {
  t.test(`node fixture ${name}`, async (t) => {
    const before = hashTree(root);
    const args = ['--root', root, '--format', 'json', '--date', '2026-06-01', ...(expect.args ?? [])];
    const r = runBundle(args);
    t.equal(r.stderr, '', 'nothing on stderr');
    t.equal(r.code, expect.exitCode, expect.description);
    const report = JSON.parse(r.stdout);
    t.ok(validateReport(report), JSON.stringify(validateReport.errors));
    const failed = report.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
    t.same(failed, [...expect.fail].sort(), 'exactly the expected rules fail');
    for (const id of expect.notApplicable ?? []) {
      t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'not-applicable', `${id} is not applicable`);
    }
    const again = JSON.parse(runBundle(args).stdout);
    t.same({ ...again, timing: null }, { ...report, timing: null }, 'a second run gives the same report');
    t.equal(runBundle(['--root', root]).code, expect.exitCode, 'the text format agrees on the exit code');
    t.equal(hashTree(root), before, 'the node root is byte-identical after the runs');
  });
}
