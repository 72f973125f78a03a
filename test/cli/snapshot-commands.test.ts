import t from 'tap';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { main } from '../../src/cli/main.js';
import { NODES, checklistFile, nodeFixtures } from '../helpers/node-fixtures.js';
import { validateReport } from '../helpers/report-schema.js';
import { parseSnapshot } from '../../src/snapshot/serialize.js';
import { collectSnapshot, remainingInputs } from '../../src/collect/snapshot.js';
import type { NodeDiff } from '../../src/diff/diff.js';

const healthy = join(NODES, 'stale-proxy-healthy-node2', 'root');
const broken = join(NODES, 'stale-containerd-proxy', 'root');
const DROP_IN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';

/** The JSON report without its timing fields. */
function results(stdout: string): unknown {
  const report = JSON.parse(stdout) as Record<string, unknown>;
  delete report.timing;
  return report;
}

t.test('check --snapshot gives the same report as a direct run, for every fixture node', async (t) => {
  const dir = t.testdir();
  for (const { name, root, expect } of nodeFixtures()) {
    const file = join(dir, `${name}.json`);
    // The checklist's site checks and custom rules decide what the snapshot holds.
    const checklist = checklistFile(name, expect) ? ['--checklist', checklistFile(name, expect)!] : [];
    const written = await runCli(['snapshot', '--root', root, '--output', file, ...checklist]);
    t.equal(written.code, 0, `${name}: snapshot written`);
    t.equal(statSync(file).mode & 0o777, 0o600, `${name}: only its owner can read the snapshot`);
    const extra = [...(expect.args ?? []), ...checklist];
    const direct = await runCli(['--root', root, '--format', 'json', ...extra]);
    const replayed = await runCli(['check', '--snapshot', file, '--format', 'json', ...extra]);
    t.equal(replayed.code, direct.code, `${name}: same exit code`);
    t.same(results(replayed.stdout), results(direct.stdout), `${name}: same report`);
    t.ok(validateReport(JSON.parse(replayed.stdout)), `${name}: the report is valid`);
  }
});

t.test('a snapshot is versioned JSON with the collection time, to stdout by default', async (t) => {
  const run = await runCli(['snapshot', '--root', healthy]);
  t.equal(run.code, 0);
  const snapshot = parseSnapshot(run.stdout, 'stdout');
  t.equal(snapshot.kind, 'NodeSnapshot');
  t.equal(snapshot.collectedAt, '2026-06-01T12:00:00.000Z');
  t.ok(snapshot.paths['/etc/containerd/config.toml']?.content, 'file contents are recorded');
  const existing = join(t.testdir({ 'old.json': 'x' }), 'old.json');
  writeFileSync(existing, 'x', { mode: 0o644 });
  await runCli(['snapshot', '--root', healthy, '--output', existing]);
  t.equal(statSync(existing).mode & 0o777, 0o600, 'an existing file is made private too');
});

