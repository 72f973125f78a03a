import t from 'tap';
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputs } from '../../src/cli/files.js';
import { isCalendarDate } from '../../src/cli/main.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { PROBE } from '../../src/model/live.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { runCli } from '../helpers/cli.js';
import { nodeFixtures } from '../helpers/node-fixtures.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';
import { hashTree } from '../helpers/tree.js';
import { ACTIVE, ran, systemctlShow } from '../live/fixtures.js';

// Nothing written, nothing claimed without cause: outputs never land in the node being checked, never
// follow a symlink, never collide; a run that exits 2 writes nothing; an empty or foreign root, an
// impossible date, a live check without a live daemon are refused or not applicable, never passed.

t.test('outputs inside the root, through a symlink, or twice the same file: refused, nothing written', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'root'), { '/etc/hostname': 'node-1\n', '/etc/containerd/config.toml': 'version = 2\n' });
  symlinkSync(join(root, 'etc'), join(dir, 'etc-link'));
  symlinkSync(join(dir, 'victim'), join(dir, 'out-link'));
  writeFileSync(join(dir, 'victim'), 'keep\n');
  writeFileSync(join(dir, 'first.json'), '');
  linkSync(join(dir, 'first.json'), join(dir, 'hard.json'));
  const before = hashTree(root);
  const cases: [string, string[], RegExp][] = [
    ["--output onto the node's config", ['--output', join(root, 'etc/containerd/config.toml')], /--output \S+: refusing to write there: it is inside --root/],
    ['--output as the root itself', ['--output', root], /refusing to write there: it is inside --root/],
    ['--output through .. back into the root', ['--output', join(dir, 'x', '..', 'root', 'new.json')], /refusing to write there/],
    ['--output through a symlinked directory into the root', ['--output', join(dir, 'etc-link', 'hostname')], /refusing to write there/],
    ['--save-snapshot inside the root', ['--save-snapshot', join(root, 'etc/snap.json')], /--save-snapshot \S+: refusing to write there/],
    ['--output through a symlink', ['--output', join(dir, 'out-link')], /--output \S+out-link: it is a symlink; refusing to write through it/],
    ['--save-snapshot through a symlink', ['--save-snapshot', join(dir, 'out-link')], /--save-snapshot \S+out-link: it is a symlink/],
    ['the same path twice', ['--output', join(dir, 'same.json'), '--save-snapshot', join(dir, 'same.json')], /--output and --save-snapshot name the same file/],
    ['the same file under two spellings', ['--output', join(dir, 'same.json'), '--save-snapshot', join(dir, '.', 'same.json')], /name the same file/],
    ['the same file by a hard link', ['--output', join(dir, 'first.json'), '--save-snapshot', join(dir, 'hard.json')], /name the same file/],
    ['an empty --output', ['--output', ''], /--output: an empty path/],
  ];
  for (const [name, args, message] of cases) {
    const r = await runCli(['--root', root, ...args]);
    t.equal(r.code, 2, `${name}: exit 2`);
    t.match(r.stderr, message, `${name}: ${r.stderr.trim()}`);
    t.match(r.stderr, /^preflight: [^\n]+\n$/);
  }
  t.equal(hashTree(root), before, 'the root is untouched');
  t.equal(readFileSync(join(dir, 'victim'), 'utf8'), 'keep\n', 'the symlink target is untouched');
  t.notOk(existsSync(join(dir, 'same.json')), 'a refused pair writes neither');
});

t.test('on the node itself (--root /), no output may replace a file the checks read', async (t) => {
  // Checked without running on / (which reads this machine): the check is given what the collector read.
  t.throws(() => checkOutputs('/', [{ option: '--output', file: '/etc/containerd/config.toml' }], new Set(['/etc/containerd/config.toml'])), {
    message: /refusing to write there: it is a file the checks read on this node/,
  });
  t.doesNotThrow(
    () => checkOutputs('/', [{ option: '--output', file: '/tmp/report.json' }], new Set(['/etc/containerd/config.toml'])),
    'anywhere else is fine',
  );
});

t.test('a run that exits 2 writes neither the report nor the snapshot', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'root'), { '/etc/hostname': 'node-1\n' });
  writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: kube-preflight/v1\nkind: Checklist\nproxy: { policy: sometimes }\n');
  mkdirSync(join(dir, 'adir'));
  for (const [name, args] of [
    ['an unknown --ignore', ['--ignore', 'nosuch']],
    ['an unknown --only', ['--only', 'nosuch']],
    ['an invalid checklist', ['--checklist', join(dir, 'bad.yaml')]],
    ['a report that cannot be written', ['--output', join(dir, 'adir')]],
    ['an impossible --date', ['--date', '2026-02-30']],
  ] as const) {
    const snap = join(dir, `${name.replace(/\W+/g, '-')}.json`);
    const r = await runCli(['--root', root, '--save-snapshot', snap, ...args]);
    t.equal(r.code, 2, `${name}: exit 2 (${r.stderr.trim()})`);
    t.notOk(existsSync(snap), `${name}: no snapshot written`);
  }
});

