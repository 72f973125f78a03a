import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/rules/index.js';
import { TOOL_VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';
import { validateReport } from '../helpers/report-schema.js';

const badNode = (dir: string): string => writeNode(dir, { '/etc/hostname': 'node-1\n', '/etc/crictl.yaml': 'runtime-endpoint: unix:///var/run/crio/crio.sock\n' });

t.test('--help answers the questions: commands, options, exit codes', async (t) => {
  const r = await runCli(['--help']);
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  for (const needle of ['preflight rules [id]', '--root', '--checklist', '--strict', '--online', '--format', '--output', '--ignore', '--only', 'Exit codes:', '2  could not evaluate', 'NO_COLOR']) {
    t.match(r.stdout, needle);
  }
  t.equal((await runCli(['--version'])).stdout, `${TOOL_VERSION}\n`);
  t.match((await runCli(['rules', '--help'])).stdout, /A rule id or kubeadm check name/);
});

t.test('rules: the whole catalogue, or one rule', async (t) => {
  const list = await runCli(['rules']);
  t.equal(list.code, 0);
  for (const rule of RULES) t.match(list.stdout, rule.id);
  t.match(list.stdout, new RegExp(`${RULES.length} rules\\.`));
  const json = JSON.parse((await runCli(['rules', '--format', 'json'])).stdout);
  t.equal(json.length, RULES.length);
  t.match(json[0], { id: String, title: String, severity: String, mode: String, aliases: Array, rationale: String, remediation: String, references: Array, docs: /^docs\/rules\// });
  const one = await runCli(['rules', 'containerd/systemd-cgroup']);
  t.match(one.stdout, /^containerd\/systemd-cgroup: runc's cgroup driver matches kubelet's\n {2}severity: error {3}mode: static\n\nWhy:\n/);
  t.match(one.stdout, /\nFix:\n {2}Set SystemdCgroup = true/);
  t.match((await runCli(['rules', 'port-10250'])).stdout, /runtime\/port-10250-free: .*\n.*mode: live \(--online\)\n {2}kubeadm names: Port-10250\n/, 'kubeadm names are accepted');
  t.match(JSON.parse((await runCli(['rules', 'Swap', '--format', 'json'])).stdout), { id: 'host/swap-off' });
  const unknown = await runCli(['rules', 'host/swapof']);
  t.equal(unknown.code, 2);
  t.equal(unknown.stderr, 'preflight: rules host/swapof: unknown rule id or kubeadm check name (did you mean host/swap-off?)\n');
  t.equal((await runCli(['rules', 'zzzzzzzz'])).stderr, 'preflight: rules zzzzzzzz: unknown rule id or kubeadm check name\n');
});

t.test('check: exit 1 on blocking findings, 0 when ready, text by default', async (t) => {
  const root = badNode(t.testdir());
  const r = await runCli(['--root', root]);
  t.equal(r.code, 1);
  t.match(r.stdout, /\[ERROR crictl\/endpoints-match-runtime\]/);
  t.equal(r.stderr, '');
  const only = await runCli(['check', '--root', root, '--only', 'host/hostname,kubelet']);
  t.equal(only.code, 0);
  t.match(only.stdout, /The node is ready to join/);
});

t.test('check: JSON is valid, deterministic apart from timing, and written with --output', async (t) => {
  const dir = t.testdir();
  const root = badNode(join(dir, 'node'));
  const a = await runCli(['--root', root, '--format', 'json']);
  const b = await runCli(['--root', root, '--format', 'json']);
  const ja = JSON.parse(a.stdout);
  const jb = JSON.parse(b.stdout);
  t.ok(validateReport(ja), JSON.stringify(validateReport.errors));
  t.same({ ...ja, timing: null }, { ...jb, timing: null });
  t.match(ja.timing, { startedAt: '2026-06-01T12:00:00.000Z', durationMs: 0 });
  const out = join(dir, 'report.json');
  const written = await runCli(['--root', root, '--format', 'json', '--output', out]);
  t.equal(written.code, 1);
  t.match(written.stdout, /^\[preflight\] The node is NOT ready to join: .*\.\n$/, 'stdout gets only the summary line');
  t.same({ ...JSON.parse(readFileSync(out, 'utf8')), timing: null }, { ...ja, timing: null });
  for (const format of ['junit', 'sarif']) t.equal((await runCli(['--root', root, '--format', format])).code, 1);
});

t.test('colour only on a terminal, never with NO_COLOR or into a file', async (t) => {
  const dir = t.testdir();
  const root = badNode(join(dir, 'node'));
  t.match((await runCli(['--root', root], { isTTY: true })).stdout, /\u001b\[31m/);
  t.notMatch((await runCli(['--root', root], { isTTY: true, env: { NO_COLOR: '1' } })).stdout, /\u001b\[/);
  t.match((await runCli(['--root', root], { isTTY: true, env: { NO_COLOR: '' } })).stdout, /\u001b\[/, 'an empty NO_COLOR does not count');
  t.notMatch((await runCli(['--root', root, '--color', 'never'], { isTTY: true })).stdout, /\u001b\[/);
  t.match((await runCli(['--root', root, '--color', 'always'])).stdout, /\u001b\[/);
  const out = join(dir, 'r.txt');
  await runCli(['--root', root, '--output', out], { isTTY: true });
  t.notMatch(readFileSync(out, 'utf8'), /\u001b\[/);
});

t.test('bad input: one clear line, exit 2, nothing written, no stack trace', async (t) => {
  const dir = t.testdir();
  const root = badNode(join(dir, 'node'));
  const out = join(dir, 'report.json');
  const checklist = join(dir, 'c.yaml');
  writeFileSync(checklist, 'apiVersion: kube-preflight/v1\nkind: Checklist\nproxy:\n  policy: sometimes\n');
  const cases: [string[], string][] = [
    [['--bogus'], 'preflight: Unknown argument: bogus\n'],
    [['--format', 'xml'], 'preflight: Invalid values: Argument: format, Given: "xml", Choices: "text", "json", "junit", "sarif"\n'],
    [['--root', join(dir, 'missing')], `preflight: --root ${join(dir, 'missing')}: no such directory\n`],
    [['--root', root, '--online'], `preflight: --online probes the running system, so it needs --root / (got --root ${root})\n`],
    [['--root', root, '--online', '--pull'], `preflight: --online probes the running system, so it needs --root / (got --root ${root})\n`],
    [['--pull'], 'preflight: --pull pulls through the running containerd, so it needs --online\n'],
    [['--root', root, '--checklist', join(dir, 'nope.yaml')], `preflight: --checklist ${join(dir, 'nope.yaml')}: no such file\n`],
    [['--root', root, '--checklist', dir], `preflight: --checklist ${dir}: EISDIR: illegal operation on a directory, read\n`],
    [['--root', root, '--checklist', checklist, '--output', out], `preflight: ${checklist}:4:3: proxy.policy: must be one of none, required, allowed (got "sometimes")\n`],
    [['--root', root, '--ignore', 'FileExisting-socatt', '--output', out], 'preflight: --ignore FileExisting-socatt: unknown rule id, domain or kubeadm check name (did you mean FileExisting-socat?); `preflight rules` lists them\n'],
    [['--root', root, '--date', 'tomorrow'], 'preflight: --date tomorrow: expected YYYY-MM-DD\n'],
    [['--root', root, '--output', join(dir, 'no/such/dir/r.json')], `preflight: --output ${join(dir, 'no/such/dir/r.json')}: ENOENT: no such file or directory, open '${join(dir, 'no/such/dir/r.json')}'\n`],
    [['a', 'b'], 'preflight: Unknown arguments: a, b\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = await runCli(args);
    t.equal(r.code, 2, args.join(' '));
    t.equal(r.stderr, stderr, args.join(' '));
    t.equal(r.stdout, '', 'nothing on stdout');
  }
  t.throws(() => readFileSync(out), { code: 'ENOENT' }, 'no report was written');
});

t.test('internal errors: one line with the version; the stack only with PREFLIGHT_DEBUG', async (t) => {
  const root = badNode(t.testdir());
  const failingOutput = { stdout: () => { throw new TypeError('stdout closed'); } };
  const r = await runCli(['--root', root], failingOutput);
  t.equal(r.code, 2);
  t.equal(r.stderr, `preflight: internal error: stdout closed (kube-preflight ${TOOL_VERSION}; set PREFLIGHT_DEBUG=1 for a stack trace)\n`);
  const debug = await runCli(['--root', root], { ...failingOutput, env: { PREFLIGHT_DEBUG: '1' } });
  t.match(debug.stderr, /^preflight: internal error: stdout closed .*\nTypeError: stdout closed\n\s+at /);
  const missing = await runCli(['--root', '/no/such/root'], { env: { PREFLIGHT_DEBUG: '1' } });
  t.match(missing.stderr, /^preflight: --root \/no\/such\/root: no such directory\nError: ENOENT: no such file or directory, lstat '\/no'\n/, 'the underlying error with its stack');
  const usage = await runCli(['--bogus'], { env: { PREFLIGHT_DEBUG: '1' } });
  t.match(usage.stderr, /^preflight: Unknown argument: bogus\nPreflightError: Unknown argument: bogus\n\s+at /);
});

t.test('processIo wires the real process', async (t) => {
  const { processIo } = await import('../../src/cli/main.js');
  const io = processIo();
  t.equal(io.env, process.env);
  t.type(io.isTTY, 'boolean');
  t.ok(io.now() instanceof Date);
  io.stdout('');
  io.stderr('');
});
