import t from 'tap';
import { readFileSync } from 'node:fs';
import { EXAMPLE_NODE, EXAMPLE_OWNERS, SITE_PAGE, parseExamples, runExample, exampleSnapshot } from '../../scripts/site-docs.js';

const page = readFileSync(SITE_PAGE, 'utf8');
const examples = parseExamples(page);

t.test('the page has an example of every kind of check, and of each mistake that stops a run', async (t) => {
  const files = Object.assign({}, ...examples.map((e) => e.files)) as Record<string, string>;
  for (const kind of ['files:', 'sysctls:', 'kernelModules:', 'systemdUnits:', 'rules:', 'waivers:']) t.ok(Object.values(files).some((f) => f.includes(`\n${kind}`) || f.includes(`  ${kind}`)), `a checklist with ${kind}`);
  t.same(examples.map((e) => e.exit).sort(), [0, 0, 0, 1, 1, 1, 1, 2, 2, 2], 'commands that pass, fail and refuse the checklist');
  t.ok(examples.some((e) => e.command.startsWith('preflight model ')), 'preflight model shows where values come from');
});

// Every command of the page, run against the example node: it prints what the page shows and exits as the page says.
for (const example of examples) {
  t.test(`${SITE_PAGE}:${example.line}: ${example.command}`, async (t) => {
    const { output, code } = await runExample(example);
    t.equal(code, example.exit, 'the exit code the page states');
    t.equal(output, example.output, 'the output the page shows (npm run docs refreshes it)');
    if (example.exit === 2) t.equal(output.split('\n').length, 1, 'a checklist mistake is one line');
    if (example.exit === 2) t.match(output, /^preflight: [a-z-]+\.yaml:\d+:\d+: .*(did you mean|to match the text as written, use)/, 'naming the file, the line and the fix');
  });
}

t.test('the one fake: owners written into the snapshot of the example node', async (t) => {
  const snapshot = exampleSnapshot({ site: { stat: ['/etc/pki/site/registry-ca.pem', '/etc/pki/site/site-ca.pem'] } });
  t.equal(snapshot.root, '/srv/node');
  t.match(snapshot.paths['/etc/pki/site/registry-ca.pem'], { uid: EXAMPLE_OWNERS['/etc/pki/site/registry-ca.pem']![0], gid: 1000 });
  t.match(snapshot.paths['/etc/pki/site/site-ca.pem'], { uid: 0, gid: 0 });
  t.ok(EXAMPLE_NODE.endsWith('test/fixtures/nodes/site-example/root'));
});

t.test('parseExamples: malformed blocks are errors of the page', async (t) => {
  t.throws(() => parseExamples('```console\n$ preflight x\n```\n'), /docs\/write-your-own-checks\.md:1: a console block needs exit=N/);
  t.throws(() => parseExamples('```console exit=0\nls\n```\n'), /a console block needs exit=N and a first line "\$ preflight \.\.\."/);
  t.throws(() => parseExamples('```yaml file=a.yaml\nx: 1\n'), /:1: a code block is not closed/);
  t.same(parseExamples('```yaml file=a.yaml\nx: 1\n```\n\n```text\nnot run\n```\n```console exit=1\n$ preflight --checklist a.yaml\nout\n```\n'), [{ line: 8, command: 'preflight --checklist a.yaml', exit: 1, output: 'out', files: { 'a.yaml': 'x: 1\n' } }]);
  await t.rejects(runExample({ command: 'preflight --root /elsewhere', files: {} }), /the page's commands read --root \/srv\/node/);
});
