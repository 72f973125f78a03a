import t from 'tap';
import { spawnSync } from 'node:child_process';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { planSiteInputs, sysctlProcPath, type SiteInputs } from '../../src/model/site.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

const CERT = new URL('../fixtures/certs/v1-utctime.pem', import.meta.url);

function site(dir: string, files: NodeFiles, inputs: SiteInputs) {
  const root = writeNode(dir, files);
  return buildModel(collectSnapshot({ root, site: inputs }), { site: inputs }).site;
}

t.test('files: type, mode, owner ids and names from the node, text only when a check reads it', async (t) => {
  const { readFileSync } = await import('node:fs');
  const uid = process.getuid!();
  const gid = process.getgid!();
  const got = site(
    t.testdir(),
    {
      '/etc/passwd': `# comment\nbroken line\nnoid:x:abc:0::/:/bin/sh\ntester:x:${uid}:${gid}::/:/bin/sh\nsecond:x:${uid}:${gid}::/:/bin/sh\n`,
      '/etc/group': `testers:x:${gid}:\n`,
      '/etc/pki/ca.pem': { content: readFileSync(CERT, 'utf8'), mode: 0o640 },
      '/etc/stat-only': { content: 'secret-ish', mode: 0o600 },
      '/etc/dir': { dir: true },
      '/etc/link': { link: '/etc/stat-only' },
      '/etc/loop': { link: '/etc/loop' },
    },
    { read: ['/etc/pki/ca.pem', '/etc/dir'], stat: ['/etc/stat-only', '/etc/missing', '/etc/link', '/etc/loop'], accounts: true },
  );
  t.match(got.files['/etc/pki/ca.pem'], {
    type: 'file',
    mode: '0640',
    uid,
    gid,
    owner: 'tester',
    group: 'testers',
    error: null,
    link: null,
    certificates: [{ line: 1, subject: 'Example Site Root CA', notAfter: '2035-01-01T00:00:00Z' }],
  });
  t.match(got.files['/etc/pki/ca.pem']!.text, /^-----BEGIN CERTIFICATE-----/, 'the text of a file a check reads');
  t.match(got.files['/etc/stat-only'], { type: 'file', mode: '0600', text: null, certificates: [] }, 'a stat only: no text');
  t.match(got.files['/etc/dir'], { type: 'directory', text: null });
  t.match(got.files['/etc/missing'], { type: 'missing', mode: null, uid: null, owner: null });
  t.match(got.files['/etc/link'], { type: 'file', link: '/etc/stat-only' });
  t.match(got.files['/etc/loop'], { type: 'error', error: /^ELOOP: / });
  t.same(Object.keys(got.files), ['/etc/dir', '/etc/link', '/etc/loop', '/etc/missing', '/etc/pki/ca.pem', '/etc/stat-only'], 'sorted by path');
  const noAccounts = site(t.testdir(), { '/etc/passwd': `tester:x:${uid}:${gid}::/:/bin/sh\n`, '/etc/x': 'x' }, { stat: ['/etc/x'] });
  t.match(noAccounts.files['/etc/x'], { uid, owner: null, group: null }, 'names only when a check asks for accounts');
  const noPasswd = site(t.testdir(), { '/etc/x': 'x' }, { stat: ['/etc/x'], accounts: true });
  t.match(noPasswd.files['/etc/x'], { owner: null, group: null }, 'no /etc/passwd on the node: no names');
});

t.test('files the collector did not read are not-collected; no site inputs, an empty site', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/x': 'x' });
  const plain = collectSnapshot({ root });
  t.same(buildModel(plain).site, { files: {}, sysctls: {}, kernelModules: {}, systemdUnits: {} });
  t.match(buildModel(plain, { site: { stat: ['/etc/x'] } }).site.files['/etc/x'], { type: 'not-collected', mode: null, text: null });
  t.match(buildModel(plain, { site: { read: ['/etc/x'] } }).site.files['/etc/x'], { type: 'not-collected' });
});

