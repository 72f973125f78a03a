/**
 * Every published configuration of the corpus through the model and the rules,
 * with its outcome pinned: the facts the containerd spec lists for it and the
 * rules that fail under the embedded checklist.
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { ContainerdModel } from '../../src/model/types.js';
import { writeNode } from '../helpers/node-root.js';

const corpus = (name: string): string => readFileSync(new URL(`../fixtures/corpus/containerd/${name}`, import.meta.url), 'utf8');

async function run(dir: string, files: Record<string, string>, containerdVersion?: string) {
  const root = writeNode(dir, files);
  const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...(containerdVersion ? { containerdVersion } : {}) });
  const model = buildModel(collectSnapshot({ root }), { containerdVersion });
  const report = evaluate(model, prepared, { only: ['containerd'], date: '2026-06-01' });
  const failed = report.results.filter((r) => r.status === 'fail').map((r) => r.id.replace('containerd/', ''));
  return { c: model.containerd as ContainerdModel, failed, report };
}

const main = (name: string): Record<string, string> => ({ '/etc/containerd/config.toml': corpus(name) });

t.test('containerd 1.7 generated default (containerd test data)', async (t) => {
  const { c, failed } = await run(t.testdir(), main('containerd-1.7-default-testdata.toml'));
  t.equal(c.version.value, 2);
  t.match(c.semantics, { version: '1.7', basis: /config version 2 is read by 1.x and 2.x alike/, source: 'default' });
  t.equal(c.cri.sandboxImage.value, 'registry.k8s.io/pause:3.9');
  t.match(c.cri.runtimes.runc, { type: { value: 'io.containerd.runc.v2' }, systemdCgroup: null });
  t.equal(c.cri.registry.configPath.value, '');
  t.same(c.cri.registry.legacy, { mirrors: [], configs: [], auths: [], configTls: [] }, 'empty legacy tables are not set');
  t.equal(c.cri.legacySystemdCgroup?.value, false);
  t.same(failed, ['sandbox-image', 'systemd-cgroup']);
});

t.test('containerd 1.x CRI reference configuration (docs)', async (t) => {
  const { c, failed } = await run(t.testdir(), main('containerd-1.x-cri-config-from-docs.toml'));
  t.equal(c.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10.2');
  t.same(c.cri.registry.roots, ['/etc/containerd/certs.d', '/etc/docker/certs.d']);
  t.same(failed, ['known-keys', 'systemd-cgroup'], 'SystemdCgroup = false as documented');
  t.same(
    c.keys.problems.map((p) => p.key.replace('plugins."io.containerd.grpc.v1.cri".', '')),
    ['containerd.runtimes.runc.cgroup_writable', 'containerd.runtimes.runc.sandboxer', 'containerd.runtimes.runc.io_type', 'cni.use_internal_loopback'],
    'the docs list 2.x keys that no 1.x release reads',
  );
});

t.test('containerd 2.x CRI reference configuration (docs, version 3)', async (t) => {
  const { c, failed } = await run(t.testdir(), main('containerd-2.x-cri-config-from-docs.toml'));
  t.match(c.semantics, { version: '2.2' });
  t.equal(c.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10.2');
  t.match(c.cri.sandboxImage.source, { key: 'plugins."io.containerd.cri.v1.images".pinned_images.sandbox' });
  t.equal(c.cri.runtimes.runc?.systemdCgroup, null);
  t.same(failed, ['known-keys', 'systemd-cgroup']);
  t.same(
    c.keys.problems.map((p) => p.key.replace('plugins."io.containerd.cri.v1.runtime".', '')),
    ['disable_cgroup', 'stats_collect_period', 'stats_retention_period', 'containerd.runtimes.runc.disable_pause_image_pull'],
    'stale and newer-than-2.2 keys in the docs',
  );
});

t.test("Docker's containerd.io package default", async (t) => {
  const { c, failed } = await run(t.testdir(), main('docker-containerd.io-default-config.toml'));
  t.equal(c.version.value, 1);
  t.same(
    c.criDisabledBy.map((e) => e.value),
    ['cri'],
  );
  t.same(failed, ['config-version', 'cri-enabled', 'sandbox-image', 'systemd-cgroup']);
  const on2 = await run(t.testdir(), main('docker-containerd.io-default-config.toml'), '2.1');
  t.same(
    on2.c.criDisabledBy.map((e) => e.value),
    ['io.containerd.grpc.v1.cri'],
    'containerd 2.x renames cri and still disables it',
  );
});

t.test('EKS nodeadm, containerd 1.x (version 2)', async (t) => {
  const { c, failed } = await run(t.testdir(), main('eks-nodeadm-expected-containerd1x-v2.toml'));
  t.equal(c.grpcAddress.value, '/run/foo/foo.sock');
  t.equal(c.cri.runtimes.runc?.systemdCgroup?.value, true);
  t.equal(c.cri.sandboxImage.value, 'localhost/kubernetes/pause:latest');
  t.same(c.cri.registry.roots, ['/etc/containerd/certs.d', '/etc/docker/certs.d']);
  t.same(failed, ['grpc-address', 'sandbox-image']);
});

t.test('EKS nodeadm, containerd 2.x with an nvidia default runtime (version 3)', async (t) => {
  const { c, failed } = await run(t.testdir(), main('eks-nodeadm-expected-containerd2x-nvidia-v3.toml'));
  t.equal(c.cri.defaultRuntimeName.value, 'nvidia');
  t.match(c.cri.runtimes.nvidia, { type: { value: 'io.containerd.runc.v2' }, systemdCgroup: { value: true } });
  t.same(failed, ['grpc-address', 'sandbox-image']);
});

t.test('kind node image (version 2 on containerd 2.3)', async (t) => {
  const onOne = await run(t.testdir(), main('kind-base-image-config.toml'));
  t.equal(onOne.c.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10');
  t.equal(onOne.c.cri.runtimes.runc?.systemdCgroup?.value, true);
  t.same(onOne.failed, ['known-keys', 'sandbox-image']);
  t.same(
    onOne.c.keys.problems.map((p) => [p.key, p.suggestion]),
    [['plugins."io.containerd.grpc.v1.cri".tolerate_missing_hugepages_controller', 'tolerate_missing_hugetlb_controller']],
    'a misspelt key kind ships',
  );
  const onTwo = await run(t.testdir(), main('kind-base-image-config.toml'), '2.3.4');
  t.equal(onTwo.c.cri.sandboxImage.value, 'registry.k8s.io/pause:3.10', 'migrated to pinned_images.sandbox');
  t.equal(onTwo.c.cri.runtimes.runc?.systemdCgroup?.value, true, 'migrated to the runtime plugin');
  t.ok(onTwo.failed.includes('config-version'), 'version 2 is migrated on every start');
});

t.test('templates are not TOML: reported cleanly, nothing judged from them', async (t) => {
  for (const name of ['k3s-containerd-template-v1-era.toml.tmpl', 'kubespray-config.toml.j2', 'kubespray-hosts.toml.j2']) {
    const { c, failed, report } = await run(t.testdir(), main(name));
    t.equal(c.files[0]?.state, 'invalid', name);
    t.same(failed, ['config-parses'], `${name}: only config-parses fails`);
    t.match(report.results.find((r) => r.id === 'containerd/config-parses')?.message, /^\/etc\/containerd\/config\.toml:\d+:\d+ is not valid TOML/);
    t.match(report.results.find((r) => r.id === 'containerd/sandbox-image')?.message, /containerd cannot use \/etc\/containerd\/config\.toml/);
  }
});

t.test('hosts.toml from the containerd docs', async (t) => {
  const certs = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
  const { c, failed } = await run(t.testdir(), {
    '/etc/containerd/config.toml': certs,
    '/etc/containerd/certs.d/docker.io/hosts.toml': corpus('hosts.toml-docs-docker-io-local-mirror.toml'),
    '/etc/containerd/certs.d/host-fields/hosts.toml': corpus('hosts.toml-docs-host-fields.toml'),
  });
  const [docker, fields] = c.cri.registry.hostsDirs;
  t.same(
    docker!.hosts.map((h) => [h.url, h.kind, h.capabilities]),
    [
      ['https://public-mirror.example.com', 'host', ['pull']],
      ['https://docker-mirror.internal', 'host', ['pull', 'resolve']],
      ['https://registry-1.docker.io', 'server', ['pull', 'resolve', 'push']],
    ],
    'hosts in file order, then the server',
  );
  t.same(
    docker!.hosts[1]!.ca.map((x) => x.path),
    ['/etc/containerd/certs.d/docker.io/docker-mirror.crt'],
    'a relative ca resolves against the host directory',
  );
  const h = fields!.hosts;
  t.equal(h.length, 8, 'seven hosts and the default server');
  t.same(h.map((x) => x.url).slice(0, 3), ['https://mirror.registry', 'https://mirror-bak.registry/us', 'http://mirror.registry']);
  t.same(
    h[0]!.headers.map((y) => y.name),
    ['x-custom-2'],
    'header names (values are never kept)',
  );
  t.same(
    h[3]!.ca.map((x) => x.path),
    ['/etc/certs/test-1-ca.pem', '/etc/certs/special.pem'],
    'ca as a list',
  );
  t.same(
    h[3]!.client.map((x) => [x.cert, x.key]),
    [
      ['/etc/certs/client.cert', '/etc/certs/client.key'],
      ['/etc/certs/client.pem', null],
    ],
    'pairs, "" meaning the key is in the cert file',
  );
  t.same(
    h[4]!.client.map((x) => x.cert),
    ['/etc/certs/client.pem'],
    'client as one path',
  );
  t.same(
    h[5]!.client.map((x) => x.cert),
    ['/etc/certs/client-1.pem', '/etc/certs/client-2.pem'],
    'client as a list of paths',
  );
  t.ok(h[6]!.overridePath, 'override_path');
  t.same(h[1]!.skipVerify, true);
  t.same(h[7], { ...h[7], url: 'https://host-fields', kind: 'server' }, 'no server key: the directory name is the server');
  t.same(failed.sort(), ['registry-ca-present', 'registry-tls-verify', 'systemd-cgroup', 'sandbox-image'].sort());
});
