/**
 * Golden text reports: the default (non-verbose, non-TTY) text report of every
 * node fixture under test/fixtures/nodes/, checked on 2026-06-01, compared with
 * test/golden/<name>.txt. The node's root is replaced by <root> before
 * rendering, so line wrapping does not depend on where the checkout lives.
 *
 * After an intended change to the report, regenerate them and review the diff:
 *
 *     UPDATE_GOLDEN=1 npx tap test/report/golden.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import type { Report } from '../../src/engine/types.js';
import { formatText } from '../../src/report/text.js';
import { runCli } from '../helpers/cli.js';
import { checklistFile, nodeFixtures } from '../helpers/node-fixtures.js';

const GOLDEN = new URL('../golden/', import.meta.url).pathname;
const update = process.env.UPDATE_GOLDEN === '1';

/** The report of a node fixture, as the CLI makes it, its root replaced by a placeholder. */
async function fixtureReport(name: string): Promise<Report> {
  const fixture = nodeFixtures().find((f) => f.name === name)!;
  const checklist = checklistFile(name, fixture.expect);
  const args = [
    '--root',
    fixture.root,
    '--format',
    'json',
    '--date',
    '2026-06-01',
    ...(fixture.expect.args ?? []),
    ...(checklist ? ['--checklist', checklist] : []),
  ];
  const report = JSON.parse((await runCli(args)).stdout) as Report;
  // The checklist file is a temporary path too.
  return {
    ...report,
    node: { ...report.node, root: '<root>' },
    checklist: { ...report.checklist, source: checklist ? '<checklist>' : report.checklist.source },
  };
}

for (const { name } of nodeFixtures()) {
  t.test(`golden text report: ${name}`, async (t) => {
    const text = formatText(await fixtureReport(name));
    const file = `${GOLDEN}${name}.txt`;
    if (update || !existsSync(file)) writeFileSync(file, text);
    t.equal(text, readFileSync(file, 'utf8'), `${file} (UPDATE_GOLDEN=1 npx tap test/report/golden.test.ts regenerates it)`);
    for (const line of text.split('\n')) t.ok(line.length <= 100 || !line.slice(8).includes(' '), `at most 100 columns: ${line}`);
  });
}

t.test('the quickstart node: the stale drop-in is named once, as the one cause, with one fix', async (t) => {
  const report = await fixtureReport('stale-containerd-proxy');
  const dropIn = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
  t.match(report.causes, [{ id: dropIn, file: dropIn, line: 2, unit: 'containerd.service', severity: 'error', active: true }]);
  t.equal(report.causes!.length, 1, 'one cause');
  t.equal(report.causes![0]!.consequences.length, 7, 'every finding of the four rules is its consequence');
  const text = formatText(report);
  t.equal(text.split(dropIn).length - 1, 1, 'the drop-in is named once');
  t.match(text, `[ERROR] ${dropIn}:2 (containerd.service): 7 findings\n`);
  t.equal(text.match(/fix:/g)!.length, 1, 'one fix');
  t.match(
    text,
    /fix: Remove this file \(or correct its proxy variables to the checklist's proxy policy\), then run\n\s+systemctl daemon-reload && systemctl restart containerd\.service\./,
  );
  t.match(text, /3 errors, 1 warning[\s\S]*3 info\) from 1 cause/);
  t.equal(text.match(/^ *\[ERROR /gm)!.length, 3, 'as many [ERROR lines as the summary counts errors');
});
