import t from 'tap';
import { collectSnapshot, proxyFor, resolveUnit } from '../../src/index.js';
import { writeNode } from '../helpers/node-root.js';
import { PACKAGED_UNITS, service } from '../helpers/units.js';

t.test('resolveUnit and proxyFor from the package entry', async (t) => {
  const root = writeNode(t.testdir(), {
    ...PACKAGED_UNITS,
    '/etc/systemd/system/containerd.service.d/http-proxy.conf': service('Environment="HTTPS_PROXY=http://10.0.0.1:7897" "NO_PROXY=.svc"'),
    '/usr/lib/systemd/system/docker.service': service('EnvironmentFile=/etc/default/docker'),
  });
  const snapshot = collectSnapshot({ root, units: ['docker.service'] });
  const unit = resolveUnit(snapshot, 'containerd.service');
  t.match(unit, {
    loadState: 'loaded',
    fragmentPath: '/usr/lib/systemd/system/containerd.service',
    dropInPaths: ['/etc/systemd/system/containerd.service.d/http-proxy.conf'],
    environmentFiles: [],
  });
  t.notOk(unit.fragmentPath!.startsWith(root), 'node paths, never prefixed with the root');
  t.same(unit.environment!.HTTPS_PROXY, {
    value: 'http://10.0.0.1:7897',
    file: '/etc/systemd/system/containerd.service.d/http-proxy.conf',
    line: 2,
    origin: 'Environment',
  });
  t.equal(unit.startFailure, undefined);
  t.same(proxyFor(unit.environment!, 'https://registry-1.docker.io'), { proxy: 'http://10.0.0.1:7897' });
  t.same(proxyFor(unit.environment!, 'kubernetes.default.svc'), { proxy: null });
  t.same(proxyFor({ HTTPS_PROXY: 'proxy.corp:3128' }, 'quay.io'), { proxy: 'http://proxy.corp:3128' }, 'a plain name → value map; the default port filled in');

  const docker = resolveUnit(snapshot, 'docker.service');
  t.match(
    docker,
    { loadState: 'loaded', environment: null, startFailure: { reason: 'environment-file', file: '/usr/lib/systemd/system/docker.service', line: 2 } },
    'a missing required env file: cannot start',
  );
  t.match(resolveUnit(snapshot, 'nothing.service'), { loadState: 'not-found', fragmentPath: null, dropInPaths: [], environment: null });
  const pass = resolveUnit(snapshot, 'containerd.service', { managerEnvironment: { HTTPS_PROXY: 'x' } });
  t.equal(pass.environment!.HTTPS_PROXY!.value, 'http://10.0.0.1:7897', 'PID 1 matters only for PassEnvironment=');
});
