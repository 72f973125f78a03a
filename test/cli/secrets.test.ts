import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode } from '../helpers/node-root.js';

const SECRET = 'S3cr3t-Planted-9f1c';

/** A node with the same secret in every place containerd configuration can hold a credential. */
function nodeWithSecrets(dir: string): string {
  return writeNode(dir, {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': [
      'version = 2',
      'imports = ["/etc/containerd/conf.d/creds.toml"]',
      '[plugins."io.containerd.grpc.v1.cri".registry]',
      '  config_path = "/etc/containerd/certs.d"',
      '[plugins."io.containerd.grpc.v1.cri".registry.configs."r1.example".auth]',
      '  username = "admin"',
      `  password = "${SECRET}"`,
      `  auth = "${SECRET}"`,
      `  identitytoken = '${SECRET}'`,
      '[plugins."io.containerd.grpc.v1.cri".registry.auths."https://r2.example"]',
      `  password = "${SECRET}"`,
      '[plugins."io.containerd.grpc.v1.cri".registry.headers]',
      `  Authorization = ["Bearer ${SECRET}"]`,
      '',
    ].join('\n'),
    // containerd 1.x replaces the whole CRI table per import, so the import repeats config_path.
    '/etc/containerd/conf.d/creds.toml': `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r3.example"]\n  auth = { username = "u", password = "${SECRET}" }\n`,
    '/etc/containerd/certs.d/r4.example/hosts.toml': [
      '[host."https://user:' + SECRET + '@mirror.r4.example"]',
      '  capabilities = ["pull"]',
      '  client = [["c.cert", "c.key"]]',
      `  header = { Authorization = "Bearer ${SECRET}" }`,
      '[host."https://m2.r4.example".header]',
      `  authorization = "Basic ${SECRET}"`,
      '',
    ].join('\n'),
    '/etc/containerd/certs.d/r4.example/c.key': `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`,
    '/etc/environment': `HTTPS_PROXY=http://proxyuser:${SECRET}@10.0.0.1:3128\n`,
  });
}

t.test('a secret reaches no report format', async (t) => {
  const root = nodeWithSecrets(t.testdir());
  for (const format of ['text', 'json', 'junit', 'sarif']) {
    const r = runBundle(['--root', root, '--format', format, '--verbose']);
    t.equal(r.code, 1, `${format}: the node fails (credentials in plain text)`);
    t.notMatch(r.stdout + r.stderr, SECRET, `${format}: the secret is not printed`);
    if (format === 'text')
      t.match(
        r.stdout.replace(/\n +/g, ' '),
        /stores username, password, auth, identitytoken in plain text under configs\."r1\.example"\.auth \(values not shown\)/,
      );
  }
});

t.test('the snapshot holds markers, not secrets', async (t) => {
  const snapshot = collectSnapshot({ root: nodeWithSecrets(t.testdir()) });
  const json = JSON.stringify(snapshot);
  t.notMatch(json, SECRET);
  t.match(snapshot.paths['/etc/containerd/config.toml']?.content, /password = "redacted-\d+"/);
  t.match(snapshot.paths['/etc/containerd/certs.d/r4.example/hosts.toml']?.content, /https:\/\/user:redacted-\d+@mirror\.r4\.example/);
  t.match(snapshot.paths['/etc/containerd/certs.d/r4.example/c.key']?.content, /^-----BEGIN PRIVATE KEY-----\nredacted-\d+\n-----END PRIVATE KEY-----\n$/);
  t.match(snapshot.paths['/etc/containerd/config.toml']?.content, 'username = "admin"', 'user names stay readable');
});
