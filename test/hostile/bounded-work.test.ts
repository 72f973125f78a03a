import t, { type Test } from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectSnapshot, type CollectOptions } from '../../src/collect/snapshot.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { BUNDLE, plainEnv, runBundle } from '../helpers/bundle.js';
import { serializeSnapshot } from '../../src/snapshot/serialize.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

// Bounded work never passes silently: every limit the collector reaches is listed in the snapshot
// and fails host/collection-complete (blocking, evaluated even under --only). Import chains are
// followed until they repeat; units and their environment files are read before registry trees.

const CONFIG = '/etc/containerd/config.toml';
const UNIT = '/usr/lib/systemd/system/containerd.service';
const prepared = await loadChecklist(undefined);

function run(root: string, options: Omit<CollectOptions, 'root'> = {}) {
  const snapshot = collectSnapshot({ root, ...options });
  const model = buildModel(snapshot);
  const report = evaluate(model, prepared, { date: '2026-06-01' });
  return { snapshot, model, result: report.results.find((r) => r.id === 'host/collection-complete')! };
}

/** An import chain `depth` files deep whose last file sets the sandbox image. */
function chain(depth: number): NodeFiles {
  const files: NodeFiles = { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/chain/1.conf"]\n' };
  for (let i = 1; i < depth; i++) files[`/etc/containerd/chain/${i}.conf`] = `imports = ["${i + 1}.conf"]\n`;
  files[`/etc/containerd/chain/${depth}.conf`] = '[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "deep.example/pause:9"\n';
  return files;
}

type Row = {
  name: string;
  files: (dir: string) => NodeFiles;
  options?: Omit<CollectOptions, 'root'>;
  limits: string[];
  check?: (r: ReturnType<typeof run>, t: Test) => void;
};

const ROWS: Row[] = [
  ...[33, 64, 150].map((depth): Row => ({
    name: `an import chain ${depth} deep is followed to its end`,
    files: () => chain(depth),
    limits: [],
    check: (r, t) => t.equal(r.model.containerd.cri.sandboxImage.value, 'deep.example/pause:9'),
  })),
  {
    name: 'an import cycle ends where it repeats',
    files: () => ({
      [CONFIG]: 'version = 2\nimports = ["a.toml"]\n',
      '/etc/containerd/a.toml': 'imports = ["b.toml"]\n',
      '/etc/containerd/b.toml': 'imports = ["a.toml", "/etc/containerd/config.toml"]\n',
    }),
    limits: [],
    check: (r, t) =>
      t.same(
        r.model.containerd.files.map((f) => f.path),
        [CONFIG, '/etc/containerd/a.toml', '/etc/containerd/b.toml'],
      ),
  },
  {
    name: 'a chain past the path budget is a finding, not a pass',
    files: () => chain(60),
    options: { maxPaths: 40 },
    limits: ['paths'],
  },
  {
    name: "registry trees never starve a unit's environment file",
    files: (dir) => {
      for (let i = 0; i < 1100; i++) mkdirSync(join(dir, `etc/containerd/certs.d/r${i}.example`), { recursive: true });
      return {
        [UNIT]: '[Service]\nExecStart=/usr/bin/containerd\n',
        '/etc/systemd/system/containerd.service.d/env.conf': '[Service]\nEnvironmentFile=/etc/default/containerd-proxy\n',
        '/etc/default/containerd-proxy': 'HTTPS_PROXY=http://10.9.9.9:3128\n',
      };
    },
    options: { maxPaths: 1000 },
    limits: ['paths'],
    check: (r, t) =>
      t.equal(
        r.model.systemd.units['containerd.service']!.environment?.HTTPS_PROXY?.value,
        'http://10.9.9.9:3128',
        'the environment file was read before the registry directories',
      ),
  },
  {
    name: 'the time budget',
    files: () => chain(3),
    options: { deadlineMs: -1 },
    limits: ['deadline'],
  },
  {
    name: 'a listing cut short',
    files: () => Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`/etc/sysctl.d/${i}.conf`, 'net.ipv4.ip_forward = 1\n'])),
    options: { limits: { maxDirEntries: 4 } },
    limits: ['dir-entries'],
    check: (r, t) => t.match(r.snapshot.paths['/etc/sysctl.d'], { truncated: 6, entries: { length: 4 } }),
  },
  {
    name: 'a file over the per-file cap',
    files: () => ({ '/etc/environment': `X=${'y'.repeat(5000)}\n` }),
    options: { limits: { maxFileBytes: 4096 } },
    limits: ['file-size'],
  },
  {
    name: 'the bytes budget: many links to one big file',
    files: (dir) => {
      writeFileSync(join(dir, 'big.toml'), `version = 2\n#${'x'.repeat(3000)}\n`);
      for (let i = 0; i < 40; i++) symlinkSync('/big.toml', join(dir, `etc/containerd/conf.d/${String(i).padStart(3, '0')}.toml`));
      return { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n' };
    },
    options: { limits: { maxTotalBytes: 20_000 } },
    limits: ['bytes'],
    check: (r, t) => t.ok(r.model.containerd.files.filter((f) => f.state === 'ok').length < 10, 'a few read, the rest refused'),
  },
  {
    name: 'a glob over directories linked to themselves',
    files: (dir) => {
      mkdirSync(join(dir, 'etc/containerd/conf.d'), { recursive: true });
      // 110 links to the directory itself: 110 × 110 paths at the second level, past the 10,000 followed.
      for (let i = 0; i < 110; i++) symlinkSync('.', join(dir, `etc/containerd/conf.d/s${i}`));
      return { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/conf.d/*/*/*.toml"]\n' };
    },
    options: { maxPaths: 3000 },
    limits: ['glob', 'paths'],
  },
  {
    name: "an EnvironmentFile= glob (glibc's) over directories linked to themselves",
    files: (dir) => {
      mkdirSync(join(dir, 'etc/env.d'), { recursive: true });
      for (let i = 0; i < 110; i++) symlinkSync('.', join(dir, `etc/env.d/s${i}`));
      return { [UNIT]: '[Service]\nExecStart=/usr/bin/containerd\nEnvironmentFile=-/etc/env.d/*/*/x.env\n' };
    },
    options: { maxPaths: 3000 },
    limits: ['glob', 'paths'],
  },
  {
    name: 'a glob 400 levels deep over one self-link: no stack overflow',
    files: (dir) => {
      mkdirSync(join(dir, 'etc/containerd/conf.d'), { recursive: true });
      symlinkSync('.', join(dir, 'etc/containerd/conf.d/s'));
      return { [CONFIG]: `version = 2\nimports = ["/etc/containerd/conf.d/${'*/'.repeat(400)}*.toml"]\n` };
    },
    options: { maxPaths: 3000 },
    limits: [],
    check: (r, t) => t.ok(r.snapshot.paths['/etc/containerd/conf.d/s/s/s'] !== undefined, 'followed level by level'),
  },
];

for (const row of ROWS) {
  t.test(row.name, async (t) => {
    const dir = t.testdir();
    mkdirSync(join(dir, 'etc/containerd/conf.d'), { recursive: true });
    writeNode(dir, { '/etc/hostname': 'node-1\n', ...row.files(dir) });
    const started = Date.now();
    const r = run(dir, row.options);
    t.same(
      [...new Set(r.model.collection!.limits.map((l) => l.limit))].sort(),
      row.limits,
      `limits reached: ${JSON.stringify(r.model.collection!.limits.map((l) => l.message))}`,
    );
    t.equal(r.result.status, row.limits.length === 0 ? 'pass' : 'fail', row.limits.length === 0 ? 'complete' : 'a blocking finding');
    if (row.limits.length > 0) t.match(r.result.message, /^Collection stopped at a limit \(/);
    t.same(
      r.snapshot.incomplete?.map((l) => l.limit).sort() ?? [],
      r.model.collection!.limits.map((l) => l.limit).sort(),
      'the snapshot lists the same limits',
    );
    row.check?.(r, t);
    t.comment(`${row.name}: ${Date.now() - started} ms`);
  });
}

t.test('a snapshot checked elsewhere carries its limits', async (t) => {
  const dir = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n', ...chain(60) });
  const file = join(dir, '..', 'incomplete.json');
  writeFileSync(file, serializeSnapshot(collectSnapshot({ root: dir, maxPaths: 40 })));
  const r = runBundle(['check', '--snapshot', file, '--format', 'json']);
  t.equal(r.code, 1);
  t.match(
    JSON.parse(r.stdout).results.find((x: { id: string }) => x.id === 'host/collection-complete'),
    { status: 'fail', message: /\(paths\): stopped after 40 paths/ },
  );
});

t.test('--only containerd still reports an incomplete collection, and it blocks', async (t) => {
  const dir = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n', [CONFIG]: `version = 2\n#${'x'.repeat(4 * 1024 * 1024)}\n` });
  const r = runBundle(['--root', dir, '--only', 'containerd', '--format', 'json']);
  t.equal(r.code, 1);
  t.match(
    JSON.parse(r.stdout).results.find((x: { id: string }) => x.id === 'host/collection-complete'),
    { status: 'fail', severity: 'error' },
  );
});

/** Run the bundle on a root and read its peak RSS (a preload writes it at exit). */
function measured(root: string): { code: number | null; ms: number; rssMiB: number; stderr: string } {
  const dir = join(root, '..');
  const hook = join(dir, 'rss.cjs');
  writeFileSync(
    hook,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(join(dir, 'rss.txt'))}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const start = Date.now();
  const r = spawnSync(process.execPath, ['--require', hook, BUNDLE, '--root', root], { env: plainEnv(), encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, ms: Date.now() - start, rssMiB: Math.round(Number(readFileSync(join(dir, 'rss.txt'), 'utf8')) / 1024), stderr: r.stderr };
}

t.test('symlinks to one 4 MiB file: 400 are cheap, 1,500 do not abort V8', async (t) => {
  for (const links of [400, 1500]) {
    const dir = t.testdir();
    const root = join(dir, 'root');
    mkdirSync(join(root, 'etc/containerd/conf.d'), { recursive: true });
    writeFileSync(join(root, 'big.toml'), `version = 2\n#${'x'.repeat(4 * 1024 * 1024 - 20)}\n`);
    for (let i = 0; i < links; i++) symlinkSync('/big.toml', join(root, `etc/containerd/conf.d/${String(i).padStart(4, '0')}.toml`));
    writeNode(root, { '/etc/hostname': 'node-1\n', [CONFIG]: 'version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n' });
    const m = measured(root);
    t.equal(m.code, 1, `${links} links: a report with findings (${m.stderr.slice(0, 200)})`);
    t.notMatch(m.stderr, /FATAL|heap|Abort/);
    t.ok(m.rssMiB < 256, `${links} links: peak RSS ${m.rssMiB} MiB`);
    t.comment(`${links} symlinks to one 4 MiB file: ${m.ms} ms, peak RSS ${m.rssMiB} MiB`);
  }
});

t.test('21,000 registry directories ahead of an EnvironmentFile, through the CLI', async (t) => {
  const dir = t.testdir();
  for (let i = 0; i < 21_000; i++) mkdirSync(join(dir, `etc/containerd/certs.d/r${i}.example`), { recursive: true });
  writeNode(dir, {
    '/etc/hostname': 'node-1\n',
    [UNIT]: '[Service]\nExecStart=/usr/bin/containerd\n',
    '/etc/systemd/system/containerd.service.d/env.conf': '[Service]\nEnvironmentFile=/etc/default/containerd-proxy\n',
    '/etc/default/containerd-proxy': 'HTTPS_PROXY=http://10.9.9.9:3128\n',
  });
  const start = Date.now();
  const r = runBundle(['--root', dir, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  t.equal(r.code, 1);
  t.match(
    report.results.find((x: { id: string }) => x.id === 'host/collection-complete'),
    { status: 'fail', message: /\(paths\)/ },
  );
  t.match(
    report.results.find((x: { id: string }) => x.id === 'systemd/proxy-policy'),
    { status: 'fail', message: /HTTPS_PROXY=http:\/\/10\.9\.9\.9:3128/ },
    'the environment file was read',
  );
  t.comment(`21,000 registry directories: ${Date.now() - start} ms`);
});
