/**
 * The real containerd as the oracle for how it loads, merges and defaults its
 * configuration: for each case the model's effective values must equal what
 * `containerd --config FILE config dump` prints. Debian 12 ships containerd
 * 1.6.20, so these cases pin 1.x semantics; the 2.x merge and migration rules
 * cannot be run here and are covered by the fixtures in test/model/containerd.
 *
 * 1.6.20 resolves a relative glob import against its working directory (fixed
 * in 1.6.30), so dump runs in the main file's directory and nested files use no
 * relative globs.
 */
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildContainerd } from '../../src/model/containerd/build.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

function containerdVersion(): string {
  try {
    return /containerd \S+ v?(\d+\.\d+\.\d+)/.exec(execFileSync('containerd', ['--version'], { encoding: 'utf8' }))![1]!;
  } catch {
    throw new Error("containerd is not installed: the oracle tests need Debian's containerd package (.ci/run installs it)");
  }
}

type Dump = { [k: string]: Dump | unknown };
const get = (d: unknown, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x as Dump | undefined)?.[k], d);

/** Run `config dump` on the files (under /etc/containerd of a temp root); parsed output or the error. */
function dump(root: string): { ok: true; value: Dump } | { ok: false; code: number | null; stderr: string } {
  const dir = join(root, 'etc/containerd');
  const r = spawnSync('containerd', ['--config', join(dir, 'config.toml'), 'config', 'dump'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) return { ok: false, code: r.status, stderr: r.stderr };
  return { ok: true, value: parse(r.stdout) as Dump };
}

const VERSION = containerdVersion();
const semantics = VERSION.split('.').slice(0, 2).join('.');

interface Case {
  name: string;
  files: NodeFiles;
  /** Keys containerd accepts without a word and the model reports as unknown. */
  unknown?: string[];
}

const CASES: Case[] = [
  {
    name: 'version 2, one file',
    files: {
      'config.toml': `version = 2\n[${CRI}]\n  sandbox_image = "main/pause:1"\n  [${CRI}.containerd.runtimes.runc]\n    runtime_type = "io.containerd.runc.v2"\n    [${CRI}.containerd.runtimes.runc.options]\n      SystemdCgroup = true\n`,
    },
  },
  { name: 'version 1 with short ids', files: { 'config.toml': '[plugins.cri]\n  sandbox_image = "v1/pause:1"\n' } },
  { name: 'version 1 ignores a full-id section', files: { 'config.toml': `[${CRI}]\n  sandbox_image = "ignored/pause:1"\n` } },
  {
    name: 'imports are breadth first: main -> [x, y], x -> [sub/z]; z is loaded last and wins',
    files: {
      'config.toml': `version = 2\nimports = ["x.toml", "y.toml"]\n[${CRI}]\n  sandbox_image = "main"\n`,
      'x.toml': `imports = ["sub/z.toml"]\n[${CRI}]\n  sandbox_image = "x"\n`,
      'y.toml': `[${CRI}]\n  sandbox_image = "y"\n`,
      'sub/z.toml': `[${CRI}]\n  sandbox_image = "z"\n`,
    },
  },
  {
    name: 'a later import that sets only the registry replaces the whole CRI table (sandbox image and SystemdCgroup lost)',
    files: {
      'config.toml': `version = 2\nimports = ["later.toml"]\nroot = "/var/lib/oracle"\noom_score = -500\n[${CRI}]\n  sandbox_image = "main/pause:1"\n  [${CRI}.containerd.runtimes.runc.options]\n    SystemdCgroup = true\n`,
      'later.toml': `root = ""\noom_score = 0\n[${CRI}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
    },
  },
  {
    name: 'disabled_plugins are appended, duplicates kept; globs load in byte order',
    files: {
      'config.toml': 'version = 2\nimports = ["conf.d/*.toml"]\ndisabled_plugins = ["io.containerd.snapshotter.v1.zfs"]\n',
      'conf.d/9-a.toml': `disabled_plugins = ["io.containerd.snapshotter.v1.zfs"]\n[${CRI}]\n  sandbox_image = "9-a"\n`,
      'conf.d/10-b.toml': `disabled_plugins = ["io.containerd.snapshotter.v1.btrfs"]\n[${CRI}]\n  sandbox_image = "10-b"\n`,
      'conf.d/B.toml': `[${CRI}]\n  sandbox_image = "B"\n`,
    },
  },
  {
    name: 'typos are accepted silently and change nothing',
    files: {
      'config.toml': `version = 2\n[${CRI}]\n  sandbox_imag = "typo/pause:1"\n  [${CRI}.containerd.runtimes.runc]\n    runtime_type = "io.containerd.runc.v2"\n    [${CRI}.containerd.runtimes.runc.options]\n      SystemdCgroups = true\n`,
    },
    unknown: [`${CRI}.sandbox_imag`, `${CRI}.containerd.runtimes.runc.options.SystemdCgroups`],
  },
  {
    name: 'declaring only kata replaces the runtimes map',
    files: { 'config.toml': `version = 2\n[${CRI}.containerd.runtimes.kata]\n  runtime_type = "io.containerd.kata.v2"\n` },
  },
  {
    name: 'declaring only runc options leaves runtime_type empty',
    files: { 'config.toml': `version = 2\n[${CRI}.containerd.runtimes.runc.options]\n  SystemdCgroup = true\n` },
  },
  {
    name: 'an import with version = 1 turns the merged configuration into version 1',
    files: {
      'config.toml': `version = 2\nimports = ["v1.toml"]\n[${CRI}]\n  sandbox_image = "v2main"\n`,
      'v1.toml': 'version = 1\n[plugins.cri]\n  max_concurrent_downloads = 9\n',
    },
  },
  {
    name: 'gRPC address, disabled CRI in a version 1 file, legacy systemd_cgroup',
    files: { 'config.toml': 'disabled_plugins = ["cri"]\n[grpc]\n  address = "/run/oracle.sock"\n[plugins.cri]\n  systemd_cgroup = true\n' },
  },
];

t.test(`containerd ${VERSION} is the oracle`, async (t) => {
  t.match(VERSION, /^1\./, "Debian's containerd is a 1.x release");
  for (const c of CASES) {
    await t.test(c.name, async (t) => {
      const root = writeNode(t.testdir(), Object.fromEntries(Object.entries(c.files).map(([k, v]) => [`/etc/containerd/${k}`, v])));
      const d = dump(root);
      t.ok(d.ok, d.ok ? 'dump succeeded' : d.stderr);
      if (!d.ok) return;
      const m = buildContainerd(collectSnapshot({ root }), { containerdVersion: semantics });
      const cri = get(d.value, 'plugins', 'io.containerd.grpc.v1.cri') as Dump | undefined;
      t.same(
        m.keys.problems.filter((p) => p.kind === 'type'),
        [],
        'containerd decoded every value, the model finds none it cannot',
      );
      t.same(
        m.keys.problems.map((p) => p.key),
        c.unknown ?? [],
        'unknown keys',
      );
      t.same(
        m.disabledPlugins.map((e) => e.value),
        get(d.value, 'disabled_plugins'),
        'disabled_plugins',
      );
      t.equal(m.grpcAddress.value, get(d.value, 'grpc', 'address'), 'gRPC address');
      for (const key of ['root', 'oom_score']) {
        if (m.effective[key] !== undefined) t.equal(m.effective[key], get(d.value, key), key);
      }
      if (!cri) {
        t.ok(m.criDisabledBy.length > 0, 'the CRI plugin is disabled in both');
        return;
      }
      t.same(m.criDisabledBy, [], 'CRI enabled in both');
      t.equal(m.cri.sandboxImage.value, get(cri, 'sandbox_image'), 'sandbox image');
      t.equal(m.cri.defaultRuntimeName.value, get(cri, 'containerd', 'default_runtime_name'), 'default runtime');
      const runtimes = get(cri, 'containerd', 'runtimes') as Record<string, Dump>;
      t.same(Object.keys(m.cri.runtimes).sort(), Object.keys(runtimes).sort(), 'runtime names');
      for (const [name, r] of Object.entries(m.cri.runtimes)) {
        t.equal(r.type.value, get(runtimes[name], 'runtime_type'), `${name} runtime_type`);
        t.equal(r.systemdCgroup?.value === true, get(runtimes[name], 'options', 'SystemdCgroup') === true, `${name} SystemdCgroup`);
      }
      t.equal(m.cri.registry.configPath.value, get(cri, 'registry', 'config_path'), 'registry config_path');
      t.equal(m.cri.legacySystemdCgroup?.value ?? false, get(cri, 'systemd_cgroup'), 'legacy systemd_cgroup');
    });
  }
});

t.test('what containerd refuses to start with, the model names', async (t) => {
  const refused: [string, NodeFiles, RegExp, (m: ReturnType<typeof buildContainerd>) => unknown][] = [
    [
      'a missing import',
      { 'config.toml': 'version = 2\nimports = ["missing.toml"]\n' },
      /no such file or directory/,
      (m) => m.imports[0]?.problem === 'missing',
    ],
    [
      'a syntax error in an import, with its line',
      { 'config.toml': 'version = 2\nimports = ["bad.toml"]\n', 'bad.toml': 'version = 2\n[grpc]\nsandbox_image = = "x"\n' },
      /bad\.toml: \(3, \d+\)/,
      (m) => m.files[1]?.state === 'invalid' && m.files[1].error?.line === 3,
    ],
    [
      'a short id in a version 2 file',
      { 'config.toml': 'version = 2\n[plugins.cri]\n  x = 1\n' },
      /invalid plugin key URI "cri"/,
      (m) => m.fatal.some((f) => f.why.includes('invalid plugin key URI "cri"')),
    ],
    [
      'a short disabled id in a version 2 file',
      { 'config.toml': 'version = 2\ndisabled_plugins = ["cri"]\n' },
      /invalid disabled plugin URI "cri"/,
      (m) => m.fatal.some((f) => f.key === 'disabled_plugins: cri'),
    ],
    [
      'version as a string',
      { 'config.toml': 'version = "2"\n' },
      /Can't convert 2\(string\) to int/,
      (m) => m.files[0]?.state === 'invalid' && m.files[0].error?.line === 1,
    ],
    [
      'imports as one string',
      { 'config.toml': 'version = 2\nimports = "a.toml"\n', 'a.toml': '' },
      /Can't convert a\.toml\(string\) to \[\]string/,
      (m) => m.files[0]?.state === 'invalid' && m.files[0].error?.line === 2 && m.imports.length === 0,
    ],
    [
      'an import entry that is a number',
      { 'config.toml': 'version = 2\nimports = [1]\n' },
      /Can't convert 1\(int64\) to string/,
      (m) => m.files[0]?.state === 'invalid' && /imports must be a list of path strings/.test(m.files[0].error!.message),
    ],
    [
      'a top-level value of the wrong type',
      { 'config.toml': 'version = 2\noom_score = "high"\n' },
      /Can't convert high\(string\) to int/,
      (m) => m.keys.problems.some((p) => p.kind === 'type' && p.key === 'oom_score' && p.line === 2),
    ],
    [
      'a CRI value of the wrong type',
      { 'config.toml': `version = 2\n[${CRI}]\n  sandbox_image = 1\n` },
      /Can't convert 1\(int64\) to string/,
      (m) => m.keys.problems.some((p) => p.kind === 'type' && p.plugin === 'io.containerd.grpc.v1.cri' && p.line === 3),
    ],
    [
      'an import that is a directory',
      { 'config.toml': 'version = 2\nimports = ["dir"]\n', 'dir/x': '' },
      /is a directory/,
      (m) => m.imports[0]?.problem === 'not-a-file',
    ],
  ];
  for (const [name, files, message, modelled] of refused) {
    const root = writeNode(t.testdir(), Object.fromEntries(Object.entries(files).map(([k, v]) => [`/etc/containerd/${k}`, v])));
    const d = dump(root);
    t.notOk(d.ok, `${name}: containerd refuses it`);
    if (!d.ok) {
      t.equal(d.code, 1, `${name}: exit code 1`);
      t.match(d.stderr, message, `${name}: ${d.stderr.trim()}`);
    }
    t.ok(modelled(buildContainerd(collectSnapshot({ root }), { containerdVersion: semantics })), `${name}: the model names it`);
  }
});
