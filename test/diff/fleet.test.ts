import t from 'tap';
import { join } from 'node:path';
import { fleetOutliers, formatFleetText, settingName } from '../../src/diff/fleet.js';
import { runCli } from '../helpers/cli.js';
import { NODES } from '../helpers/node-fixtures.js';
import type { NodeModel } from '../../src/model/types.js';

const node = (label: string, model: Record<string, unknown>) => ({ label, model: model as unknown as NodeModel });

t.test('settings by the names operators know them by, never model paths', async (t) => {
  const cases: [string, string, string | null][] = [
    ['systemd: containerd.service', 'environment.HTTPS_PROXY', 'containerd HTTPS_PROXY'],
    ['systemd: containerd.service', 'environment["odd.name"]', 'containerd odd.name'],
    ['systemd: kubelet.service', 'environment.KUBELET_EXTRA_ARGS', null],
    ['systemd: containerd.service', 'dropInPaths', 'containerd.service drop-ins'],
    ['systemd: kubelet.service', 'command.argv[4].text', null],
    ['systemd: kubelet.service', 'environmentFiles["/x"].state', null],
    ['systemd: kubelet.service', 'unitFileState', 'kubelet.service unitFileState'],
    ['containerd: registry docker.io', 'hosts["https://r"].url', 'registry docker.io hosts.toml'],
    ['containerd: effective configuration', 'plugins["io.containerd.grpc.v1.cri"].sandbox_image', null],
    ['containerd: effective configuration', 'version', null],
    ['containerd: effective configuration', 'grpc.address', 'containerd config grpc.address'],
    ['containerd', 'cri.sandboxImage', 'sandbox image'],
    ['containerd', 'cri.runtimes.runc.systemdCgroup', 'runc SystemdCgroup'],
    ['containerd', 'cri.runtimes["runc.gpu"].type', 'runc.gpu runtime_type'],
    ['containerd', 'cri.runtimes.runc.options.SystemdCgroup', null],
    ['containerd', 'cri.registry.legacy.mirrors[0]', 'deprecated registry.mirrors'],
    ['containerd', 'cri.registry.tls["harbor.example.net"].insecureSkipVerify', 'registry harbor.example.net insecure_skip_verify'],
    ['containerd', 'semantics.basis', null],
    ['containerd', 'something.else', 'containerd something.else'],
    ['crictl', 'runtimeEndpoint', 'crictl runtime-endpoint'],
    ['crictl', 'entries.timeout.value', null],
    ['crictl', 'problems', 'crictl problems'],
    ['kubelet', 'flags.node-ip', 'kubelet --node-ip'],
    ['kubelet', 'runtimeEndpoints[0]', 'kubelet runtime endpoint'],
    ['kubelet', 'podInfraContainerImage', null],
    ['kubelet', 'cgroupDriver', 'kubelet cgroupDriver'],
    ['kubelet', 'config.problems[0]', 'kubelet config.problems'],
    ['host', 'binaries.cp.path', 'binary cp'],
    ['host', 'binaries.cp.name', null],
    ['host', 'sysctl.live["net.ipv4.ip_forward"]', 'sysctl net.ipv4.ip_forward (now)'],
    ['host', 'sysctl.persisted["net.ipv4.ip_forward"]', 'sysctl net.ipv4.ip_forward (at boot)'],
    ['host', 'modules.persisted.overlay.file', 'kernel modules loaded at boot'],
    ['host', 'resolvConf.nameservers', 'resolv.conf nameservers'],
    ['host', 'swap[0].path', 'host swap'],
    ['site', 'files["/etc/x"].state', 'site files'],
  ];
  for (const [group, path, name] of cases) t.equal(settingName(group, path), name, `${group}: ${path}`);
});

