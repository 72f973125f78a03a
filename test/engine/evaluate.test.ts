import t from 'tap';
import { RULES } from '../../src/rules/index.js';
import { loadChecklist, type PreparedChecklist } from '../../src/engine/checklist.js';
import { allRules, evaluate, locate, maxSeverity } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import type { NodeModel } from '../../src/model/types.js';
import type { Rule } from '../../src/rules/types.js';
import { PreflightError } from '../../src/errors.js';
import { writeNode } from '../helpers/node-root.js';

const HEADER = 'Filename Type Size Used Priority\n';

function model(dir: string, files: Record<string, string> = {}): NodeModel {
  return buildModel(collectSnapshot({ root: writeNode(dir, { '/etc/hostname': 'node-1\n', ...files }) }));
}

const base = (over: Record<string, unknown> = {}): Promise<PreparedChecklist> => loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...over });
const result = (report: ReturnType<typeof evaluate>, id: string) => report.results.find((r) => r.id === id)!;

t.test('every rule gets a result, sorted by id, with a summary', async (t) => {
  const report = evaluate(model(t.testdir()), await base(), { date: '2026-01-01' });
  const ids = report.results.map((r) => r.id);
  t.same(ids, [...ids].sort());
  t.equal(report.summary.total, ids.length);
  t.equal(
    Object.values(report.summary.byStatus).reduce((a, b) => a + b),
    ids.length,
  );
  t.match(result(report, 'runtime/cri-ready'), { status: 'not-applicable', message: /run with --online/ });
  t.equal(report.settings.date, '2026-01-01');
  t.same(evaluate(model(t.testdir()), await base(), { date: '2026-01-01' }).results, report.results, 'deterministic');
});

t.test('severity overrides, off, strict', async (t) => {
  const m = model(t.testdir());
  const report = evaluate(m, await base({ severity: { 'crictl/config-present': 'error', 'host/resolv-conf': 'off' } }), {
    only: ['crictl', 'host/resolv-conf'],
  });
  t.match(result(report, 'crictl/config-present'), { status: 'fail', severity: 'error', violations: [{ severity: 'error' }] });
  t.match(result(report, 'host/resolv-conf'), { status: 'skipped', message: /severity: off/ });
  t.equal(report.summary.blocking, 1);
  const lenient = evaluate(m, await base(), { only: ['crictl/config-present'] });
  t.match(lenient.summary, { ready: true, exitCode: 0, blocking: 0, failed: { warning: 1 } });
  const strict = evaluate(m, await base(), { only: ['crictl/config-present'], strict: true });
  t.match(strict.summary, { ready: false, exitCode: 1, blocking: 1 });
  t.equal(maxSeverity('info', 'warning'), 'warning');
  t.equal(maxSeverity('error', 'warning'), 'error');
});

t.test('--only and --ignore', async (t) => {
  const m = model(t.testdir(), { '/proc/swaps': `${HEADER}/swapfile file 1 0 -2\n` });
  const prepared = await base();
  const only = evaluate(m, prepared, { only: ['HOST,crictl/config-present'] });
  t.match(result(only, 'kubelet/no-previous-join'), { status: 'skipped', message: 'Not selected by --only.' });
  t.equal(result(only, 'host/swap-off').status, 'fail');
  const ignored = evaluate(m, prepared, { ignore: ['swap'] });
  t.match(
    result(ignored, 'host/swap-off'),
    { status: 'waived', ignored: ['Swap'], violations: [{ ignoredBy: 'Swap' }] },
    "kubeadm's name demotes its finding, which stays",
  );
  t.notOk(result(ignored, 'host/swap-off').waiver, 'ignoring is not a waiver');
  t.match(result(evaluate(m, prepared, { ignore: ['HOST/SWAP-OFF'] }), 'host/swap-off'), { status: 'waived', ignored: ['host/swap-off'] });
  t.throws(
    () => evaluate(m, prepared, { ignore: ['all'] }),
    new PreflightError('usage', '--ignore all is not accepted: name each rule id or kubeadm check so every exception stays visible'),
  );
  t.throws(() => evaluate(m, prepared, { ignore: ['Swp'] }), {
    code: 'usage',
    message: '--ignore Swp: unknown rule id, domain or kubeadm check name (did you mean Swap?); `preflight rules` lists them',
  });
  t.throws(() => evaluate(m, prepared, { only: ['kubelett'] }), {
    code: 'usage',
    message: /--only kubelett: unknown rule id or domain \(did you mean kubelet\?\)/,
  });
  t.throws(() => evaluate(m, prepared, { only: ['nothing-like-it'] }), { message: /unknown rule id or domain; / });
});

