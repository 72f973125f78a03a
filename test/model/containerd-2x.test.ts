/**
 * containerd 2.x loading, merging and migration. No 2.x binary runs here
 * (Debian ships 1.6.20, which test/oracle pins), so these cases encode the
 * behaviour of the 2.x loaders as read from their code and tests: deep merge of
 * plugin tables (PR #9982), deduplicated lists, the version 2 to 3 CRI split
 * (images: v2 wins; runtime: an existing v3 value wins), version 1 renames,
 * and the per-file migration of 2.3 (PR #12608).
 */
import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildContainerd } from '../../src/model/containerd/build.js';
import { fullPluginId, parseContainerdVersion } from '../../src/model/containerd/semantics.js';
import { sourceOf } from '../../src/model/containerd/tree.js';
import type { ContainerdModel } from '../../src/model/types.js';
import { writeNode } from '../helpers/node-root.js';

const V2 = 'plugins."io.containerd.grpc.v1.cri"';
const IMAGES = "plugins.'io.containerd.cri.v1.images'";
const RUNTIME = "plugins.'io.containerd.cri.v1.runtime'";

function model(t: { testdir(): string }, files: Record<string, string>, containerdVersion: string): ContainerdModel {
  const root = writeNode(t.testdir(), Object.fromEntries(Object.entries(files).map(([k, v]) => [`/etc/containerd/${k}`, v])));
  return buildContainerd(collectSnapshot({ root }), { containerdVersion });
}

const get = (m: ContainerdModel, ...path: string[]): unknown => path.reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], m.effective);