t.test('roots: empty, and not a node at all', async (t) => {
  const dir = t.testdir();
  for (const args of [
    ['--root', ''],
    ['snapshot', '--root', ''],
  ]) {
    const r = await runCli(args);
    t.equal(r.code, 2);
    t.equal(r.stderr, "preflight: --root: an empty path; give the node's root directory (/ on the node itself)\n");
  }
  const home = writeNode(join(dir, 'home'), { '/notes.txt': 'x', '/src/main.c': 'int main;' });
  for (const args of [
    ['--root', home],
    ['snapshot', '--root', home],
    ['diff', home, home],
    ['fleet', home, home],
  ]) {
    const r = await runCli(args);
    t.equal(r.code, 2, args.join(' '));
    t.match(r.stderr, /^preflight: --root \S+: does not look like a node root \(none of the paths the checks read exists/);
  }
  for (const f of nodeFixtures()) {
    const r = await runCli(['--root', f.root, ...(f.expect.args ?? [])]);
    t.ok(r.code === 0 || r.code === 1, `${f.name}: every fixture still looks like a node (exit ${r.code})`);
  }
  const partials: NodeFiles[] = [
    { '/etc/hostname': 'n\n' },
    { '/etc/containerd/config.toml': 'version = 2\n' },
    { '/etc/crictl.yaml': 'timeout: 2\n' },
    { '/usr/lib/systemd/system/x.service': '' },
    { '/proc/swaps': '' },
  ];
  for (const partial of partials) {
    t.ok([0, 1].includes((await runCli(['--root', writeNode(t.testdir(), partial)])).code!), `a partial root with ${Object.keys(partial)[0]} is a node`);
  }
});

t.test('--date is a calendar date', async (t) => {
  const valid = ['2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31', '2026-04-30'];
  const invalid = [
    '2026-02-30',
    '0000-00-00',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-1',
    '26-01-01',
    '2026-01-01T00:00',
    'tomorrow',
    '0000-01-01',
  ];
  for (const d of valid) t.ok(isCalendarDate(d), d);
  for (const d of invalid) t.notOk(isCalendarDate(d), d);
  const root = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n' });
  t.equal(
    (await runCli(['--root', root, '--date', '0000-00-00'])).stderr,
    'preflight: --date 0000-00-00: not a calendar date (expected YYYY-MM-DD)\n',
    'no waiver is judged against day zero',
  );
});

t.test('live claims need a live daemon; a missing socket is missing; the binary decides the defaults', async (t) => {
  const prepared = await loadChecklist(undefined);
  const snapshot = (commands: Snapshot['commands'], files: Snapshot['paths'] = {}): Snapshot => ({
    schemaVersion: 1,
    kind: 'NodeSnapshot',
    tool: { name: 'kube-preflight', version: '0' },
    root: '/',
    online: true,
    paths: { '/etc/hostname': { type: 'file', content: 'n\n' }, ...files },
    commands,
  });
  const missing = ran(
    ['unix-connect', '/run/containerd/containerd.sock'],
    1,
    '',
    'no such file or directory (connect ENOENT /run/containerd/containerd.sock)\n',
  );
  const timeout = { argv: ['crictl', 'info'], exitCode: null, stdout: '', stderr: '', error: { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' } };
  const model = buildModel(
    snapshot({
      [PROBE.socketConnect]: missing,
      [PROBE.crictlInfo]: timeout,
      [PROBE.version]: { ...timeout, argv: ['ctr', 'version'] },
      ...systemctlShow({ ...ACTIVE, ActiveState: 'inactive', MainPID: '0' }),
    }),
  );
  t.match(model.live!.cri.detail, /^containerd's socket \/run\/containerd\/containerd\.sock does not exist/, 'not "i/o timeout"');
  t.match(model.live!.socket.version, { state: 'failed', detail: /does not exist/ });
  const report = evaluate(model, prepared, { date: '2026-06-01' });
  t.match(
    report.results.find((r) => r.id === 'runtime/config-applied'),
    { status: 'not-applicable', message: /No running containerd was found/ },
  );
  t.match(
    report.results.find((r) => r.id === 'runtime/socket-responds'),
    { status: 'fail', message: /does not exist: no containerd is serving it/ },
  );
  const notInstalled = buildModel(
    snapshot({ [PROBE.socketConnect]: missing, [PROBE.crictlInfo]: { ...timeout, error: { code: 'ENOENT', message: 'spawn crictl ENOENT' } } }),
  );
  t.match(notInstalled.live!.cri, { detail: /neither crictl info nor ctr plugins ls was run|crictl/ }, 'a tool that is not installed stays not installed');

  const dir = t.testdir();
  for (const [version, pause] of <[string, string][]>[
    ['containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3', 'registry.k8s.io/pause:3.6'],
    ['containerd containerd.io 1.7.24 88bf19b', 'registry.k8s.io/pause:3.8'],
    ['containerd github.com/containerd/containerd/v2 v2.1.4 75cb2b7', 'registry.k8s.io/pause:3.10'],
  ]) {
    const file = join(dir, `${pause.replace(/\W/g, '')}.json`);
    writeFileSync(file, JSON.stringify(snapshot({ [PROBE.binaryVersion]: ran(['containerd', '--version'], 0, `${version}\n`) })));
    const out = JSON.parse((await runCli(['check', '--snapshot', file, '--format', 'json', '--verbose'])).stdout);
    t.match(out.node.containerd, { basis: /the installed containerd binary/ }, `${version}: the binary's release`);
    t.match(
      out.results.find((r: { id: string }) => r.id === 'containerd/sandbox-image'),
      { evidence: {} },
      'evaluated',
    );
    t.equal(
      buildModel(snapshot({}), { containerdVersion: version.match(/(\d+\.\d+)\./)![1] }).containerd.cri.sandboxImage.value,
      pause,
      `${version}: built-in sandbox image ${pause}`,
    );
  }
});
