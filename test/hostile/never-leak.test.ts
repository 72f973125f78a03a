import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode } from '../helpers/node-root.js';

// Positions test/cli/secrets.test.ts does not cover: forms containerd's TOML decoders accept
// (case-insensitive keys, multi-line strings, dotted keys), broken files whose parse errors
// might quote the line, proxies without a scheme, and a client key that is not PEM.
const S = 'Pl4nted-S3cret-7d2e';

const nodes: Record<string, Record<string, string>> = {
  'TOML forms containerd accepts': {
    '/etc/containerd/config.toml': [
      'version = 2',
      '[plugins."io.containerd.grpc.v1.cri".registry]',
      '  config_path = "/etc/containerd/certs.d"',
      '[plugins."io.containerd.grpc.v1.cri".registry.configs."r1".auth]',
      `  Password = "${S}1"`,
      `  IdentityToken = '''${S}2'''`,
      `  auth = """`,
      `${S}3"""`,
      `[plugins."io.containerd.grpc.v1.cri".registry.configs."r2"]`,
      `  auth.password = "${S}4"`,
      '',
    ].join('\n'),
    '/etc/containerd/certs.d/r3/hosts.toml': `[host."https://m.r3"]\n  client = [["c.crt", "c.key"]]\n  [host."https://m.r3".header]\n    Authorization = [\n      "Bearer ${S}5",\n    ]\n`,
    '/etc/containerd/certs.d/r3/c.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
  },
  'files that do not parse': {
    '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  password = "${S}6\n`,
    '/etc/containerd/certs.d/r4/hosts.toml': `[host."https://m.r4".header]\n  authorization = "Bearer ${S}7\n`,
  },
  'proxies without a scheme': {
    '/etc/environment': `HTTPS_PROXY=user:${S}8@10.0.0.1:3128\n`,
    '/etc/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\nEnvironmentFile=/etc/default/containerd\n',
    '/etc/default/containerd': `https_proxy="proxy:${S}9@10.0.0.1:3128"\n`,
  },
};

for (const [name, files] of Object.entries(nodes)) {
  t.test(name, async (t) => {
    const root = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n', ...files });
    if (name === 'TOML forms containerd accepts')
      writeFileSync(join(root, 'etc/containerd/certs.d/r3/c.key'), Buffer.from([0x30, 0x82, 0x04, 0xa4, ...Buffer.from(`${S}k`), 0xff]));
    const snapshot = JSON.stringify(collectSnapshot({ root }));
    t.notMatch(snapshot, S, 'the snapshot holds no secret');
    for (const format of ['text', 'json', 'junit', 'sarif']) {
      const r = runBundle(['--root', root, '--format', format, '--verbose']);
      t.ok(r.code === 0 || r.code === 1, `${format}: evaluated (exit ${r.code})`);
      t.notMatch(r.stdout + r.stderr, S, `${format}: no secret in the report or on stderr`);
    }
  });
}

t.test('a parse error is still reported, without the value', async (t) => {
  const root = writeNode(t.testdir(), nodes['files that do not parse']!);
  const r = runBundle(['--root', root, '--verbose']);
  t.match(r.stdout.replace(/\n +/g, ' '), /\[ERROR containerd\/config-parses\]: \/etc\/containerd\/config\.toml:3:\d+ is not valid TOML/);
});