t.test('the nodes that differ from a strict majority, and the settings with none', async (t) => {
  const fleet = fleetOutliers([
    node('a', { kubelet: { cgroupDriver: { value: 'systemd', source: { file: '/k.yaml', line: 2 } } }, crictl: { timeoutSeconds: 2 }, host: { swap: [] } }),
    node('b', { kubelet: { cgroupDriver: { value: 'systemd', source: { file: '/k.yaml', line: 2 } } }, crictl: { timeoutSeconds: 5 }, host: { swap: [] } }),
    node('c', {
      kubelet: { cgroupDriver: { value: 'cgroupfs', source: { file: '/k.yaml', line: 3 } } },
      crictl: { timeoutSeconds: 9, runtimeEndpoint: null },
      host: { swap: [] },
      extra: { x: 1 },
    }),
  ]);
  t.same(fleet.nodes, ['a', 'b', 'c']);
  t.same(
    fleet.outliers,
    {
      c: [
        { setting: 'extra x', value: { value: '1' }, majority: { value: null, count: 2 } },
        { setting: 'kubelet cgroupDriver', value: { value: '"cgroupfs"', source: '/k.yaml:3' }, majority: { value: '"systemd"', count: 2 } },
      ],
    },
    'a null setting is one the node does not have',
  );
  t.same(
    fleet.split,
    [{ setting: 'crictl timeout', values: { a: { value: '2' }, b: { value: '5' }, c: { value: '9' } } }],
    'crictl timeout has no majority: every value',
  );
  const text = formatFleetText(fleet);
  t.equal(
    text,
    [
      'c: 2 settings differ from most nodes',
      '  extra x: 1; 2 of 3 nodes: not set',
      '  kubelet cgroupDriver: "cgroupfs" (from /k.yaml:3); 2 of 3 nodes: "systemd"',
      'Not the same on all nodes, with no majority (1 setting):',
      '  crictl timeout: a: 2; b: 5; c: 9',
      '[preflight] 1 of 3 nodes differ from the majority; 1 setting differs with no majority.',
      '',
    ].join('\n'),
  );
  t.notMatch(text, /cri\.|environment\.|\.value\b/, 'no model paths');
  const one = fleetOutliers([node('a', { x: { y: 1 } }), node('b', { x: { y: 1 } }), node('c', {})]);
  t.match(
    formatFleetText(one),
    /^c: 1 setting differs from most nodes\n  x y: not set; 2 of 3 nodes: 1\n\[preflight\] 1 of 3 nodes differ from the majority\.\n$/,
  );
  const two = fleetOutliers([node('a', { x: { y: 1, z: 1 } }), node('b', {})]);
  t.equal(
    formatFleetText(two),
    'Not the same on all nodes, with no majority (2 settings):\n  x y: a: 1; b: not set\n  x z: a: 1; b: not set\n[preflight] 2 settings differ with no majority.\n',
  );
  t.equal(formatFleetText(fleetOutliers([node('a', {}), node('b', {})])), '[preflight] All 2 nodes have the same value in every compared setting.\n');
  // A setting of several parts that are all empty lists has no value to show: it reads as not set.
  const empty = fleetOutliers([node('a', { host: { swap: [{ path: [] }, { path: [] }] } }), node('b', { host: { swap: [{ path: '/s' }] } })]);
  t.same(empty.split, [{ setting: 'host swap', values: { a: { value: 'null' }, b: { value: '"/s"' } } }]);
  t.match(formatFleetText(empty), /host swap: a: not set; b: "\/s"/);
});

t.test('secrets without a shared key are not compared, and named as such', async (t) => {
  const secret = (v: string) => ({ site: { password: v } });
  const fleet = fleetOutliers([node('a', secret('redacted-1')), node('b', secret('redacted-2')), node('c', secret('redacted-3'))]);
  t.same(fleet.outliers, {});
  t.same(fleet.secretsNotComparable, ['site password']);
  t.match(formatFleetText(fleet), /Secrets present on several nodes but not comparable .*:\n  site password\n\[preflight\] All 3 nodes have the same value/);
});

