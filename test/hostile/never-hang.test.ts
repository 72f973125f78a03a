import t from 'tap';
import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { DEFAULT_LIMITS } from '../../src/collect/fs.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { RuleResult } from '../../src/engine/types.js';
import { buildModel } from '../../src/model/build.js';
import { MAX_YAML_LENGTH } from '../../src/parsers/yaml.js';
import type { NodeModel } from '../../src/model/types.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

/**
 * Each hostile node file becomes a finding or "not applicable" with the
 * reason, within a bounded time: the pipeline runs in-process (collect, model,
 * evaluate, every format) and the test asserts the outcome and the wall time.
 */
const BOUND_MS = 5000;
const checklist = await loadChecklist();

function check(root: string): { model: NodeModel; results: Map<string, RuleResult>; ms: number } {
  const start = Date.now();
  const model = buildModel(collectSnapshot({ root }));
  const report = evaluate(model, checklist, { date: '2026-06-01' });
  for (const format of [formatJson, formatJunit, formatSarif]) format(report);
  formatText(report, { verbose: true });
  return { model, results: new Map(report.results.map((r) => [r.id, r])), ms: Date.now() - start };
}

function node(dir: string, files: NodeFiles): string {
  return writeNode(dir, { '/etc/hostname': 'node-1\n', ...files });
}

const CONFIG = '/etc/containerd/config.toml';
const isRoot = process.getuid?.() === 0;

t.test('something other than a regular file where a file is expected', async (t) => {
  const cases: [string, (root: string) => void, RegExp][] = [
    ['a FIFO', (root) => execFileSync('mkfifo', [join(root, CONFIG)]), /cannot be read \(is a fifo, not a regular file\)/],
    ['a directory', (root) => execFileSync('mkdir', [join(root, CONFIG)]), /cannot be read \(is a directory, not a file\)/],
    ['a symlink loop', (root) => execFileSync('ln', ['-s', 'config.toml', join(root, CONFIG)]), /cannot be read \(.*(symbolic links|ELOOP).*\)/],
    // A link to the host's endless /dev/zero resolves inside the root, where there is none.
    ['a link to /dev/zero', (root) => execFileSync('ln', ['-s', '/dev/zero', join(root, CONFIG)]), /./],
  ];
  for (const [name, make, message] of cases) {
    const root = node(t.testdir(), { '/etc/containerd/.keep': '' });
    make(root);
    const { results, ms } = check(root);
    const parses = results.get('containerd/config-parses')!;
    if (name === 'a link to /dev/zero') t.equal(parses.status, 'not-applicable', `${name}: the file is missing inside the root`);
    else {
      t.match(parses, { status: 'fail', message }, `${name}: ${parses.message}`);
      t.equal(results.get('containerd/sandbox-image')?.status, 'not-applicable', `${name}: the settings are not applicable, with the reason`);
    }
    t.ok(ms < BOUND_MS, `${name}: ${ms} ms`);
  }
});

t.test('a socket and device nodes', async (t) => {
  const root = node(t.testdir(), { '/etc/containerd/.keep': '' });
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, 'etc/crictl.yaml'), resolve));
  t.teardown(() => server.close());
  if (isRoot) {
    // mknod needs CAP_MKNOD; CI runs as root. /dev/zero (1,5) would never end; /dev/urandom is (1,9).
    execFileSync('mknod', [join(root, CONFIG), 'c', '1', '5']);
    execFileSync('mknod', [join(root, 'etc/resolv.conf'), 'c', '1', '9']);
  }
  const { results, model, ms } = check(root);
  t.match(results.get('crictl/config-parses'), { status: 'fail', message: /\/etc\/crictl\.yaml cannot be read \(is a socket, not a regular file\)/ });
  if (isRoot) {
    t.match(results.get('containerd/config-parses'), { status: 'fail', message: /cannot be read \(is a char-device, not a regular file\)/ });
    t.match(model.host.resolvConf, { file: { state: 'unreadable' } }, 'an endless character device is not read');
  } else t.comment('not root: mknod needs CAP_MKNOD, so the device-node cases were skipped');
  t.ok(ms < BOUND_MS, `${ms} ms`);
});

t.test('a file over the size cap is a finding naming the file and the cap', async (t) => {
  const root = node(t.testdir(), { [CONFIG]: `version = 2\n#${'x'.repeat(DEFAULT_LIMITS.maxFileBytes)}\n` });
  const { results, ms } = check(root);
  t.match(results.get('containerd/config-parses'), {
    status: 'fail',
    message: `/etc/containerd/config.toml cannot be read (TOO_LARGE: larger than the ${DEFAULT_LIMITS.maxFileBytes}-byte limit); containerd refuses to start.`,
  });
  t.ok(ms < BOUND_MS, `${ms} ms`);
});

