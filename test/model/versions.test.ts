// Target versions: the installed packages (dpkg status), the Kubernetes
// version a node is judged for, the containerd release its config is read as,
// and the containerd keys of each patch release.
import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { buildPackages, DPKG_STATUS } from '../../src/model/packages.js';
import { parseDpkgStatus, upstreamRelease } from '../../src/parsers/dpkg-status.js';
import { deriveTargets, isKubernetesVersion, resolveKubernetesVersion, NEWEST_KNOWN_MINOR, OLDEST_KNOWN_MINOR } from '../../src/checklist/targets.js';
import { DEFAULT_CHECKLIST } from '../../src/checklist/defaults.js';
import type { Checklist } from '../../src/checklist/types.js';
import { chooseSemantics, releaseFacts } from '../../src/model/containerd/semantics.js';
import { keySchemaFor, PATCH_KEYS, type KeySchema } from '../../src/model/containerd/keys.js';
import type { PackagesModel } from '../../src/model/types.js';
import { writeNode } from '../helpers/node-root.js';
import { dpkgStatus } from '../helpers/dpkg.js';

const modelOf = (t: { testdir(): string }, files: Record<string, string>) => buildModel(collectSnapshot({ root: writeNode(t.testdir(), files) }));

t.test('dpkg status: paragraphs, continuation lines, field case, CRLF', async (t) => {
  const text = [
    'Package: kubeadm\r',
    'status: install ok installed\r',
    'Version: 1.33.2-1.1\r',
    'Version: 9.9\r',
    'Description: x\r',
    ' Version: 7.7 (a continuation line, not a field)\r',
    'no colon here\r',
    ': empty name\r',
    '\r',
    'Package: no-version',
    'Status: install ok installed',
    '',
    '',
    'Package: kubelet',
    'Version: 1.33.2-1.1',
  ].join('\n');
  t.same(parseDpkgStatus(text), [
    { package: 'kubeadm', status: 'install ok installed', version: '1.33.2-1.1', architecture: null, line: 1 },
    { package: 'kubelet', status: '', version: '1.33.2-1.1', architecture: null, line: 14 },
  ]);
  t.same(parseDpkgStatus(dpkgStatus(['containerd', '1.6.20~ds1-1']))[1], {
    package: 'containerd',
    status: 'install ok installed',
    version: '1.6.20~ds1-1',
    architecture: 'amd64',
    line: 14,
  });
});

t.test('upstream release numbers of Debian versions', async (t) => {
  t.equal(upstreamRelease('1:1.32.3-1.1'), '1.32.3', 'epoch dropped');
  t.equal(upstreamRelease('1.6.20~ds1-1+deb12u3'), '1.6.20');
  t.equal(upstreamRelease('1.28.2-00'), '1.28.2');
  t.equal(upstreamRelease('v2.1'), '2.1');
  t.equal(upstreamRelease('git20240101'), null);
});

t.test('the packages model: dpkg states, an rpm database, nothing', async (t) => {
  const m = modelOf(t, {
    [DPKG_STATUS]: `${dpkgStatus(['kubeadm', '1.35.0-1.1'], ['kubelet', '1.35.0-1.1', 'half-configured'], ['containerd', '1.7.24-1', 'config-files'], ['containerd.io', '2.1.0-1', 'half-installed'])}\nPackage: containerd\nStatus: install\nVersion: 1.7.0-1\n`,
  });
  t.same(Object.keys(m.packages.installed), ['kubeadm', 'kubelet'], 'only packages whose files are on disk');
  t.match(m.packages, {
    database: 'dpkg',
    rpmDatabases: [],
    installed: { kubelet: { state: 'half-configured', release: '1.35.0', source: { file: DPKG_STATUS, key: 'kubelet' } } },
  });
  const rpm = modelOf(t, { '/usr/lib/sysimage/rpm/rpmdb.sqlite': 'SQLite format 3', '/var/lib/rpm': '' });
  t.match(rpm.packages, { database: 'rpm', file: { state: 'missing' }, rpmDatabases: ['/usr/lib/sysimage/rpm/rpmdb.sqlite'], installed: {} });
  const none = modelOf(t, { '/etc/hostname': 'n\n' });
  t.match(none.packages, { database: null, installed: {} });
  const unreadable = buildPackages({ ...collectSnapshot({ root: writeNode(t.testdir(), {}) }), paths: { [DPKG_STATUS]: { type: 'directory', entries: [] } } });
  t.match(unreadable, { database: null, file: { state: 'unreadable' } });
});

