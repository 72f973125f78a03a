import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';
import { NODES } from '../helpers/node-fixtures.js';
import { modelLines } from '../../src/cli/model-command.js';
import { parseSnapshot } from '../../src/snapshot/serialize.js';

const example = join(NODES, 'site-example', 'root');
const SECRET = 's3cret-pass';

function proxyNode(dir: string): string {
  return writeNode(dir, {
    '/etc/hostname': 'worker-1\n',
    '/usr/lib/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\n',
    '/etc/systemd/system/containerd.service.d/http-proxy.conf': `[Service]\nEnvironment=HTTPS_PROXY=http://deploy:${SECRET}@proxy.example.net:3128\n`,
  });
}

t.test('preflight model: every value as PATH = VALUE with where it was set, secrets redacted', async (t) => {
  const root = proxyNode(t.testdir());
  const r = await runCli(['model', '--root', root]);
  t.equal(r.code, 0);
  t.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  t.match(lines[0], new RegExp(`^# The node model of ${root}: PATH = VALUE \\(from where it was set\\)`));
  t.ok(lines.includes('/host/hostname/value = "worker-1"  (from /etc/hostname:1)'), 'a value with its source on one line');
  t.ok(
    lines.includes(
      '/systemd/units/containerd.service/environment/HTTPS_PROXY/value = "http://deploy:***@proxy.example.net:3128"  (from /etc/systemd/system/containerd.service.d/http-proxy.conf:2)',
    ),
    'an environment variable, redacted',
  );
  t.ok(lines.includes('/systemd/units/containerd.service/environment/HTTPS_PROXY/origin = "Environment"'));
  t.notOk(
    lines.some((l) => l.startsWith('/host/hostname/source')),
    'the source is on the value line, not its own lines',
  );
  t.ok(lines.includes('/live = null'));
  t.ok(lines.includes('/site/files = {}'), 'empty objects are shown');
  t.ok(lines.includes('/host/swap/fstab = []'), 'empty lists are shown');
  t.match(
    r.stdout,
    /^\/containerd\/cri\/sandboxImage\/value = "registry\.k8s\.io\/pause:[0-9.]+"  \(from built-in default of containerd [0-9.]+\)$/m,
    'a default says so',
  );
  t.notMatch(r.stdout, SECRET);
  const json = await runCli(['model', '--root', root, '--format', 'json']);
  t.equal(json.code, 0);
  const model = JSON.parse(json.stdout) as { schemaVersion: number; systemd: { units: Record<string, { environment: Record<string, { value: string }> }> } };
  t.equal(model.schemaVersion, 1);
  t.equal(model.systemd.units['containerd.service']!.environment.HTTPS_PROXY!.value, 'http://deploy:***@proxy.example.net:3128');
  t.notMatch(json.stdout, SECRET);
});

t.test('--path: one part of the model; a path that is not in the model is exit 2 with the fix', async (t) => {
  const root = proxyNode(t.testdir());
  const part = await runCli(['model', '--root', root, '--path', '/host/hostname']);
  t.equal(part.stdout.split('\n').slice(1).join('\n'), '/host/hostname/value = "worker-1"  (from /etc/hostname:1)\n');
  const json = await runCli(['model', '--root', root, '--path', '/host/hostname/value', '--format', 'json']);
  t.equal(json.stdout, '"worker-1"\n');
  const absent = await runCli(['model', '--root', root, '--path', '/systemd/units/chrony.service']);
  t.same([absent.code, absent.stdout], [0, '# /systemd/units/chrony.service is a valid model path, but this node has nothing there.\n']);
  t.equal((await runCli(['model', '--root', root, '--path', '/live/systemd', '--format', 'json'])).stdout, 'null\n');
  t.equal((await runCli(['model', '--root', root, '--path', '/systemd/units/chrony.service', '--format', 'json'])).stdout, 'null\n');
  const typo = await runCli(['model', '--root', root, '--path', '/containerd/sandboxImage']);
  t.same(
    [typo.code, typo.stdout, typo.stderr],
    [
      2,
      '',
      'preflight: --path /containerd/sandboxImage: the node model has no "sandboxImage" under /containerd (did you mean /containerd/cri/sandboxImage?)\n',
    ],
  );
  const nothing = await runCli(['model', '--root', root, '--path', '/zzz']);
  t.match(nothing.stderr, /^preflight: --path \/zzz: the node model has no "zzz" under \/; its keys are .*\n$/);
});

t.test('--checklist: what its site checks and custom rules read is in the model', async (t) => {
  const dir = t.testdir({
    'c.yaml':
      'apiVersion: kube-preflight/v1\nkind: Checklist\nsite:\n  sysctls:\n    - {id: site/mmc, key: vm.max_map_count, value: 262144}\n  systemdUnits:\n    - {id: site/chrony, unit: chrony.service, enabled: true}\n',
  });
  const r = await runCli(['model', '--root', example, '--checklist', join(dir, 'c.yaml'), '--path', '/site']);
  t.equal(r.code, 0);
  t.match(r.stdout, /^\/site\/sysctls\/vm\.max_map_count\/live = "65530"$/m);
  t.match(r.stdout, /^\/site\/sysctls\/vm\.max_map_count\/persisted\/value = "262144"  \(from \/etc\/sysctl\.d\/90-site\.conf:3\)$/m);
  t.match(r.stdout, /^\/site\/systemdUnits\/chrony\.service\/enablement = "enabled"$/m);
  const units = await runCli(['model', '--root', example, '--checklist', join(dir, 'c.yaml'), '--path', '/systemd/units/chrony.service/loadState']);
  t.match(units.stdout, /= "loaded"$/m, 'the unit a site check names is resolved');
});

