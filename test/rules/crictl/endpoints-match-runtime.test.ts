import { testRule } from '../../helpers/rule-tester.js';

const SOCK = 'unix:///run/containerd/containerd.sock';

testRule('crictl/endpoints-match-runtime', {
  quiet: [
    { name: 'both endpoints on the containerd socket', files: { '/etc/crictl.yaml': `runtime-endpoint: ${SOCK}\nimage-endpoint: ${SOCK}\n` } },
    {
      name: '/var/run and /run are the same directory (private Harbor incident)',
      files: {
        '/etc/crictl.yaml':
          'runtime-endpoint: unix:///var/run/containerd/containerd.sock\nimage-endpoint: unix:///var/run/containerd/containerd.sock\ntimeout: 30\ndebug: false\n',
      },
    },
    { name: 'image endpoint inherits the runtime endpoint; no trailing newline', files: { '/etc/crictl.yaml': `runtime-endpoint: ${SOCK}` } },
    { name: 'scheme-less path', files: { '/etc/crictl.yaml': 'runtime-endpoint: /run/containerd/containerd.sock\n' } },
    { name: 'no crictl.yaml', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /config-present/ },
    { name: 'a file crictl ignores', files: { '/etc/crictl.yaml': 'timeout: 2s\n' }, status: 'not-applicable', reason: /config-parses/ },
  ],
  firing: [
    {
      name: "CRI-O's sample file on a containerd node",
      files: { '/etc/crictl.yaml': 'runtime-endpoint: "unix:///var/run/crio/crio.sock"\ntimeout: 0\ndebug: false\n' },
      violations: [
        {
          message:
            /runtime-endpoint in \/etc\/crictl\.yaml is "unix:\/\/\/var\/run\/crio\/crio\.sock"; containerd serves unix:\/\/\/run\/containerd\/containerd\.sock/,
          evidence: { file: '/etc/crictl.yaml', line: 1, observed: 'unix:///var/run/crio/crio.sock', expected: SOCK },
        },
      ],
    },
    {
      name: 'image endpoint on the dockershim socket',
      files: { '/etc/crictl.yaml': `runtime-endpoint: ${SOCK}\nimage-endpoint: unix:///var/run/dockershim.sock\n` },
      violations: [{ message: /image-endpoint in \/etc\/crictl\.yaml is "unix:\/\/\/var\/run\/dockershim\.sock"/, evidence: { line: 2 } }],
    },
    {
      name: 'runtime endpoint unset',
      files: { '/etc/crictl.yaml': 'timeout: 10\n' },
      violations: [{ message: /runtime-endpoint is not set .* probes deprecated default endpoints/, evidence: { observed: null } }],
    },
  ],
});