t.test('snapshot and check --snapshot refuse bad input with one line and exit 2', async (t) => {
  const dir = t.testdir({
    'other.json': JSON.stringify({ kind: 'PreflightReport' }),
    'broken.json': '{"kind": "NodeSnapshot",',
    'invalid.json': JSON.stringify({
      schemaVersion: 1,
      kind: 'NodeSnapshot',
      tool: { name: 'x', version: '1' },
      root: '/',
      online: false,
      paths: { relative: { type: 'file' } },
      commands: {},
      extra: 1,
    }),
    'many.json': JSON.stringify({
      schemaVersion: 2,
      kind: 'NodeSnapshot',
      paths: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/f${i}`, { type: 'nope' }])),
    }),
  });
  const cases: [string[], RegExp][] = [
    [['check', '--snapshot', join(dir, 'nope.json')], /^preflight: --snapshot \S+nope\.json: no such file\n$/],
    [['check', '--snapshot', dir], /: a directory, not a regular file\n$/],
    [['check', '--snapshot', join(dir, 'other.json', 'x')], /^preflight: --snapshot \S+other\.json\/x: cannot be opened \(ENOTDIR\)/],
    [['check', '--snapshot', join(dir, 'other.json')], /^preflight: \S+other\.json: not a kube-preflight snapshot \(write one with `preflight snapshot`\)\n$/],
    [['check', '--snapshot', join(dir, 'broken.json')], /^preflight: \S+broken\.json: not a JSON document \(/],
    [['check', '--snapshot', join(dir, 'invalid.json'), '--root', '/x'], /takes no --root or --online\n$/],
    [['check', '--snapshot', join(dir, 'invalid.json'), '--online'], /takes no --root or --online\n$/],
    [['snapshot', '--root', healthy, '--online'], /^preflight: --online probes the running system, so it needs --root \/ /],
    [['snapshot', '--root', healthy, '--output', join(dir, 'no', 'such', 'dir.json')], /^preflight: --output \S+: ENOENT/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args);
    t.equal(run.code, 2, args.join(' '));
    t.match(run.stderr, message, args.join(' '));
    t.equal(run.stderr.split('\n').length, 2, `${args.join(' ')}: one line`);
  }
  const invalid = await runCli(['check', '--snapshot', join(dir, 'invalid.json')]);
  t.equal(invalid.code, 2);
  t.match(invalid.stderr, /: \(top level\): unknown key "extra"/);
  t.match(invalid.stderr, /: \/paths: property name must be valid|\/paths: must match pattern/);
  const many = await runCli(['check', '--snapshot', join(dir, 'many.json')]);
  t.match(many.stderr, /\/schemaVersion: must be 1/);
  t.match(many.stderr, /: and \d+ more problems\n$/, 'a long list is cut short');
});

t.test('diff names the stale drop-in, its proxy variables and the rules that differ (the stale-proxy incident)', async (t) => {
  const file = join(t.testdir(), 'node2.json');
  await runCli(['snapshot', '--root', healthy, '--output', file]);
  const text = await runCli(['diff', file, broken]);
  t.equal(text.code, 1, 'the nodes differ');
  t.match(text.stdout, /^Settings that differ$/m);
  t.match(text.stdout, new RegExp(`  containerd HTTP_PROXY\\n    A: \\(not present\\)\\n    B: "http://10\\.0\\.0\\.1:7897"  \\(${DROP_IN}:2\\)`));
  t.match(text.stdout, new RegExp(`  containerd HTTPS_PROXY\\n    A: \\(not present\\)\\n    B: "http://10\\.0\\.0\\.1:7897"  \\(${DROP_IN}:3\\)`));
  t.match(text.stdout, new RegExp(`  B: caused by ${DROP_IN}; fix: `), 'the rules that differ under their one cause');
  t.match(text.stdout, /\n    systemd\/proxy-policy\n      A: pass: .*\n      B: fail: containerd\.service gets HTTP_PROXY/);
  t.match(text.stdout, /\[preflight\] 4 settings differ; 4 rules have a different outcome\.\n$/);

  const json = await runCli(['diff', healthy, broken, '--format', 'json']);
  const diff = JSON.parse(json.stdout) as NodeDiff;
  t.equal(diff.kind, 'NodeDiff');
  t.same(
    diff.settings.find((d) => d.path === 'dropInPaths'),
    {
      setting: 'containerd.service drop-ins',
      group: 'systemd: containerd.service',
      path: 'dropInPaths',
      a: { value: '[]' },
      b: { value: JSON.stringify([DROP_IN]) },
    },
  );
  t.same(
    diff.settings.map((d) => d.path),
    ['dropInPaths', 'environment.HTTPS_PROXY', 'environment.HTTP_PROXY', 'environment.NO_PROXY'],
    'only what matters: the hostnames differ too, and are left out',
  );
  t.same(
    diff.rules.map((r) => r.id),
    ['systemd/drop-ins-allowed', 'systemd/no-proxy-coverage', 'systemd/proxy-policy', 'systemd/shell-env-divergence'],
  );
  t.same(diff.rules.find((r) => r.id === 'systemd/proxy-policy')?.a.status, 'pass');
  t.same(diff.rules.find((r) => r.id === 'systemd/proxy-policy')?.b.status, 'fail');
});

t.test('diff of a node with itself finds nothing; other domains are grouped by what they configure', async (t) => {
  const same = await runCli(['diff', healthy, healthy]);
  t.equal(same.code, 0);
  t.match(same.stdout, /The nodes do not differ in any compared setting or rule outcome\.\n$/);
  const other = await runCli(['diff', healthy, join(NODES, 'incident-private-harbor-registry', 'root'), '--format', 'json']);
  t.equal(other.code, 1);
  const diff = JSON.parse(other.stdout) as NodeDiff;
  const groups = new Set(diff.settings.map((d) => d.group));
  t.ok(groups.has('containerd'), 'typed containerd settings');
  t.ok(groups.has('containerd: effective configuration'), 'the merged configuration tree');
  t.ok(
    [...groups].some((g) => g.startsWith('containerd: registry ')),
    'registry host directories by registry',
  );
  const sandbox = diff.settings.find((d) => d.group === 'containerd' && d.path === 'cri.sandboxImage');
  t.match(sandbox?.b?.source, /^\/etc\/containerd\/config\.toml:\d+$/, 'a value set in a file names file and line');
  t.match(sandbox?.a?.source, /config\.toml:\d+$|built-in default/);
  const text = await runCli(['diff', healthy, join(NODES, 'swap-on', 'root')]);
  t.match(text.stdout, /1 rule has a different outcome\.|rules have a different outcome\./);
});

t.test('diff refuses what is neither a snapshot nor a directory', async (t) => {
  const run = await runCli(['diff', healthy, '/definitely/not/here']);
  t.equal(run.code, 2);
  t.equal(run.stderr, 'preflight: diff /definitely/not/here: no such file or directory\n');
  const checklist = await runCli(['diff', healthy, healthy, '--checklist', '/nope.yaml']);
  t.equal(checklist.code, 2);
  t.match(checklist.stderr, /--checklist \/nope\.yaml: no such file/);
});

t.test('inputs lists what the collector reads, and with --snapshot what is still missing', async (t) => {
  const all = await runCli(['inputs']);
  t.equal(all.code, 0);
  t.match(all.stdout, /^read \/etc\/containerd\/config\.toml$/m);
  t.match(all.stdout, /^list \/etc\/systemd\/system\/containerd\.service\.d$/m);
  // A gatherer that follows the listing until nothing is left ends with what collectSnapshot reads.
  const full = collectSnapshot({ root: broken });
  const partial = {
    ...full,
    paths: Object.fromEntries(Object.entries(full.paths).filter(([p]) => !p.startsWith('/etc/systemd/system/containerd.service.d/'))),
  };
  const missing = remainingInputs(partial);
  t.same(missing.read, [DROP_IN], 'the drop-in is read once its directory has been listed');
  // A directory stat'ed but not yet listed asks for its listing only, not again for what it already answered.
  const dir = '/etc/systemd/system/containerd.service.d';
  const statOnly = { ...partial, paths: { ...partial.paths, [dir]: { type: 'directory' as const, mode: 0o755 } } };
  const listing = remainingInputs(statOnly);
  t.ok(listing.list.includes(dir), 'the listing is still wanted');
  t.notOk(listing.stat.includes(dir) || listing.read.includes(dir), 'the stat is not asked for twice');
  const file = join(t.testdir(), 'partial.json');
  writeFileSync(file, JSON.stringify(partial));
  const json = JSON.parse((await runCli(['inputs', '--snapshot', file, '--format', 'json'])).stdout) as { complete: boolean; read: string[] };
  t.equal(json.complete, false);
  t.same(json.read, [DROP_IN]);
  writeFileSync(file, JSON.stringify(full));
  const done = await runCli(['inputs', '--snapshot', file]);
  t.equal(done.stdout, '', 'nothing left to gather');
  t.same(remainingInputs(full), { read: [], list: [], stat: [] });
  t.ok(readFileSync(file, 'utf8').length > 0);
});

t.test('check --snapshot --gather: what is missing on stdout, records from stdin, then the check, in one run', async (t) => {
  const dir = t.testdir();
  const full = collectSnapshot({ root: broken });
  const dropIns = (p: string): boolean => p.startsWith('/etc/systemd/system/containerd.service.d/');
  const partial = { ...full, paths: Object.fromEntries(Object.entries(full.paths).filter(([p]) => !dropIns(p))) };
  const snap = join(dir, 'snap.json');
  writeFileSync(snap, JSON.stringify(partial));
  // A gatherer that answers each question with exactly the records asked for.
  const answer = (asked: string): string => {
    const wanted = JSON.parse(asked) as { read: string[]; list: string[]; stat: string[] };
    const names = new Set([...wanted.read, ...wanted.list, ...wanted.stat]);
    return JSON.stringify({ paths: Object.fromEntries(Object.entries(full.paths).filter(([p]) => names.has(p))) });
  };
  let out = '';
  let asked = 0;
  const lines: AsyncIterator<string> = {
    next: () => {
      asked++;
      const last = out.trimEnd().split('\n').at(-1)!;
      return Promise.resolve({ done: false, value: answer(last) });
    },
  };
  const code = await main(['check', '--snapshot', snap, '--gather', '--format', 'json'], {
    stdout: (s) => void (out += s),
    stderr: (s) => t.fail(s),
    isTTY: false,
    env: {},
    now: () => new Date('2026-06-01T12:00:00Z'),
    stdinLines: () => lines,
  });
  t.equal(code, 1, 'completed, then checked: the stale proxy fails');
  const [first, ...rest] = out.split('\n');
  t.same(JSON.parse(first!), { complete: false, ...remainingInputs(partial) }, 'the first question is what inputs --format json says');
  t.ok(asked >= 1, `${asked} round(s) of records`);
  const done = rest.findIndex((l) => l.startsWith('{"complete":true'));
  t.ok(done >= 0, 'then the line that says nothing is missing');
  const report = JSON.parse(rest.slice(done + 1).join('\n')) as { kind: string; results: { id: string; status: string }[] };
  t.equal(report.kind, 'PreflightReport', 'then the report');
  t.equal(report.results.find((r) => r.id === 'systemd/proxy-policy')?.status, 'fail', 'judged on the gathered drop-in');

  const ended = await runCli(['check', '--snapshot', snap, '--gather']);
  t.equal(ended.code, 2, 'stdin that ends before the snapshot is complete');
  t.match(ended.stderr, /^preflight: --gather: stdin ended while \S+snap\.json still lacks \d+ path\(s\) the checks read\n$/);
  const notJson = await runCli(['check', '--snapshot', snap, '--gather'], {
    stdinLines: () => ['nope'][Symbol.iterator]() as unknown as AsyncIterator<string>,
  });
  t.equal(notJson.stderr, 'preflight: --gather: line 1 of stdin: not JSON\n');
  const noPaths = await runCli(['check', '--snapshot', snap, '--gather'], {
    stdinLines: () => ['null'][Symbol.iterator]() as unknown as AsyncIterator<string>,
  });
  t.equal(noPaths.code, 2, 'a line without records is refused as a snapshot without paths is');
  t.match(noPaths.stderr, /^preflight: --gather: line 1 of stdin: /);
  const noSnapshot = await runCli(['check', '--root', broken, '--gather']);
  t.equal(noSnapshot.stderr, 'preflight: --gather completes a --snapshot from stdin, so it needs --snapshot\n');
});

t.test('a snapshot gathered by another tool is redacted and normalized before it is checked', async (t) => {
  const root = join(NODES, 'incident-private-harbor-registry', 'root');
  const config = readFileSync(join(root, 'etc/containerd/config.toml'), 'utf8');
  t.match(config, /Harbor12345/, 'the fixture holds the plaintext password');
  // What a gatherer such as the role's controller runtime sends: raw file contents, paths as it wrote them, no redaction.
  const own = collectSnapshot({ root });
  const foreign = {
    ...own,
    redacted: false,
    paths: {
      ...Object.fromEntries(Object.entries(own.paths).filter(([p]) => p !== '/etc/containerd/config.toml')),
      '/etc//containerd/./config.toml': { ...own.paths['/etc/containerd/config.toml']!, content: config },
    },
  };
  const dir = t.testdir();
  const file = join(dir, 'foreign.json');
  writeFileSync(file, JSON.stringify(foreign));
  const fixture = nodeFixtures().find((f) => f.name === 'incident-private-harbor-registry')!;
  const saved = join(dir, 'adopted.json');
  const args = ['--format', 'json', '--checklist', checklistFile(fixture.name, fixture.expect)!];
  const replayed = await runCli(['check', '--snapshot', file, '--save-snapshot', saved, ...args]);
  const direct = await runCli(['--root', root, ...args]);
  t.equal(replayed.code, 1, replayed.stderr);
  t.same(results(replayed.stdout), results(direct.stdout), 'the same report as the direct run');
  t.notMatch(replayed.stdout + replayed.stderr, /Harbor12345/, 'the password never reaches the report');
  const savedText = readFileSync(saved, 'utf8');
  t.notMatch(savedText, /Harbor12345/, 'the password never reaches the saved snapshot');
  const adopted = parseSnapshot(savedText, saved);
  t.equal(adopted.redacted, true);
  t.same(Object.keys(adopted.paths), Object.keys(own.paths), 'paths normalized and sorted as the collector makes them');
  t.same(adopted.paths['/etc/containerd/config.toml'], own.paths['/etc/containerd/config.toml'], 'redacted with the same markers as the collector');
});

t.test('snapshot --online records the live probes, and check --snapshot evaluates them', async (t) => {
  // Real probes of this machine (root /): whatever they find, they are recorded and replayed.
  const file = join(t.testdir(), 'live.json');
  const taken = await runCli(['snapshot', '--online', '--output', file]);
  t.equal(taken.code, 0, taken.stderr);
  const snapshot = parseSnapshot(readFileSync(file, 'utf8'), file);
  t.equal(snapshot.online, true);
  t.ok(Object.keys(snapshot.commands).length > 0, 'probe results are in the snapshot');
  const replayed = JSON.parse((await runCli(['check', '--snapshot', file, '--format', 'json'])).stdout) as {
    settings: { online: boolean };
    results: { id: string; message: string }[];
  };
  t.equal(replayed.settings.online, true);
  const socket = replayed.results.find((r) => r.id === 'runtime/socket-responds');
  t.notMatch(socket?.message, /--online/, 'live rules are evaluated from the recorded probes, not skipped as offline');
  // The target version decides which images the probes look for; a bad one stops before any probe.
  const targeted = await runCli(['snapshot', '--online', '--kubernetes-version', '1.33', '--output', join(t.testdir(), 'v.json')]);
  t.equal(targeted.code, 0, targeted.stderr);
  const bad = await runCli(['snapshot', '--online', '--kubernetes-version', 'one.thirty']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /^preflight: .*one\.thirty/);
});

t.test('check --save-snapshot keeps what was checked, privately', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'checked.json');
  const run = await runCli(['--root', broken, '--save-snapshot', file]);
  t.equal(run.code, 1);
  t.equal(statSync(file).mode & 0o777, 0o600);
  const saved = parseSnapshot(readFileSync(file, 'utf8'), file);
  const taken = parseSnapshot((await runCli(['snapshot', '--root', broken])).stdout, 'stdout');
  delete taken.collectedAt;
  t.same(saved, taken, 'the same record as preflight snapshot');
  const bad = await runCli(['--root', broken, '--save-snapshot', join(dir, 'no', 'x.json')]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /^preflight: --save-snapshot \S+x\.json: ENOENT[^\n]*\n$/);
});