t.test('--snapshot: the model of a recorded node', async (t) => {
  const dir = t.testdir();
  const root = proxyNode(join(dir, 'root'));
  const file = join(dir, 'node.json');
  t.equal((await runCli(['snapshot', '--root', root, '--output', file])).code, 0);
  const r = await runCli(['model', '--snapshot', file, '--path', '/host/hostname/value', '--format', 'json']);
  t.same([r.code, r.stdout], [0, '"worker-1"\n']);
  const both = await runCli(['model', '--snapshot', file, '--root', root]);
  t.same([both.code, both.stderr], [2, `preflight: --snapshot ${file}: models what the snapshot recorded, so it takes no --root\n`]);
  const missing = await runCli(['model', '--root', join(root, 'nope')]);
  t.same([missing.code, missing.stderr], [2, `preflight: --root ${join(root, 'nope')}: no such directory\n`]);
});

t.test('modelLines: long values are cut in text; the JSON format has them whole', async (t) => {
  t.same(modelLines({ a: 'x'.repeat(200) }, ''), [`/a = "${'x'.repeat(159)}…`]);
  t.same(modelLines({ v: { value: 1, source: { default: 'built-in' } } }, '/p'), ['/p/v/value = 1  (from built-in)']);
  t.same(modelLines({ v: { value: 1, source: {} } }, '/p'), ['/p/v/value = 1']);
  t.same(
    modelLines({ v: { value: { a: 1, b: 2 }, source: { file: '/f', line: 2 } } }, ''),
    ['/v/value/a = 1', '/v/value/b = 2'],
    'an object value: no single line to put the source on',
  );
  t.same(modelLines({ e: { value: 'x', file: '/f', origin: 'Environment' } }, ''), ['/e/value = "x"  (from /f)', '/e/origin = "Environment"']);
  t.same(modelLines({ 'a/b': [1] }, ''), ['/a~1b/0 = 1'], 'keys are escaped as in a JSON Pointer');
});

t.test("snapshot, inputs, diff and fleet read what a checklist's site checks need", async (t) => {
  const dir = t.testdir({
    'c.yaml':
      'apiVersion: kube-preflight/v1\nkind: Checklist\nsite:\n  files:\n    - {id: site/ca, path: /etc/pki/site/site-ca.pem, certificate: {validForDays: 30}}\n',
  });
  const checklist = join(dir, 'c.yaml');
  const file = join(dir, 'node.json');
  t.equal((await runCli(['snapshot', '--root', example, '--output', file, '--checklist', checklist])).code, 0);
  const snapshot = parseSnapshot((await import('node:fs')).readFileSync(file, 'utf8'), file);
  t.match(snapshot.paths['/etc/pki/site/site-ca.pem']?.content, /BEGIN CERTIFICATE/, 'snapshot --checklist records the site CA');
  t.ok(snapshot.paths['/etc/passwd']?.content, 'and the account files that name owners');
  const plain = join(dir, 'plain.json');
  await runCli(['snapshot', '--root', example, '--output', plain]);
  t.notOk(parseSnapshot((await import('node:fs')).readFileSync(plain, 'utf8'), plain).paths['/etc/pki/site/site-ca.pem'], 'without the checklist it does not');
  const inputs = await runCli(['inputs', '--checklist', checklist, '--snapshot', plain]);
  t.same(
    inputs.stdout.split('\n').filter(Boolean),
    ['read /etc/group', 'read /etc/passwd', 'read /etc/pki/site/site-ca.pem'],
    'inputs --checklist: what a gatherer still has to read',
  );
  t.equal((await runCli(['inputs', '--checklist', checklist, '--snapshot', file])).stdout, '', 'nothing once the snapshot was taken with the checklist');
  const replay = await runCli(['check', '--snapshot', file, '--checklist', checklist, '--only', 'site', '--format', 'json']);
  t.equal(JSON.parse(replay.stdout).results.find((r: { id: string }) => r.id === 'site/ca').status, 'pass');
  const diff = await runCli(['diff', file, example, '--checklist', checklist, '--format', 'json']);
  t.same(JSON.parse(diff.stdout).rules, [], 'diff of a root and its snapshot: the site check agrees');
  const fleet = await runCli(['fleet', file, example, '--checklist', checklist, '--format', 'json']);
  t.equal(fleet.code, 0);
  writeFileSync(
    join(dir, 'bad.yaml'),
    'apiVersion: kube-preflight/v1\nkind: Checklist\nsite:\n  files:\n    - {id: site/ca, path: /etc/ca, contains: "ntp("}\n',
  );
  const bad = await runCli(['model', '--root', example, '--checklist', join(dir, 'bad.yaml')]);
  t.same([bad.code, bad.stdout], [2, '']);
  t.match(bad.stderr, /^preflight: .*bad\.yaml:5:36: site\.files\[0\]\.contains: 'ntp\(' is not a regular expression/);
});
