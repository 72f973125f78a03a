import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { buildSystemd, dropInNames, isValidUnitName, modelNeeds, planSystemdInputs, resolveUnit, type ResolveOptions } from '../../src/model/systemd.js';
import type { SystemdUnit } from '../../src/model/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { SnapshotReader } from '../../src/model/reader.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

const ETC = '/etc/systemd/system';
const RUN = '/run/systemd/system';
const USR = '/usr/lib/systemd/system';
const UNIT = '[Unit]\nDescription=containerd container runtime\n\n[Service]\nExecStart=/usr/bin/containerd\n';
const service = (...lines: string[]): string => `[Service]\n${lines.join('\n')}\n`;

function snapshotOf(t: { testdir(): string }, files: NodeFiles, units: string[] = []): Snapshot {
  return collectSnapshot({ root: writeNode(t.testdir(), files), units });
}

function unitOn(t: { testdir(): string }, files: NodeFiles, name = 'containerd.service', options: ResolveOptions = {}): SystemdUnit {
  return resolveUnit(snapshotOf(t, files, [name]), name, options);
}

/** The environment as name → value (null when the service has none). */
const values = (u: SystemdUnit): Record<string, string> | null =>
  u.environment && Object.fromEntries(Object.entries(u.environment).map(([k, v]) => [k, v.value]));

t.test('§1.1 search path: /etc over /run over /usr/local/lib over /usr/lib; lower files are not read', async (t) => {
  const u = unitOn(t, {
    [`${ETC}/containerd.service`]: service('Environment=FROM=etc'),
    [`${RUN}/containerd.service`]: service('Environment=FROM=run'),
    [`/usr/local/lib/systemd/system/containerd.service`]: service('Environment=FROM=local'),
    [`${USR}/containerd.service`]: '[Service\nbroken',
  });
  t.equal(u.fragmentPath, `${ETC}/containerd.service`);
  t.same(values(u), { FROM: 'etc' });
  t.same(u.problems, [], 'the shadowed broken file is never parsed');
  t.equal(
    unitOn(t, { [`/run/systemd/system.control/containerd.service`]: UNIT, [`${ETC}/containerd.service`]: UNIT }).fragmentPath,
    '/run/systemd/system.control/containerd.service',
  );
  t.equal(
    unitOn(t, { [`/usr/local/lib/systemd/system/containerd.service`]: UNIT, [`${USR}/containerd.service`]: UNIT }).fragmentPath,
    '/usr/local/lib/systemd/system/containerd.service',
  );
  t.equal(unitOn(t, { '/run/systemd/generator.late/containerd.service': UNIT }).fragmentPath, '/run/systemd/generator.late/containerd.service');
});

t.test('§1.1 /lib: merged-/usr symlink is folded into /usr/lib; a split /usr reads /lib first and reports the ambiguity', async (t) => {
  const merged = snapshotOf(t, { '/lib': { link: './../usr/lib' }, [`${USR}/containerd.service`]: UNIT });
  const model = buildSystemd(merged);
  t.notOk(model.searchPath.includes('/lib/systemd/system'));
  t.notOk(buildSystemd(snapshotOf(t, { '/lib': { link: '/usr/lib' }, [`${USR}/x`]: '' })).searchPath.includes('/lib/systemd/system'), 'an absolute link too');
  t.equal(model.units['containerd.service']!.fragmentPath, `${USR}/containerd.service`, 'reported under /usr/lib, never /lib');
  const split = unitOn(t, {
    '/lib/systemd/system/containerd.service': service('Environment=FROM=lib'),
    [`${USR}/containerd.service`]: service('Environment=FROM=usr'),
  });
  t.equal(split.fragmentPath, '/lib/systemd/system/containerd.service');
  t.same(values(split), { FROM: 'lib' });
  t.match(split.problems, [
    {
      file: '/lib/systemd/system/containerd.service',
      message: /both \/lib\/systemd\/system\/containerd\.service and \/usr\/lib\/systemd\/system\/containerd\.service exist/,
    },
  ]);
  t.same(unitOn(t, { '/lib/systemd/system/containerd.service': UNIT }).problems, [], 'one file: no ambiguity');
});

