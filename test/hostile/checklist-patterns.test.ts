import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { CUSTOM_RULE_TIMEOUT_MS, evaluate } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode } from '../helpers/node-root.js';

// A host name of 40 "a"s and a "!": `^(a+)+$` tries 2^40 ways to split it before failing.
const HOSTNAME = `${'a'.repeat(40)}!`;

const checklist = (pattern: string): object => ({
  apiVersion: 'kube-preflight/v1',
  kind: 'Checklist',
  rules: [
    {
      id: 'acme/hostname-shape',
      title: 'Host names have the house shape',
      severity: 'warning',
      remediation: 'Rename the node.',
      target: '/host/hostname/value',
      schema: { type: 'string', pattern },
    },
  ],
});

t.test('a catastrophic pattern stops at the time limit with a clear error', async (t) => {
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/hostname': `${HOSTNAME}\n` }) }));
  const prepared = await loadChecklist(checklist('^(a+)+$'), { source: 'org.yaml' });
  const start = Date.now();
  t.throws(() => evaluate(model, prepared, { date: '2026-01-01', customRuleTimeoutMs: 200 }), {
    code: 'checklist-invalid',
    message:
      'org.yaml: custom rule acme/hostname-shape did not finish within 200 ms on /host/hostname/value ("^(a+)+$": nested or overlapping repetition backtracks without end); simplify its schema',
  });
  t.ok(Date.now() - start < 2000, `stopped after ${Date.now() - start} ms`);
  // The same rule on a value it decides quickly still runs, under the same bound.
  const quick = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/hostname': 'aaa\n' }) }));
  t.equal(evaluate(quick, prepared, { date: '2026-01-01', customRuleTimeoutMs: 200 }).results.find((r) => r.id === 'acme/hostname-shape')?.status, 'pass');
  t.equal(CUSTOM_RULE_TIMEOUT_MS, 1000);
});

t.test('a slow schema without a pattern keyword is named without a pattern hint', async (t) => {
  // patternProperties matches a key the node's containerd config chose.
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/containerd/config.toml': `version = 2\n"${HOSTNAME}" = 1\n` }) }));
  const rule = {
    id: 'acme/slow',
    title: 'Slow',
    severity: 'warning',
    remediation: 'Fix.',
    target: '/containerd/files/0/data',
    schema: { type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } } },
  };
  const prepared = await loadChecklist({ ...checklist('x'), rules: [rule] }, { source: 'org.yaml' });
  t.throws(() => evaluate(model, prepared, { date: '2026-01-01', customRuleTimeoutMs: 100 }), {
    message: 'org.yaml: custom rule acme/slow did not finish within 100 ms on /containerd/files/0/data; simplify its schema',
  });
});

t.test('a schema that fails for another reason is the rule failing, not a time-out', async (t) => {
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/hostname': 'node-1\n' }) }));
  // A schema that refers to itself for ever overflows the stack at once.
  const rule = {
    id: 'acme/recursive',
    title: 'Recursive',
    severity: 'warning',
    remediation: 'Fix.',
    target: '/host/hostname/value',
    schema: { anyOf: [{ $ref: '#' }] },
  };
  const prepared = await loadChecklist({ ...checklist('x'), rules: [rule] }, { source: 'org.yaml' });
  const start = Date.now();
  t.throws(() => evaluate(model, prepared, { date: '2026-01-01' }), {
    code: 'internal',
    message: /^rule acme\/recursive failed: Maximum call stack size exceeded/,
  });
  t.ok(Date.now() - start < 2000);
});

t.test('the CLI: exit 2, one line, within the bound, nothing written', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'root'), { '/etc/hostname': `${HOSTNAME}\n` });
  const file = join(dir, 'org.json');
  writeFileSync(file, JSON.stringify(checklist('^(a+)+$')));
  const out = join(dir, 'report.json');
  const start = Date.now();
  const r = runBundle(['--root', root, '--checklist', file, '--format', 'json', '--output', out]);
  const elapsed = Date.now() - start;
  t.equal(r.code, 2);
  t.equal(r.stdout, '');
  t.equal(
    r.stderr,
    `preflight: ${file}: custom rule acme/hostname-shape did not finish within ${CUSTOM_RULE_TIMEOUT_MS} ms on /host/hostname/value ("^(a+)+$": nested or overlapping repetition backtracks without end); simplify its schema\n`,
  );
  t.ok(elapsed < CUSTOM_RULE_TIMEOUT_MS + 4000, `exited after ${elapsed} ms`);
});
