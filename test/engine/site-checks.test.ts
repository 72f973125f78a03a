import t from 'tap';
import { deriveTargets } from '../../src/checklist/targets.js';
import { readFileSync } from 'node:fs';
import { testRule } from '../helpers/rule-tester.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { siteInputs, siteRules, SITE_PATTERN_TIMEOUT_MS } from '../../src/engine/site-checks.js';
import type { SiteChecks } from '../../src/checklist/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const cert = (name: string): string => readFileSync(new URL(`../fixtures/certs/${name}`, import.meta.url), 'utf8');
const files = (...checks: Record<string, unknown>[]) => ({ site: { files: checks } });
const UNIT = '[Service]\nExecStart=/usr/bin/x\n';
const LIB = '/usr/lib/systemd/system';

testRule('site/ca', {
  quiet: [
    {
      name: 'present with its mode, text and a certificate valid long enough',
      files: { '/etc/pki/ca.pem': { content: `# site CA\n${cert('v1-utctime.pem')}`, mode: 0o644 } },
      checklist: files({
        id: 'site/ca',
        path: '/etc/pki/ca.pem',
        mode: '644',
        contains: ['^# site CA$', 'BEGIN CERTIFICATE'],
        notContains: 'PRIVATE KEY',
        certificate: { validForDays: 30 },
      }),
    },
    {
      name: 'owner and group as ids (this process owns the test files)',
      files: { '/etc/pki/ca.pem': 'x' },
      checklist: files({ id: 'site/ca', path: '/etc/pki/ca.pem', owner: process.getuid!(), group: String(process.getgid!()) }),
    },
    { name: 'absent, as required', files: {}, checklist: files({ id: 'site/ca', path: '/root/.docker/config.json', exists: false }) },
    { name: 'a directory exists', files: { '/etc/pki/site': { dir: true } }, checklist: files({ id: 'site/ca', path: '/etc/pki/site' }) },
    {
      name: 'a certificate without validForDays: valid today is enough',
      files: { '/etc/pki/ca.pem': cert('v1-utctime.pem') },
      checklist: files({ id: 'site/ca', path: '/etc/pki/ca.pem', certificate: {} }),
    },
  ],
  firing: [
    {
      name: 'missing',
      files: {},
      checklist: files({ id: 'site/ca', path: '/etc/pki/ca.pem' }),
      violations: [{ message: /^\/etc\/pki\/ca\.pem does not exist\.$/, evidence: { file: '/etc/pki/ca.pem', observed: 'missing' } }],
    },
    {
      name: 'present where it must be absent',
      files: { '/root/.docker/config.json': '{}' },
      checklist: files({ id: 'site/ca', path: '/root/.docker/config.json', exists: false, severity: 'warning' }),
      violations: [{ message: /^\/root\/\.docker\/config\.json exists \(a file\); the checklist requires it to be absent\.$/ }],
      severity: 'warning',
    },
    {
      name: 'wrong mode, wrong owner id',
      files: { '/etc/pki/ca.pem': { content: 'x', mode: 0o666 } },
      checklist: files({ id: 'site/ca', path: '/etc/pki/ca.pem', mode: '0644', owner: process.getuid!() + 1 }),
      violations: [
        { message: /^\/etc\/pki\/ca\.pem has mode 0666; the checklist requires 0644\.$/, evidence: { observed: '0666', expected: '0644' } },
        { message: new RegExp(`^/etc/pki/ca\\.pem has owner uid ${process.getuid!()}; the checklist requires ${process.getuid!() + 1}\\.$`) },
      ],
    },
    {
      name: 'text: a required pattern missing, a forbidden one found (with its line)',
      files: { '/etc/chrony/chrony.conf': '# time\npool 2.debian.pool.ntp.org iburst\n' },
      checklist: files({ id: 'site/ca', path: '/etc/chrony/chrony.conf', contains: '^server ', notContains: ['^pool ', 'makestep'] }),
      violations: [
        { message: /^\/etc\/chrony\/chrony\.conf has no text matching \/\^server \/\.$/ },
        { message: /^\/etc\/chrony\/chrony\.conf:2 matches \/\^pool \/, which the checklist forbids\.$/, evidence: { line: 2 } },
      ],
    },
    {
      name: 'certificates: none, expired, not yet valid, expiring soon, not a certificate',
      files: {
        '/etc/pki/none.pem': 'no pem here\n',
        '/etc/pki/bundle.pem': `${cert('expired-2021.pem')}${cert('from-2030.pem')}${cert('v1-utctime.pem')}-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n`,
      },
      checklist: files({ id: 'site/ca', path: '/etc/pki/bundle.pem', certificate: { validForDays: 3300 } }),
      violations: [
        {
          message: /^\/etc\/pki\/bundle\.pem:1: the certificate for "expired" expired on 2021-01-01T00:00:00Z\.$/,
          evidence: { line: 1, observed: '2021-01-01T00:00:00Z', expected: 'valid after 2035-06-14' },
        },
        { message: /^\/etc\/pki\/bundle\.pem:9: the certificate for "future" is not valid before 2030-01-01T00:00:00Z\.$/ },
        {
          message: /^\/etc\/pki\/bundle\.pem:17: the certificate for "Example Site Root CA" expires on 2035-01-01T00:00:00Z, within 3300 days of 2026-06-01\.$/,
        },
        { message: /^\/etc\/pki\/bundle\.pem:26 has a certificate block that is not a certificate \(not an X\.509 certificate: .*\)\.$/ },
      ],
    },
    {
      name: 'no certificate at all',
      files: { '/etc/pki/none.pem': 'no pem here\n' },
      checklist: files({ id: 'site/ca', path: '/etc/pki/none.pem', certificate: {} }),
      violations: [{ message: /holds no PEM certificate/ }],
    },
    {
      name: 'a certificate without a CN',
      files: { '/etc/pki/x.pem': cert('expired-2021.pem').replace(/.*/s, cert('v3-no-cn.pem')) },
      checklist: files({ id: 'site/ca', path: '/etc/pki/x.pem', certificate: { validForDays: 100000 } }),
      violations: [{ message: /^\/etc\/pki\/x\.pem:1: the certificate (is not valid before|expires on) / }],
    },
    {
      name: 'text of a directory',
      files: { '/etc/pki': { dir: true } },
      checklist: files({ id: 'site/ca', path: '/etc/pki', contains: 'x' }),
      violations: [{ message: /^\/etc\/pki cannot be read as text \(it is a directory, not a file\)\.$/ }],
    },
    {
      name: 'a path that cannot be looked at',
      files: { '/etc/loop': { link: '/etc/loop' } },
      checklist: files({ id: 'site/ca', path: '/etc/loop' }),
      violations: [{ message: /^\/etc\/loop cannot be looked at \(ELOOP: .*\)\.$/ }],
    },
  ],
});