const packages = (installed: Record<string, string>, extra: Partial<PackagesModel> = {}): PackagesModel => ({
  database: 'dpkg',
  file: { path: DPKG_STATUS, state: 'ok' },
  rpmDatabases: [],
  installed: Object.fromEntries(
    Object.entries(installed).map(([name, version]) => [
      name,
      { name, version, release: upstreamRelease(version), state: 'installed', source: { file: DPKG_STATUS, line: 3, key: name } },
    ]),
  ),
  ...extra,
});

t.test('the Kubernetes target: flag, checklist, kubeadm then kubelet package, newest known', async (t) => {
  t.equal(OLDEST_KNOWN_MINOR, 27);
  t.equal(NEWEST_KNOWN_MINOR, 37);
  const pkgs = packages({ kubeadm: '1.32.3-1.1', kubelet: '1.31.0-1.1' });
  t.match(resolveKubernetesVersion({ kubernetesVersion: '1.34' }, { flag: 'v1.35.2', packages: pkgs }), {
    version: '1.35',
    minor: 35,
    tableMinor: 35,
    source: 'flag',
    basis: '--kubernetes-version',
  });
  t.match(resolveKubernetesVersion({ kubernetesVersion: '1.34' }, { packages: pkgs }), { version: '1.34', source: 'checklist' });
  t.match(resolveKubernetesVersion({}, { packages: pkgs }), {
    version: '1.32',
    source: 'node-package',
    basis: 'the installed kubeadm package (1.32.3-1.1, /var/lib/dpkg/status:3)',
  });
  t.match(resolveKubernetesVersion({}, { packages: packages({ kubelet: '1.31.0-1.1' }) }), {
    version: '1.31',
    source: 'node-package',
    basis: /installed kubelet package/,
  });
  t.match(
    resolveKubernetesVersion({}, { packages: packages({ kubeadm: 'snapshot', kubelet: '1.30.1-1.1' }) }),
    { version: '1.30', basis: /kubelet/ },
    'a kubeadm version that is not a release number is passed over',
  );
  t.match(resolveKubernetesVersion({}, { packages: packages({}) }), {
    version: '1.37',
    source: 'default',
    basis: /no kubeadm or kubelet package in \/var\/lib\/dpkg\/status/,
  });
  t.match(resolveKubernetesVersion({}, { packages: packages({}, { database: 'rpm', rpmDatabases: ['/var/lib/rpm/Packages'] }) }), {
    basis: /the rpm database \(\/var\/lib\/rpm\/Packages\) is binary and not read; set --kubernetes-version/,
  });
  t.match(resolveKubernetesVersion({}, { packages: packages({}, { database: null }) }), { basis: /no package database on the node/ });
  t.match(resolveKubernetesVersion({}), { version: '1.37', basis: 'the newest Kubernetes version this release knows (no node package was consulted)' });
  const newer = resolveKubernetesVersion({ kubernetesVersion: '1.40' });
  t.match(newer, {
    version: '1.40',
    minor: 40,
    tableMinor: 37,
    note: "Kubernetes 1.40 (the checklist's kubernetesVersion) is newer than the newest version this release of kube-preflight knows (1.37); it is judged with the 1.37 targets.",
  });
  t.match(resolveKubernetesVersion({}, { packages: packages({ kubeadm: '1.25.4-00' }) }), {
    version: '1.25',
    tableMinor: 25,
    note: /older than the oldest version this release of kube-preflight knows \(1\.27\)/,
  });
  t.ok(isKubernetesVersion('1.36') && isKubernetesVersion(' v1.36.1 ') && !isKubernetesVersion('1.x') && !isKubernetesVersion('2.0'));
  const targets = deriveTargets({ ...(DEFAULT_CHECKLIST as Checklist), kubernetesVersion: '1.40' });
  t.match(targets, {
    kubernetesMinor: 37,
    kubernetesVersion: '1.40',
    sandboxImage: 'registry.k8s.io/pause:3.10.2',
    sandboxImageOrigin: "kubeadm's default for Kubernetes 1.37",
  });
  t.match(deriveTargets(DEFAULT_CHECKLIST as Checklist, { kubernetesVersion: '1.33', model: { packages: pkgs } }), {
    kubernetesVersion: '1.33',
    kubernetes: { source: 'flag' },
  });
  t.match(deriveTargets(DEFAULT_CHECKLIST as Checklist, { model: { packages: pkgs } }), {
    kubernetesVersion: '1.32',
    sandboxImage: 'registry.k8s.io/pause:3.10',
  });
});