t.test('§1.2 a template serves an instance; §1.5 hidden and unknown names are not units', async (t) => {
  const u = unitOn(
    t,
    { [`${USR}/getty@.service`]: service('Environment=TTY=%i NAME=%n'), [`${ETC}/getty@tty1.service.d/x.conf`]: service('Environment=DROP=1') },
    'getty@tty1.service',
  );
  t.match(u, { loadState: 'loaded', name: 'getty@tty1.service', fragmentPath: `${USR}/getty@.service`, dropInPaths: [`${ETC}/getty@tty1.service.d/x.conf`] });
  t.same(values(u), { TTY: 'tty1', NAME: 'getty@tty1.service', DROP: '1' });
  t.same(
    unitOn(t, { [`${USR}/.containerd.service`]: UNIT, [`${USR}/containerd.service.ignore`]: UNIT, [`${USR}/containerd.service/x`]: UNIT }).loadState,
    'not-found',
  );
  t.ok(isValidUnitName('a.b-c:d\\x2d@i.service'));
  for (const bad of ['.x.service', 'x.ignore', 'x', '@x.service', `${'a'.repeat(250)}.service`, 'a@b@c.service']) t.notOk(isValidUnitName(bad), bad);
});

t.test('§1.3 aliases: a symlink inside the search path gives a second name, and its drop-ins apply', async (t) => {
  const files: NodeFiles = {
    [`${USR}/containerd.service`]: UNIT,
    [`${ETC}/cri-containerd.service`]: { link: '../../../usr/lib/systemd/system/containerd.service' },
    [`${ETC}/cri-containerd.service.d/50-alias.conf`]: service('Environment=VIA=alias'),
    [`${ETC}/containerd.service.d/60-own.conf`]: service('Environment=VIA=own'),
  };
  for (const name of ['containerd.service', 'cri-containerd.service']) {
    const u = unitOn(t, files, name);
    t.match(u, { name: 'containerd.service', fragmentPath: `${USR}/containerd.service`, aliases: ['cri-containerd.service'] }, name);
    t.same(u.dropInPaths, [`${ETC}/cri-containerd.service.d/50-alias.conf`, `${ETC}/containerd.service.d/60-own.conf`]);
    t.same(values(u), { VIA: 'own' });
  }
});

t.test('§1.3 linked unit files, self-aliases, broken and invalid aliases', async (t) => {
  const linked = unitOn(t, {
    [`${ETC}/containerd.service`]: { link: '/opt/containerd/containerd.service' },
    '/opt/containerd/containerd.service': service('Environment=FROM=opt'),
  });
  t.match(linked, { loadState: 'loaded', fragmentPath: `${ETC}/containerd.service` }, 'a linked file: name and path from the link');
  t.same(values(linked), { FROM: 'opt' });
  const self = unitOn(t, {
    [`${ETC}/containerd.service`]: { link: `${USR}/containerd.service` },
    [`${USR}/containerd.service`]: service('Environment=FROM=usr'),
  });
  t.equal(self.fragmentPath, `${USR}/containerd.service`, 'a self-alias is skipped');
  t.match(unitOn(t, { [`${ETC}/x.service`]: { link: 'missing.service' } }, 'x.service'), { loadState: 'not-found', name: 'x.service' }, 'an alias to nothing');
  t.match(
    unitOn(t, { [`${ETC}/x.service`]: { link: 'y.socket' }, [`${ETC}/y.socket`]: '[Socket]\n' }, 'x.service'),
    { loadState: 'not-found' },
    'an alias must keep the type',
  );
  t.match(unitOn(t, { [`${ETC}/x.service`]: { link: 'not a unit' }, [`${ETC}/not a unit`]: '' }, 'x.service'), { loadState: 'not-found' });
  t.match(
    unitOn(t, { [`${ETC}/a.service`]: { link: 'b.service' }, [`${ETC}/b.service`]: { link: 'a.service' } }, 'a.service'),
    { loadState: 'not-found' },
    'an alias loop',
  );
  const viaTemplate = unitOn(t, { [`${ETC}/x.service`]: { link: 'foo@bar.service' }, [`${USR}/foo@.service`]: service('Environment=I=%i') }, 'x.service');
  t.match(viaTemplate, { loadState: 'loaded', fragmentPath: `${USR}/foo@.service` }, 'an alias to a missing instance falls back to the template');
  const loop = unitOn(t, { [`${ETC}/x.service`]: { link: '/loop/y.service' }, '/loop': { link: 'loop2' }, '/loop2': { link: 'loop' } }, 'x.service');
  t.match(
    loop,
    { loadState: 'loaded', environment: null, startFailure: { reason: 'unit-file', message: /ELOOP/ } },
    'a symlink loop: the directory check stops after 40 links, the read fails',
  );
  const dirAlias = unitOn(
    t,
    {
      '/srv/units': { dir: true },
      [`${ETC}/y.service`]: { link: '/lib/systemd/system/z.service' },
      '/lib': { link: 'usr/lib' },
      [`${USR}/z.service`]: service('Environment=Z=1'),
    },
    'y.service',
  );
  t.match(dirAlias, { name: 'z.service', aliases: ['y.service'] }, 'the target directory is resolved through /lib → /usr/lib');
  const templAlias = unitOn(t, { [`${USR}/getty@.service`]: UNIT, [`${USR}/autovt@.service`]: { link: 'getty@.service' } }, 'autovt@tty2.service');
  t.match(templAlias, { name: 'getty@tty2.service', aliases: ['autovt@tty2.service'] });
});

