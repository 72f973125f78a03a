import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { notRun, plugins, ran } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };
const crictl = (info: unknown, exitCode = 0, stderr = '') => ({
  [PROBE.crictlInfo]: ran(['crictl', 'info'], exitCode, typeof info === 'string' ? info : JSON.stringify(info), stderr),
});
const ready = (status: boolean) => ({
  status: {
    conditions: [
      { type: 'RuntimeReady', status, reason: status ? '' : 'RuntimeNotReady', message: status ? '' : 'runc is missing' },
      { type: 'NetworkReady', status: false },
    ],
  },
  config: { sandboxImage: 'registry.k8s.io/pause:3.10.2' },
});

testRule('runtime/cri-ready', {
  quiet: [
    { name: 'ctr: the cri plugin is ok', files, commands: plugins('ok') },
    { name: 'crictl: RuntimeReady', files, commands: crictl(ready(true)) },
    { name: 'crictl: no status conditions (an old containerd)', files, commands: crictl({}) },
    {
      name: 'ctr cannot reach containerd',
      files,
      commands: {
        [PROBE.crictlInfo]: notRun(['crictl']),
        [PROBE.plugins]: ran(['ctr', 'plugins', 'ls'], 1, '', 'ctr: failed to dial "/run/containerd/containerd.sock": connection refused\n'),
      },
      status: 'not-applicable',
      reason: /could not be read: ctr: failed to dial/,
    },
    { name: 'crictl printed no JSON', files, commands: crictl('{'), status: 'not-applicable', reason: /crictl info printed no JSON/ },
    { name: 'nothing was asked', files, commands: {}, status: 'not-applicable', reason: /neither crictl info nor ctr plugins ls was run/ },
  ],
  firing: [
    {
      name: 'ctr: no cri plugin (disabled)',
      files,
      commands: plugins(null),
      violations: [{ message: /^The running containerd has no CRI plugin \(ctr plugins ls: the cri plugin is not among/, evidence: { observed: 'missing' } }],
    },
    {
      name: 'ctr: the cri plugin failed to load',
      files,
      commands: {
        ...plugins('error'),
        [PROBE.criPluginDetail]: ran(
          ['ctr', 'plugins', 'ls', '-d', 'id==cri'],
          0,
          'Type:          io.containerd.grpc.v1\nID:            cri\nError:        \n               Code:        Unknown\n               Message:     invalid plugin config: no corresponding runtime configured in `containerd.runtimes` for `containerd` `default_runtime_name = "nonexistent"\n',
        ),
      },
      violations: [{ message: /CRI plugin failed to load: invalid plugin config: no corresponding runtime configured .*default_runtime_name = "nonexistent"/ }],
    },
    { name: 'ctr: failed, without the detail', files, commands: plugins('error'), violations: [{ message: /CRI plugin failed to load: status error/ }] },
    {
      name: 'crictl: not RuntimeReady',
      files,
      commands: crictl(ready(false)),
      violations: [{ message: /loaded but not RuntimeReady \(RuntimeNotReady: runc is missing\)/ }],
    },
    {
      name: 'crictl: unknown service',
      files,
      commands: crictl('', 1, 'rpc error: code = Unimplemented desc = unknown service runtime.v1.RuntimeService\n'),
      violations: [{ message: /no CRI plugin \(crictl info: rpc error: code = Unimplemented/ }],
    },
  ],
});
