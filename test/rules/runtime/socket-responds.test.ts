import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { notRun, ran } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };
const SOCK = '/run/containerd/containerd.sock';
const connect = (exitCode: number | null, stderr = '', error?: { code: string; message: string }) => ({
  argv: ['unix-connect', SOCK],
  exitCode,
  stdout: '',
  stderr,
  ...(error ? { error } : {}),
});
const VERSION = 'Client:\n  Version:  1.6.20~ds1\n\nServer:\n  Version:  1.6.20~ds1\n  Revision: 1.6.20~ds1-1+deb12u3\n';

testRule('runtime/socket-responds', {
  quiet: [
    { name: 'connects and answers', files, commands: { [PROBE.socketConnect]: connect(0), [PROBE.version]: ran(['ctr', 'version'], 0, VERSION) } },
    {
      name: 'connects, ctr not installed',
      files,
      commands: { [PROBE.socketConnect]: connect(0), [PROBE.version]: notRun(['ctr', 'version']) },
      status: 'not-applicable',
      reason: /The version call could not be checked: ctr is not installed/,
    },
    {
      name: 'the live deadline passed',
      files,
      commands: { [PROBE.socketConnect]: connect(null, '', { code: 'DEADLINE', message: 'deadline' }), [PROBE.version]: notRun(['ctr']) },
      status: 'not-applicable',
      reason: /containerd's socket could not be checked: unix-connect .*deadline/,
    },
    { name: 'not probed', files, commands: {}, status: 'not-applicable', reason: /not probed/ },
  ],
  firing: [
    {
      name: 'stale socket of a killed containerd',
      files,
      commands: {
        [PROBE.socketConnect]: connect(1, 'connection refused (connect ECONNREFUSED /run/containerd/containerd.sock)\n'),
        [PROBE.version]: ran(['ctr', 'version'], 1, 'Client:\n', 'ctr: failed to dial: connection refused\n'),
      },
      violations: [
        {
          message: /^containerd's socket \/run\/containerd\/containerd\.sock does not accept a connection \(connection refused/,
          evidence: { file: SOCK },
          fix: /^Start containerd \(systemctl start containerd\) and check with systemctl status containerd and journalctl -u containerd why it does not serve \/run\/containerd\/containerd\.sock\.$/,
        },
      ],
    },
    {
      name: 'no containerd at all: the socket is missing (reported as missing, not as the timeout ctr waited into)',
      files,
      commands: {
        [PROBE.socketConnect]: connect(1, `no such file or directory (connect ENOENT ${SOCK})\n`),
        [PROBE.version]: {
          argv: ['ctr', 'version'],
          exitCode: null,
          stdout: '',
          stderr: '',
          error: { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' },
        },
      },
      violations: [
        {
          message: /^containerd's socket \/run\/containerd\/containerd\.sock does not exist: no containerd is serving it/,
          evidence: { observed: 'missing' },
          fix: /^The socket \/run\/containerd\/containerd\.sock is missing: start containerd \(systemctl start containerd\) and check its unit with systemctl status containerd/,
        },
      ],
    },
    {
      name: 'a hung containerd: the version call times out',
      files,
      commands: {
        [PROBE.socketConnect]: connect(0),
        [PROBE.version]: {
          argv: ['ctr', 'version'],
          exitCode: null,
          stdout: '',
          stderr: '',
          error: { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' },
        },
      },
      violations: [
        {
          message:
            /accepts connections but the version call failed \(i\/o timeout \(no answer within 5000 ms\)\); a containerd that does not answer leaves pods stuck in Init/,
          fix: /^Restart containerd \(systemctl restart containerd\) and check its log \(journalctl -u containerd\) for the hang\.$/,
        },
      ],
    },
  ],
});