t.test('the containerd release: checklist, package, running daemon, config proof, default', async (t) => {
  const pkg = { name: 'containerd', release: '1.6.20', where: '1.6.20~ds1-1, /var/lib/dpkg/status:9' };
  t.match(chooseSemantics({ checklist: 'v2.1', package: pkg, configVersion: 2 }), { version: '2.1', major: 2, minor: 1, patch: null, source: 'checklist' });
  t.match(chooseSemantics({ checklist: 'nonsense', package: pkg, configVersion: 2 }), {
    version: '1.6.20',
    patch: 20,
    source: 'node-package',
    basis: 'the installed containerd package (1.6.20~ds1-1, /var/lib/dpkg/status:9)',
  });
  t.match(chooseSemantics({ binary: 'v1.7.20-3-gdeadbeef', configVersion: 2 }), {
    version: '1.7.20',
    source: 'binary',
    basis: 'the running containerd (ctr version: v1.7.20-3-gdeadbeef)',
  });
  t.match(chooseSemantics({ binary: '1.6', binaryBasis: 'the installed containerd binary (containerd --version: 1.6)', configVersion: 2 }), {
    version: '1.6',
    source: 'binary',
    basis: 'the installed containerd binary (containerd --version: 1.6)',
  });
  t.match(chooseSemantics({ binary: 'devel', configVersion: 4 }), { version: '2.3', source: 'config', basis: /config version 4/ });
  t.match(chooseSemantics({ configVersion: 3 }), { version: '2.2', source: 'config' });
  t.match(chooseSemantics({ configVersion: 2, twoXId: { id: 'io.containerd.cri.v1.images', where: '/etc/containerd/config.toml:3' } }), {
    version: '2.2',
    source: 'config',
    basis: /plugin id io\.containerd\.cri\.v1\.images \(\/etc\/containerd\/config\.toml:3\) in a version 2 file/,
  });
  t.match(chooseSemantics({ configVersion: null, twoXId: { id: 'io.containerd.cri.v1.images', where: 'x:1' } }), { basis: /in a version 1 file/ });
  t.match(chooseSemantics({ configVersion: null }), { version: '1.7', source: 'default', basis: /no config file to infer from/ });
  t.match(chooseSemantics({ configVersion: 2 }), { version: '1.7', source: 'default', basis: /config version 2 is read by 1\.x and 2\.x alike/ });
  t.equal(releaseFacts({ major: 1, minor: 6, patch: 8 }).sandboxImage, 'k8s.gcr.io/pause:3.6', '1.6.0-1.6.8 default to the frozen registry');
  t.equal(releaseFacts({ major: 1, minor: 6, patch: 9 }).sandboxImage, 'registry.k8s.io/pause:3.6');
  t.equal(releaseFacts({ major: 1, minor: 6, patch: null }).sandboxImage, 'registry.k8s.io/pause:3.6');
  t.equal(releaseFacts({ major: 1, minor: 7 }).sandboxImage, 'registry.k8s.io/pause:3.8');
});