t.test('plugin tables merge key by key; an import keeps what it does not set', async (t) => {
  const m = model(
    t,
    {
      'config.toml': `version = 3\nimports = ["conf.d/*.toml"]\nroot = "/var/lib/main"\noom_score = -500\n[${IMAGES}.pinned_images]\n  sandbox = "main/pause:1"\n[${RUNTIME}.containerd.runtimes.runc.options]\n  SystemdCgroup = true\n  BinaryName = "/usr/bin/runc"\n`,
      'conf.d/10-registry.toml': `version = 3\nroot = ""\noom_score = 0\n[${IMAGES}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
      'conf.d/20-off.toml': `version = 3\n[${RUNTIME}.containerd.runtimes.runc.options]\n  BinaryName = ""\n`,
    },
    '2.1',
  );
  t.equal(m.cri.sandboxImage.value, 'main/pause:1', 'the sandbox image survives an import that sets only the registry');
  t.equal(m.cri.sandboxImage.source.file, '/etc/containerd/config.toml');
  t.equal(m.cri.runtimes.runc!.systemdCgroup?.value, true, 'SystemdCgroup survives');
  t.equal(m.cri.registry.configPath.value, '/etc/containerd/certs.d');
  t.equal(m.cri.registry.configPath.source.file, '/etc/containerd/conf.d/10-registry.toml');
  t.equal(
    get(m, 'plugins', 'io.containerd.cri.v1.runtime', 'containerd', 'runtimes', 'runc', 'options', 'BinaryName'),
    '',
    'inside a plugin an empty string replaces',
  );
  t.equal(m.effective.root, '/var/lib/main', 'a top-level zero value does not reset');
  t.equal(m.effective.oom_score, -500);
  t.equal(m.cri.runtimes.runc!.type.value, 'io.containerd.runc.v2', "2.x keeps the built-in runc handler's type");
});

t.test('top-level lists drop repeated entries; maps and structs merge per key', async (t) => {
  const m = model(
    t,
    {
      'config.toml': `version = 3\nimports = ["a.toml"]\ndisabled_plugins = ["io.containerd.snapshotter.v1.zfs"]\n[timeouts]\n  "io.containerd.timeout.shim.cleanup" = "5s"\n  "io.containerd.timeout.task.state" = "2s"\n[grpc]\n  address = "/run/main.sock"\n  uid = 7\n`,
      'a.toml': `version = 3\ndisabled_plugins = ["io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.btrfs"]\n[timeouts]\n  "io.containerd.timeout.shim.cleanup" = "9s"\n[grpc]\n  address = ""\n  uid = 0\n  gid = 9\n`,
    },
    '2.0',
  );
  t.same(
    m.disabledPlugins.map((e) => e.value),
    ['io.containerd.snapshotter.v1.zfs', 'io.containerd.snapshotter.v1.btrfs'],
  );
  t.equal(m.disabledPlugins[1]!.source.file, '/etc/containerd/a.toml');
  t.same(m.effective.timeouts, { 'io.containerd.timeout.shim.cleanup': '9s', 'io.containerd.timeout.task.state': '2s' });
  t.same(m.effective.grpc, { address: '/run/main.sock', uid: 7, gid: 9 }, 'zero values in a struct section keep the earlier value');
  t.equal(m.grpcAddress.value, '/run/main.sock');
});

t.test('2.0-2.2 split version 2 CRI settings once, on the merged configuration', async (t) => {
  const v2main = `version = 2\nimports = ["v3.toml"]\n[${V2}]\n  sandbox_image = "v2/pause:1"\n  [${V2}.containerd.runtimes.runc.options]\n    SystemdCgroup = true\n`;
  const files = { 'config.toml': v2main, 'v3.toml': `version = 3\n[${IMAGES}.registry]\n  config_path = "/etc/containerd/certs.d"\n` };
  const old = model(t, files, '2.2');
  t.equal(old.version.value, 3, 'the import makes the merged version 3');
  t.equal(old.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10.1', "the main file's version 2 sandbox image is never migrated");
  t.equal(old.cri.runtimes.runc!.systemdCgroup, null, 'nor its SystemdCgroup');
  t.ok(
    old.ignored.some((p) => p.key === 'plugins."io.containerd.grpc.v1.cri".sandbox_image' && p.file === '/etc/containerd/config.toml' && p.line === 4),
    'the unmigrated keys are reported where they are written',
  );
  t.ok(old.ignored.some((p) => p.key === 'plugins."io.containerd.grpc.v1.cri".containerd'));

  const each = model(t, files, '2.3');
  t.equal(each.cri.sandboxImage.value, 'v2/pause:1', '2.3 migrates each file before merging');
  t.equal(each.cri.sandboxImage.source.line, 4);
  t.equal(each.cri.runtimes.runc!.systemdCgroup?.value, true);
  t.same(each.ignored, []);

  const alone = model(t, { 'config.toml': v2main.replace('imports = ["v3.toml"]\n', '') }, '2.2');
  t.equal(alone.version.value, 2);
  t.equal(alone.cri.sandboxImage.value, 'v2/pause:1', 'a version 2 configuration on its own is migrated');
  t.same(alone.ignored, []);
});

t.test('the CRI split: image keys take the version 2 value, runtime keys keep an existing version 3 value', async (t) => {
  const m = model(
    t,
    {
      'config.toml': [
        'version = 2',
        `[${V2}]`,
        '  sandbox_image = "v2/pause:1"',
        '  max_concurrent_downloads = 9',
        '  enable_selinux = true',
        '  stream_server_port = "10010"',
        `  [${V2}.containerd]`,
        '    snapshotter = "native"',
        '    default_runtime_name = "v2-runtime"',
        `  [${V2}.cni]`,
        '    bin_dir = "/opt/v2/bin"',
        `[${IMAGES}]`,
        '  max_concurrent_downloads = 3',
        `  [${IMAGES}.pinned_images]`,
        '    sandbox = "v3/pause:1"',
        `[${RUNTIME}]`,
        '  enable_selinux = false',
        `  [${RUNTIME}.containerd]`,
        '    default_runtime_name = "v3-runtime"',
        '',
      ].join('\n'),
    },
    '2.1',
  );
  const images = get(m, 'plugins', 'io.containerd.cri.v1.images') as Record<string, unknown>;
  const runtime = get(m, 'plugins', 'io.containerd.cri.v1.runtime') as Record<string, unknown>;
  t.equal(m.cri.sandboxImage.value, 'v2/pause:1', 'sandbox_image overwrites pinned_images.sandbox');
  t.equal(m.cri.sandboxImage.source.line, 3);
  t.equal(images.max_concurrent_downloads, 9);
  t.equal(images.snapshotter, 'native', 'containerd.snapshotter belongs to the images plugin');
  t.equal(runtime.enable_selinux, false, 'the version 3 value wins for the runtime plugin');
  t.equal(m.cri.defaultRuntimeName.value, 'v3-runtime');
  t.same(get(m, 'plugins', 'io.containerd.cri.v1.runtime', 'cni'), { bin_dirs: ['/opt/v2/bin'] }, 'bin_dir becomes bin_dirs');
  t.same(get(m, 'plugins', 'io.containerd.grpc.v1.cri'), { stream_server_port: '10010' }, 'the CRI server keeps only its streaming keys');
});

t.test('bin_dirs already set: bin_dir moves along unchanged', async (t) => {
  const m = model(t, { 'config.toml': `version = 2\n[${V2}.cni]\n  bin_dir = "/opt/a"\n  bin_dirs = ["/opt/b"]\n` }, '2.1');
  t.same(get(m, 'plugins', 'io.containerd.cri.v1.runtime', 'cni'), { bin_dir: '/opt/a', bin_dirs: ['/opt/b'] });
});

t.test('version 1 files on 2.x: short ids renamed, lists too, and the file stamped with the latest version', async (t) => {
  const v1 =
    'disabled_plugins = ["cri", "aufs"]\n[plugins."io.containerd.gc.v1.scheduler"]\n  pause_threshold = 0.03\n[plugins.cri]\n  sandbox_image = "v1/pause:1"\n[plugins.overlayfs]\n  root_path = "/x"\n[plugins.diff-service]\n  default = ["walking"]\n[plugins.cgroups]\n  no_prometheus = true\n';
  const m = model(t, { 'config.toml': v1 }, '2.0');
  t.same(
    m.disabledPlugins.map((e) => e.value),
    ['io.containerd.grpc.v1.cri', 'io.containerd.snapshotter.v1.aufs'],
  );
  t.same(
    m.criDisabledBy.map((e) => e.value),
    ['io.containerd.grpc.v1.cri'],
    'the renamed entry still disables the CRI',
  );
  t.equal(m.version.value, 3, 'stamped 3');
  t.match(m.version.source.default, /migration of a version 1 file/);
  t.ok(get(m, 'plugins', 'io.containerd.snapshotter.v1.overlayfs'), 'snapshotter names get the snapshotter prefix');
  t.ok(get(m, 'plugins', 'io.containerd.service.v1.diff-service'), '-service names get the service prefix');
  t.ok(get(m, 'plugins', 'io.containerd.monitor.v1.cgroups'), 'known short ids map to their full id');
  t.equal(get(m, 'plugins', 'io.containerd.gc.v1.scheduler', 'pause_threshold'), 0.03, 'a full id in a version 1 file stays');
  t.equal(m.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10', 'stamped 3, the file is never split: its sandbox image is not used');
  t.ok(m.ignored.some((p) => p.key === 'plugins."io.containerd.grpc.v1.cri".sandbox_image'));

  const each = model(t, { 'config.toml': v1 }, '2.3');
  t.equal(each.version.value, 4);
  t.equal(each.cri.sandboxImage.value, 'v1/pause:1', '2.3 migrates the renamed file step by step');
});

t.test('fullPluginId covers every short-name form', async (t) => {
  t.equal(fullPluginId('io.containerd.grpc.v1.cri'), 'io.containerd.grpc.v1.cri');
  t.equal(fullPluginId('cri'), 'io.containerd.grpc.v1.cri');
  t.equal(fullPluginId('zfs'), 'io.containerd.snapshotter.v1.zfs');
  t.equal(fullPluginId('content-service'), 'io.containerd.service.v1.content-service');
  t.equal(fullPluginId('introspection'), 'io.containerd.grpc.v1.introspection');
});

t.test('what 2.x refuses or ignores', async (t) => {
  const short = model(t, { 'config.toml': 'version = 3\ndisabled_plugins = ["cri"]\nrequired_plugins = ["io.containerd.grpc.v1.cri", "cri"]\n' }, '2.1');
  t.same(
    short.fatal.map((f) => [f.key, f.line]),
    [
      ['disabled_plugins: cri', 2],
      ['required_plugins: cri', 3],
    ],
  );
  t.match(short.fatal[1]!.why, /invalid required plugin URI "cri"/);

  const tooNew = model(t, { 'config.toml': 'version = 4\n' }, '2.2');
  t.same(
    tooNew.fatal.map((f) => [f.key, f.line]),
    [['version', 1]],
  );
  t.match(tooNew.fatal[0]!.why, /highest config version it reads is 3/);

  const v4 = model(
    t,
    { 'config.toml': `version = 4\n[grpc]\n  address = "/run/legacy.sock"\n[plugins.'io.containerd.server.v1.grpc']\n  address = "/run/v4.sock"\n` },
    '2.3',
  );
  t.equal(v4.grpcAddress.value, '/run/v4.sock');
  t.same(
    v4.ignored.map((p) => [p.key, p.line]),
    [['grpc', 2]],
    'a version 4 file ignores [grpc]',
  );

  const v3grpc = model(t, { 'config.toml': 'version = 3\n[grpc]\n  address = "/run/v3.sock"\n  uid = 5\n' }, '2.3');
  t.equal(v3grpc.grpcAddress.value, '/run/v3.sock', 'a version 3 file has [grpc] moved to the server plugin');
  t.equal(v3grpc.grpcAddress.source.line, 3);
  t.same(get(v3grpc, 'plugins', 'io.containerd.server.v1.grpc'), { address: '/run/v3.sock', uid: 5 });

  const both = model(
    t,
    { 'config.toml': `version = 3\n[grpc]\n  address = "/run/v3.sock"\n[plugins.'io.containerd.server.v1.grpc']\n  address = "/run/plugin.sock"\n` },
    '2.3',
  );
  t.equal(both.grpcAddress.value, '/run/plugin.sock', 'the move happens only when the plugin table is absent');
});

t.test('sourceOf falls back to the nearest ancestor with a source', async (t) => {
  const tree = { data: {}, sources: new Map([['plugins', { file: '/f', line: 1 }]]) };
  t.same(sourceOf(tree, ['plugins', 'x', 'y']), { file: '/f', line: 1 });
  t.equal(sourceOf(tree, ['other']), undefined);
});

t.test('release numbers', async (t) => {
  t.same(parseContainerdVersion('v2.2.1'), { major: 2, minor: 2, patch: 1 });
  t.same(parseContainerdVersion('1.7'), { major: 1, minor: 7, patch: null });
  t.equal(parseContainerdVersion('3.0'), null);
  t.equal(parseContainerdVersion('latest'), null);
});

t.test('values of the wrong shape: the model keeps going, known-keys names them', async (t) => {
  const CRI = 'plugins."io.containerd.grpc.v1.cri"';
  const m = model(
    t,
    {
      'config.toml': [
        'version = 2',
        `[${CRI}.containerd.runtimes]`,
        '  broken = "not a table"',
        `[${CRI}.containerd.runtimes.legacy]`,
        '  runtime_type = "io.containerd.runtime.v1.linux"',
        `  [${CRI}.containerd.runtimes.legacy.options]`,
        '    Runtime = "runc"',
        '    SystemdCgroups = true',
        `[${CRI}.registry.mirrors]`,
        '  "a.example" = "https://a-mirror"',
        `[${CRI}.registry.mirrors."b.example"]`,
        '  endpoint = "https://b-mirror"',
        `[${CRI}.registry.configs]`,
        '  "c.example" = 1',
        `[${CRI}]`,
        '  image_decryption = { key_modle = "node", keymodel = "node" }',
        '[plugins]',
        '  "io.example.x" = 1',
        '',
      ].join('\n'),
    },
    '1.7',
  );
  t.same(Object.keys(m.cri.runtimes), ['legacy'], 'a runtime that is not a table is skipped');
  t.same(m.cri.registry.mirrors, {
    'a.example': { endpoints: [], source: m.cri.registry.mirrors['a.example']!.source },
    'b.example': {
      endpoints: [],
      source: m.cri.registry.mirrors['b.example']!.source,
      endpointsSource: {
        file: '/etc/containerd/config.toml',
        key: 'plugins."io.containerd.grpc.v1.cri".registry.mirrors."b.example".endpoint',
        line: 12,
        column: 3,
      },
    },
  });
  t.same(m.cri.registry.tls, {});
  t.same(
    m.keys.problems.map((p) => [p.line, p.kind, p.expected ?? p.suggestion]),
    [
      [3, 'type', 'a table'],
      [8, 'unknown', 'SystemdCgroup'],
      [10, 'type', 'a table'],
      [12, 'type', 'a list'],
      [14, 'type', 'a table'],
      [16, 'unknown', 'key_model'],
      [16, 'unknown', 'key_model'],
      [18, 'type', 'a table'],
    ],
  );
});

t.test('runc options of a runtime whose type another file sets', async (t) => {
  const CRI = 'plugins."io.containerd.grpc.v1.cri"';
  // 2.x merges plugin tables, so the import's options belong to the main file's runc runtime.
  const m = model(
    t,
    {
      'config.toml': `version = 2\nimports = ["opts.toml"]\n[${CRI}.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n`,
      'opts.toml': `version = 2\n[${CRI}.containerd.runtimes.runc.options]\n  SystemdCgroupz = true\n[${CRI}.containerd.runtimes.gone.options]\n  SystemdCgroupz = true\n`,
    },
    '2.1',
  );
  t.same(
    m.keys.problems.map((p) => [p.file, p.line, p.runtime]),
    [['/etc/containerd/opts.toml', 3, 'runc']],
    'options of a runtime with no type anywhere are not judged',
  );
  // 1.x replaces the CRI table, so the main file's kata runtime is gone and its options judge nothing.
  const replaced = model(
    t,
    {
      'config.toml': `version = 2\nimports = ["reg.toml"]\n[${CRI}.containerd.runtimes.kata.options]\n  Bogus = 1\n`,
      'reg.toml': `version = 2\n[${CRI}.registry]\n  config_path = "/etc/containerd/certs.d"\n`,
    },
    '1.7',
  );
  t.same(Object.keys(replaced.cri.runtimes), ['runc']);
  t.same(replaced.keys.problems, []);
});
