import t from 'tap';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectLive } from '../../src/collect/live/index.js';
import { adoptSnapshot, collectSnapshot } from '../../src/collect/snapshot.js';
import { Redactor } from '../../src/parsers/redact.js';
import { parseSnapshot, serializeSnapshot } from '../../src/snapshot/serialize.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode } from '../helpers/node-root.js';

// One boundary for everything that leaves the process: every report format, custom-rule evidence,
// diff, fleet, snapshots (saved, adopted, claiming to be redacted), probe output under --online, and
// error messages. Each case plants distinct secrets and looks for them in everything the run wrote.

const S = (n: number): string => `Bnd${n}-S3cr3t-x9`;

/** A node holding secrets in every kind of file the checks read. */
function secretNode(dir: string, n = 0): string {
  return writeNode(dir, {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  username = "admin"\n  password = "${S(n + 1)}"\n`,
    '/etc/containerd/certs.d/r/hosts.toml': `[host."https://u:${S(n + 2)}@m"]\n  [host."https://u:${S(n + 2)}@m".header]\n    authorization = "Bearer ${S(n + 3)}"\n`,
    '/usr/lib/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\nEnvironmentFile=-/etc/default/containerd\n',
    '/etc/systemd/system/containerd.service.d/proxy.conf': `[Service]\nEnvironment="HTTPS_PROXY=http://u:${S(n + 4)}@10.0.0.1:3128" "REGISTRY_TOKEN=${S(n + 5)}"\n`,
    '/etc/default/containerd': `AWS_SECRET_ACCESS_KEY=${S(n + 6)}\n`,
    '/etc/environment': `HTTPS_PROXY=http://u:${S(n + 7)}@10.0.0.1:3128\n`,
  });
}

const ALL = (n = 0): string[] => Array.from({ length: 7 }, (_, i) => S(n + i + 1));
const leaks = (text: string, secrets: string[]): string[] => secrets.filter((s) => text.includes(s));

t.test('every report format, with a custom rule whose evidence is a secret', async (t) => {
  const dir = t.testdir();
  const root = secretNode(join(dir, 'root'));
  writeFileSync(
    join(dir, 'checklist.yaml'),
    'apiVersion: kube-preflight/v1\nkind: Checklist\nrules:\n  - id: acme/token\n    title: The registry token is the expected one\n    severity: error\n    remediation: Set it.\n    target: /systemd/units/containerd.service/environment/REGISTRY_TOKEN/value\n    schema: { const: "x" }\n',
  );
  for (const format of ['text', 'json', 'junit', 'sarif']) {
    const out = join(dir, `report.${format}`);
    const r = runBundle(['--root', root, '--checklist', join(dir, 'checklist.yaml'), '--format', format, '--verbose', '--output', out]);
    t.equal(r.code, 1, `${format}: evaluated`);
    const text = readFileSync(out, 'utf8') + r.stdout + r.stderr;
    t.same(leaks(text, ALL()), [], `${format}: no secret`);
    if (format === 'json') t.match(text, /acme\/token[\s\S]*"observed": "redacted-\d+"/, 'the custom rule shows the marker');
  }
});

t.test('diff and fleet, of roots and of snapshot files', async (t) => {
  const dir = t.testdir();
  const a = secretNode(join(dir, 'a'), 0);
  const b = secretNode(join(dir, 'b'), 10);
  for (const [i, root] of [a, b].entries()) writeFileSync(join(dir, `${i}.json`), serializeSnapshot(collectSnapshot({ root })));
  for (const args of [
    ['diff', a, b],
    ['diff', join(dir, '0.json'), join(dir, '1.json'), '--format', 'json'],
    ['fleet', a, b, join(dir, '0.json')],
    ['fleet', a, b, '--format', 'json'],
  ]) {
    const r = runBundle(args);
    t.ok(r.code === 0 || r.code === 1, `${args[0]}: evaluated`);
    t.same(leaks(r.stdout + r.stderr, [...ALL(0), ...ALL(10)]), [], `${args.join(' ')}: no secret`);
  }
});

t.test('a snapshot is redacted again when adopted, whatever it claims', async (t) => {
  const dir = t.testdir();
  const hostile: Snapshot = {
    schemaVersion: 1,
    kind: 'NodeSnapshot',
    tool: { name: 'kube-preflight', version: '0.1.0' },
    root: '/',
    online: true,
    redacted: true,
    paths: {
      '/etc/hostname': { type: 'file', content: 'node-1\n' },
      '/etc/containerd/config.toml': {
        type: 'file',
        content: `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  password = "${S(1)}"\n  auth = "redacted-0123456789ab"\n`,
        secrets: ['redacted-1'],
      },
      '/etc//environment': { type: 'file', content: `HTTPS_PROXY=http://u:${S(2)}@h:1\n` },
    },
    commands: {
      'crictl-info': {
        argv: ['crictl', 'info'],
        exitCode: 0,
        stdout: JSON.stringify({ config: { registry: { configs: { r: { auth: { password: S(3) } } } } } }),
        stderr: '',
      },
      'systemctl-show:containerd.service': { argv: ['systemctl', 'show'], exitCode: 0, stdout: `Environment=HTTPS_PROXY=http://u:${S(4)}@h:1\n`, stderr: '' },
      'containerd-config-dump': {
        argv: ['containerd', 'config', 'dump'],
        exitCode: 0,
        stdout: `[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  identitytoken = "${S(5)}"\n`,
        stderr: `warning: http://x:${S(6)}@h\n`,
      },
    },
  };
  const adopted = adoptSnapshot(parseSnapshot(JSON.stringify(hostile), 'hostile.json'));
  t.same(
    leaks(
      JSON.stringify(adopted),
      Array.from({ length: 6 }, (_, i) => S(i + 1)),
    ),
    [],
    'files and probe output, stdout and stderr',
  );
  t.notMatch(JSON.stringify(adopted), /redacted-0123456789ab/, 'an old unkeyed digest is a secret like any other');
  t.match(adopted.paths['/etc/containerd/config.toml'], { secrets: ['redacted-1', 'redacted-2'] }, 'the markers it claimed are recounted');
  t.ok('/etc/environment' in adopted.paths, 'paths normalized');
  writeFileSync(join(dir, 'hostile.json'), JSON.stringify(hostile));
  const saved = join(dir, 'saved.json');
  const r = runBundle(['check', '--snapshot', join(dir, 'hostile.json'), '--format', 'json', '--save-snapshot', saved]);
  t.ok(r.code === 0 || r.code === 1, `evaluated (${r.stderr})`);
  t.same(
    leaks(
      r.stdout + r.stderr + readFileSync(saved, 'utf8'),
      Array.from({ length: 6 }, (_, i) => S(i + 1)),
    ),
    [],
    'the report and the snapshot saved from it',
  );
  const again = adoptSnapshot(adopted);
  t.equal(JSON.stringify(again.paths), JSON.stringify(adopted.paths), 'redacting a redacted snapshot changes nothing');
});