t.test('§1.4 masking: a symlink to /dev/null or an empty file at higher precedence', async (t) => {
  for (const mask of [{ link: '/dev/null' }, { link: '../../../dev/null' }, '']) {
    const u = unitOn(t, {
      [`${ETC}/containerd.service`]: mask,
      [`${USR}/containerd.service`]: UNIT,
      [`${USR}/containerd.service.d/x.conf`]: service('Environment=A=1'),
    });
    t.match(u, { loadState: 'masked', fragmentPath: `${ETC}/containerd.service`, environment: null, dropInPaths: [] });
  }
  t.equal(unitOn(t, { [`${ETC}/containerd.service`]: UNIT, [`${USR}/containerd.service`]: '' }).loadState, 'loaded', 'a lower mask hides nothing');
  t.match(unitOn(t, { '/etc/hostname': 'n\n' }), { loadState: 'not-found', fragmentPath: null, environment: null });
});

t.test('§2.1 candidate directory names: template, dash prefixes, instances', async (t) => {
  t.same(dropInNames('containerd.service'), ['containerd.service']);
  t.same(dropInNames('foo-bar-baz.service'), ['foo-bar-baz.service', 'foo-bar-.service', 'foo-.service']);
  t.same(dropInNames('a-b@i.service'), ['a-b@i.service', 'a-b@.service', 'a-.service', 'a-@i.service', 'a-@.service']);
  t.same(dropInNames('foo-.service'), ['foo-.service'], 'a trailing dash is chopped once');
  t.same(dropInNames('foo--bar.service'), ['foo--bar.service', 'foo--.service', 'foo-.service']);
  t.same(dropInNames('-foo.service'), ['-foo.service'], 'a leading dash is no prefix');
});

t.test('§2.2 order of directories decides same-name conflicts', async (t) => {
  const u = unitOn(
    t,
    {
      [`${USR}/cri-docker.service`]: UNIT,
      [`/etc/systemd/system.control/cri-docker.service.d/50-a.conf`]: service('Environment=A=control'),
      [`${ETC}/cri-docker.service.d/50-a.conf`]: service('Environment=A=etc'),
      [`${ETC}/cri-docker.service.d/60-b.conf`]: service('Environment=B=exact'),
      [`${ETC}/cri-.service.d/60-b.conf`]: service('Environment=B=prefix'),
      [`${USR}/cri-docker.service.d/70-c.conf`]: service('Environment=C=usr-exact'),
      [`${ETC}/service.d/70-c.conf`]: service('Environment=C=etc-type'),
      [`${ETC}/cri-.service.d/80-d.conf`]: service('Environment=D=etc-prefix'),
      [`${USR}/cri-docker.service.d/80-d.conf`]: service('Environment=D=usr-exact'),
    },
    'cri-docker.service',
  );
  t.same(u.dropInPaths, [
    '/etc/systemd/system.control/cri-docker.service.d/50-a.conf',
    `${ETC}/cri-docker.service.d/60-b.conf`,
    `${USR}/cri-docker.service.d/70-c.conf`,
    `${ETC}/cri-.service.d/80-d.conf`,
  ]);
  t.same(values(u), { A: 'control', B: 'exact', C: 'usr-exact', D: 'etc-prefix' });
});

