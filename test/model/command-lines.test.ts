// The command lines kubelet.service and containerd.service run: ExecStart=
// as systemd stores it, $VAR/${VAR} substitution, and what kubelet and
// containerd read from the result (the oracle for the words is
// test/oracle/systemd-units.test.ts).
import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { resolveUnit } from '../../src/model/systemd.js';
import { parseContainerdArgv } from '../../src/model/containerd/command.js';
import { expandArgv, parseExecValue, splitVariableValue } from '../../src/parsers/systemd-exec.js';
import type { CommandWord } from '../../src/model/types.js';
import { writeNode, type NodeFiles } from '../helpers/node-root.js';
import { KUBEADM_DROPIN, KUBELET_UNIT, PACKAGED_UNITS } from '../helpers/units.js';

const ETC = '/etc/systemd/system';
const USR = '/usr/lib/systemd/system';
const NO_SPECIFIERS = {};
const modelOf = (t: { testdir(): string }, files: NodeFiles) => buildModel(collectSnapshot({ root: writeNode(t.testdir(), files) }));
const unitOf = (t: { testdir(): string }, files: NodeFiles, name: string) =>
  resolveUnit(collectSnapshot({ root: writeNode(t.testdir(), files), units: [name] }), name);

t.test('ExecStart= words as systemd stores them', async (t) => {
  t.same(parseExecValue('/usr/bin/kubelet $A "${B}" --x=\'a b\' "$$C"', NO_SPECIFIERS), {
    commands: [{ path: '/usr/bin/kubelet', argv: ['/usr/bin/kubelet', '$A', '${B}', '--x=a b', '$$C'], literal: false, ignoreFailure: false }],
  });
  t.same(
    parseExecValue('-/bin/true ; /bin/echo "a ; b" \\; x', NO_SPECIFIERS).commands.map((c) => c.argv),
    [['/bin/true'], ['/bin/echo', 'a ; b', ';', 'x']],
    'a lone ; separates commands, \\; is a semicolon',
  );
  t.match(parseExecValue('-/bin/true', NO_SPECIFIERS).commands[0], { ignoreFailure: true });
  t.same(
    parseExecValue('@/bin/echo argv0 x', NO_SPECIFIERS).commands[0],
    { path: '/bin/echo', argv: ['argv0', 'x'], literal: false, ignoreFailure: false },
    '@ takes argv[0] from the next word',
  );
  t.match(parseExecValue(':+!/bin/x $A', NO_SPECIFIERS).commands[0], { path: '/bin/x', literal: true });
  t.same(
    parseExecValue('/bin/true "\\q" \\x41', NO_SPECIFIERS),
    {
      commands: [{ path: '/bin/true', argv: ['/bin/true', '\\q', 'A'], literal: false, ignoreFailure: false }],
      warnings: ['"\\"\\\\q\\"" has an escape systemd does not know; it keeps the backslash and logs a warning'],
    },
    'an unknown escape is kept with a warning (EXTRACT_UNESCAPE_RELAX), a known one decoded',
  );
  t.same(
    parseExecValue('/usr/bin/%N --name %n', { N: 'kubelet', n: 'kubelet.service' }).commands[0]!.argv,
    ['/usr/bin/kubelet', '--name', 'kubelet.service'],
    'specifiers',
  );
  t.match(parseExecValue('/bin/true "unterminated', NO_SPECIFIERS), { commands: [], problem: /unterminated " quote; systemd ignores the line/ });
  t.match(parseExecValue('/bin/x %q', {}), { commands: [], problem: /unknown specifier %q/ });
  t.match(parseExecValue('@/bin/true', NO_SPECIFIERS), { commands: [], problem: /"@\/bin\/true" names no program/ });
  t.match(parseExecValue('- x', NO_SPECIFIERS), { commands: [], problem: /"-" names no program/ });
  t.same(parseExecValue('  ', NO_SPECIFIERS), { commands: [] });
  t.same(parseExecValue('/bin/x a\\', NO_SPECIFIERS), { commands: [], problem: 'an invalid escape "\\"; systemd ignores the line' }, 'a trailing backslash');
});

t.test('$VAR splits at blanks (quotes removed), ${VAR} is one word, $$ is a dollar', async (t) => {
  t.same(splitVariableValue(` --a=1  "--b=x y" 'c d'\\ e --f="g h"`), ['--a=1', '--b=x y', 'c d e', '--f=g h']);
  t.same(splitVariableValue('"unterminated x'), ['unterminated x'], 'an unterminated quote ends the word (EXTRACT_RELAX)');
  t.same(splitVariableValue('a\\'), ['a'], 'a trailing backslash is dropped');
  t.same(splitVariableValue(''), []);
  t.same(splitVariableValue('a  '), ['a'], 'trailing blanks');
  const env: Record<string, string> = { A: '--x=1 --y "2 3"', B: 'one word two', EMPTY: '' };
  const lookup = (n: string): string | undefined => env[n];
  t.same(
    expandArgv(['/bin/k', '$A', '${B}', 'pre${B}post', '$MISSING', '${MISSING}', '$$A', 'a$$b', '$A-B', '${A:-x}', '${OPEN', 'cost$', 'a$b', '$EMPTY'], lookup),
    {
      words: [
        { text: '/bin/k', variables: [], index: 0 },
        { text: '--x=1', variables: ['A'], index: 1 },
        { text: '--y', variables: ['A'], index: 1 },
        { text: '2 3', variables: ['A'], index: 1 },
        { text: 'one word two', variables: ['B'], index: 2 },
        { text: 'preone word twopost', variables: ['B'], index: 3 },
        { text: '', variables: ['MISSING'], index: 5 },
        { text: '$A', variables: [], index: 6 },
        { text: 'a$b', variables: [], index: 7 },
        { text: '${A:-x}', variables: [], index: 9 },
        { text: '${OPEN', variables: [], index: 10 },
        { text: 'cost$', variables: [], index: 11 },
        { text: 'a$b', variables: [], index: 12 },
      ],
      unset: ['MISSING', 'A-B'],
    },
  );
});

t.test('the command a unit runs: substitution, sources, and the ExecStart= lines systemd refuses', async (t) => {
  const kubelet = unitOf(t, PACKAGED_UNITS, 'kubelet.service');
  t.match(kubelet.command, { file: `${USR}/kubelet.service.d/10-kubeadm.conf`, argv: [{ text: '/usr/bin/kubelet', via: 'ExecStart' }] });
  t.match(
    kubelet.command!.argv.find((w) => w.text.startsWith('--config=')),
    {
      text: '--config=/var/lib/kubelet/config.yaml',
      via: 'KUBELET_CONFIG_ARGS',
      source: { file: `${USR}/kubelet.service.d/10-kubeadm.conf`, key: 'KUBELET_CONFIG_ARGS' },
    },
  );
  t.same(kubelet.command!.unset, ['KUBELET_KUBEADM_ARGS', 'KUBELET_EXTRA_ARGS'], 'the environment files are optional and absent before the join');
  const literal = unitOf(t, { [`${ETC}/x.service`]: '[Service]\nEnvironment=A=1\nExecStart=:/bin/echo $A\n' }, 'x.service');
  t.same(
    literal.command!.argv.map((w) => w.text),
    ['/bin/echo', '$A'],
    'the : prefix substitutes nothing',
  );
  const two = unitOf(t, { ...PACKAGED_UNITS, [`${ETC}/kubelet.service.d/20-extra.conf`]: '[Service]\nExecStart=/usr/bin/kubelet --v=4\n' }, 'kubelet.service');
  t.match(
    two,
    {
      command: null,
      environment: null,
      startFailure: { reason: 'unit-file', file: `${ETC}/kubelet.service.d/20-extra.conf`, line: 2, message: /more than one ExecStart= setting/ },
    },
    'a second ExecStart= without the reset: systemd refuses the unit',
  );
  const reset = unitOf(t, { ...PACKAGED_UNITS, [`${ETC}/kubelet.service.d/20-extra.conf`]: '[Service]\nExecStart=\n' }, 'kubelet.service');
  t.match(reset.startFailure, { reason: 'unit-file', message: /no ExecStart=, ExecStop= or SuccessAction=/ }, 'a reset that leaves no command');
  t.equal(
    unitOf(t, { [`${ETC}/o.service`]: '[Service]\nType=oneshot\nExecStart=/bin/a\nExecStart=/bin/b\n' }, 'o.service').startFailure,
    undefined,
    'oneshot services may run several',
  );
  t.equal(unitOf(t, { [`${ETC}/s.service`]: '[Service]\nExecStart=\nExecStop=/bin/stop\n' }, 's.service').startFailure, undefined, 'ExecStop= alone is enough');
  t.equal(
    unitOf(t, { [`${ETC}/s.service`]: '[Unit]\nSuccessAction=reboot\n[Service]\nExecStart=\n' }, 's.service').startFailure,
    undefined,
    'so is SuccessAction=',
  );
  t.match(unitOf(t, { [`${ETC}/b.service`]: '[Service]\nExecStart=/bin/x "open\n' }, 'b.service'), {
    startFailure: { line: 2, message: /unterminated " quote, so systemd refuses to load the unit/ },
    problems: [{ line: 2 }],
  });
  t.equal(unitOf(t, { [`${ETC}/x.socket`]: '[Socket]\nListenStream=/x\n' }, 'x.socket').command, null, 'only services run a command');
});

t.test("kubelet's --config, --config-dir and flags, from a kubespray-style unit", async (t) => {
  const files: NodeFiles = {
    [`${ETC}/kubelet.service`]: '[Service]\nEnvironmentFile=-/etc/kubernetes/kubelet.env\nExecStart=/usr/local/bin/kubelet $KUBELET_ARGS ${KUBELET_EXTRA}\n',
    '/etc/kubernetes/kubelet.env':
      'KUBELET_ARGS="--config=etc/kubernetes/kubelet-config.yaml --config-dir=/etc/kubernetes/kubelet.conf.d --fail-swap-on=false --resolv-conf /run/systemd/resolve/resolv.conf --pod-infra-container-image=registry.k8s.io/pause:3.10"\nKUBELET_EXTRA=--image-service-endpoint=unix:///run/containerd/containerd.sock\n',
    '/etc/kubernetes/kubelet-config.yaml':
      'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: cgroupfs\nresolvConf: /etc/resolv.conf\nfailSwapOn: true\n',
    '/etc/kubernetes/kubelet.conf.d/10-driver.conf': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n',
    '/etc/kubernetes/kubelet.conf.d/a/20-sub.conf': '{"kind": "KubeletConfiguration", "containerRuntimeEndpoint": "unix:///run/containerd/containerd.sock"}\n',
    '/etc/kubernetes/kubelet.conf.d/a/b/c/d/too-deep.conf': 'cgroupDriver: nope\n',
    '/etc/kubernetes/kubelet.conf.d/30-ignored.yaml': 'cgroupDriver: nope\n',
    '/etc/kubernetes/kubelet.conf.d/40-broken.conf': 'cgroupDriver: [\n',
    '/var/lib/kubelet/instance-config.yaml': 'containerRuntimeEndpoint: unix:///run/crio/crio.sock\n',
  };
  const k = modelOf(t, files).kubelet;
  t.match(k.command, { file: `${ETC}/kubelet.service`, line: 3, argv: ['/usr/local/bin/kubelet', '--config=etc/kubernetes/kubelet-config.yaml'] });
  t.match(
    k.config,
    { path: '/etc/kubernetes/kubelet-config.yaml', state: 'ok', role: 'config' },
    'a relative --config resolves against /, where systemd starts the service',
  );
  t.match(k.configSource, { file: '/etc/kubernetes/kubelet.env', line: 1, key: 'KUBELET_ARGS' });
  t.same(
    k.configDir!.files.map((f) => [f.path, f.state]),
    [
      ['/etc/kubernetes/kubelet.conf.d/10-driver.conf', 'ok'],
      ['/etc/kubernetes/kubelet.conf.d/40-broken.conf', 'invalid'],
      ['/etc/kubernetes/kubelet.conf.d/a/20-sub.conf', 'ok'],
    ],
    'lexical, depth first, .conf only, bounded depth',
  );
  t.match(
    k.cgroupDriver,
    { value: 'systemd', source: { file: '/etc/kubernetes/kubelet.conf.d/10-driver.conf', line: 3, key: 'cgroupDriver' } },
    'a drop-in over the config file',
  );
  t.match(
    k.resolvConf,
    { value: '/run/systemd/resolve/resolv.conf', source: { file: '/etc/kubernetes/kubelet.env', key: 'KUBELET_ARGS' } },
    'a flag over the config file',
  );
  t.match(k.failSwapOn, { value: false, source: { file: '/etc/kubernetes/kubelet.env' } });
  t.match(k.imageServiceEndpoint, { value: 'unix:///run/containerd/containerd.sock', source: { key: 'KUBELET_EXTRA' } });
  t.match(k.podInfraContainerImage, { value: 'registry.k8s.io/pause:3.10' });
  t.same(
    k.runtimeEndpoints.map((e) => e.value),
    ['unix:///run/containerd/containerd.sock'],
    "kubeadm's instance-config.yaml patches only kubeadm's config.yaml",
  );
  t.equal(k.instanceConfig.state, 'ok');

  const flags = modelOf(t, {
    ...PACKAGED_UNITS,
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--fail-swap-on --config-dir= --cgroup-driver=systemd\n',
    '/var/lib/kubelet/config.yaml': 'failSwapOn: false\n',
  }).kubelet;
  t.match(flags.failSwapOn, { value: true, source: { file: '/etc/default/kubelet' } }, 'a bare boolean flag is true');
  t.equal(flags.configDir, null, 'an empty --config-dir is none');
  t.match(flags.cgroupDriver, { value: 'systemd', source: { file: '/etc/default/kubelet', key: 'KUBELET_EXTRA_ARGS' } });
  t.match(flags.configSource, { file: `${USR}/kubelet.service.d/10-kubeadm.conf`, key: 'KUBELET_CONFIG_ARGS' });
  const missingDir = modelOf(t, {
    ...PACKAGED_UNITS,
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS="--fail-swap-on=true --config-dir=/etc/kubelet.d"\n',
  }).kubelet;
  t.match(missingDir, { failSwapOn: { value: true }, configDir: { path: '/etc/kubelet.d', files: [] } }, 'a --config-dir that does not exist has no drop-ins');
  const fileDir = modelOf(t, {
    ...PACKAGED_UNITS,
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--config-dir=/etc/kubelet.d\n',
    '/etc/kubelet.d': 'not a directory\n',
  }).kubelet;
  t.same(fileDir.configDir!.files, [], 'nor does a file');
  const bad = modelOf(t, {
    ...PACKAGED_UNITS,
    '/etc/default/kubelet': 'KUBELET_EXTRA_ARGS=--fail-swap-on=maybe\n',
    '/var/lib/kubelet/config.yaml': 'failSwapOn: false\n',
  }).kubelet;
  t.match(bad.failSwapOn, { value: false, source: { file: '/var/lib/kubelet/config.yaml' } }, 'a value pflag rejects does not override');
  const word = modelOf(t, { [`${ETC}/kubelet.service`]: '[Service]\nExecStart=/usr/bin/kubelet --cgroup-driver systemd --config /etc/k.yaml\n' }).kubelet;
  t.match(
    word.cgroupDriver,
    { value: 'systemd', source: { file: `${ETC}/kubelet.service`, line: 2, key: '--cgroup-driver' } },
    'a flag written on the ExecStart line',
  );
  t.match(word.config, { path: '/etc/k.yaml', state: 'missing' });
  const none = modelOf(t, { [`${ETC}/kubelet.service`]: '[Service]\nEnvironment=A=1\n' }).kubelet;
  t.same([none.command, none.flags], [null, []], 'a unit without a command passes no flags');
  const noUnit = modelOf(t, { '/etc/sysconfig/kubelet': 'KUBELET_EXTRA_ARGS=--cgroup-driver=cgroupfs\n' }).kubelet;
  t.match(
    noUnit.cgroupDriver,
    { value: 'cgroupfs', source: { file: '/etc/sysconfig/kubelet', key: 'KUBELET_EXTRA_ARGS' } },
    'without a kubelet.service: the well-known argument files',
  );
  t.match(noUnit.configSource, { default: /kubeadm's kubelet configuration/ });
  const kubeadm = modelOf(t, {
    ...PACKAGED_UNITS,
    '/var/lib/kubelet/kubeadm-flags.env': 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n',
    '/var/lib/kubelet/config.yaml': 'containerRuntimeEndpoint: unix:///a.sock\n',
    '/var/lib/kubelet/instance-config.yaml': 'containerRuntimeEndpoint: unix:///b.sock\n',
  }).kubelet;
  t.same(
    kubeadm.runtimeEndpoints.map((e) => e.value),
    ['unix:///run/containerd/containerd.sock', 'unix:///b.sock', 'unix:///a.sock'],
    'flags, then instance-config.yaml, then config.yaml',
  );
  t.equal(KUBEADM_DROPIN.includes('KUBELET_CONFIG_ARGS'), true);
  t.equal(KUBELET_UNIT.includes('ExecStart=/usr/bin/kubelet'), true);
});

t.test("containerd's command line: --config/-c and --address", async (t) => {
  const w = (...texts: string[]): CommandWord[] => texts.map((text, i) => ({ text, via: 'ExecStart', source: { file: '/u', line: i + 1, key: 'ExecStart' } }));
  t.match(parseContainerdArgv(w('-c', '/etc/containerd/k8s.toml')), {
    config: { value: '/etc/containerd/k8s.toml', source: { line: 2, key: '--config' } },
    address: null,
  });
  t.match(parseContainerdArgv(w('--config=/x.toml', '--address', '/run/x.sock')), {
    config: { value: '/x.toml', source: { line: 1 } },
    address: { value: '/run/x.sock' },
  });
  t.match(parseContainerdArgv(w('-config', 'rel/c.toml', '-l', 'debug', '--root', '/r', '--state', '/s', '-a=/a.sock')), {
    config: { value: '/rel/c.toml' },
    address: { value: '/a.sock', source: { line: 9 } },
  });
  t.match(
    parseContainerdArgv(w('--log-level', 'debug', 'config', 'dump', '--config', '/no')),
    { config: { value: '/etc/containerd/config.toml', source: { default: /containerd\.service passes no --config/ } } },
    'flags end at the subcommand',
  );
  t.match(parseContainerdArgv(w('--nope', '--config', '/no')), { config: { value: '/etc/containerd/config.toml' } }, 'an undefined flag stops containerd');
  t.match(parseContainerdArgv(w('--config=')), { config: { value: '/etc/containerd/config.toml', source: { default: /an empty --config/, line: 1 } } });
  t.match(parseContainerdArgv(w('--address')), { address: null }, 'a flag without its value');
  t.match(parseContainerdArgv(w('--', '--config', '/no')), { config: { value: '/etc/containerd/config.toml' } });
  const node = modelOf(t, {
    [`${ETC}/containerd.service`]: '[Service]\nExecStart=/usr/bin/containerd\n',
    [`${ETC}/containerd.service.d/10-k8s.conf`]:
      '[Service]\nEnvironment="CONTAINERD_ARGS=--config /etc/containerd/k8s.toml"\nExecStart=\nExecStart=/usr/bin/containerd $CONTAINERD_ARGS\n',
    '/etc/containerd/config.toml': 'version = 2\n[grpc]\n  address = "/run/not-used.sock"\n',
    '/etc/containerd/k8s.toml': 'version = 2\nimports = ["/etc/containerd/k8s.d/*.toml"]\n[grpc]\n  address = "/run/containerd/containerd.sock"\n',
    '/etc/containerd/k8s.d/a.toml': 'version = 2\n',
  });
  t.match(node.containerd.configFile, { path: '/etc/containerd/k8s.toml', state: 'ok' });
  t.match(node.containerd.configSource, { file: `${ETC}/containerd.service.d/10-k8s.conf`, line: 2, key: 'CONTAINERD_ARGS' });
  t.same(
    node.containerd.files.map((f) => f.path),
    ['/etc/containerd/k8s.toml', '/etc/containerd/k8s.d/a.toml'],
    'the collector read the file the command line names, and its imports',
  );
  t.match(node.containerd.grpcAddress, { value: '/run/containerd/containerd.sock', source: { file: '/etc/containerd/k8s.toml' } });
});
