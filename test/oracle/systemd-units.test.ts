// systemd itself as the oracle: `systemd --test` (run as an unprivileged user,
// as it requires) loads units from a search path we give it and dumps each
// unit's fragment, drop-ins and Environment=/EnvironmentFile=/PassEnvironment=/
// UnsetEnvironment= lists, and logs every line it ignores. The same node root
// goes through resolveUnit(), and the two must agree.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { resolveUnit } from '../../src/model/systemd.js';
import { UNIT_SEARCH_PATH } from '../../src/model/systemd.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';

const SYSTEMD = ['/lib/systemd/systemd', '/usr/lib/systemd/systemd'].find((p) => existsSync(p));
const ETC = '/etc/systemd/system';
const RUN = '/run/systemd/system';
const USR = '/usr/lib/systemd/system';
const svc = (...lines: string[]): string => `[Service]\nExecStart=/bin/true\n${lines.join('\n')}\n`;
const dropin = (...lines: string[]): string => `[Service]\n${lines.join('\n')}\n`;

/** Each case: a unit and the files it is made of. */
const CASES: Record<string, NodeFiles> = {
  'pf-syntax.service': {
    [`${USR}/pf-syntax.service`]: [
      '[Unit]',
      'Description=syntax',
      'Environment=IN_UNIT=1',
      '[Service]',
      'ExecStart=/bin/true',
      'Environment=A=1 B=x\\py C=3',
      'Environment="D=1" E="unterminated',
      'Environment=F=100% G=%% H=%- I=a%4b J=%n K=%N L=%p M=%i N=%j',
      'environment=LOW=1',
      'Environment = SP = 1',
      'Environment=NAME-BAD=1 1X=2 _OK=3 =4 noeq',
      'Environment=Q=\'single \\x41 q\' R=a"b c"d S=\\u00e9\\101 T=\\x00',
      'Environment=W=a \\',
      '   # comment',
      '   ; another',
      '   b',
      'Environment=X=1',
      '',
      'Environment=Y=\\',
      'EnvironmentFile=rel/path',
      'EnvironmentFile=-/etc/x y',
      'EnvironmentFile=/etc//default/./k',
      'EnvironmentFile=/etc/../k',
      'PassEnvironment=P1 "P2" 3P P\\x41',
      'UnsetEnvironment=U1 U2=v "U 3" U\\x34',
      '[service]',
      'Environment=Z=1',
      '[X-Foo]',
      'Environment=Z2=1',
      'noequals',
    ].join('\n'),
  },
  'pf-order-baz.service': {
    [`${USR}/pf-order-baz.service`]: svc('Environment=FRAG=1 A=frag'),
    [`${USR}/pf-order-.service.d/50-a.conf`]: dropin('Environment=A=usr-prefix'),
    [`${ETC}/pf-order-baz.service.d/50-a.conf`]: dropin('Environment=A=etc-exact'),
    [`${USR}/pf-order-baz.service.d/60-b.conf`]: dropin('Environment=B=usr-exact'),
    [`${ETC}/pf-.service.d/60-b.conf`]: dropin('Environment=B=etc-prefix'),
    [`${USR}/pf-order-.service.d/10-c.conf`]: dropin('Environment=C=1', '[Bad', 'Environment=C=2'),
    [`${USR}/pf-order-.service.d/9-d.conf`]: dropin('Environment=D=1'),
    [`${ETC}/pf-order-baz.service.d/9-d.conf`]: { link: '/dev/null' },
    [`${RUN}/pf-order-baz.service.d/Z-e.conf`]: dropin('Environment=', 'Environment=E=after-reset'),
    [`${RUN}/pf-order-baz.service.d/a-f.conf`]: dropin('Environment=F=1'),
    [`${RUN}/pf-order-baz.service.d/notes.conf.bak`]: dropin('Environment=BAK=1'),
    [`${RUN}/pf-order-baz.service.d/.hidden.conf`]: dropin('Environment=HIDDEN=1'),
  },
  'pf-alias.service': {
    [`${USR}/pf-target.service`]: svc('Environment=T=1'),
    [`${ETC}/pf-alias.service`]: { link: '../../../usr/lib/systemd/system/pf-target.service' },
    [`${ETC}/pf-alias.service.d/x.conf`]: dropin('Environment=VIA=alias'),
    [`${ETC}/pf-target.service.d/y.conf`]: dropin('Environment=OWN=1'),
  },
  'pf-masked.service': {
    [`${USR}/pf-masked.service`]: svc('Environment=A=1'),
    [`${ETC}/pf-masked.service`]: { link: '/dev/null' },
  },
  'pf-empty.service': {
    [`${USR}/pf-empty.service`]: svc('Environment=A=1'),
    [`${ETC}/pf-empty.service`]: '',
  },
  'pf-tmpl@inst-1.service': {
    [`${USR}/pf-tmpl@.service`]: svc('Environment=I=%i P=%p N=%N J=%j'),
    [`${ETC}/pf-tmpl@inst-1.service.d/x.conf`]: dropin('Environment=INSTANCE_DROPIN=1'),
    [`${ETC}/pf-tmpl@.service.d/y.conf`]: dropin('Environment=TEMPLATE_DROPIN=1'),
  },
  'pf-shadow.service': {
    [`${ETC}/pf-shadow.service`]: svc('Environment=FROM=etc'),
    [`${USR}/pf-shadow.service`]: svc('Environment=FROM=usr'),
    [`${USR}/pf-shadow.service.d/vendor.conf`]: dropin('Environment=VENDOR=still-applies'),
  },
  // kubeadm's drop-in pattern: ExecStart= reset, then the command with its variables (words compared before substitution).
  'pf-kubeadm.service': {
    [`${USR}/pf-kubeadm.service`]: '[Service]\nExecStart=/usr/bin/kubelet\n',
    [`${USR}/pf-kubeadm.service.d/10-kubeadm.conf`]: dropin(
      'Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"',
      'EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env',
      'ExecStart=',
      'ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS "${KUBELET_EXTRA_ARGS}" --x=\'a b\' -- "$$FOO" pre${X}post "\\q" \\x41',
    ),
  },
  'pf-argv0.service': {
    [`${USR}/pf-argv0.service`]: '[Service]\nType=oneshot\nExecStart=-@/bin/echo argv0 $X ; :/bin/true "a ; b" \\; x\nExecStart=+/bin/echo %n\n',
  },
  'pf-two.service': {
    [`${USR}/pf-two.service`]: '[Service]\nExecStart=/usr/bin/kubelet\n',
    [`${ETC}/pf-two.service.d/20-extra.conf`]: dropin('ExecStart=/usr/bin/kubelet --v=4'),
  },
  'pf-reset-only.service': {
    [`${USR}/pf-reset-only.service`]: '[Service]\nExecStart=/usr/bin/kubelet\n',
    [`${ETC}/pf-reset-only.service.d/20-extra.conf`]: dropin('ExecStart='),
  },
  'pf-bad-exec.service': {
    [`${USR}/pf-bad-exec.service`]: '[Service]\nExecStart=/usr/bin/kubelet "unterminated\n',
  },
  'pf-reset.service': {
    [`${USR}/pf-reset.service`]: svc('EnvironmentFile=/etc/one', 'PassEnvironment=P1 P2', 'UnsetEnvironment=U1', 'Environment=A=1'),
    [`${ETC}/pf-reset.service.d/x.conf`]: dropin(
      'EnvironmentFile=',
      'EnvironmentFile=-/etc/two',
      'PassEnvironment=',
      'PassEnvironment=P3 P3',
      'UnsetEnvironment=',
      'UnsetEnvironment=U2=x',
      'Environment=A=2 B=1',
    ),
  },
};