t.test('§2.3 which files and in what order; §2.5 assignments need a section', async (t) => {
  const u = unitOn(t, {
    [`${USR}/containerd.service`]: service('Environment=A=fragment B=fragment', 'Restart=always'),
    [`${ETC}/containerd.service.d/9-proxy.conf`]: service('Environment=A=nine'),
    [`${ETC}/containerd.service.d/10-proxy.conf`]: service('Environment=A=ten C=ten'),
    [`${ETC}/containerd.service.d/Z-x.conf`]: service('Environment=Z=upper'),
    [`${ETC}/containerd.service.d/a-x.conf`]: service('Environment=', 'Environment=Z=lower'),
    [`${ETC}/containerd.service.d/http-proxy.conf.bak`]: service('Environment=BAK=1'),
    [`${ETC}/containerd.service.d/http-proxy.conf~`]: service('Environment=TILDE=1'),
    [`${ETC}/containerd.service.d/.hidden.conf`]: service('Environment=HIDDEN=1'),
    [`${ETC}/containerd.service.d/sub.conf/x`]: '',
    [`${ETC}/containerd.service.d/noheader.conf`]: 'Environment=OUT=1\n[Service]\nEnvironment=IN=1\n',
  });
  t.same(
    u.dropInPaths.map((p) => p.slice(ETC.length + 1)),
    [
      'containerd.service.d/10-proxy.conf',
      'containerd.service.d/9-proxy.conf',
      'containerd.service.d/Z-x.conf',
      'containerd.service.d/a-x.conf',
      'containerd.service.d/noheader.conf',
    ],
  );
  t.same(
    u.ignoredFiles.map((p) => p.slice(ETC.length + 1)),
    ['containerd.service.d/.hidden.conf', 'containerd.service.d/http-proxy.conf.bak', 'containerd.service.d/http-proxy.conf~'],
  );
  t.same(values(u), { Z: 'lower', IN: '1' }, 'an empty Environment= in a later drop-in clears the fragment and earlier drop-ins');
  t.match(u.problems, [{ file: `${ETC}/containerd.service.d/noheader.conf`, line: 1, message: /outside of a section/ }]);
});

t.test('§2.4 masking a drop-in; a broken or unreadable drop-in', async (t) => {
  for (const mask of [{ link: '/dev/null' }, '']) {
    const u = unitOn(t, {
      [`${USR}/containerd.service`]: UNIT,
      [`${USR}/containerd.service.d/50-vendor.conf`]: service('Environment=VENDOR=1'),
      [`${ETC}/containerd.service.d/50-vendor.conf`]: mask,
    });
    t.same(u.dropInPaths, [`${ETC}/containerd.service.d/50-vendor.conf`]);
    t.same(u.maskedDropIns, [`${ETC}/containerd.service.d/50-vendor.conf`]);
    t.same(values(u), {});
  }
  const broken = unitOn(t, {
    [`${USR}/containerd.service`]: UNIT,
    [`${ETC}/containerd.service.d/10-bad.conf`]: service('Environment=BEFORE=1', '[Bad', 'Environment=AFTER=1'),
    [`${ETC}/containerd.service.d/20-dangling.conf`]: { link: '/nowhere.conf' },
  });
  t.same(values(broken), { BEFORE: '1' }, 'lines before a bad header stay applied');
  t.match(broken.problems, [
    { line: 3, message: /invalid section header/ },
    { file: `${ETC}/containerd.service.d/20-dangling.conf`, message: /cannot be read \(missing\); systemd skips it/ },
  ]);
  t.equal(broken.startFailure, undefined, 'a broken drop-in does not stop the unit');
});

