import t from 'tap';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';

// What a marker reveals, and to whom. Without a key: that a secret is there, nothing that lets a
// guess be checked (no digest of any kind), and diff/fleet say "not comparable" rather than claim
// equality. With a key the user controls: an HMAC, equal across nodes exactly when the secrets are.
// Every file written with a marker in it is 0600.

const KEY = 'k3y-for-this-run-0123456789abcdef';

function node(dir: string, password: string, proxy = 'same-proxy-pw'): string {
  return writeNode(dir, {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  username = "admin"\n  password = "${password}"\n`,
    '/etc/environment': `HTTPS_PROXY=http://u:${proxy}@10.0.0.1:3128\n`,
  });
}

/** Every short digest a guesser could test a word list against. */
function digests(secret: string): string[] {
  return ['sha256', 'sha1', 'md5', 'sha512'].flatMap((alg) => {
    const hex = createHash(alg).update(secret).digest('hex');
    return [hex.slice(0, 8), hex.slice(0, 12), createHash(alg).update(secret).digest('base64').slice(0, 8)];
  });
}

t.test('no unkeyed digest of a secret in anything the CLI prints or writes', async (t) => {
  const dir = t.testdir();
  for (const secret of ['Harbor12345', 'p@ss:w0rd Pässwörd', '%41%42', 'x\\y"z']) {
    const a = node(join(dir, `a-${secret.length}`), secret.replace(/[\\"]/g, '\\$&'));
    const b = node(join(dir, `b-${secret.length}`), secret.replace(/[\\"]/g, '\\$&'));
    const snap = join(dir, `s-${secret.length}.json`);
    const outputs = [
      (await runCli(['--root', a, '--format', 'json'])).stdout,
      (await runCli(['snapshot', '--root', a, '--output', snap])).stdout + readFileSync(snap, 'utf8'),
      (await runCli(['diff', a, b, '--format', 'json'])).stdout,
      (await runCli(['fleet', a, b, snap, '--format', 'json'])).stdout,
    ].join('\n');
    for (const d of digests(secret)) t.notOk(outputs.includes(d), `${JSON.stringify(secret)}: no ${d}`);
    t.match(outputs, /redacted-\d+/, 'a marker without a digest');
    t.notMatch(outputs, /redacted-[0-9a-f]{12}/, 'not the old unkeyed hash');
  }
});

t.test('diff and fleet: not comparable without a key, compared with one', async (t) => {
  const dir = t.testdir();
  const a = node(join(dir, 'a'), 'Harbor12345');
  const same = node(join(dir, 'same'), 'Harbor12345');
  const other = node(join(dir, 'other'), 'Harbor54321');

  const plain = JSON.parse((await runCli(['diff', a, same, '--format', 'json'])).stdout);
  t.same(plain.settings, [], 'nothing claimed to differ');
  t.ok(plain.secretsNotComparable.length >= 2, 'the password and the proxy are present but not comparable');
  t.match((await runCli(['diff', a, other])).stdout, /Secrets present on both nodes but not comparable[\s\S]*not comparable\.\n$/);

  for (const env of [{ PREFLIGHT_REDACTION_KEY: KEY }]) {
    const equal = await runCli(['diff', a, same, '--format', 'json'], { env });
    t.equal(equal.code, 0, 'one key, the same secrets: nothing differs');
    t.equal(JSON.parse(equal.stdout).secretsNotComparable, undefined);
    const differ = JSON.parse((await runCli(['diff', a, other, '--format', 'json'], { env })).stdout);
    t.match(
      differ.settings,
      [{ path: /auth\.password$/, a: { value: /^"redacted-k[0-9a-f]{6}-[0-9a-f]{16}"$/ }, b: { value: /^"redacted-k[0-9a-f]{6}-[0-9a-f]{16}"$/ } }],
      'one key, other secrets: the password differs',
    );
    t.equal(differ.settings.length, 1, 'and nothing else');
    t.not(differ.settings[0].a.value, differ.settings[0].b.value);
  }

  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, `${KEY}\n`);
  const fleet = JSON.parse((await runCli(['fleet', a, same, other, '--format', 'json', '--redaction-key-file', keyFile])).stdout);
  t.same(Object.keys(fleet.outliers), [other], 'with a key, the node with another password stands out');
  t.equal(fleet.secretsNotComparable, undefined);
  const blind = JSON.parse((await runCli(['fleet', a, same, other, '--format', 'json'])).stdout);
  t.same(blind.outliers, {}, 'without one, no node is claimed to stand out by its secret');
  t.ok(blind.secretsNotComparable.length >= 2);
  t.match((await runCli(['fleet', a, same, other])).stdout, /Secrets present on several nodes but not comparable/);

  // A node without the setting is an outlier by absence, whatever the others' secrets are.
  const none = writeNode(join(dir, 'none'), {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': 'version = 2\n',
    '/etc/environment': 'HTTPS_PROXY=http://u:same-proxy-pw@10.0.0.1:3128\n',
  });
  const absent = JSON.parse((await runCli(['fleet', a, same, other, none, '--format', 'json'])).stdout);
  const outliers = absent.outliers[none] as { setting: string; value: unknown }[];
  t.ok(
    outliers.some((o) => /auth\.password$/.test(o.setting) && o.value === null),
    'the node without a password stands out (among the other settings its bare config lacks)',
  );
  const one = writeNode(join(dir, 'one'), {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': 'version = 2\n',
    '/etc/environment': 'HTTPS_PROXY=http://u:pw@10.0.0.1:3128\n',
  });
  t.match((await runCli(['diff', one, one])).stdout, /1 secret present on both is not comparable\.\n$/);
  // Snapshots made with different keys are not comparable either.
  writeFileSync(join(dir, 'k1.json'), (await runCli(['snapshot', '--root', a], { env: { PREFLIGHT_REDACTION_KEY: KEY } })).stdout);
  writeFileSync(join(dir, 'k2.json'), (await runCli(['snapshot', '--root', same], { env: { PREFLIGHT_REDACTION_KEY: `${KEY}-other` } })).stdout);
  t.ok(
    JSON.parse((await runCli(['diff', join(dir, 'k1.json'), join(dir, 'k2.json'), '--format', 'json'])).stdout).secretsNotComparable.length >= 2,
    'two keys: not comparable',
  );
  const markers = (out: string): string[] => out.match(/redacted-k[0-9a-f]{6}-[0-9a-f]{16}/g) ?? [];
  const fromFile = markers((await runCli(['snapshot', '--root', a, '--redaction-key-file', keyFile])).stdout);
  t.ok(fromFile.length >= 2);
  t.same(
    fromFile,
    markers((await runCli(['snapshot', '--root', a], { env: { PREFLIGHT_REDACTION_KEY: KEY } })).stdout),
    'a key file (its trailing newline dropped) and the environment give the same markers',
  );
});

t.test('keys: too short, not a regular file', async (t) => {
  const dir = t.testdir();
  const root = node(join(dir, 'n'), 'pw');
  const short = await runCli(['--root', root], { env: { PREFLIGHT_REDACTION_KEY: 'short' } });
  t.equal(short.code, 2);
  t.equal(short.stderr, 'preflight: PREFLIGHT_REDACTION_KEY: the key has 5 bytes; a redaction key needs at least 16\n');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  const start = Date.now();
  const fifo = await runCli(['--root', root, '--redaction-key-file', join(dir, 'fifo')]);
  t.equal(fifo.code, 2);
  t.match(fifo.stderr, /--redaction-key-file \S+fifo: a FIFO, not a regular file\n$/);
  t.ok(Date.now() - start < 20_000, 'a FIFO does not block');
  // A file that says size 0 and grows while read (as /proc files do) is cut at the cap.
  t.match(
    (await runCli(['--root', root, '--redaction-key-file', '/proc/self/maps'])).stderr,
    /--redaction-key-file \/proc\/self\/maps: more than the 4096-byte limit\n$/,
  );
  writeFileSync(join(dir, 'crlf'), `${KEY}\r\n`);
  writeFileSync(join(dir, 'lf'), `${KEY}\n`);
  const marks = async (file: string): Promise<string[]> =>
    (await runCli(['snapshot', '--root', root, '--redaction-key-file', file])).stdout.match(/redacted-k[0-9a-f]{6}-[0-9a-f]{16}/g) ?? [];
  writeFileSync(join(dir, 'bare'), KEY);
  t.same(await marks(join(dir, 'crlf')), await marks(join(dir, 'lf')), 'a trailing CRLF is dropped like a trailing LF');
  const keyed = await marks(join(dir, 'lf'));
  t.ok(keyed.length > 0, 'the node has secrets to mark');
  t.same(await marks(join(dir, 'bare')), keyed, 'a key without a final newline is the same key');
});

t.test('every file with a marker is 0600; one without keeps the usual mode', async (t) => {
  const dir = t.testdir();
  const secret = node(join(dir, 'secret'), 'pw12345678');
  const clean = writeNode(join(dir, 'clean'), { '/etc/hostname': 'node-1\n' });
  // A custom rule whose evidence is the password: the report then carries its marker.
  const checklist = join(dir, 'checklist.yaml');
  writeFileSync(
    checklist,
    'apiVersion: kube-preflight/v1\nkind: Checklist\nrules:\n  - id: acme/pw\n    title: The password is the expected one\n    severity: error\n    remediation: Set it.\n    target: /containerd/effective/plugins/io.containerd.grpc.v1.cri/registry/configs/r/auth/password\n    schema: { const: "x" }\n',
  );
  const umask = Number.parseInt(execFileSync('sh', ['-c', 'umask'], { encoding: 'utf8' }).trim(), 8);
  const mode = (f: string): number => statSync(f).mode & 0o777;
  const cases: [string, string[], number][] = [
    ['report.json', ['--root', secret, '--format', 'json', '--checklist', checklist], 0o600],
    ['report.txt', ['--root', secret, '--checklist', checklist], 0o600],
    ['report.junit', ['--root', secret, '--format', 'junit', '--checklist', checklist], 0o600],
    ['no-marker.json', ['--root', secret, '--format', 'json'], 0o666 & ~umask],
    ['clean.json', ['--root', clean, '--format', 'json'], 0o666 & ~umask],
  ];
  for (const [name, args, expected] of cases) {
    const out = join(dir, name);
    await runCli([...args, '--output', out]);
    t.equal(mode(out), expected, `${name}: ${expected.toString(8)}`);
    t.equal(/redacted-\d+/.test(readFileSync(out, 'utf8')), expected === 0o600, `${name}: ${expected === 0o600 ? 'carries' : 'carries no'} marker`);
  }
  const existing = join(dir, 'existing.json');
  writeFileSync(existing, 'old', { mode: 0o644 });
  await runCli(['--root', secret, '--format', 'json', '--checklist', checklist, '--output', existing]);
  t.equal(mode(existing), 0o600, 'an existing 0644 file is made 0600 when a marker is written into it');
  await runCli(['--root', clean, '--save-snapshot', join(dir, 'saved.json')]);
  t.equal(mode(join(dir, 'saved.json')), 0o600, 'a saved snapshot is always 0600');
  await runCli(['snapshot', '--root', secret, '--output', join(dir, 'snap.json')]);
  t.equal(mode(join(dir, 'snap.json')), 0o600);
});