const sysctl = (value: unknown) => ({ site: { sysctls: [{ id: 'site/rp-filter', key: 'net.ipv4.conf.all.rp_filter', value }] } });
testRule('site/rp-filter', {
  quiet: [
    {
      name: 'now and for boot',
      files: { '/proc/sys/net/ipv4/conf/all/rp_filter': '1\n', '/etc/sysctl.d/90-site.conf': 'net.ipv4.conf.all.rp_filter = 1\n' },
      checklist: sysctl(1),
    },
    { name: 'a mounted image: the persisted value only', files: { '/etc/sysctl.conf': 'net.ipv4.conf.all.rp_filter=1\n' }, checklist: sysctl('1') },
  ],
  firing: [
    {
      name: 'wrong now, never persisted',
      files: { '/proc/sys/net/ipv4/conf/all/rp_filter': '2\n' },
      checklist: sysctl(1),
      violations: [
        { message: /^\/proc\/sys\/net\/ipv4\/conf\/all\/rp_filter is 2; the checklist requires 1\.$/, evidence: { observed: '2', expected: '1' } },
        { message: /is not set in \/etc\/sysctl\.conf or any sysctl\.d file/ },
      ],
    },
    {
      name: 'no such key now, persisted wrong',
      files: { '/proc/sys/kernel/hostname': 'n\n', '/etc/sysctl.d/90-site.conf': '# site\nnet.ipv4.conf.all.rp_filter = 0\n' },
      checklist: sysctl(1),
      violations: [
        { message: /^\/proc\/sys\/net\/ipv4\/conf\/all\/rp_filter does not exist \(this kernel has no net\.ipv4\.conf\.all\.rp_filter\)\.$/ },
        {
          message: /^\/etc\/sysctl\.d\/90-site\.conf:2 sets net\.ipv4\.conf\.all\.rp_filter = 0 for boot; the checklist requires 1\.$/,
          evidence: { file: '/etc/sysctl.d/90-site.conf', line: 2 },
        },
      ],
    },
  ],
});