t.test('a setting of several parts is one line: a list, a registry with its hosts', async (t) => {
  const registry = (skip: boolean) => ({
    containerd: {
      cri: {
        registry: {
          hostsDirs: [
            {
              name: 'docker.io',
              dir: '/etc/containerd/certs.d/docker.io',
              hosts: [
                { url: 'https://mirror', skipVerify: skip },
                { url: 'https://registry-1.docker.io', skipVerify: false },
              ],
            },
          ],
        },
      },
    },
    kubelet: {
      runtimeEndpoints: [
        { value: 'unix:///a', source: { file: '/f', line: 1 } },
        { value: 'unix:///b', source: { file: '/f', line: 2 } },
      ],
    },
    host: { modules: { persisted: [{ name: 'overlay' }, { name: 'br_netfilter' }] } },
  });
  const fleet = fleetOutliers([
    node('a', registry(false)),
    node('b', registry(false)),
    node('c', { ...registry(true), kubelet: { runtimeEndpoints: [] }, host: { modules: { persisted: [] } } }),
  ]);
  t.same(
    fleet.outliers.c!.map((o) => o.setting),
    ['kernel modules loaded at boot', 'kubelet runtime endpoint', 'registry docker.io hosts.toml'],
  );
  const text = formatFleetText(fleet);
  t.match(text, /\n  kernel modules loaded at boot: \[\]; 2 of 3 nodes: "overlay", "br_netfilter"\n/);
  t.match(text, /\n  kubelet runtime endpoint: \[\]; 2 of 3 nodes: "unix:\/\/\/a", "unix:\/\/\/b"\n/);
  t.match(
    text,
    /\n  registry docker.io hosts.toml: "https:\/\/mirror" \(skip_verify\), "https:\/\/registry-1\.docker\.io" \(from \S+\)|\n  registry docker\.io hosts\.toml: "https:\/\/mirror" \(skip_verify\), "https:\/\/registry-1\.docker\.io"; 2 of 3 nodes: "https:\/\/mirror", "https:\/\/registry-1\.docker\.io"\n/,
  );
  t.equal(text.split('\n').filter((l) => l.startsWith('  ')).length, 3, 'one line per setting');
});

t.test('preflight fleet: the stale-proxy node among healthy ones, and two nodes that differ', async (t) => {
  const healthy = join(NODES, 'stale-proxy-healthy-node2', 'root');
  const clean = join(NODES, 'clean', 'root');
  const broken = join(NODES, 'stale-containerd-proxy', 'root');
  const run = await runCli(['fleet', healthy, broken, healthy, '--format', 'json']);
  t.equal(run.code, 1, 'a node differs');
  const fleet = JSON.parse(run.stdout) as ReturnType<typeof fleetOutliers>;
  t.same(Object.keys(fleet.outliers), [broken]);
  t.same(
    fleet.outliers[broken]!.map((o) => o.setting),
    ['containerd HTTPS_PROXY', 'containerd HTTP_PROXY', 'containerd NO_PROXY', 'containerd.service drop-ins'],
  );
  t.ok(
    fleet.outliers[broken]!.some(
      (o) => o.setting === 'containerd HTTPS_PROXY' && o.value?.source === '/etc/systemd/system/containerd.service.d/http-proxy.conf:3',
    ),
  );

  const pair = await runCli(['fleet', broken, healthy]);
  t.equal(pair.code, 1, 'two nodes that differ: exit 1');
  t.notMatch(pair.stdout, /agree/);
  t.match(
    pair.stdout,
    new RegExp(
      `\\n  containerd HTTPS_PROXY: ${broken}: "http://10\\.0\\.0\\.1:7897" \\(from /etc/systemd/system/containerd\\.service\\.d/http-proxy\\.conf:3\\); ${healthy}: not set\\n`,
    ),
  );
  t.match(pair.stdout, /\[preflight\] 4 settings differ with no majority\.\n$/);
  t.notMatch(pair.stdout, /environment\.|dropInPaths|cri\./, 'operator terms, not model paths');

  const three = await runCli(['fleet', broken, healthy, clean]);
  t.equal(three.code, 1);
  t.match(
    three.stdout,
    new RegExp(
      `^${broken}: 4 settings differ from most nodes\\n  containerd HTTPS_PROXY: "http://10\\.0\\.0\\.1:7897" \\(from \\S+:3\\); 2 of 3 nodes: not set\\n`,
    ),
  );
  const lines = three.stdout
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.replace(/:.*$/, ''));
  t.same(lines, [...new Set(lines)], 'at most one line per setting');

  const same = await runCli(['fleet', clean, clean]);
  t.equal(same.code, 0);
  t.match(same.stdout, /All 2 nodes have the same value/);
  const bad = await runCli(['fleet', clean, '/no/such/node']);
  t.equal(bad.code, 2);
  t.equal(bad.stderr, 'preflight: fleet /no/such/node: no such file or directory\n');
  const help = await runCli(['fleet', '--help']);
  t.match(help.stdout, /Exit codes:\n  0  every compared setting has the same value on all nodes\n  1  some setting differs/);
});
