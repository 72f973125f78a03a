import t from 'tap';
import { writeFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { gunzipIfGzip } from '../../src/collect/gzip.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { buildKernel, kernelSpecFor, parseKernelConfig } from '../../src/model/kernel.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { writeNode } from '../helpers/node-root.js';

t.test('/proc/config.gz is collected decompressed, and read as the configuration', async (t) => {
  const root = writeNode(t.testdir(), { '/proc/sys/kernel/osrelease': '6.1.0-25-amd64\n' });
  mkdirSync(`${root}/proc`, { recursive: true });
  writeFileSync(`${root}/proc/config.gz`, gzipSync('CONFIG_NAMESPACES=y\n# CONFIG_AUFS_FS is not set\nCONFIG_MEMCG=m\n'));
  const snapshot = collectSnapshot({ root });
  t.match(snapshot.paths['/proc/config.gz'], { gunzipped: true, content: /^CONFIG_NAMESPACES=y\n/ });
  const kernel = buildModel(snapshot).host.kernel;
  t.same(kernel.config, { file: '/proc/config.gz', options: { NAMESPACES: 'y', MEMCG: 'm' } });
  t.same(kernel.release, { value: '6.1.0-25-amd64', file: '/proc/sys/kernel/osrelease' });
});

t.test('gunzipIfGzip refuses what is not gzip, is corrupt, or inflates past the limit', async (t) => {
  const gz = gzipSync('x'.repeat(1000));
  t.equal(gunzipIfGzip('/boot/config', gz, 4096), null, 'not a .gz name');
  t.equal(gunzipIfGzip('/proc/config.gz', Buffer.from('CONFIG_X=y\n'), 4096), null, 'no gzip magic');
  t.equal(gunzipIfGzip('/proc/config.gz', Buffer.from([0x1f]), 4096), null, 'too short');
  t.equal(gunzipIfGzip('/proc/config.gz', Buffer.concat([gz.subarray(0, 10), Buffer.from('garbage')]), 4096), null, 'corrupt');
  t.equal(gunzipIfGzip('/proc/config.gz', gz, 100), null, 'a bomb is refused, not expanded');
  t.equal(gunzipIfGzip('/proc/config.gz', gz, 4096)!.length, 1000);
});

t.test('a gzip file collected without decompression (lossy text) is not used; the next candidate is', async (t) => {
  const rec = (content: string, extra: object = {}) => ({ type: 'file' as const, content, ...extra });
  const snapshot = {
    schemaVersion: 1,
    root: '/',
    online: false,
    paths: {
      '/proc/sys/kernel/osrelease': rec('6.1.0\n'),
      '/proc/config.gz': rec('\u001f\ufffd\b', { invalidUtf8: true }),
      '/boot/config-6.1.0': rec('CONFIG_INET=y\n'),
    },
    commands: {},
  } as unknown as Snapshot;
  const kernel = buildKernel(snapshot);
  t.same(kernel.unusable, [{ file: '/proc/config.gz', reason: 'its compressed content was not decompressed when collected' }]);
  t.equal(kernel.config!.file, '/boot/config-6.1.0');
  t.same(kernel.configsModule, [], 'the module directory was not collected');
});

t.test('the spec follows the system-validators release each Kubernetes minor vendors', async (t) => {
  t.equal(kernelSpecFor(27).validators, 'v1.8.0');
  t.equal(kernelSpecFor(31).validators, 'v1.8.0');
  t.equal(kernelSpecFor(32).validators, 'v1.9.1');
  t.ok(kernelSpecFor(32).versions.some((re) => re.test('4.19.0')) && !kernelSpecFor(32).versions.some((re) => re.test('4.18.0')), '1.32: 4.19 is the floor');
  t.ok(kernelSpecFor(32).required.some((o) => o.name === 'CGROUP_BPF'));
  t.equal(kernelSpecFor(33).floorLevel, 'error');
  t.equal(kernelSpecFor(34).floorLevel, 'warning');
  t.same(
    kernelSpecFor(37).requiredCgroupV2.map((o) => o.name),
    ['CGROUPS', 'CGROUP_BPF', 'CGROUP_PIDS', 'CGROUP_SCHED'],
  );
  t.same(parseKernelConfig('CONFIG_A=y\nCONFIG_B="str"\n  CONFIG_C=n\nnoise\n'), { A: 'y', B: '"', C: 'n' });
});

t.test('the join model: sockets, manifests, CNI and kubelet.service enablement', async (t) => {
  const root = writeNode(t.testdir(), {
    '/usr/lib/systemd/system/kubelet.service':
      '[Unit]\n[Service]\nExecStart=/usr/bin/kubelet\n[Install]\nWantedBy=multi-user.target\nAlias=kubelet-alias.service\n',
    '/etc/systemd/system/kubelet-alias.service': { link: '/usr/lib/systemd/system/kubelet.service' },
    '/etc/systemd/system/multi-user.target.wants/kubelet-alias.service': { link: '/usr/lib/systemd/system/kubelet.service' },
    '/etc/systemd/system/plain-file': 'x',
    '/etc/kubernetes/manifests/sub/x.yaml': 'x',
    '/etc/systemd/system/odd.target.wants': { link: '/etc/hostname' },
    '/etc/hostname': 'n\n',
    '/etc/cni/net.d/10-gone.conflist': { link: '/nonexistent.conflist' },
    '/etc/cni/net.d/20-loop.conf': { link: '20-loop.conf' },
  });
  const join = buildModel(collectSnapshot({ root })).join;
  t.equal(join.kubeletService.state, 'enabled', 'a link under an alias name enables the unit too');
  t.same(join.kubeletService.installTargets, ['multi-user.target']);
  t.same(join.manifests, { dir: '/etc/kubernetes/manifests', files: [] }, 'a directory inside is not a manifest');
  t.match(join.cni, {
    configs: [
      { file: '/etc/cni/net.d/10-gone.conflist', error: 'missing' },
      { file: '/etc/cni/net.d/20-loop.conf', error: /ELOOP/ },
    ],
    plugins: null,
  });
});
