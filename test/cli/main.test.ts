import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../src/rules/index.js';
import { TOOL_VERSION } from '../../src/version.js';
import { processIo } from '../../src/cli/main.js';
import { BUNDLE } from '../helpers/bundle.js';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';
import { validateReport } from '../helpers/report-schema.js';

const badNode = (dir: string): string =>
  writeNode(dir, { '/etc/hostname': 'node-1\n', '/etc/crictl.yaml': 'runtime-endpoint: unix:///var/run/crio/crio.sock\n' });

t.test('--help answers the questions: commands, options, exit codes', async (t) => {
  const r = await runCli(['--help']);
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  for (const needle of [
    'preflight rules [id]',
    '--root',
    '--checklist',
    '--strict',
    '--online',
    '--format',
    '--output',
    '--ignore',
    '--only',
    'Exit codes:',
    '2  could not evaluate',
    'NO_COLOR',
  ]) {
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
  t.match(json[0], {
    id: String,
    title: String,
    severity: String,
    mode: String,
    aliases: Array,
    rationale: String,
    remediation: String,
    references: Array,
    docs: /^docs\/rules\//,
  });
  const one = await runCli(['rules', 'containerd/systemd-cgroup']);
  t.match(one.stdout, /^containerd\/systemd-cgroup: runc's cgroup driver matches kubelet's\n {2}severity: error {3}mode: static\n\nWhy:\n/);
  t.match(one.stdout, /\nFix:\n {2}Set SystemdCgroup in the options of the default runtime .*\(true for systemd, false for cgroupfs\)/);
  t.match(
    (await runCli(['rules', 'port-10250'])).stdout,
    /runtime\/port-10250-free: .*\n.*mode: live \(--online\)\n {2}kubeadm names: Port-10250\n/,
    'kubeadm names are accepted',
  );
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

t.test("on a real terminal the text report wraps at the terminal's width", async (t) => {
  // A short root path: a path is one word, and a word is never broken.
  const dir = mkdtempSync('/tmp/pf-tty-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const root = badNode(join(dir, 'node'));
  // script(1) gives the executable a pseudo-terminal of the given width; its output comes back with CR LF line ends.
  const run = (cols: number) =>
    spawnSync('script', ['-qec', `stty cols ${cols} rows 50; ${process.execPath} ${BUNDLE} --root ${root} --color never`, '/dev/null'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, TERM: 'dumb' },
    })
      .stdout.replace(/\r\n/g, '\n')
      .trimEnd()
      .split('\n');
  const narrow = run(72);
  t.ok(narrow.length > 3, 'a report');
  t.same(
    narrow.filter((l) => l.length > 72),
    [],
    'no line wider than 72 columns',
  );
  t.ok(
    narrow.some((l) => l.length > 60),
    'and the width is used',
  );
  t.ok(
    run(200).some((l) => l.length > 100),
    'a wider terminal gets longer lines than a pipe',
  );
  // In process: the width the terminal reports is the width used.
  const inProcess = (await runCli(['--root', root, '--color', 'never'], { isTTY: true, columns: () => 72 })).stdout.trimEnd().split('\n');
  t.same(
    inProcess.filter((l) => l.length > 72),
    [],
    'in process too',
  );
  // The process's own I/O asks the terminal's width of process.stdout.
  t.equal(processIo().columns!(), process.stdout.columns);
});

t.test("the process's stdin, for check --gather, is read a line at a time", async (t) => {
  const lines = processIo().stdinLines!();
  t.equal(typeof lines.next, 'function');
  // Closing it releases process.stdin again.
  t.same(await lines.return!(), { done: true, value: undefined });
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
    [['--root', root, '--checklist', dir], `preflight: --checklist ${dir}: a directory, not a regular file\n`],
    [
      ['--root', root, '--checklist', checklist, '--output', out],
      `preflight: ${checklist}:4:3: proxy.policy: must be one of none, required, allowed (got "sometimes")\n`,
    ],
    [
      ['--root', root, '--ignore', 'FileExisting-socatt', '--output', out],
      'preflight: --ignore FileExisting-socatt: unknown rule id, domain or kubeadm check name (did you mean FileExisting-socat?); `preflight rules` lists them\n',
    ],
    [['--root', root, '--date', 'tomorrow'], 'preflight: --date tomorrow: not a calendar date (expected YYYY-MM-DD)\n'],
    [
      ['--root', root, '--output', join(dir, 'no/such/dir/r.json')],
      `preflight: --output ${join(dir, 'no/such/dir/r.json')}: ENOENT: no such file or directory, open '${join(dir, 'no/such/dir/r.json')}'\n`,
    ],
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
  const failingOutput = {
    stdout: () => {
      throw new TypeError('stdout closed');
    },
  };
  const r = await runCli(['--root', root], failingOutput);
  t.equal(r.code, 2);
  t.equal(r.stderr, `preflight: internal error: stdout closed (kube-preflight ${TOOL_VERSION}; set PREFLIGHT_DEBUG=1 for a stack trace)\n`);
  const debug = await runCli(['--root', root], { ...failingOutput, env: { PREFLIGHT_DEBUG: '1' } });
  t.match(debug.stderr, /^preflight: internal error: stdout closed .*\nTypeError: stdout closed\n\s+at /);
  const missing = await runCli(['--root', '/no/such/root'], { env: { PREFLIGHT_DEBUG: '1' } });
  t.match(
    missing.stderr,
    /^preflight: --root \/no\/such\/root: no such directory\nError: ENOENT: no such file or directory, lstat '\/no'\n/,
    'the underlying error with its stack',
  );
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

t.test('--kubernetes-version: the target, its source in every report, newer than known, malformed', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'node'), {
    '/etc/hostname': 'node-1\n',
    '/var/lib/dpkg/status':
      'Package: kubeadm\nStatus: install ok installed\nVersion: 1.33.1-1.1\n\nPackage: containerd.io\nStatus: install ok installed\nVersion: 2.1.4-1\n',
  });
  const fromPackage = JSON.parse((await runCli(['--root', root, '--format', 'json', '--only', 'host/component-versions'])).stdout);
  t.ok(validateReport(fromPackage), JSON.stringify(validateReport.errors));
  t.match(fromPackage.checklist, {
    kubernetesVersion: '1.33',
    versionSource: 'node-package',
    versionBasis: /the installed kubeadm package \(1\.33\.1-1\.1, \/var\/lib\/dpkg\/status:1\)/,
  });
  t.notOk('versionNote' in fromPackage.checklist);
  t.match(fromPackage.node.containerd, { version: '2.1.4', source: 'node-package' });
  const flag = await runCli(['--root', root, '--verbose', '--kubernetes-version', '1.35', '--only', 'host/component-versions']);
  flag.stdout = flag.stdout.replace(/\n +/g, ' ');
  t.equal(flag.code, 1, 'kubeadm 1.33 cannot join a 1.35 cluster');
  t.match(flag.stdout, /Kubernetes 1\.35 is the target \(--kubernetes-version\)/);
  t.match(flag.stdout, /\[ERROR host\/component-versions\]: kubeadm 1\.33\.1-1\.1 \(\/var\/lib\/dpkg\/status:1\) is not the target Kubernetes 1\.35/);
  const newer = JSON.parse(
    (await runCli(['--root', root, '--kubernetes-version', 'v1.40.2', '--format', 'json', '--only', 'containerd/sandbox-image'])).stdout,
  );
  t.ok(validateReport(newer), JSON.stringify(validateReport.errors));
  t.match(newer.checklist, {
    kubernetesVersion: '1.40',
    versionSource: 'flag',
    versionNote: /newer than the newest version this release of kube-preflight knows \(1\.37\); it is judged with the 1\.37 targets\./,
  });
  t.match(
    (await runCli(['--root', root, '--kubernetes-version', '1.40', '--only', 'host/hostname'])).stdout.replace(/\n +/g, ' '),
    /\[preflight\] Kubernetes 1\.40 .*newer than the newest version .* judged with the 1\.37 targets\./,
    'one line in the text report',
  );
  for (const bad of ['1.x', '2.0', '']) {
    const r = await runCli(['--root', root, '--kubernetes-version', bad]);
    t.equal(r.code, 2, bad);
    t.equal(r.stderr, `preflight: --kubernetes-version ${bad}: expected a Kubernetes version such as 1.33\n`);
  }
  const old = await runCli(['--root', root, '--kubernetes-version', '1.20']);
  t.equal(old.code, 2);
  t.match(
    old.stderr,
    /^preflight: --kubernetes-version 1\.20: this release knows Kubernetes 1\.27 to 1\.37; set sandboxImage in a checklist to judge an older version\n$/,
  );
  const withImage = join(dir, 'old.yaml');
  writeFileSync(withImage, 'apiVersion: kube-preflight/v1\nkind: Checklist\nsandboxImage: registry.k8s.io/pause:3.2\n');
  t.equal(
    (await runCli(['--root', root, '--checklist', withImage, '--kubernetes-version', '1.20', '--only', 'host/hostname'])).code,
    0,
    'an older version with the checklist naming the pause image',
  );
  const checklist = join(dir, 'c.yaml');
  writeFileSync(checklist, 'apiVersion: kube-preflight/v1\nkind: Checklist\nkubernetesVersion: "1.34"\n');
  t.match(JSON.parse((await runCli(['--root', root, '--checklist', checklist, '--format', 'json', '--only', 'host/hostname'])).stdout).checklist, {
    kubernetesVersion: '1.34',
    versionSource: 'checklist',
  });
  const bare = writeNode(join(dir, 'bare'), { '/etc/hostname': 'n\n' });
  t.match(JSON.parse((await runCli(['--root', bare, '--format', 'json', '--only', 'host/hostname'])).stdout).checklist, {
    kubernetesVersion: '1.37',
    versionSource: 'default',
  });
});

t.test('--kubernetes-version on snapshot and diff', async (t) => {
  const dir = t.testdir();
  const a = writeNode(join(dir, 'a'), {
    '/etc/hostname': 'a\n',
    '/var/lib/dpkg/status': 'Package: kubelet\nStatus: install ok installed\nVersion: 1.36.0-1.1\n',
  });
  const b = writeNode(join(dir, 'b'), { '/etc/hostname': 'b\n' });
  const diff = await runCli(['diff', a, b, '--format', 'json', '--kubernetes-version', '1.35']);
  const parsed = JSON.parse(diff.stdout);
  t.match(
    parsed.rules.find((r: { id: string }) => r.id === 'host/component-versions'),
    { a: { status: 'fail' }, b: { status: 'not-applicable' } },
    'kubelet 1.36 is newer than the target 1.35 given to both sides',
  );
  t.equal((await runCli(['diff', a, b, '--kubernetes-version', 'x'])).code, 2);
  const snap = await runCli(['snapshot', '--root', a, '--kubernetes-version', '1.35']);
  t.equal(snap.code, 0);
  t.match(JSON.parse(snap.stdout).paths, { '/var/lib/dpkg/status': { type: 'file' } }, 'the package database is part of the snapshot');
  t.equal((await runCli(['snapshot', '--root', a, '--kubernetes-version', '9'])).code, 2);
});
