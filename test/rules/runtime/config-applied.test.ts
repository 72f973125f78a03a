import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';
import { ACTIVE, NO_SYSTEMD, notRun, plugins, ran, systemctlShow } from '../../live/fixtures.js';

const CONFIG =
  'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "registry.k8s.io/pause:3.10.2"\n  [plugins."io.containerd.grpc.v1.cri".containerd]\n    default_runtime_name = "runc"\n  [plugins."io.containerd.grpc.v1.cri".registry]\n    config_path = ""\n  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\n    SystemdCgroup = true\n';
const files = { ...PACKAGED_UNITS, '/etc/containerd/config.toml': CONFIG };
const DROP_IN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
/** Started long after the fixture files were written, so no file is newer. */
const LATER = { ...ACTIVE, ExecMainStartTimestamp: 'Thu 2099-01-01 00:00:00 UTC' };
const dump = (sandbox: string, systemdCgroup = true) => ({
  [PROBE.configDump]: ran(
    ['containerd', 'config', 'dump'],
    0,
    `version = 2\n[plugins]\n  [plugins."io.containerd.grpc.v1.cri"]\n    sandbox_image = "${sandbox}"\n    [plugins."io.containerd.grpc.v1.cri".containerd]\n      default_runtime_name = "runc"\n      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\n        SystemdCgroup = ${systemdCgroup}\n    [plugins."io.containerd.grpc.v1.cri".registry]\n      config_path = ""\n`,
  ),
});
/** containerd's socket accepting a connection: a running daemon whose configuration can be compared. */
const UP = { [PROBE.socketConnect]: ran(['unix-connect', '/run/containerd/containerd.sock'], 0) };
const crictlInfo = (sandboxImage: string) => ({
  [PROBE.crictlInfo]: ran(
    ['crictl', 'info'],
    0,
    JSON.stringify({
      status: { conditions: [{ type: 'RuntimeReady', status: true }] },
      config: {
        sandboxImage,
        containerd: { defaultRuntimeName: 'runc', runtimes: { runc: { options: { SystemdCgroup: true } } } },
        registry: { configPath: '' },
      },
    }),
  ),
});

