import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { notRun, ran } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };
const ss = (stdout: string) => ({ [PROBE.listeners]: ran(['ss', '-H', '-l', '-t', '-n', 'sport = :10250'], 0, stdout) });

testRule('runtime/port-10250-free', {
  quiet: [
    { name: 'nothing listens', files, commands: ss('') },
    {
      name: 'ss is not installed',
      files,
      commands: { [PROBE.listeners]: notRun(['ss']) },
      status: 'not-applicable',
      reason: /Port 10250 could not be checked: ss is not installed/,
    },
    { name: 'not probed', files, commands: {}, status: 'not-applicable', reason: /not probed/ },
    {
      name: 'ss fails, saying why on stdout',
      files,
      commands: { [PROBE.listeners]: ran(['ss'], 1, 'Error: no netlink\n') },
      status: 'not-applicable',
      reason: /Port 10250 could not be checked: Error: no netlink/,
    },
    {
      name: 'ss fails silently',
      files,
      commands: { [PROBE.listeners]: ran(['ss'], 2) },
      status: 'not-applicable',
      reason: /could not be checked: exit code 2/,
    },
  ],
  firing: [
    {
      name: 'an old kubelet still listens',
      files,
      commands: ss('LISTEN 0      4096               *:10250            *:*          \nLISTEN\n'),
      violations: [
        {
          message: /^Something already listens on the kubelet port 10250 \(\*:10250, LISTEN\), so kubelet cannot start/,
          alias: 'Port-10250',
          evidence: { observed: ['*:10250', 'LISTEN'] },
        },
      ],
    },
  ],
});
