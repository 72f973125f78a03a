import t from 'tap';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { collectPath } from '../../src/collect/fs.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel, planInputs } from '../../src/model/build.js';
import { isMasked, listConfFiles } from '../../src/model/conf-files.js';
import { normalizeEndpoint, sameEndpoint } from '../../src/model/endpoints.js';
import { fileInfo } from '../../src/model/file-info.js';
import { getAt, parsePointer, valuesAlong } from '../../src/model/pointer.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { writeNode } from '../helpers/node-root.js';

const snap = (paths: Snapshot['paths']): Snapshot => ({
  schemaVersion: 1,
  kind: 'NodeSnapshot',
  tool: { name: 'x', version: '0' },
  root: '/r',
  online: false,
  paths,
  commands: {},
});

t.test('every file type is recorded for what it is', async (t) => {
  const dir = t.testdir();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
  t.teardown(() => server.close());
  const kinds = new Set(['read'] as const);
  t.match(collectPath(dir, '/sock', kinds), { type: 'socket' });
  t.match(collectPath('/', '/dev/null', kinds), { type: 'char-device' });
  t.match(collectPath('/', '/dev/loop0', kinds), { type: 'block-device' });
});

t.test('conf files: precedence, masking, what is not a snippet', async (t) => {
  const root = writeNode(t.testdir(), {
    '/etc/sysctl.d/50-a.conf': 'x=1\n',
    '/usr/lib/sysctl.d/50-a.conf': 'x=2\n',
    '/usr/lib/sysctl.d/10-b.conf': 'y=1\n',
    '/etc/sysctl.d/10-b.conf': '',
    '/etc/sysctl.d/dir.conf/inner': '',
    '/etc/sysctl.d/.hidden.conf': 'z=1\n',
    '/etc/sysctl.d/notes.txt': '',
    '/etc/sysctl.d/fifo.conf': { fifo: true },
  });
  const s = collectSnapshot({ root });
  t.same(listConfFiles(s, ['/etc/sysctl.d', '/usr/lib/sysctl.d'], '.conf'), [
    { name: '10-b.conf', path: '/etc/sysctl.d/10-b.conf', masked: true },
    { name: '50-a.conf', path: '/etc/sysctl.d/50-a.conf', masked: false },
  ]);
  t.ok(isMasked(snap({ '/x': { type: 'missing', link: '//dev/./null' } }), '/x'), 'the link target is compared after normalising');
  t.notOk(isMasked(snap({ '/x': { type: 'file', size: 0 } }), '/x'), 'an empty file whose content was not read is not known to be empty');
});

t.test('endpoints', async (t) => {
  t.equal(normalizeEndpoint(' unix:///var/run/containerd/containerd.sock '), 'unix:///run/containerd/containerd.sock');
  t.equal(normalizeEndpoint('/var/run'), 'unix:///run');
  t.equal(normalizeEndpoint('/var/runner/x.sock'), 'unix:///var/runner/x.sock', 'only the /var/run directory itself');
  t.equal(normalizeEndpoint('tcp://10.0.0.1:2376'), 'tcp://10.0.0.1:2376');
  t.ok(sameEndpoint('unix:///run//containerd/./containerd.sock', '/var/run/containerd/containerd.sock'));
  t.notOk(sameEndpoint('npipe:////./pipe/containerd-containerd', 'unix:///run/containerd/containerd.sock'));
});

t.test('file info and pointers', async (t) => {
  t.same(fileInfo(snap({}), '/etc/x'), { path: '/etc/x', state: 'not-collected' });
  t.same(parsePointer(''), []);
  t.same(parsePointer('/a~1b/c~0d'), ['a/b', 'c~d']);
  t.equal(getAt({ a: { 'b/c': 1 } }, '/a/b~1c'), 1);
  t.equal(getAt({ a: null }, '/a/b'), undefined);
  t.same(valuesAlong({ a: { b: 2 } }, '/a/x'), [{ a: { b: 2 } }, { b: 2 }]);
});

t.test('host model on unusual nodes', async (t) => {
  const commented = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/hostname': '# nothing but a comment\n\n' }) }));
  t.equal(commented.host.hostname, null);
  const sysOnly = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/sys/module/br_netfilter/initstate': 'live\n' }) }));
  t.same(sysOnly.host.modules.loaded, ['br_netfilter'], 'built-in modules count without /proc/modules');
  const noProc = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/fstab': '' }) }));
  t.equal(noProc.host.modules.loaded, null);
  t.equal(noProc.host.swap.active, null);
  t.equal(noProc.host.procAvailable, false);
  const handmade = buildModel(
    snap({
      '/usr/bin/ip': { type: 'file' },
      '/etc/resolv.conf': { type: 'file', content: 'nameserver 1.1.1.1\n', link: '../run/systemd/resolve/stub-resolv.conf' },
    }),
  );
  t.equal(handmade.host.binaries.find((b) => b.name === 'ip')!.path, null, 'a file without a known mode is not executable');
  t.ok(handmade.host.resolvConf.resolvedStub, 'the stub is recognised by its link');
  t.same(planInputs(snap({})).read.includes('/etc/crictl.yaml'), true);
});

t.test('kubelet model: an invalid config is invalid, not empty', async (t) => {
  const m = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/var/lib/kubelet/config.yaml': 'cgroupDriver: [\n' }) }));
  t.match(m.kubelet.config, { state: 'invalid', error: { line: 2 } });
  t.equal(m.kubelet.cgroupDriver, null);
});

t.test('collectSnapshot defaults and root errors', async (t) => {
  const live = collectSnapshot();
  t.equal(live.root, '/');
  t.equal(live.online, false);
  t.throws(() => collectSnapshot({ root: `/tmp/${'x'.repeat(300)}` }), { code: 'root-unreadable', message: /cannot be read \(ENAMETOOLONG\)$/ });
});