testRule('runtime/config-applied', {
  quiet: [
    {
      name: 'systemd, the CRI plugin and the dump agree with the files',
      files,
      commands: { ...systemctlShow(LATER), ...plugins('ok'), ...dump('registry.k8s.io/pause:3.10.2') },
    },
    {
      name: "the running Environment= and drop-ins are the files' ones",
      files: { ...files, [DROP_IN]: '[Service]\nEnvironment="GOGC=50"\n' },
      commands: systemctlShow({ ...LATER, Environment: 'GOGC=50', DropInPaths: DROP_IN }),
    },
    {
      name: 'a dump that is not TOML says nothing',
      files,
      commands: { ...NO_SYSTEMD, ...UP, [PROBE.configDump]: ran(['containerd', 'config', 'dump'], 0, 'not = toml = at all\n') },
    },
    { name: 'without systemd: the dump agrees', files, commands: { ...NO_SYSTEMD, ...UP, ...dump('registry.k8s.io/pause:3.10.2') } },
    { name: 'crictl shows the running settings, which agree', files, commands: { ...NO_SYSTEMD, ...UP, ...crictlInfo('registry.k8s.io/pause:3.10.2') } },
    {
      name: 'a v3 dump (containerd 2.x) that agrees',
      files: {
        ...files,
        '/etc/containerd/config.toml': "version = 3\n[plugins.'io.containerd.cri.v1.images'.pinned_images]\n  sandbox = 'registry.k8s.io/pause:3.10.2'\n",
      },
      commands: {
        ...NO_SYSTEMD,
        ...UP,
        [PROBE.configDump]: ran(
          ['containerd', 'config', 'dump'],
          0,
          "version = 3\n[plugins.'io.containerd.cri.v1.images'.pinned_images]\n  sandbox = 'registry.k8s.io/pause:3.10.2'\n[plugins.'io.containerd.cri.v1.images'.registry]\n  config_path = ''\n",
        ),
      },
    },
    {
      name: 'nothing could be asked',
      files,
      commands: {
        ...NO_SYSTEMD,
        ...UP,
        [PROBE.configDump]: notRun(['containerd']),
        [PROBE.crictlInfo]: notRun(['crictl']),
        [PROBE.plugins]: ran(['ctr', 'plugins', 'ls'], 1, '', 'ctr: connection refused\n'),
      },
      status: 'not-applicable',
      reason:
        /Neither systemd, containerd config dump nor the CRI plugin could be asked \(systemd: System has not been booted with systemd.*; config dump: containerd is not installed.*; CRI: ctr: connection refused\)/,
    },
    {
      name: 'a running containerd that nothing else could be asked about',
      files,
      commands: UP,
      status: 'not-applicable',
      reason: /systemctl show was not run; containerd config dump was not run; CRI: /,
    },
    {
      name: 'no probe at all',
      files,
      commands: {},
      status: 'not-applicable',
      reason: /^No running containerd was found \(its socket was not probed; systemd could not be asked\)/,
    },
    {
      name: 'no containerd running: the socket is missing and systemd has the unit inactive, so nothing can pass',
      files,
      commands: {
        ...systemctlShow({ ...LATER, ActiveState: 'inactive', SubState: 'dead', MainPID: '0' }),
        [PROBE.socketConnect]: ran(
          ['unix-connect', '/run/containerd/containerd.sock'],
          1,
          '',
          'no such file or directory (connect ENOENT /run/containerd/containerd.sock)\n',
        ),
        ...dump('registry.k8s.io/pause:3.10.2'),
      },
      status: 'not-applicable',
      reason: /^No running containerd was found \(its socket: no such file or directory .*; systemd: containerd\.service is inactive\)/,
    },
    {
      name: 'only a dump, which needs no daemon',
      files,
      commands: { ...NO_SYSTEMD, ...dump('registry.k8s.io/pause:3.6', false) },
      status: 'not-applicable',
      reason: /^No running containerd was found/,
    },
  ],
  firing: [
    {
      name: 'the stale-proxy drop-in deleted without daemon-reload and restart',
      files,
      commands: {
        ...systemctlShow({ ...LATER, NeedDaemonReload: 'yes', Environment: 'HTTPS_PROXY=http://10.0.0.1:7897', DropInPaths: DROP_IN }),
        ...dump('registry.k8s.io/pause:3.10.2'),
      },
      violations: [
        { message: /^systemd reports NeedDaemonReload=yes for containerd\.service/, evidence: { observed: 'yes', expected: 'no' } },
        {
          message:
            /^The running systemd has HTTPS_PROXY=http:\/\/10\.0\.0\.1:7897 in containerd\.service's Environment=, but the unit files on disk give no HTTPS_PROXY; run daemon-reload and restart containerd/,
          evidence: { path: '/live/systemd/environment/HTTPS_PROXY', observed: 'http://10.0.0.1:7897', expected: null },
        },
        {
          message:
            /^For containerd\.service, the running systemd still applies \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf \(no longer on disk\)\./,
        },
      ],
    },
    {
      name: 'a new drop-in written but not loaded, a config changed after the start',
      files: { ...files, [DROP_IN]: '[Service]\nEnvironment="HTTPS_PROXY=http://user:pw@proxy.example:3128"\n' },
      commands: { ...systemctlShow({ ...ACTIVE, ExecMainStartTimestamp: 'Wed 2020-01-01 00:00:00 UTC' }), ...dump('registry.k8s.io/pause:3.10.2') },
      violations: [
        {
          message:
            /^The running systemd has no HTTPS_PROXY in containerd\.service's Environment=, but the unit files on disk give HTTPS_PROXY=http:\/\/user:\*\*\*@proxy\.example:3128 \(\/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2\)/,
          evidence: { file: DROP_IN, line: 2 },
        },
        { message: /^For containerd\.service, the running systemd does not apply \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf\./ },
        {
          message: /^\/etc\/containerd\/config\.toml changed at .*, after containerd's main process started \(2020-01-01T00:00:00\.000Z\)/,
          evidence: { file: '/etc/containerd/config.toml' },
        },
        { message: /^\/usr\/lib\/systemd\/system\/containerd\.service changed at/ },
        { message: /^\/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf changed at/ },
      ],
    },
    {
      name: 'containerd cannot load the files on disk',
      files,
      commands: {
        ...NO_SYSTEMD,
        ...UP,
        [PROBE.configDump]: ran(['containerd', 'config', 'dump'], 1, '', "containerd: (3, 3): Can't convert 1(int64) to string\n"),
      },
      violations: [
        {
          message:
            /^containerd cannot load the configuration on disk \(containerd config dump: containerd: \(3, 3\): Can't convert 1\(int64\) to string\), so the running containerd is not using it and a restart would fail/,
        },
      ],
    },
    {
      name: 'the dump disagrees with the files (the model followed another release)',
      files,
      commands: { ...NO_SYSTEMD, ...UP, ...dump('registry.k8s.io/pause:3.6', false) },
      violations: [
        {
          message:
            /^containerd config dump has the sandbox image "registry\.k8s\.io\/pause:3\.6", but the files on disk give "registry\.k8s\.io\/pause:3\.10\.2"/,
          evidence: { observed: 'registry.k8s.io/pause:3.6', expected: 'registry.k8s.io/pause:3.10.2' },
        },
        { message: /the default runtime's SystemdCgroup false, but the files on disk give true/ },
      ],
    },
    {
      name: 'crictl shows a running sandbox image the files no longer set',
      files,
      commands: { ...NO_SYSTEMD, ...UP, ...crictlInfo('k8s.gcr.io/pause:3.2') },
      violations: [{ message: /^The running CRI plugin \(crictl info\) has the sandbox image "k8s\.gcr\.io\/pause:3\.2"/ }],
    },
    {
      name: 'the running containerd lacks the CRI plugin the files enable',
      files,
      commands: { ...NO_SYSTEMD, ...UP, ...plugins(null) },
      violations: [{ message: /^The running containerd has no CRI plugin, but the configuration on disk does not disable it/ }],
    },
    {
      name: 'the CRI plugin disabled on disk, still loaded',
      files: { ...files, '/etc/containerd/config.toml': `disabled_plugins = ["io.containerd.grpc.v1.cri"]\n${CONFIG}` },
      commands: { ...NO_SYSTEMD, ...UP, ...plugins('ok') },
      violations: [
        { message: /^The running containerd has the CRI plugin loaded, but \/etc\/containerd\/config\.toml:1 disables it \("io\.containerd\.grpc\.v1\.cri"\)/ },
      ],
    },
  ],
});