/** Parse the dump of `systemd --test` into per-unit lists; ExecStart's command lines as `ExecStart`. */
function parseDump(out: string): Map<string, Record<string, string[]>> {
  const units = new Map<string, Record<string, string[]>>();
  let current: Record<string, string[]> | null = null;
  let section: string | null = null;
  for (const line of out.split('\n')) {
    const head = /^\t-> Unit (.+):$/.exec(line);
    if (head) units.set(head[1]!, (current = {}));
    const field = /^\t\t(Unit Load State|Fragment Path|DropIn Path|Environment|EnvironmentFile|PassEnvironment|UnsetEnvironment): (.*)$/.exec(line);
    if (current && field) (current[field[1]!] ??= []).push(field[2]!);
    const exec = /^\t\t-> (\w+):$/.exec(line);
    if (exec) section = exec[1]!;
    else if (/^\t\t\S/.test(line)) section = null;
    const command = /^\t\t\tCommand Line: (.*)$/.exec(line);
    if (current && command && section === 'ExecStart') (current.ExecStart ??= []).push(command[1]!);
  }
  return units;
}

/** The words of a dumped command line (quote_command_line: a word with special characters in double quotes, \\, \", \$ and \` escaped). */
function dumpedWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return words;
}

function makeReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    if (e.isDirectory()) makeReadable(p);
    else chmodSync(p, 0o644);
  }
}