t.test('waivers', async (t) => {
  const m = model(t.testdir(), { '/proc/swaps': `${HEADER}/swapfile file 1 0 -2\n` });
  const waiver = { rule: 'host/swap-off', reason: 'NodeSwap trial, CHG-1234', expires: '2026-06-30' };
  const only = ['host/swap-off', 'host/hostname'];
  const active = evaluate(m, await base({ waivers: [waiver] }), { date: '2026-06-30', only });
  t.match(result(active, 'host/swap-off'), { status: 'waived', waiver: { reason: waiver.reason, expires: waiver.expires, expired: false } });
  t.equal(active.summary.byStatus.waived, 1);
  t.equal(active.summary.blocking, 0);
  const expired = evaluate(m, await base({ waivers: [waiver] }), { date: '2026-07-01', only });
  t.match(result(expired, 'host/swap-off'), { status: 'fail', waiver: { expired: true }, message: /The waiver for this rule expired on 2026-06-30\.$/ });
  t.equal(expired.summary.blocking, 1, 'an expired waiver no longer waives');
  const elsewhere = evaluate(m, await base({ waivers: [{ ...waiver, hosts: ['node-2'] }] }), { date: '2026-06-01' });
  t.equal(result(elsewhere, 'host/swap-off').status, 'fail', 'a waiver scoped to other hosts does not apply');
  const here = evaluate(m, await base({ waivers: [{ ...waiver, hosts: ['node-1'] }] }), { date: '2026-06-01' });
  t.match(result(here, 'host/swap-off'), { status: 'waived', waiver: { hosts: ['node-1'] } });
  const passing = evaluate(m, await base({ waivers: [{ ...waiver, rule: 'host/hostname' }] }), { date: '2026-06-01' });
  t.notOk(result(passing, 'host/hostname').waiver, 'a waiver of a passing rule is not reported');
  const noHost = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/proc/swaps': `${HEADER}/s file 1 0 -2\n` }) }));
  t.equal(
    result(evaluate(noHost, await base({ waivers: [{ ...waiver, hosts: ['node-1'] }] }), { date: '2026-06-01' }), 'host/swap-off').status,
    'fail',
    'an unknown hostname matches no host scope',
  );
});