const modules = (name: string) => ({ site: { kernelModules: [{ id: 'site/mod', name }] } });
testRule('site/mod', {
  quiet: [
    {
      name: 'loaded and persisted',
      files: { '/proc/modules': 'overlay 1 0 - Live 0x0\n', '/etc/modules-load.d/k8s.conf': 'overlay\n' },
      checklist: modules('overlay'),
    },
    { name: 'built in', files: { '/proc/modules': 'x 1 0 - Live 0x0\n', '/sys/module/overlay/parameters/p': 'N\n' }, checklist: modules('overlay') },
    { name: 'a mounted image: persisted is all that can be known', files: { '/etc/modules': 'ip_vs\n' }, checklist: modules('ip-vs') },
  ],
  firing: [
    {
      name: 'not loaded, not persisted',
      files: { '/proc/modules': 'x 1 0 - Live 0x0\n' },
      checklist: modules('ip_vs'),
      violations: [
        { message: /^ip_vs is not loaded \(not in \/proc\/modules or \/sys\/module\)\.$/ },
        { message: /^ip_vs is not listed in any modules-load\.d file or \/etc\/modules, so it is not loaded after a reboot\.$/ },
      ],
    },
  ],
});

const units = (check: Record<string, unknown>) => ({ site: { systemdUnits: [{ id: 'site/unit', unit: 'chrony.service', ...check }] } });
const chrony = (install = true): NodeFiles => ({ [`${LIB}/chrony.service`]: `${UNIT}${install ? '[Install]\nWantedBy=multi-user.target\n' : ''}` });
const enabled: NodeFiles = { ...chrony(), '/etc/systemd/system/multi-user.target.wants/chrony.service': { link: `${LIB}/chrony.service` } };
testRule('site/unit', {
  quiet: [
    { name: 'exists', files: chrony(), checklist: units({}) },
    {
      name: 'enabled, with and without variables',
      files: { ...enabled, '/etc/systemd/system/chrony.service.d/env.conf': '[Service]\nEnvironment=TZ=UTC\n' },
      checklist: units({ enabled: true, environment: { has: ['TZ'], lacks: ['HTTPS_PROXY'] } }),
    },
    { name: 'not enabled, as required', files: chrony(), checklist: units({ enabled: false }) },
    { name: 'absent, as required', files: {}, checklist: units({ exists: false }) },
    {
      name: 'masked counts as absent',
      files: { ...chrony(), '/etc/systemd/system/chrony.service': { link: '/dev/null' } },
      checklist: units({ exists: false }),
    },
  ],
  firing: [
    {
      name: 'not found',
      files: {},
      checklist: units({ enabled: true }),
      violations: [{ message: /^chrony\.service does not exist \(no unit file in the unit search path\)\.$/ }],
    },
    {
      name: 'masked',
      files: { ...chrony(), '/etc/systemd/system/chrony.service': { link: '/dev/null' } },
      checklist: units({}),
      violations: [{ message: /^chrony\.service is masked by \/etc\/systemd\/system\/chrony\.service\.$/ }],
    },
    {
      name: 'exists where it must not',
      files: chrony(),
      checklist: units({ exists: false }),
      violations: [{ message: /^chrony\.service exists \(\/usr\/lib\/systemd\/system\/chrony\.service\); the checklist requires it not to\.$/ }],
    },
    {
      name: 'disabled',
      files: chrony(),
      checklist: units({ enabled: true }),
      violations: [
        {
          message: /^chrony\.service is disabled \(no link to it in a \.wants or \.requires directory under \/etc\/systemd\/system\)\.$/,
          evidence: { observed: 'disabled', expected: 'enabled' },
        },
      ],
    },
    {
      name: 'static',
      files: chrony(false),
      checklist: units({ enabled: true }),
      violations: [{ message: /^chrony\.service is static \(it has no \[Install\] section: only another unit's dependency starts it\)\.$/ }],
    },
    {
      name: 'enabled where it must not be',
      files: enabled,
      checklist: units({ enabled: false }),
      violations: [
        {
          message: /^chrony\.service is enabled by \/etc\/systemd\/system\/multi-user\.target\.wants\/chrony\.service; the checklist requires it not to be\.$/,
        },
      ],
    },
    {
      name: 'a variable missing, a forbidden one set (value redacted)',
      files: { ...chrony(), '/etc/systemd/system/chrony.service.d/proxy.conf': '[Service]\nEnvironment=HTTPS_PROXY=http://u:pw@proxy:3128\n' },
      checklist: units({ environment: { has: ['TZ'], lacks: ['HTTPS_PROXY'] } }),
      violations: [
        { message: /^chrony\.service has no TZ set; the checklist requires it\.$/ },
        {
          message: /^chrony\.service has HTTPS_PROXY set \(from \/etc\/systemd\/system\/chrony\.service\.d\/proxy\.conf:2\); the checklist forbids it\.$/,
          evidence: { file: '/etc/systemd/system/chrony.service.d/proxy.conf', line: 2, observed: 'http://u:***@proxy:3128' },
        },
      ],
    },
    {
      name: 'no environment: a required environment file is missing',
      files: { [`${LIB}/chrony.service`]: `${UNIT}EnvironmentFile=/etc/default/chrony\n` },
      checklist: units({ environment: { has: ['DAEMON_OPTS'] } }),
      violations: [{ message: /^chrony\.service has no environment to set DAEMON_OPTS in \(.*\/etc\/default\/chrony.*\)\.$/ }],
    },
  ],
});

/** A model of `files` collected with some site inputs and built with others (a snapshot taken with another checklist). */
async function mismatched(dir: string, nodeFiles: NodeFiles, collectedFor: SiteChecks | undefined, checkedWith: SiteChecks, change?: (s: Snapshot) => void) {
  const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', site: checkedWith });
  const snapshot = collectSnapshot({ root: writeNode(dir, nodeFiles), site: siteInputs(collectedFor) });
  change?.(snapshot);
  const report = evaluate(buildModel(snapshot, prepared.modelOptions), prepared, { date: '2026-06-01', only: ['site'] });
  return report.results.filter((r) => r.id.startsWith('site/'));
}

t.test('a snapshot without what a check reads: not applicable, and says how to fix it', async (t) => {
  const checks: SiteChecks = {
    files: [{ id: 'site/f', path: '/etc/x' }],
    sysctls: [{ id: 'site/s', key: 'vm.x', value: 1 }],
    kernelModules: [{ id: 'site/m', name: 'overlay' }],
    systemdUnits: [{ id: 'site/u', unit: 'chrony.service' }],
  };
  const node: NodeFiles = {
    '/etc/x': 'x',
    '/proc/sys/kernel/hostname': 'n\n',
    '/sys/module/br_netfilter/initstate': 'live\n',
    '/usr/lib/systemd/system/chrony.service': UNIT,
  };
  const results = await mismatched(t.testdir(), node, undefined, checks);
  t.same(
    results.map((r) => [r.id, r.status]),
    [
      ['site/f', 'not-applicable'],
      ['site/m', 'not-applicable'],
      ['site/s', 'not-applicable'],
      ['site/u', 'not-applicable'],
    ],
  );
  t.match(results[0]!.message, /^The snapshot does not hold \/etc\/x; take it with the same --checklist/);
  const image = await mismatched(t.testdir(), { '/etc/sysctl.conf': 'vm.x = 1\n' }, undefined, {
    sysctls: [{ id: 'site/s', key: 'vm.x', value: 1 }],
    kernelModules: [{ id: 'site/m', name: 'overlay' }],
    systemdUnits: [{ id: 'site/u', unit: 'chrony.service' }],
  });
  t.same(
    image.map((r) => [r.id, r.status]),
    [
      ['site/m', 'fail'],
      ['site/s', 'pass'],
      ['site/u', 'fail'],
    ],
    'what every snapshot holds still judges: sysctl.d files, modules-load.d, the unit search path',
  );
  const statOnly = await mismatched(
    t.testdir(),
    { '/etc/x': 'x' },
    { files: [{ id: 'site/f', path: '/etc/x' }] },
    { files: [{ id: 'site/f', path: '/etc/x', contains: 'x' }] },
  );
  t.match(statOnly[0], { status: 'fail', message: '/etc/x cannot be read as text (its text was not collected).' });
});

t.test("owners by name: from the node's own /etc/passwd and /etc/group; unknown ids are not guessed", async (t) => {
  const accounts: NodeFiles = {
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\ndeploy:x:1000:1000::/home/deploy:/bin/sh\n',
    '/etc/group': 'root:x:0:\ndeploy:x:1000:\n',
    '/etc/a': 'a',
    '/etc/b': 'b',
  };
  const checks: SiteChecks = {
    files: [
      { id: 'site/a', path: '/etc/a', owner: 'root', group: 'root' },
      { id: 'site/b', path: '/etc/b', owner: 'root', group: 'wheel' },
    ],
  };
  // The ids a real node's stat would give; a checkout's files belong to whoever runs the tests.
  const owned = (ids: Record<string, [number, number]>) => (s: Snapshot) => {
    for (const [path, [uid, gid]] of Object.entries(ids)) Object.assign(s.paths[path]!, { uid, gid });
  };
  const [a, b] = await mismatched(t.testdir(), accounts, checks, checks, owned({ '/etc/a': [0, 0], '/etc/b': [1000, 1000] }));
  t.equal(a!.status, 'pass', 'root:root');
  t.same(
    b!.violations.map((v) => v.message),
    ['/etc/b has owner deploy (uid 1000); the checklist requires root.', '/etc/b has group deploy (gid 1000); the checklist requires wheel.'],
  );
  const noPasswd = await mismatched(
    t.testdir(),
    { '/etc/a': 'a' },
    checks,
    { files: [{ id: 'site/a', path: '/etc/a', owner: 'root', group: 'root' }] },
    owned({ '/etc/a': [0, 0] }),
  );
  t.equal(noPasswd[0]!.status, 'pass', 'id 0 is root without /etc/passwd or /etc/group: the kernel decides that');
  const wheel = await mismatched(
    t.testdir(),
    { '/etc/a': 'a' },
    checks,
    { files: [{ id: 'site/a', path: '/etc/a', group: 'wheel' }] },
    owned({ '/etc/a': [0, 0] }),
  );
  t.match(
    wheel[0],
    { status: 'fail', violations: [{ message: '/etc/a has group gid 0; the checklist requires wheel.' }] },
    "other names need the node's account files",
  );
  const noIds = await mismatched(t.testdir(), { '/etc/a': 'a' }, checks, { files: [{ id: 'site/a', path: '/etc/a', owner: 'root', group: 'root' }] }, (s) => {
    delete s.paths['/etc/a']!.uid;
    delete s.paths['/etc/a']!.gid;
  });
  t.match(noIds[0], { status: 'not-applicable', message: 'The owner and group of /etc/a is not known (the snapshot holds no owner ids).' });
  const noIdsButMode = await mismatched(
    t.testdir(),
    { '/etc/a': 'a' },
    checks,
    { files: [{ id: 'site/a', path: '/etc/a', owner: 'root', mode: '0000' }] },
    (s) => void delete s.paths['/etc/a']!.uid,
  );
  t.match(noIdsButMode[0], { status: 'fail', violations: [{ message: /has mode 0\d{3}; the checklist requires 0000/ }] }, 'what can be judged still is');
});

t.test('a pattern that backtracks without end stops the run (exit 2), naming the checklist and the check', async (t) => {
  const checks: SiteChecks = { files: [{ id: 'site/slow', path: '/etc/x', contains: '^(a+)+$' }] };
  const started = Date.now();
  await t.rejects(mismatched(t.testdir(), { '/etc/x': `${'a'.repeat(40)}!` }, checks, checks), {
    code: 'checklist-invalid',
    message: `checklist object: site check site/slow: the pattern "^(a+)+$" stopped: Script execution timed out after ${SITE_PATTERN_TIMEOUT_MS}ms (nested or overlapping repetition backtracks without end); simplify it`,
  });
  t.ok(Date.now() - started < SITE_PATTERN_TIMEOUT_MS * 5, 'stopped at the time limit');
  const two: SiteChecks = {
    files: [
      { id: 'site/quick', path: '/etc/y', contains: '^a' },
      { id: 'site/slow', path: '/etc/x', notContains: '^(a+)+$' },
    ],
  };
  await t.rejects(
    mismatched(t.testdir(), { '/etc/x': `${'a'.repeat(40)}!`, '/etc/y': 'a\n' }, two, two),
    { message: /^checklist object: site check site\/slow: the pattern "\^\(a\+\)\+\$" stopped/ },
    'searched together, then one by one to name the pattern at fault',
  );
  const fine = await mismatched(t.testdir(), { '/etc/x': 'b\na\n', '/etc/y': 'a\n' }, two, {
    files: [...two.files!.slice(0, 1), { id: 'site/slow', path: '/etc/x', notContains: '^a$' }],
  });
  t.same(
    fine.map((r) => [r.id, r.status, r.violations.map((v) => v.message)]),
    [
      ['site/quick', 'pass', []],
      ['site/slow', 'fail', ['/etc/x:2 matches /^a$/, which the checklist forbids.']],
    ],
  );
});

t.test('what the collector reads for site checks', async (t) => {
  t.equal(siteInputs(undefined), undefined);
  t.equal(siteInputs({}), undefined);
  t.equal(siteInputs({ files: [], sysctls: [] }), undefined);
  t.same(
    siteInputs({
      files: [
        { id: 'site/a', path: '/a', mode: '0644' },
        { id: 'site/b', path: '/b', contains: 'x' },
        { id: 'site/c', path: '/c', notContains: 'x' },
        { id: 'site/d', path: '/d', certificate: {} },
      ],
      sysctls: [{ id: 'site/s', key: 'vm.x', value: 1 }],
      kernelModules: [{ id: 'site/m', name: 'overlay' }],
      systemdUnits: [{ id: 'site/u', unit: 'chrony.service' }],
    }),
    { read: ['/b', '/c', '/d'], stat: ['/a'], accounts: true, sysctls: ['vm.x'], kernelModules: ['overlay'], systemdUnits: ['chrony.service'] },
  );
  t.same(siteInputs({ sysctls: [{ id: 'site/s', key: 'vm.x', value: 1 }] }), {
    read: [],
    stat: [],
    accounts: false,
    sysctls: ['vm.x'],
    kernelModules: [],
    systemdUnits: [],
  });
});

t.test('titles and remediations are written from the check unless given', async (t) => {
  const rules = siteRules({
    files: [
      {
        id: 'site/a',
        path: '/etc/pki/ca.pem',
        mode: '644',
        owner: 'root',
        group: 'root',
        contains: 'BEGIN',
        notContains: ['PRIVATE'],
        certificate: { validForDays: 30 },
      },
      { id: 'site/b', path: '/root/.docker/config.json', exists: false },
      { id: 'site/c', path: '/etc/x', title: 'Own title', remediation: 'Own fix.', rationale: 'Why.', references: ['https://example.net'], severity: 'info' },
      { id: 'site/d', path: '/etc/y', contains: 'x' },
      { id: 'site/e', path: '/etc/z', group: 'wheel', certificate: {} },
    ],
    sysctls: [{ id: 'site/s', key: 'vm.max_map_count', value: ' 262144 ' }],
    kernelModules: [{ id: 'site/m', name: 'overlay' }],
    systemdUnits: [
      { id: 'site/u1', unit: 'chrony.service', enabled: true, environment: { has: ['TZ'], lacks: ['HTTP_PROXY', 'HTTPS_PROXY'] } },
      { id: 'site/u2', unit: 'telnet.socket', exists: false },
      { id: 'site/u3', unit: 'x.service', enabled: false },
      { id: 'site/u4', unit: 'y.service' },
    ],
  });
  t.same(
    rules.map((r) => [r.id, r.title, r.remediation, r.severity]),
    [
      [
        'site/a',
        '/etc/pki/ca.pem exists with mode 0644, owner root and group root, holding text matching /BEGIN/, no text matching /PRIVATE/ and PEM certificates valid for at least 30 more days',
        'Install /etc/pki/ca.pem as the site standard has it, chmod 644 /etc/pki/ca.pem, chown root:root /etc/pki/ca.pem and replace a certificate before it expires.',
        'error',
      ],
      ['site/b', '/root/.docker/config.json is absent', 'Remove /root/.docker/config.json.', 'error'],
      ['site/c', 'Own title', 'Own fix.', 'info'],
      ['site/d', '/etc/y exists holding text matching /x/', 'Install /etc/y as the site standard has it.', 'error'],
      [
        'site/e',
        '/etc/z exists with group wheel, holding PEM certificates valid',
        'Install /etc/z as the site standard has it, chown :wheel /etc/z and replace a certificate before it expires.',
        'error',
      ],
      [
        'site/s',
        'vm.max_map_count is 262144 now and for boot',
        'Put vm.max_map_count = 262144 in a file under /etc/sysctl.d/ and apply it with sysctl --system.',
        'error',
      ],
      ['site/m', 'overlay is loaded now and at boot', 'Add overlay to a file under /etc/modules-load.d/ and load it with modprobe overlay.', 'error'],
      [
        'site/u1',
        'chrony.service exists, is enabled, sets TZ and does not set HTTP_PROXY and HTTPS_PROXY',
        'Install chrony.service if it is missing, then run systemctl enable chrony.service, set TZ in the unit or a drop-in, remove HTTP_PROXY and HTTPS_PROXY from the unit, its drop-ins and environment files and run systemctl daemon-reload and restart chrony.service.',
        'error',
      ],
      ['site/u2', 'telnet.socket does not exist', 'Remove telnet.socket (or mask it with systemctl mask telnet.socket).', 'error'],
      ['site/u3', 'x.service exists and is not enabled', 'Install x.service if it is missing, then run systemctl disable x.service.', 'error'],
      ['site/u4', 'y.service exists', 'Install y.service.', 'error'],
    ],
  );
  t.same(
    [rules[2]!.rationale, rules[2]!.references, rules[0]!.rationale, rules[0]!.mode],
    ['Why.', ['https://example.net'], "A site check of this organization's checklist.", 'static'],
  );
  t.same(siteRules(undefined), []);
});

t.test('a site check with a mistake: one line each, with the file, the line and the fix', async (t) => {
  const { PreflightError } = await import('../../src/errors.js');
  const problems = async (text: string): Promise<string[]> => {
    try {
      await loadChecklist(`apiVersion: kube-preflight/v1\nkind: Checklist\n${text}`, { source: 'site.yaml' });
      return [];
    } catch (err) {
      if (err instanceof PreflightError) return err.problems;
      throw err;
    }
  };
  t.same(await problems('site:\n  files:\n    - id: site/ca\n      path: /etc/ca.pem\n      certificat: {}\n'), [
    'site.yaml:7:7: site.files[0]: unknown key "certificat" (did you mean "certificate"?)',
  ]);
  t.same(await problems('site:\n  files:\n    - id: site/ca\n      path: /etc/ca.pem\n      mode: 0644\n'), [
    'site.yaml:7:7: site.files[0].mode: must be a string (got 644); quote it ("0644"), as YAML reads an unquoted 0644 as the number 644',
  ]);
  t.same(await problems('site:\n  files:\n    - id: ca\n      path: etc/ca.pem\n'), [
    'site.yaml:5:7: site.files[0].id: must be a lowercase id under site/, such as "site/ca-present" (got "ca")',
    'site.yaml:6:7: site.files[0].path: must be an absolute path such as "/etc/pki/site-ca.pem" (got "etc/ca.pem")',
  ]);
  t.same(
    await problems(
      [
        'site:',
        '  files:',
        '    - id: site/a',
        '      path: /etc/a',
        "      contains: ['ok', 'ntp1(x']",
        "      notContains: '[z'",
        '    - id: site/b',
        '      path: /etc/b',
        '      exists: false',
        '      mode: "0600"',
        '      owner: root',
        '  systemdUnits:',
        '    - id: site/c',
        '      unit: chrony',
        '      environment: {has: [TZ, HTTP_PROXY], lacks: [HTTP_PROXY]}',
        '    - id: site/d',
        '      unit: telnet.socket',
        '      exists: false',
        '      enabled: false',
        '  sysctls:',
        '    - {id: site/a, key: vm.x, value: 1}',
        'rules:',
        '  - {id: site/c, title: t, severity: error, remediation: r., target: /host, schema: {}}',
        'severity:',
        '  site/b: warning',
        'waivers:',
        '  - {rule: site/d, reason: r, expires: 2027-01-01}',
        '  - {rule: site/zz, reason: r, expires: 2027-01-01}',
      ].join('\n'),
    ),
    [
      "site.yaml:7:24: site.files[0].contains[1]: 'ntp1(x' is not a regular expression (Unterminated group); to match the text as written, use 'ntp1\\(x'",
      "site.yaml:8:7: site.files[0].notContains: '[z' is not a regular expression (Unterminated character class); to match the text as written, use '\\[z'",
      'site.yaml:11:7: site.files[1].exists: exists: false says /etc/b must be absent, so mode and owner cannot apply; remove them or the exists: false',
      'site.yaml:15:7: site.systemdUnits[0].id: "site/c" is used by another custom rule',
      'site.yaml:16:7: site.systemdUnits[0].unit: "chrony" is not a unit name; write it with its type, such as "chrony.service"',
      'site.yaml:17:7: site.systemdUnits[0].environment: HTTP_PROXY cannot be both in has and in lacks',
      'site.yaml:20:7: site.systemdUnits[1].exists: exists: false says telnet.socket must not exist, so enabled and environment cannot apply; remove them or the exists: false',
      'site.yaml:23:8: site.sysctls[0].id: "site/a" is used by another custom rule',
      'site.yaml:30:6: waivers[1].rule: unknown rule id or kubeadm check name "site/zz" (did you mean "site/c"?)',
    ],
  );
  t.same(await problems('site:\n  files:\n    - {id: site/a, path: /etc/a, exists: false, contains: x}\n'), [
    'site.yaml:5:34: site.files[0].exists: exists: false says /etc/a must be absent, so contains cannot apply; remove it or the exists: false',
  ]);
});

t.test('a model built for fewer checks than the checklist has: the others are not applicable', async (t) => {
  const checks: SiteChecks = {
    files: [
      { id: 'site/a', path: '/etc/a', contains: 'a' },
      { id: 'site/b', path: '/etc/b', contains: 'b' },
    ],
  };
  const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', site: checks });
  const inputs = siteInputs({ files: checks.files!.slice(0, 1) });
  const model = buildModel(collectSnapshot({ root: writeNode(t.testdir(), { '/etc/a': 'a', '/etc/b': 'b' }), site: inputs }), { site: inputs });
  const results = evaluate(model, prepared, { only: ['site'] }).results.filter((r) => r.id.startsWith('site/'));
  t.same(
    results.map((r) => [r.id, r.status]),
    [
      ['site/a', 'pass'],
      ['site/b', 'not-applicable'],
    ],
  );
});

t.test('a check run without a date judges certificates as of today', async (t) => {
  const [rule] = siteRules({ files: [{ id: 'site/c', path: '/etc/c.pem', certificate: {} }] });
  const root = writeNode(t.testdir(), { '/etc/c.pem': cert('expired-2021.pem') });
  const model = buildModel(collectSnapshot({ root, site: { read: ['/etc/c.pem'] } }), { site: { read: ['/etc/c.pem'] } });
  const prepared = await loadChecklist();
  const outcome = rule!.check!({ model, checklist: prepared.checklist, targets: deriveTargets(prepared.checklist) });
  t.match(outcome, [{ message: /expired on 2021-01-01T00:00:00Z/ }]);
});