t.test('systemd 252 and resolveUnit() agree on units, drop-ins and environment settings', async (t) => {
  t.ok(SYSTEMD, 'systemd is installed (apt-get install systemd); the oracle needs it');
  if (!SYSTEMD) return;
  const root = mkdtempSync(join(tmpdir(), 'preflight-systemd-oracle-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const wants = Object.keys(CASES).join(' ');
  writeNode(root, { ...Object.assign({}, ...Object.values(CASES)), [`${USR}/pf-oracle.target`]: `[Unit]\nDescription=oracle\nWants=${wants}\n` });
  makeReadable(root);
  t.ok(statSync(root).mode & 0o005, 'readable by the unprivileged user');
  // The search path under the root, then systemd's defaults (a trailing ':'), which hold sysinit.target.
  const path =
    UNIT_SEARCH_PATH.filter((d) => d !== '/lib/systemd/system')
      .map((d) => `${root}${d}`)
      .join(':') + ':';
  // systemd refuses test mode as root ("Don't run test mode as root"): as root, drop to nobody.
  const argv = [SYSTEMD, '--test', '--system', '--unit=pf-oracle.target', '--log-target=console', '--log-level=warning'];
  const asRoot = process.getuid?.() === 0;
  const run = spawnSync(asRoot ? 'setpriv' : argv[0]!, asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv.slice(1), {
    cwd: '/',
    env: { PATH: process.env.PATH, SYSTEMD_UNIT_PATH: path },
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(run.status, 0, run.stderr.slice(-2000));
  const dump = parseDump(run.stdout + run.stderr);
  // systemd's warnings about our files, as "path:line".
  const logged = [...(run.stdout + run.stderr).matchAll(new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\S+):(\\d+): (.*)$`, 'gm'))].map(
    (m) => `${m[1]}:${m[2]}`,
  );

  const snapshot = collectSnapshot({ root, units: Object.keys(CASES) });
  const ours: string[] = [];
  for (const name of Object.keys(CASES)) {
    const unit = resolveUnit(snapshot, name);
    ours.push(...unit.problems.filter((p) => p.line !== undefined).map((p) => `${p.file}:${p.line}`));
    const theirs = dump.get(unit.name) ?? dump.get(name);
    t.ok(theirs, `systemd dumped ${name}`);
    if (!theirs) continue;
    // A service systemd refuses (service_verify, a broken ExecStart=) loads as "bad-setting".
    t.same(theirs['Unit Load State'], [unit.startFailure?.reason === 'unit-file' ? 'bad-setting' : unit.loadState], `${name}: load state`);
    if (unit.loadState !== 'loaded' || unit.startFailure?.reason === 'unit-file') continue;
    t.same(
      (theirs.ExecStart ?? []).map(dumpedWords),
      unit.execStart.map((c) => c.argv),
      `${name}: the words of each ExecStart= command`,
    );
    t.same(theirs['Fragment Path'], [`${root}${unit.fragmentPath}`], `${name}: fragment`);
    t.same(
      theirs['DropIn Path'] ?? [],
      unit.dropInPaths.map((p) => `${root}${p}`),
      `${name}: drop-ins, in order`,
    );
    t.same(
      theirs.Environment ?? [],
      Object.entries(unit.environmentList).map(([k, v]) => `${k}=${v.value}`),
      `${name}: Environment=`,
    );
    t.same(
      theirs.EnvironmentFile ?? [],
      unit.environmentFiles.map((e) => `${e.optional ? '-' : ''}${e.path}`),
      `${name}: EnvironmentFile=`,
    );
  }
  // systemd names the last line of a continuation; the checker names the first, where the key is.
  const continued = new Set([`${USR}/pf-syntax.service:13`]);
  t.same(
    [...new Set(ours)].filter((l) => !continued.has(l)).sort(),
    [...new Set(logged)].filter((l) => l !== `${USR}/pf-syntax.service:16`).sort(),
    'the same lines are ignored or rejected',
  );
  t.ok(logged.includes(`${USR}/pf-syntax.service:16`) && ours.includes(`${USR}/pf-syntax.service:13`), 'the continued line is reported by both');
});