t.test('custom rules from the checklist', async (t) => {
  const m = model(t.testdir(), { '/etc/crictl.yaml': 'runtime-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 2\n' });
  const prepared = await base({
    rules: [
      {
        id: 'acme/hostname-prefix',
        title: 'Hostnames start with k8s-',
        severity: 'warning',
        remediation: 'Rename the node.',
        target: '/host/hostname/value',
        schema: { type: 'string', pattern: '^k8s-' },
      },
      {
        id: 'acme/crictl-timeout',
        title: 'crictl waits at least 10 s',
        severity: 'error',
        remediation: 'Set timeout: 10.',
        target: '/crictl/timeoutSeconds',
        schema: { type: 'integer', minimum: 10 },
      },
      {
        id: 'acme/kubelet-config',
        title: 'kubelet config is absent',
        severity: 'info',
        remediation: 'None.',
        target: '/kubelet/config/state',
        schema: { const: 'missing' },
      },
      { id: 'acme/nothing-there', title: 'x', severity: 'error', remediation: 'x.', target: '/systemd/units/nothing.service', schema: {} },
    ],
  });
  t.equal(allRules(prepared).length, RULES.length + 4);
  const report = evaluate(m, prepared);
  t.match(result(report, 'acme/hostname-prefix'), {
    status: 'fail',
    custom: true,
    severity: 'warning',
    message: '/host/hostname/value is "node-1" (from /etc/hostname:1); the rule expects a value matching "^k8s-".',
    evidence: { file: '/etc/hostname', line: 1, path: '/host/hostname/value', observed: 'node-1' },
  });
  t.match(result(report, 'acme/crictl-timeout'), {
    status: 'fail',
    message: '/crictl/timeoutSeconds is 2; the rule expects it to be >= 10.',
    evidence: { observed: 2 },
  });
  t.match(result(report, 'acme/kubelet-config'), { status: 'pass', message: 'kubelet config is absent.' });
  t.match(result(report, 'acme/nothing-there'), { status: 'not-applicable', message: 'The node model has nothing at /systemd/units/nothing.service.' });
  const enumRule = await base({
    rules: [{ id: 'acme/driver', title: 't', severity: 'error', remediation: 'r.', target: '/crictl/file/state', schema: { enum: ['missing'] } }],
  });
  t.match(result(evaluate(m, enumRule), 'acme/driver'), { evidence: { file: '/etc/crictl.yaml', expected: ['missing'], observed: 'ok' } });
  const constRule = await base({
    rules: [
      {
        id: 'acme/c',
        title: 't',
        severity: 'error',
        remediation: 'r.',
        target: '/crictl',
        schema: { type: 'object', properties: { timeoutSeconds: { const: 30 } } },
      },
    ],
  });
  t.match(result(evaluate(m, constRule), 'acme/c'), { evidence: { expected: 30, observed: 2, path: '/crictl/timeoutSeconds' } });
});

t.test('a rule that throws is an internal error naming the rule; a missing validator too', async (t) => {
  const m = model(t.testdir());
  const prepared = await base();
  const boom: Rule = {
    id: 'acme/boom',
    title: 't',
    severity: 'error',
    mode: 'static',
    rationale: 'r',
    remediation: 'r.',
    references: [],
    check: () => {
      throw new TypeError('x is undefined');
    },
  };
  t.throws(() => evaluate(m, { ...prepared, customRules: [boom] }), { code: 'internal', message: 'rule acme/boom failed: x is undefined' });
  const nested: Rule = {
    ...boom,
    id: 'acme/nested',
    check: () => {
      throw new PreflightError('usage', 'passed through');
    },
  };
  t.throws(() => evaluate(m, { ...prepared, customRules: [nested] }), { code: 'usage', message: 'passed through' });
  const noValidator: Rule = { ...boom, id: 'acme/novalidator', check: undefined, target: '/host', schema: { type: 'object' } };
  t.throws(() => evaluate(m, { ...prepared, customRules: [noValidator] }), { code: 'internal', message: /no compiled validator for acme\/novalidator/ });
});