t.test('containerd keys per patch release (scripts/audit-containerd-keys.sh)', async (t) => {
  const runc = (s: KeySchema): string[] => Object.keys(s.definitions!.runcOptions!.properties!);
  const cri = (s: KeySchema, id: string): string[] => Object.keys(s.properties!.plugins!.properties![id]!.properties!);
  const proxy = (s: KeySchema): string[] => Object.keys((s.properties!.proxy_plugins!.additionalProperties as KeySchema).properties!);
  const any17 = keySchemaFor({ major: 1, minor: 7 }).schema;
  t.ok(runc(any17).includes('CriuPath') && runc(any17).includes('TaskApiAddress'), 'an unknown 1.7 patch accepts the keys of every 1.7 patch');
  t.ok(runc(keySchemaFor({ major: 1, minor: 7, patch: 24 }).schema).includes('CriuPath'));
  t.notOk(runc(keySchemaFor({ major: 1, minor: 7, patch: 24 }).schema).includes('TaskApiAddress'));
  t.notOk(runc(keySchemaFor({ major: 1, minor: 7, patch: 25 }).schema).includes('CriuPath'), '1.7.25 decodes the api module Options');
  t.notOk(proxy(keySchemaFor({ major: 1, minor: 7, patch: 15 }).schema).includes('exports'));
  t.ok(proxy(keySchemaFor({ major: 1, minor: 7, patch: 16 }).schema).includes('exports'));
  t.notOk(runc(keySchemaFor({ major: 2, minor: 0, patch: 3 }).schema).includes('CriuPath'));
  t.notOk(cri(keySchemaFor({ major: 2, minor: 2, patch: 6 }).schema, 'io.containerd.cri.v1.runtime').includes('enable_criu'));
  t.ok(
    cri(keySchemaFor({ major: 2, minor: 4, patch: 0 }).schema, 'io.containerd.cri.v1.runtime').includes('enable_criu'),
    'a later minor reads like the last 2.3',
  );
  t.notOk(cri(keySchemaFor({ major: 1, minor: 6, patch: 28 }).schema, 'io.containerd.grpc.v1.cri').includes('ignore_deprecation_warnings'));
  t.ok(
    cri(keySchemaFor({ major: 1, minor: 5, patch: 0 }).schema, 'io.containerd.grpc.v1.cri').includes('ignore_deprecation_warnings'),
    '1.5 is read with the whole 1.6 schema',
  );
  t.equal(
    keySchemaFor({ major: 2, minor: 1, patch: 3 }).schema,
    keySchemaFor({ major: 2, minor: 1 }).schema,
    'a family without patch differences is not copied',
  );
  t.equal(keySchemaFor({ major: 1, minor: 7, patch: 20 }).schema, keySchemaFor({ major: 1, minor: 7, patch: 20 }).schema, 'narrowed schemas are cached');
  t.same(Object.keys(PATCH_KEYS).sort(), ['1.6', '1.7', '2.2', '2.3']);
});

t.test("containerd's Kubernetes support rows list the newest family first", async (t) => {
  const { CONTAINERD_FOR_KUBERNETES } = await import('../../src/rules/host/component-versions.js');
  for (const [minor, row] of Object.entries(CONTAINERD_FOR_KUBERNETES)) {
    const families = Object.keys(row);
    t.same(
      families,
      [...families].sort((a, b) => Number(b.split('.')[0]) - Number(a.split('.')[0]) || Number(b.split('.')[1]) - Number(a.split('.')[1])),
      `1.${minor}`,
    );
  }
});