t.test('a unit file systemd cannot load: environment null and a unit-file start failure', async (t) => {
  const broken = unitOn(t, { [`${USR}/containerd.service`]: '[Service]\nEnvironment=A=1\n[Service\n' });
  t.match(broken, {
    loadState: 'loaded',
    environment: null,
    startFailure: { reason: 'unit-file', file: `${USR}/containerd.service`, line: 3, message: /invalid section header/ },
  });
  const unreadable = unitOn(t, { [`${USR}/containerd.service`]: { link: '/opt/dir' }, '/opt/dir/x': '' });
  t.match(unreadable, { environment: null, startFailure: { reason: 'unit-file', message: /cannot read the unit file \(is a directory/ } });
});

t.test('§4.1 Environment=: the last assignment wins, in the position of the first', async (t) => {
  const u = unitOn(t, { [`${USR}/containerd.service`]: service('Environment=A=1 B=1', 'Environment=A=2', 'environment=LOW=1', 'Environment=C=x\\p D=lost') });
  t.same(Object.keys(u.environment!), ['A', 'B']);
  t.same(u.environment!.A, { value: '2', file: `${USR}/containerd.service`, line: 3, origin: 'Environment' });
  t.same(Object.keys(u.environmentList), ['A', 'B']);
  t.same(values(u), { A: '2', B: '1' }, 'the word with the bad escape and everything after it are dropped');
  t.match(u.problems, [
    { line: 4, message: /case-sensitive/ },
    { line: 5, message: /^Environment=: an invalid escape "\\p"/ },
  ]);
});

t.test('§4.2 EnvironmentFile=: "-", globs, the env-file syntax, and a missing required file', async (t) => {
  const u = unitOn(t, {
    [`${USR}/containerd.service`]: service(
      'Environment=A=unit B=unit',
      'EnvironmentFile=-/etc/containerd/missing.env',
      'EnvironmentFile=/etc/containerd/env.d/*.env',
      'EnvironmentFile=-/etc/containerd/dir',
      'EnvironmentFile=rel.env',
      'EnvironmentFile=/etc/%q.env',
    ),
    '/etc/containerd/env.d/10-a.env': 'A=file10\nexport X=1\nnoequals\n',
    '/etc/containerd/env.d/20-b.env': 'A=file20\n# comment\nC="quoted value"\n',
    '/etc/containerd/env.d/.hidden.env': 'HIDDEN=1\n',
    '/etc/containerd/dir/x': '',
  });
  t.same(values(u), { A: 'file20', B: 'unit', C: 'quoted value' }, 'files override Environment=, later files override earlier ones');
  t.same(u.environment!.A, { value: 'file20', file: '/etc/containerd/env.d/20-b.env', line: 1, origin: 'EnvironmentFile' });
  t.match(u.environmentFiles, [
    { path: '/etc/containerd/missing.env', optional: true, state: 'missing', matches: [], line: 3 },
    { path: '/etc/containerd/env.d/*.env', optional: false, state: 'ok', matches: ['/etc/containerd/env.d/10-a.env', '/etc/containerd/env.d/20-b.env'] },
    { path: '/etc/containerd/dir', optional: true, state: 'unreadable', error: /is a directory/ },
  ]);
  t.match(u.problems, [
    { line: 6, message: /EnvironmentFile=: the path "rel\.env" is not absolute/ },
    { line: 7, message: /unknown specifier %q/ },
    { file: '/etc/containerd/env.d/10-a.env', line: 2, message: /"export X" is not a valid variable name; systemd drops the assignment/ },
    { file: '/etc/containerd/env.d/10-a.env', line: 3, message: /no "=" on the line/ },
  ]);
  t.equal(u.startFailure, undefined);

  const missing = unitOn(t, {
    [`${USR}/containerd.service`]: service('Environment=A=1', 'EnvironmentFile=/etc/containerd/proxy.env', 'EnvironmentFile=/etc/also-missing'),
  });
  t.same(missing.environment, null, 'the service cannot start');
  t.match(missing.startFailure, {
    reason: 'environment-file',
    file: `${USR}/containerd.service`,
    line: 3,
    message: /EnvironmentFile=\/etc\/containerd\/proxy\.env is required \(no leading "-"\) and no file matches/,
  });
  t.same(
    missing.environmentFiles.map((e) => e.state),
    ['missing', 'missing'],
  );

  const reset = unitOn(t, { [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/gone', 'EnvironmentFile=') });
  t.same(values(reset), {}, 'an empty EnvironmentFile= clears the list');
  const badGlob = unitOn(t, { [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/[x'), '/etc/x': 'A=1\n' });
  t.match(badGlob.environmentFiles, [{ state: 'missing' }], 'a malformed pattern matches nothing');
  t.ok(badGlob.startFailure);
  const nested = unitOn(t, {
    [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/*/proxy.env'),
    '/etc/b/proxy.env': 'B=1\n',
    '/etc/a/proxy.env': 'A=1\n',
    '/etc/proxy.env': 'X=1\n',
  });
  t.same(nested.environmentFiles[0]!.matches, ['/etc/a/proxy.env', '/etc/b/proxy.env'], 'a wildcard directory segment skips files');
  const dir = unitOn(t, { [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/d'), '/etc/d/x': '' });
  t.match(dir.startFailure, { message: /\/etc\/d: is a directory/ });
});

t.test('§4.2 an environment file with a value that is not UTF-8 fails to load; an unresolved path is skipped', async (t) => {
  const dir = t.testdir();
  writeNode(dir, {
    [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/a.env', 'EnvironmentFile=-/etc/b.env', 'EnvironmentFile=/run/%b.env'),
    '/etc/hostname': 'n\n',
  });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${dir}/etc/a.env`, Buffer.from([0x41, 0x3d, 0xff, 0x0a]));
  writeFileSync(`${dir}/etc/b.env`, Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nB=1\n')]));
  const u = resolveUnit(collectSnapshot({ root: dir }), 'containerd.service');
  t.match(u.environmentFiles, [
    { state: 'unreadable', error: /not valid UTF-8/ },
    { state: 'ok' },
    { state: 'unresolved', error: /%b, which is not known offline/ },
  ]);
  t.match(u.startFailure, { reason: 'environment-file', line: 2 });
});

t.test('§4.3 PassEnvironment= copies what PID 1 has; §4.4 UnsetEnvironment= applies last', async (t) => {
  const files: NodeFiles = {
    '/etc/systemd/system.conf': '[Manager]\nDefaultEnvironment=DEF=1 KEEP=1\n',
    [`${USR}/containerd.service`]: service(
      'PassEnvironment=HTTPS_PROXY NOT_SET HTTPS_PROXY constructor',
      'Environment=A=1 B=keep b=lower',
      'EnvironmentFile=/etc/f.env',
      'UnsetEnvironment=A B=other DEF F=file https_proxy',
    ),
    '/etc/f.env': 'F=file\n',
  };
  const u = unitOn(t, files, 'containerd.service', { managerEnvironment: { HTTPS_PROXY: 'http://pid1:3128', OTHER: 'x' } });
  t.same(values(u), { KEEP: '1', HTTPS_PROXY: 'http://pid1:3128', B: 'keep', b: 'lower' });
  t.same(u.environment!.HTTPS_PROXY, { value: 'http://pid1:3128', file: `${USR}/containerd.service`, line: 2, origin: 'PassEnvironment' });
  t.same(values(unitOn(t, files)), { KEEP: '1', B: 'keep', b: 'lower' }, 'offline, PID 1 is taken as empty');
  const reset = unitOn(
    t,
    { [`${USR}/containerd.service`]: service('PassEnvironment=P', 'PassEnvironment=', 'UnsetEnvironment=A', 'UnsetEnvironment=', 'Environment=A=1') },
    'containerd.service',
    { managerEnvironment: { P: '1' } },
  );
  t.same(values(reset), { A: '1' }, 'empty values reset both lists');
});

t.test('§4.5 DefaultEnvironment= from system.conf and system.conf.d, in merge order', async (t) => {
  const files: NodeFiles = {
    '/usr/lib/systemd/system.conf': '[Manager]\nDefaultEnvironment=MAIN=usr\nDefaultLimitNOFILE=1024\n',
    '/usr/lib/systemd/system.conf.d/50-a.conf': '[Manager]\nDefaultEnvironment=A=usr\n',
    '/etc/systemd/system.conf.d/50-a.conf': '[Manager]\nDefaultEnvironment=A=etc\n',
    '/etc/systemd/system.conf.d/60-masked.conf': { link: '/dev/null' },
    '/usr/lib/systemd/system.conf.d/60-masked.conf': '[Manager]\nDefaultEnvironment=MASKED=1\n',
    '/run/systemd/system.conf.d/40-b.conf': '[Manager]\nDefaultEnvironment=B=run H=%H BOOT=%b BAD=%4 "C=two words"\n[manager]\nDefaultEnvironment=X=1\n',
    '/etc/hostname': 'node3\n',
    [`${USR}/containerd.service`]: service('Environment=A=unit'),
  };
  const model = buildSystemd(snapshotOf(t, files));
  t.same(model.manager.files, ['/usr/lib/systemd/system.conf', '/run/systemd/system.conf.d/40-b.conf', '/etc/systemd/system.conf.d/50-a.conf']);
  t.same(Object.fromEntries(Object.entries(model.manager.defaultEnvironment).map(([k, v]) => [k, v.value])), {
    MAIN: 'usr',
    B: 'run',
    H: 'node3',
    BOOT: '%b',
    C: 'two words',
    A: 'etc',
  });
  t.same(model.manager.defaultEnvironment.BOOT!.unresolved, ['%b']);
  t.match(model.manager.problems, [
    { file: '/run/systemd/system.conf.d/40-b.conf', line: 2, message: /DefaultEnvironment=: "BAD=%4" uses the unknown specifier/ },
    { line: 3, message: /unknown section \[manager\]/ },
  ]);
  const u = model.units['containerd.service']!;
  t.same(u.environment!.A, { value: 'unit', file: `${USR}/containerd.service`, line: 2, origin: 'Environment' }, 'the unit overrides the manager');
  t.same(u.environment!.MAIN!.origin, 'DefaultEnvironment');

  const mainSnapshot = snapshotOf(t, {
    '/etc/systemd/system.conf': '[Manager]\nDefaultEnvironment=FIRST=etc\nDefaultEnvironment=\nDefaultEnvironment=AFTER=reset\n',
    '/usr/lib/systemd/system.conf': '[Manager]\nDefaultEnvironment=NOT=read\n',
  });
  t.notOk('/etc/machine-id' in mainSnapshot.paths, 'no specifier, no host facts read');
  const main = buildSystemd(mainSnapshot);
  t.same(main.manager.files, ['/etc/systemd/system.conf'], 'the first main file that exists');
  t.same(Object.keys(main.manager.defaultEnvironment), ['AFTER'], 'an empty value resets');
  const unreadable = buildSystemd(snapshotOf(t, { '/etc/systemd/system.conf/x': '' }));
  t.same(unreadable.manager.defaultEnvironment, {}, 'a main file that cannot be read adds nothing');
});

t.test('§4.6 merge order: DefaultEnvironment < PassEnvironment < Environment < EnvironmentFile', async (t) => {
  const u = unitOn(
    t,
    {
      '/etc/systemd/system.conf': '[Manager]\nDefaultEnvironment=V=default W=default X=default Y=default\n',
      [`${USR}/containerd.service`]: service('EnvironmentFile=/etc/v.env', 'Environment=V=environment W=environment', 'PassEnvironment=V W X'),
      '/etc/v.env': 'V=file\n',
    },
    'containerd.service',
    { managerEnvironment: { V: 'pass', W: 'pass', X: 'pass' } },
  );
  t.same(values(u), { V: 'file', W: 'environment', X: 'pass', Y: 'default' });
  t.same(Object.fromEntries(Object.entries(u.environment!).map(([k, v]) => [k, v.origin])), {
    V: 'EnvironmentFile',
    W: 'Environment',
    X: 'PassEnvironment',
    Y: 'DefaultEnvironment',
  });
});

t.test('§3.3 specifier facts come from the node; %H prefers the live host name', async (t) => {
  const files: NodeFiles = {
    [`${USR}/containerd.service`]: service('Environment=H=%H M=%m O=%o%w B=%b V=%v'),
    '/etc/hostname': '# set by the installer\nimage-name\n',
    '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
    '/usr/lib/os-release': 'ID=debian\nVERSION_ID="12"\n',
  };
  t.same(values(unitOn(t, files)), { H: 'image-name', M: '0123456789abcdef0123456789abcdef', O: 'debian12', B: '%b', V: '%v' });
  const live = unitOn(t, {
    ...files,
    '/proc/sys/kernel/hostname': 'live-name\n',
    '/proc/sys/kernel/random/boot_id': '1b2e-3c4d\n',
    '/proc/sys/kernel/osrelease': '6.1.0\n',
    '/etc/os-release': 'ID=ubuntu\nVERSION_ID=24.04\n',
  });
  t.same(values(live), { H: 'live-name', M: '0123456789abcdef0123456789abcdef', O: 'ubuntu24.04', B: '1b2e3c4d', V: '6.1.0' });
  t.same(values(unitOn(t, { [`${USR}/containerd.service`]: service('Environment=H=%H O=%o') })), { H: '%H', O: '%o' }, 'nothing known: left literal');
});

t.test('the login environment: /etc/environment, then /etc/profile.d/*.sh, exported variables only', async (t) => {
  const model = buildSystemd(
    snapshotOf(t, {
      '/etc/environment': 'PATH="/usr/bin:/bin"\nexport https_proxy=http://env:1\n# no_proxy=x\nbad line\n',
      '/etc/profile.d/10-proxy.sh': [
        'export HTTP_PROXY="http://a\\"b:3128" # corp',
        "LOCAL='not exported'",
        'LATER=1',
        'export LATER',
        'https_proxy=http://profile:2',
        'export GONE=1',
        'unset GONE',
        'if [ -n "$X" ]; then export NO_PROXY=$X; fi',
        'export NOTHING',
      ].join('\n'),
      '/etc/profile.d/.hidden.sh': 'export HIDDEN=1\n',
      '/etc/profile.d/readme.txt': 'export TXT=1\n',
      '/etc/profile.d/20-dir.sh/x': '',
    }),
  );
  t.same(model.login.files, ['/etc/environment', '/etc/profile.d/10-proxy.sh']);
  t.same(Object.fromEntries(Object.entries(model.login.variables).map(([k, v]) => [k, v.value])), {
    PATH: '/usr/bin:/bin',
    https_proxy: 'http://profile:2',
    HTTP_PROXY: 'http://a"b:3128',
    LATER: '1',
  });
  t.same(
    model.login.variables.https_proxy,
    { value: 'http://profile:2', file: '/etc/profile.d/10-proxy.sh', line: 5 },
    'an exported name assigned again stays exported',
  );
});

t.test('planning asks for exactly what the model reads, and the model notes what it cannot see', async (t) => {
  const empty: Snapshot = { schemaVersion: 1, kind: 'NodeSnapshot', tool: { name: 'x', version: '0' }, root: '/r', online: false, paths: {}, commands: {} };
  const first = planSystemdInputs(empty);
  t.ok(first.list.includes(ETC) && first.list.includes(USR) && first.list.includes('/etc/systemd/system.conf.d') && first.list.includes('/etc/profile.d'));
  t.ok(first.read.includes('/etc/environment'));
  t.notOk(first.read.includes('/etc/hostname'), 'host facts only when a value uses a specifier');
  t.ok(first.stat.includes('/lib') && first.stat.includes('/etc/systemd/system.conf'));
  t.ok(
    first.read.includes(`${USR}/kubelet.service`) && first.list.includes(`${ETC}/containerd.service.d`) && first.list.includes(`${ETC}/service.d`),
    'and the likely places of the units and drop-ins',
  );
  const built = modelNeeds(empty, ['a-b.service']);
  const firstWithExtra = planSystemdInputs(empty, ['a-b.service']);
  const asked = new Set([...firstWithExtra.read, ...firstWithExtra.list, ...firstWithExtra.stat]);
  t.same(
    [...built.read, ...built.list, ...built.stat].filter((p) => !asked.has(p)),
    [],
    'the first round covers what a build on nothing asks for',
  );
  t.ok(firstWithExtra.list.includes(`${ETC}/a-.service.d`), 'with the dash-prefix directories of extra units');
  const s = snapshotOf(t, { [`${USR}/containerd.service`]: service('Environment=H=%H'), '/etc/hostname': 'n\n', '/run/systemd/generator/x.service': UNIT });
  t.same(planSystemdInputs(s), { read: [], list: [], stat: [] }, 'a complete snapshot needs nothing more');
  t.ok(s.paths['/etc/hostname']?.content, '%H made the collector read /etc/hostname');
  t.same(buildSystemd(s).notes, [], 'generator output is there on a running system');
  t.match(buildSystemd(snapshotOf(t, { '/etc/hostname': 'n\n' })).notes, [/Generator output .* not evaluated/]);
  const withExtra = buildModel(snapshotOf(t, { [`${USR}/docker.service`]: UNIT }, ['docker.service']), { units: ['docker.service'] });
  t.same(Object.keys(withExtra.systemd.units), ['containerd.service', 'kubelet.service', 'docker.service']);
  t.equal(withExtra.systemd.units['docker.service']!.loadState, 'loaded');
  const stale = snapshotOf(t, { [`${USR}/containerd.service`]: UNIT });
  const record = stale.paths[`${USR}/containerd.service`]!;
  stale.paths[`${USR}/containerd.service`] = { type: 'file', size: record.size };
  t.same(planSystemdInputs(stale).read, [`${USR}/containerd.service`], "a file only stat'ed so far is asked for again");
  t.equal(resolveUnit(stale, 'containerd.service').loadState, 'loaded', 'until then it is not judged masked');
  delete stale.paths[`${USR}/containerd.service`];
  t.equal(resolveUnit(stale, 'containerd.service').loadState, 'not-found');
});

t.test("the reader asks again for a directory only stat'ed so far, not for one that could not be listed", async (t) => {
  const base: Snapshot = { schemaVersion: 1, kind: 'NodeSnapshot', tool: { name: 'x', version: '0' }, root: '/r', online: false, paths: {}, commands: {} };
  const r = new SnapshotReader({
    ...base,
    paths: {
      '/a': { type: 'directory' },
      '/b': { type: 'directory', error: { code: 'EACCES', message: 'cannot list the directory' } },
      '/c': { type: 'file' },
    },
  });
  for (const p of ['/a', '/b', '/c', '/d']) r.entries(p);
  t.same(r.request().list, ['/a', '/d']);
});

t.test('types without an exec section and unit types with one', async (t) => {
  const target = unitOn(t, { [`${USR}/multi-user.target`]: '[Unit]\nDescription=x\nEnvironment=A=1\n' }, 'multi-user.target');
  t.match(target, { loadState: 'loaded', environment: {} });
  t.match(target.problems, [{ message: /unknown key Environment= in section \[Unit\]/ }]);
  const socket = unitOn(t, { [`${USR}/x.socket`]: '[Socket]\nEnvironment=S=1\nExecStart=/x\n' }, 'x.socket');
  t.same(values(socket), { S: '1' });
  t.same(socket.execStart, [], 'ExecStart= belongs to services');
  t.match(socket.problems, [{ line: 3, message: /unknown key ExecStart= in section \[Socket\]/ }]);
  const exec = unitOn(t, {
    [`${USR}/containerd.service`]: service('ExecStart=/a', 'ExecStartPre=/pre'),
    [`${ETC}/containerd.service.d/x.conf`]: service('ExecStart=', 'ExecStart=/b --flag'),
  });
  t.same(
    exec.execStart,
    [{ value: '/b --flag', file: `${ETC}/containerd.service.d/x.conf`, line: 3, argv: ['/b', '--flag'] }],
    'an empty ExecStart= resets the list',
  );
});