t.test('schema and predicate together; unimplemented rules', async (t) => {
  const m = model(t.testdir());
  const prepared = await base({
    rules: [{ id: 'acme/both', title: 't', severity: 'error', remediation: 'r.', target: '/host/hostname/value', schema: { const: 'x' } }],
  });
  const both: Rule = { ...prepared.customRules[0]!, check: () => ({ notApplicable: 'predicate says n/a' }) };
  const r1 = result(evaluate(m, { ...prepared, customRules: [both] }), 'acme/both');
  t.equal(r1.status, 'fail', 'schema violations win over a predicate that declines');
  const passing: Rule = { ...both, schema: { const: 'node-1' } };
  const validators = new Map(prepared.customValidators);
  const Ajv = (await import('ajv')).default.default;
  validators.set('acme/both', new Ajv().compile({ const: 'node-1' }));
  t.match(result(evaluate(m, { ...prepared, customRules: [passing], customValidators: validators }), 'acme/both'), {
    status: 'not-applicable',
    message: 'Predicate says n/a.'.replace('P', 'p'),
  });
  // A rule with a schema and no describe of its own gets the engine's generic sentence.
  const plain: Rule = { ...both, id: 'acme/plain', check: undefined, describe: undefined, schema: { const: 'x' } };
  validators.set('acme/plain', new Ajv().compile({ const: 'x' }));
  t.match(result(evaluate(m, { ...prepared, customRules: [plain], customValidators: validators }), 'acme/plain'), {
    status: 'fail',
    message: '/host/hostname/value is "node-1" (/etc/hostname:1); it must be equal to constant.',
    evidence: { file: '/etc/hostname', line: 1, observed: 'node-1', expected: 'x' },
  });
  const listed: Rule = { ...plain, id: 'acme/listed', target: '/crictl/file/state', schema: { enum: ['ok'] } };
  validators.set('acme/listed', new Ajv().compile({ enum: ['ok'] }));
  t.match(result(evaluate(m, { ...prepared, customRules: [listed], customValidators: validators }), 'acme/listed'), {
    status: 'fail',
    message: '/crictl/file/state is "missing" (/etc/crictl.yaml); it must be equal to one of the allowed values.',
    evidence: { expected: ['ok'], observed: 'missing' },
  });
  const sourceless: Rule = { ...plain, id: 'acme/sourceless', target: '/collection/complete', schema: { const: false } };
  validators.set('acme/sourceless', new Ajv().compile({ const: false }));
  t.match(result(evaluate(m, { ...prepared, customRules: [sourceless], customValidators: validators }), 'acme/sourceless'), {
    status: 'fail',
    message: '/collection/complete is true; it must be equal to constant.',
  });
  const bare: Rule = { id: 'acme/bare', title: 't', severity: 'error', mode: 'static', rationale: 'r', remediation: 'r.', references: [] };
  t.match(result(evaluate(m, { ...prepared, customRules: [bare] }), 'acme/bare'), { status: 'skipped', message: /Not implemented/ });
});

t.test('locate finds the deepest source on the way to a value', async (t) => {
  const m = model(t.testdir(), { '/etc/crictl.yaml': 'timeout: 2\nruntime-endpoint: x\n' });
  t.same(locate(m, '/crictl/runtimeEndpoint/value'), { file: '/etc/crictl.yaml', line: 2 });
  t.same(locate(m, '/crictl/file/state'), { file: '/etc/crictl.yaml' });
  t.same(locate(m, '/host/swap'), {});
  const withEntries = model(t.testdir(), { '/etc/fstab': '/s none swap sw 0 0\n' });
  t.same(locate(withEntries, '/host/swap/fstab/0/spec'), { file: '/etc/fstab', line: 1 });
  t.same(locate({ host: { x: { source: { file: '/a' } } } } as unknown as NodeModel, '/host/x'), { file: '/a' });
  t.same(locate({ host: { x: { file: '/a' } } } as unknown as NodeModel, '/host/x'), { file: '/a' });
});

t.test('defaults: no options; violations without evidence', async (t) => {
  const m = model(t.testdir());
  const prepared = await base();
  const report = evaluate(m, prepared);
  t.equal(report.settings.date, new Date().toISOString().slice(0, 10));
  const bare: Rule = {
    id: 'acme/bare',
    title: 't',
    severity: 'warning',
    mode: 'static',
    rationale: 'r',
    remediation: 'r.',
    references: [],
    check: () => [{ message: 'something is off' }],
  };
  t.match(result(evaluate(m, { ...prepared, customRules: [bare] }), 'acme/bare'), {
    status: 'fail',
    message: 'something is off.',
    evidence: {},
    violations: [{ evidence: {}, severity: 'warning' }],
  });
  t.same(locate({ host: { x: { source: { default: 'built-in' } } } } as unknown as NodeModel, '/host/x'), {}, 'a default has no file');
  t.same(locate({ host: { x: { file: '/a', line: 7 } } } as unknown as NodeModel, '/host/x'), { file: '/a', line: 7 });
});
