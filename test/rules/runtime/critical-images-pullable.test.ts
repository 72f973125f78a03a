import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { notRun, ran } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };
const PAUSE = 'registry.k8s.io/pause:3.10.2';
const listed = (...refs: string[]) => ({ [PROBE.images]: ran(['ctr', '-n', 'k8s.io', 'images', 'ls', '-q'], 0, refs.map((r) => `${r}\n`).join('')) });
const pulled = (ref: string, ok: boolean) => ({
  [PROBE.pull(ref)]: ran(
    ['ctr', '-n', 'k8s.io', 'images', 'pull', ref],
    ok ? 0 : 1,
    '',
    ok
      ? ''
      : `ctr: failed to resolve reference "${ref}": failed to do request: Head "https://registry.k8s.io/v2/pause/manifests/3.10.2": proxyconnect tcp: dial tcp 10.0.0.1:7897: connect: connection refused\n`,
  ),
});

testRule('runtime/critical-images-pullable', {
  quiet: [
    { name: 'the sandbox image is present', files, commands: listed(PAUSE) },
    {
      name: 'docker hub short names are matched',
      files,
      checklist: { criticalImages: ['busybox', 'calico/node:v3.29.0'] },
      commands: listed(PAUSE, 'docker.io/library/busybox:latest', 'docker.io/calico/node:v3.29.0'),
    },
    { name: 'pulled with --pull', files, commands: { ...listed(), ...pulled(PAUSE, true) } },
    {
      name: 'missing and not pulled',
      files,
      commands: listed(),
      status: 'not-applicable',
      reason: /registry\.k8s\.io\/pause:3\.10\.2 is not in the runtime's image store; run with --pull to try pulling/,
    },
    {
      name: 'two missing',
      files,
      checklist: { criticalImages: ['quay.io/x/y:1'] },
      commands: listed(),
      status: 'not-applicable',
      reason: /pause:3\.10\.2, quay\.io\/x\/y:1 are not/,
    },
    {
      name: 'ctr missing',
      files,
      commands: { [PROBE.images]: notRun(['ctr']) },
      status: 'not-applicable',
      reason: /The runtime's images could not be checked: ctr is not installed/,
    },
    { name: 'not listed', files, commands: {}, status: 'not-applicable', reason: /not listed in this snapshot/ },
  ],
  firing: [
    {
      name: 'the pull through the dead proxy fails',
      files,
      commands: { ...listed(), ...pulled(PAUSE, false) },
      violations: [
        {
          message:
            /^registry\.k8s\.io\/pause:3\.10\.2 is not in the runtime's image store and pulling it through the CRI failed \(ctr: failed to resolve reference .*connection refused\)/,
          evidence: { path: `/live/images/pulls/${PAUSE}` },
        },
      ],
    },
  ],
});