t.test('sysctls: the value now (blanks collapsed) and the one persisted for boot', async (t) => {
  const got = site(
    t.testdir(),
    {
      '/proc/sys/net/ipv4/tcp_rmem': '4096\t131072\t6291456\n',
      '/proc/sys/net/ipv4/conf/eth0.100/rp_filter': '2\n',
      '/etc/sysctl.d/90-site.conf': 'net.ipv4.tcp_rmem = 4096 131072  6291456\nnet/ipv4/conf/eth0.100/rp_filter = 1\n',
    },
    { sysctls: ['net.ipv4.tcp_rmem', 'net/ipv4/conf/eth0.100/rp_filter', 'vm.nothing'] },
  );
  t.same(got.sysctls['net.ipv4.tcp_rmem'], {
    live: '4096 131072 6291456',
    persisted: { value: '4096 131072  6291456', file: '/etc/sysctl.d/90-site.conf', line: 1 },
    collected: true,
  });
  t.same(
    got.sysctls['net/ipv4/conf/eth0.100/rp_filter'],
    { live: '2', persisted: { value: '1', file: '/etc/sysctl.d/90-site.conf', line: 2 }, collected: true },
    'slashes keep dots inside a name',
  );
  t.same(got.sysctls['vm.nothing'], { live: null, persisted: null, collected: true });
  const image = site(t.testdir(), { '/etc/sysctl.conf': 'vm.swappiness = 10\n' }, { sysctls: ['vm.swappiness'] });
  t.same(
    image.sysctls['vm.swappiness'],
    { live: null, persisted: { value: '10', file: '/etc/sysctl.conf', line: 1 }, collected: true },
    'a mounted image has no /proc/sys',
  );
  t.equal(sysctlProcPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
  t.equal(sysctlProcPath('net/ipv4/conf/eth0.100/rp_filter'), '/proc/sys/net/ipv4/conf/eth0.100/rp_filter');
});

t.test('kernel modules: loaded (/proc/modules, /sys/module), built in, persisted; - and _ alike', async (t) => {
  const got = site(
    t.testdir(),
    {
      '/proc/modules': 'br_netfilter 32768 0 - Live 0x0\nnf_conntrack 1 0 - Live 0x0\n',
      '/sys/module/br_netfilter/initstate': 'live\n',
      '/sys/module/overlay/parameters/x': 'N\n',
      '/etc/modules-load.d/k8s.conf': 'br-netfilter\n',
      '/etc/modules': 'overlay\n',
    },
    { kernelModules: ['br-netfilter', 'overlay', 'nf_conntrack', 'ip_vs'] },
  );
  t.same(got.kernelModules['br-netfilter'], { loaded: true, builtin: false, persisted: { file: '/etc/modules-load.d/k8s.conf', line: 1 }, collected: true });
  t.same(
    got.kernelModules.overlay,
    { loaded: true, builtin: true, persisted: { file: '/etc/modules', line: 1 }, collected: true },
    'under /sys/module only: built in',
  );
  t.same(got.kernelModules.nf_conntrack, { loaded: true, builtin: false, persisted: null, collected: true });
  t.same(got.kernelModules.ip_vs, { loaded: false, builtin: false, persisted: null, collected: true });
  const image = site(t.testdir(), { '/etc/modules': 'overlay\n' }, { kernelModules: ['overlay'] });
  t.same(
    image.kernelModules.overlay,
    { loaded: null, builtin: false, persisted: { file: '/etc/modules', line: 1 }, collected: true },
    'a mounted image: loaded is unknown',
  );
  const sysOnly = site(t.testdir(), { '/sys/module/overlay/initstate': 'live\n' }, { kernelModules: ['overlay', 'ip_vs'] });
  t.same(
    [sysOnly.kernelModules.overlay, sysOnly.kernelModules.ip_vs],
    [
      { loaded: true, builtin: false, persisted: null, collected: true },
      { loaded: false, builtin: false, persisted: null, collected: true },
    ],
    'without /proc/modules, /sys/module decides',
  );
});

t.test('planning: what the site inputs read, list and stat', async (t) => {
  const empty = collectSnapshot({ root: writeNode(t.testdir(), {}) });
  t.same(planSiteInputs(empty), { read: [], list: [], stat: [] });
  t.same(planSiteInputs(empty, { read: ['/a'], stat: ['/b'], accounts: true, sysctls: ['vm.x'], kernelModules: ['ip-vs'], systemdUnits: ['x.service'] }), {
    read: ['/a', '/proc/sys/vm/x', '/etc/passwd', '/etc/group', '/proc/modules'],
    list: ['/sys/module', '/etc/systemd/system.control', '/etc/systemd/system', '/run/systemd/system.control', '/run/systemd/system'],
    stat: ['/b'],
  });
  const root = writeNode(t.testdir(), {
    '/etc/systemd/system/multi-user.target.wants/x.service': { link: '/usr/lib/systemd/system/x.service' },
    '/etc/systemd/system/x.conf': 'x',
    '/run/systemd/system/sockets.target.requires': { dir: true },
  });
  const listed = collectSnapshot({ root, site: { systemdUnits: ['x.service'] } });
  t.same(
    planSiteInputs(listed, { systemdUnits: ['x.service'] }).list.slice(4),
    ['/etc/systemd/system/multi-user.target.wants', '/run/systemd/system/sockets.target.requires'],
    'the .wants and .requires directories, once their parents are listed',
  );
});

/** What `systemctl --root=DIR is-enabled UNIT` says: the real systemd as the oracle. */
function isEnabled(root: string, unit: string): string {
  const r = spawnSync('systemctl', [`--root=${root}`, 'is-enabled', unit], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.trim() || (/No such file/.test(r.stderr) ? 'not-found' : `error: ${r.stderr.trim()}`);
}

const SERVICE = '[Service]\nExecStart=/bin/true\n';
const INSTALL = `${SERVICE}[Install]\nWantedBy=multi-user.target\n`;
const LIB = '/usr/lib/systemd/system';

t.test('units: enablement as systemctl is-enabled says (systemd 252 as the oracle)', async (t) => {
  const cases: { name: string; files: NodeFiles; unit: string; links?: string[] }[] = [
    {
      name: 'enabled by a wants link in /etc',
      unit: 'a.service',
      files: { [`${LIB}/a.service`]: INSTALL, '/etc/systemd/system/multi-user.target.wants/a.service': { link: `${LIB}/a.service` } },
      links: ['/etc/systemd/system/multi-user.target.wants/a.service'],
    },
    {
      name: 'enabled-runtime by a link in /run',
      unit: 'b.service',
      files: { [`${LIB}/b.service`]: INSTALL, '/run/systemd/system/multi-user.target.wants/b.service': { link: `${LIB}/b.service` } },
      links: ['/run/systemd/system/multi-user.target.wants/b.service'],
    },
    {
      name: 'enabled by a requires link',
      unit: 'c.service',
      files: {
        [`${LIB}/c.service`]: `${SERVICE}[Install]\nRequiredBy=foo.target\n`,
        '/etc/systemd/system/foo.target.requires/c.service': { link: `${LIB}/c.service` },
      },
    },
    {
      name: 'enabled by an alias link',
      unit: 'd.service',
      files: { [`${LIB}/d.service`]: `${SERVICE}[Install]\nAlias=d-alias.service\n`, '/etc/systemd/system/d-alias.service': { link: `${LIB}/d.service` } },
      links: ['/etc/systemd/system/d-alias.service'],
    },
    { name: 'disabled: [Install] but no link', unit: 'e.service', files: { [`${LIB}/e.service`]: INSTALL } },
    {
      name: 'disabled: a vendor link in /usr/lib does not enable',
      unit: 'f.service',
      files: { [`${LIB}/f.service`]: INSTALL, [`${LIB}/multi-user.target.wants/f.service`]: { link: '../f.service' } },
    },
    { name: 'static: no [Install]', unit: 'g.service', files: { [`${LIB}/g.service`]: SERVICE } },
    { name: 'static: an empty WantedBy=', unit: 'h.service', files: { [`${LIB}/h.service`]: `${SERVICE}[Install]\nWantedBy=\n` } },
    {
      name: 'indirect: only Also=',
      unit: 'i.service',
      files: { [`${LIB}/i.service`]: `${SERVICE}[Install]\nAlso=e.service\n`, [`${LIB}/e.service`]: INSTALL },
    },
    { name: 'masked', unit: 'j.service', files: { [`${LIB}/j.service`]: INSTALL, '/etc/systemd/system/j.service': { link: '/dev/null' } } },
    { name: 'not found', unit: 'k.service', files: { [`${LIB}/other.service`]: INSTALL } },
  ];
  for (const c of cases) {
    const root = writeNode(t.testdir(), c.files);
    const model = buildModel(collectSnapshot({ root, site: { systemdUnits: [c.unit] } }), { site: { systemdUnits: [c.unit] } });
    const got = model.site.systemdUnits[c.unit]!;
    t.equal(got.enablement, isEnabled(root, c.unit), `${c.name}: as systemctl says`);
    if (c.links) t.same(got.links, c.links, `${c.name}: the links`);
    t.ok(model.systemd.units[c.unit], `${c.name}: the unit is resolved too`);
  }
});

t.test('units: what a snapshot without the links or the unit file gives', async (t) => {
  const files = { [`${LIB}/a.service`]: INSTALL, '/etc/systemd/system/multi-user.target.wants/a.service': { link: `${LIB}/a.service` } };
  const root = writeNode(t.testdir(), files);
  const inputs = { systemdUnits: ['a.service'] };
  // Collected without the site inputs, by a gatherer that listed /etc/systemd/system (the unit search path) but not its
  // .wants directory (this collector lists .wants directories for kubelet.service's enablement, so drop that record).
  const plain = collectSnapshot({ root, units: ['a.service'] });
  delete plain.paths['/etc/systemd/system/multi-user.target.wants'];
  t.same(
    buildModel(plain, { site: inputs }).site.systemdUnits['a.service'],
    { enablement: 'disabled', links: [], collected: false },
    'the .wants directory was not listed: not collected',
  );
  const tooLarge = collectSnapshot({
    root: writeNode(t.testdir(), { [`${LIB}/a.service`]: INSTALL + '#'.repeat(200) }),
    site: inputs,
    limits: { maxFileBytes: 100 },
  });
  t.same(
    buildModel(tooLarge, { site: inputs }).site.systemdUnits['a.service'],
    { enablement: 'static', links: [], collected: true },
    'an unreadable unit file has no [Install] to read',
  );
});
