import { testRule } from '../../helpers/rule-tester.js';

testRule('crictl/config-parses', {
  quiet: [
    {
      name: 'upstream documented example',
      files: {
        '/etc/crictl.yaml':
          'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 2\ndebug: true\npull-image-on-create: false\n',
      },
    },
    { name: 'Go booleans and a signed integer', files: { '/etc/crictl.yaml': 'debug: T\ndisable-pull-on-run: 0\ntimeout: +10\n' } },
    { name: 'empty file', files: { '/etc/crictl.yaml': '' } },
    { name: 'no file at all', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /does not exist/ },
  ],
  firing: [
    {
      name: 'timeout with a unit',
      files: { '/etc/crictl.yaml': 'runtime-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 2s\n' },
      violations: [{ message: /:2: timeout "2s" is not an integer/, evidence: { file: '/etc/crictl.yaml', line: 2, path: 'timeout' } }],
    },
    {
      name: 'YAML 1.1 yes is not a Go boolean, an empty timeout is not an integer',
      files: { '/etc/crictl.yaml': 'debug: yes\ntimeout:\n' },
      violations: [{ message: /debug "yes" is not a boolean/ }, { message: /timeout "" is not an integer/ }],
    },
    {
      name: 'unknown and unreleased keys',
      files: { '/etc/crictl.yaml': 'runtime_endpoint: x\nmax-retries: 3\n' },
      violations: [
        { message: /Config option 'runtime_endpoint' is not valid; crictl rejects it/, evidence: { line: 1 } },
        { message: /'max-retries' is not valid for any released crictl/, evidence: { line: 2 } },
      ],
    },
    {
      name: 'invalid YAML',
      files: { '/etc/crictl.yaml': 'runtime-endpoint: [unclosed\n' },
      violations: [{ message: /^\/etc\/crictl\.yaml:\d+:\d+ is not valid YAML .*ignores the whole file/, evidence: { file: '/etc/crictl.yaml' } }],
    },
    {
      name: 'a directory where the file should be',
      files: { '/etc/crictl.yaml/x': 'y' },
      violations: [{ message: /cannot be read \(is a directory, not a file\)/ }],
    },
  ],
});