t.test('error messages: a snapshot file that is not JSON is not quoted', async (t) => {
  const dir = t.testdir();
  // V8 words a truncated document differently by release: "end of JSON input", or the position where it stopped.
  for (const [text, why] of [
    [`{"paths": ${S(1)}}`, /an unexpected character/],
    [`{"a": "${S(2)}"`, /it ends early|invalid at character \d+/],
    [`{${S(3)}`, /invalid at character 2/],
    ['', /it ends early/],
  ] as const) {
    t.throws(() => parseSnapshot(text, 'f.json'), { message: new RegExp(`^f\\.json: not a JSON document \\((${why.source})\\)$`) });
  }
  for (const [i, text] of [`{"paths": ${S(1)}}`, `{"a": "${S(2)}"`, `[${S(3)}`, S(4)].entries()) {
    writeFileSync(join(dir, `${i}.json`), text);
    const r = runBundle(['check', '--snapshot', join(dir, `${i}.json`)]);
    t.equal(r.code, 2);
    t.match(r.stderr, /^preflight: \S+: not a JSON document \((invalid at character \d+|it ends early|an unexpected character)\)\n$/);
    t.same(leaks(r.stderr, [S(1), S(2), S(3), S(4)]), []);
  }
});

t.test('probe output under --online: crictl info, systemctl show and a real containerd config dump', async (t) => {
  // crictl is not installed here and systemd is not PID 1, so those two are scripts that print what
  // the real tools print on a node with registry credentials; containerd is the real binary.
  const dir = t.testdir();
  const root = secretNode(join(dir, 'root'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const script = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  const info = {
    status: { conditions: [{ type: 'RuntimeReady', status: true }] },
    config: {
      sandboxImage: 'registry.k8s.io/pause:3.10',
      registry: {
        configs: { r: { auth: { username: 'admin', password: S(1), auth: S(20), identitytoken: '' } } },
        headers: { Authorization: [`Bearer ${S(3)}`] },
        mirrors: { 'docker.io': { endpoint: [`https://u:${S(21)}@m`] } },
      },
    },
  };
  // printf is a shell builtin: the probes run with PATH set to this directory only.
  script('crictl', `printf '%s\\n' '${JSON.stringify(info, null, 2)}'`);
  script(
    'systemctl',
    `printf '%s\\n' 'LoadState=loaded' 'ActiveState=active' 'Environment="HTTPS_PROXY=http://u:${S(4)}@10.0.0.1:3128" REGISTRY_TOKEN=${S(5)}'`,
  );
  for (const real of ['containerd', 'ctr']) symlinkSync(`/usr/bin/${real}`, join(bin, real));
  const redactor = new Redactor();
  const snapshot = collectSnapshot({ root, redactor });
  await collectLive(snapshot, {
    containerdAddress: join(dir, 'no.sock'),
    containerdConfig: join(root, 'etc/containerd/config.toml'),
    path: bin,
    probeTimeoutMs: 2000,
    deadlineMs: 20000,
  });
  const json = JSON.stringify(snapshot.commands);
  t.match(
    snapshot.commands['containerd-config-dump'],
    { exitCode: 0, stdout: /password = "redacted-1"/ },
    'the real dump ran, with the same marker as the file',
  );
  t.match(snapshot.commands['crictl-info']?.stdout, /"password": "redacted-1"/, 'crictl info: the same secret, the same marker');
  t.match(snapshot.commands['systemctl-show:containerd.service']?.stdout, /HTTPS_PROXY=http:\/\/u:redacted-\d+@10\.0\.0\.1:3128/);
  t.match(snapshot.commands['containerd-version'], { exitCode: 0, stdout: /^containerd / }, 'the binary was asked its version');
  t.same(leaks(json, [S(1), S(20), S(3), S(4), S(5), S(21)]), [], 'no secret in any probe output');
  const proxy = /HTTPS_PROXY=http:\/\/u:(redacted-\d+)@/.exec(snapshot.paths['/etc/systemd/system/containerd.service.d/proxy.conf']!.content!)![1];
  t.match(
    snapshot.commands['systemctl-show:containerd.service']?.stdout,
    `u:${proxy}@`,
    'the running Environment= and the unit file share the marker, so they compare equal',
  );
});
