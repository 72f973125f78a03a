import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';
import { ACTIVE, NO_SYSTEMD, systemctlShow } from '../../live/fixtures.js';

const DROP_IN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const withProxy = (value: string) => ({ ...PACKAGED_UNITS, [DROP_IN]: `[Service]\nEnvironment="HTTP_PROXY=${value}"\nEnvironment="HTTPS_PROXY=${value}"\n` });
const tcp = (hostPort: string, exitCode: number | null, stderr = '', error?: { code: string; message: string }) => ({
  [PROBE.tcp(hostPort)]: { argv: ['tcp-connect', hostPort], exitCode, stdout: '', stderr, ...(error ? { error } : {}) },
});
const REFUSED = 'connection refused (connect ECONNREFUSED 10.0.0.1:7897)\n';

testRule('runtime/proxy-reachable', {
  quiet: [
    { name: 'the proxy accepts connections', files: withProxy('http://10.0.0.1:7897'), commands: { ...NO_SYSTEMD, ...tcp('10.0.0.1:7897', 0) } },
    { name: 'no containerd.service', files: { '/etc/hostname': 'n\n' }, commands: NO_SYSTEMD, status: 'not-applicable', reason: /sets no proxy/ },
    { name: 'no proxy', files: PACKAGED_UNITS, commands: NO_SYSTEMD, status: 'not-applicable', reason: /sets no proxy that Go would use/ },
    {
      name: 'a scheme without a default port',
      files: withProxy('ftp://proxy.example'),
      commands: NO_SYSTEMD,
      status: 'not-applicable',
      reason: /sets no proxy/,
    },
    {
      name: 'the connection was not tried',
      files: withProxy('http://10.0.0.1:7897'),
      commands: { ...NO_SYSTEMD, ...tcp('10.0.0.1:7897', null, '', { code: 'DEADLINE', message: 'deadline' }) },
      status: 'not-applicable',
      reason: /No proxy connection could be tried: 10\.0\.0\.1:7897: tcp-connect/,
    },
    {
      name: 'not probed',
      files: withProxy('http://10.0.0.1:7897'),
      commands: NO_SYSTEMD,
      status: 'not-applicable',
      reason: /10\.0\.0\.1:7897: not probed in this snapshot/,
    },
  ],
  firing: [
    {
      name: 'the stale proxy of node3',
      files: withProxy('http://10.0.0.1:7897'),
      commands: { ...NO_SYSTEMD, ...tcp('10.0.0.1:7897', 1, REFUSED) },
      violations: [
        {
          message:
            /^containerd\.service gets HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3, and its proxy http:\/\/10\.0\.0\.1:7897 does not accept a TCP connection \(connection refused .*\); image pulls through it fail with "proxyconnect tcp: dial tcp 10\.0\.0\.1:7897: connect: connection refused/,
          evidence: { file: DROP_IN, line: 3, path: '/live/tcp/10.0.0.1:7897' },
          fix: /^Remove HTTPS_PROXY \(from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3\) and the other proxy variables from containerd\.service \(the checklist's proxy policy is none\), then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
      ],
    },
    {
      name: 'the running systemd still has a proxy the files no longer set',
      files: PACKAGED_UNITS,
      checklist: { proxy: { policy: 'allowed' } },
      commands: {
        ...systemctlShow({ ...ACTIVE, Environment: '"NO_PROXY=a b" HTTPS_PROXY=http://user:redacted-0123456789ab@proxy.example:3128' }),
        ...tcp('proxy.example:3128', null, '', { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' }),
      },
      violations: [
        {
          message:
            /HTTPS_PROXY in the Environment= the running systemd has loaded \(systemctl show containerd\.service -p Environment\), and its proxy http:\/\/proxy\.example:3128 does not accept a TCP connection \(i\/o timeout/,
          fix: /^Start the proxy at http:\/\/proxy\.example:3128, or remove HTTPS_PROXY \(in the Environment= the running systemd has loaded/,
        },
      ],
    },
  ],
});
