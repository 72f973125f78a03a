import t from 'tap';
import { join } from 'node:path';
import { fleetOutliers, formatFleetText } from '../../src/diff/fleet.js';
import { runCli } from '../helpers/cli.js';
import { NODES } from '../helpers/node-fixtures.js';
import type { NodeModel } from '../../src/model/types.js';

const node = (label: string, model: Record<string, unknown>) => ({ label, model: model as unknown as NodeModel });

t.test('the nodes that differ from a strict majority, setting by setting', async (t) => {
  const fleet = fleetOutliers([
    node('a', { kubelet: { cgroupDriver: { value: 'systemd', source: { file: '/k.yaml', line: 2 } } }, crictl: { timeoutSeconds: 2 } }),
    node('b', { kubelet: { cgroupDriver: { value: 'systemd', source: { file: '/k.yaml', line: 2 } } }, crictl: { timeoutSeconds: 5 } }),
    node('c', { kubelet: { cgroupDriver: { value: 'cgroupfs', source: { file: '/k.yaml', line: 3 } } }, crictl: { timeoutSeconds: 9 }, extra: { x: 1 } }),
  ]);
  t.same(fleet.nodes, ['a', 'b', 'c']);
  t.same(fleet.outliers, {
    c: [
      { group: 'extra', path: 'x', value: { value: '1' }, majority: { value: null, count: 2 } },
      { group: 'kubelet', path: 'cgroupDriver', value: { value: '"cgroupfs"', source: '/k.yaml:3' }, majority: { value: '"systemd"', count: 2 } },
    ],
  }, 'crictl.timeoutSeconds has no majority, so no outlier');
  const text = formatFleetText(fleet);
  t.match(text, /^c: 2 settings differ from most nodes\n  extra: x\n    here: 1\n    2 of 3 nodes: \(not present\)\n  kubelet: cgroupDriver\n    here: "cgroupfs"  \(\/k\.yaml:3\)\n    2 of 3 nodes: "systemd"\n/);
  t.match(text, /\[preflight\] 1 of 3 nodes differ from the majority\.\n$/);
  const one = fleetOutliers([node('a', { x: { y: 1 } }), node('b', { x: { y: 1 } }), node('c', {})]);
  t.match(formatFleetText(one), /^c: 1 setting differs from most nodes\n  x: y\n    here: \(not present\)\n    2 of 3 nodes: 1\n/);
  t.equal(formatFleetText(fleetOutliers([node('a', {}), node('b', {})])), '[preflight] All 2 nodes agree with the majority in every compared setting.\n');
});

t.test('preflight fleet: the stale-proxy node among healthy ones', async (t) => {
  const healthy = join(NODES, 'stale-proxy-healthy-node2', 'root');
  const clean = join(NODES, 'clean', 'root');
  const broken = join(NODES, 'stale-containerd-proxy', 'root');
  const run = await runCli(['fleet', healthy, broken, healthy, '--format', 'json']);
  t.equal(run.code, 1, 'a node differs');
  const fleet = JSON.parse(run.stdout) as ReturnType<typeof fleetOutliers>;
  t.same(Object.keys(fleet.outliers), [broken]);
  t.ok(fleet.outliers[broken]!.some((o) => o.path === 'environment.HTTPS_PROXY' && o.value?.source === '/etc/systemd/system/containerd.service.d/http-proxy.conf:3'));
  const same = await runCli(['fleet', clean, clean]);
  t.equal(same.code, 0);
  t.match(same.stdout, /All 2 nodes agree/);
  const bad = await runCli(['fleet', clean, '/no/such/node']);
  t.equal(bad.code, 2);
  t.equal(bad.stderr, 'preflight: fleet /no/such/node: no such file or directory\n');
});