t.test('deep nesting is refused before it exhausts the stack', async (t) => {
  const depth = 200_000;
  const root = node(t.testdir(), {
    [CONFIG]: `version = 2\nx = ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    '/etc/containerd/certs.d/docker.io/hosts.toml': `[${Array(depth).fill('a').join('.')}]\n`,
    // Flow and block nesting in YAML: with a few hundred levels the yaml package's recursion used to abort the process.
    '/etc/crictl.yaml': `a: ${'['.repeat(5000)}\n`,
    '/var/lib/kubelet/config.yaml': Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'),
  });
  const { results, model, ms } = check(root);
  t.match(results.get('containerd/config-parses'), {
    status: 'fail',
    message: /config\.toml:2:\d+ is not valid TOML \(document contains excessively nested structures/,
  });
  t.match(results.get('crictl/config-parses'), { status: 'fail', message: /nested more than 100 levels deep/ });
  t.match(model.kubelet.config, { state: 'invalid', error: { message: /nested more than 100 levels deep/, line: 102 } });
  t.ok(ms < BOUND_MS, `${ms} ms`);
  const dotted = `version = 2\n[${Array(depth).fill('a').join('.')}]\n`;
  const hosts = check(node(t.testdir(), { [CONFIG]: dotted }));
  t.match(hosts.results.get('containerd/config-parses'), { status: 'fail', message: /nested more than 100 levels deep/ }, 'dotted keys thousands deep');
  const headers = check(node(t.testdir(), { [CONFIG]: `version = 2\n[${Array(150).fill('a').join('.')}]\n` }));
  t.match(headers.results.get('containerd/config-parses'), { status: 'fail', message: /nested more than 100 levels deep/ }, 'a table header 150 keys deep');
});

t.test('YAML over the length bound is refused; at the bound it is parsed in bounded time', async (t) => {
  // The yaml package is quadratic on a text that is one long run of errors.
  const at = check(node(t.testdir(), { '/var/lib/kubelet/config.yaml': '"'.repeat(MAX_YAML_LENGTH) }));
  t.match(at.model.kubelet.config, { state: 'invalid', error: { message: /^(?!longer)/ } });
  t.ok(at.ms < BOUND_MS, `${MAX_YAML_LENGTH} characters: ${at.ms} ms`);
  const over = check(node(t.testdir(), { '/var/lib/kubelet/config.yaml': ' '.repeat(MAX_YAML_LENGTH) + 'a: 1\n' }));
  t.match(over.model.kubelet.config, {
    state: 'invalid',
    error: { message: `longer than ${MAX_YAML_LENGTH} characters; not read (a bound on parsing time)`, line: 1 },
  });
});

t.test('YAML alias bombs are refused, not expanded', async (t) => {
  const letters = 'abcdefghij';
  const bomb = [
    `a: &a [${Array(10).fill('"x"').join(', ')}]`,
    ...[...letters.slice(1)].map((l, i) => `${l}: &${l} [${Array(10).fill(`*${letters[i]}`).join(', ')}]`),
  ].join('\n');
  const { model, results, ms } = check(node(t.testdir(), { '/var/lib/kubelet/config.yaml': bomb, '/etc/crictl.yaml': bomb }));
  t.match(model.kubelet.config, { state: 'invalid', error: { message: /alias/i } });
  t.match(
    results.get('crictl/config-parses'),
    { status: 'fail', message: /Config option 'a' is not valid/ },
    'crictl reads the keys without expanding the values',
  );
  t.ok(ms < BOUND_MS, `${ms} ms`);
  const dir = t.testdir();
  writeFileSync(join(dir, 'bomb.yaml'), `apiVersion: kube-preflight/v1\nkind: Checklist\n${bomb}\n`);
  const start = Date.now();
  const r = runBundle(['--root', node(join(dir, 'root'), {}), '--checklist', join(dir, 'bomb.yaml')]);
  t.equal(r.code, 2);
  t.match(r.stderr, /^preflight: .*bomb\.yaml: Excessive alias count indicates a resource exhaustion attack\n$/);
  t.ok(Date.now() - start < BOUND_MS, 'the CLI refuses it within the bound');
});

t.test('invalid UTF-8 and binary content', async (t) => {
  const root = node(t.testdir(), { '/etc/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\n', '/etc/containerd/.keep': '' });
  writeFileSync(join(root, CONFIG), Buffer.from('version = 2\n# caf\xe9\nx = "\xff\xfe"\n', 'latin1'));
  writeFileSync(join(root, 'etc/crictl.yaml'), Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)));
  const { results, ms } = check(root);
  // containerd 1.6.20 loads such a file too, with U+FFFD in place of the bad bytes (`containerd config dump`).
  t.match(results.get('containerd/config-parses'), { status: 'pass' });
  t.match(results.get('systemd/containerd-unit'), { status: 'pass' });
  t.ok(['pass', 'fail'].includes(results.get('crictl/config-parses')!.status), 'random bytes in crictl.yaml give an outcome');
  t.ok(ms < BOUND_MS, `${ms} ms`);
});

t.test('unreadable files', async (t) => {
  if (isRoot) {
    // Root reads any file whatever its mode; kernel-level refusals (/proc) are in test/collect/fs.test.ts.
    t.comment('running as root: permission bits do not deny reads, so the chmod 000 case is not run');
    return;
  }
  const root = node(t.testdir(), { [CONFIG]: 'version = 2\n' });
  chmodSync(join(root, CONFIG), 0o000);
  const { results, ms } = check(root);
  t.match(results.get('containerd/config-parses'), { status: 'fail', message: /cannot be read \(.*EACCES/ });
  t.ok(ms < BOUND_MS, `${ms} ms`);
});

t.test('the largest pathological files of each kind stay linear', async (t) => {
  // Shapes that made a regular expression or a loop quadratic once: each fills five files to 512 KiB.
  const SIZE = 1 << 19;
  const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  const shapes = ['a.', '[', 'a\\\n', ' header = {', '-----BEGIN PRIVATE KEY-----', ' password = """', '- ', '"', "'", '\n', 'http://a:b@'];
  for (const shape of shapes) {
    const text = fill(shape);
    const root = node(t.testdir(), {
      [CONFIG]: text,
      '/etc/containerd/certs.d/docker.io/hosts.toml': text,
      '/etc/systemd/system/containerd.service': `[Service]\n${text}`,
      '/etc/environment': text,
      '/etc/crictl.yaml': text,
    });
    const { ms } = check(root);
    t.ok(ms < BOUND_MS, `${JSON.stringify(shape)}: ${ms} ms`);
  }
});
