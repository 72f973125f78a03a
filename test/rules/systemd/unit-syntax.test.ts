import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const DROPIN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';

testRule('systemd/unit-syntax', {
  quiet: [
    { name: 'the packaged units', files: PACKAGED_UNITS },
    {
      name: 'a quoted NO_PROXY and an X- key',
      files: { ...PACKAGED_UNITS, [DROPIN]: service('Environment="NO_PROXY=localhost, 10.96.0.0/12"', 'X-Managed-By=ansible') },
    },
  ],
  firing: [
    {
      name: 'an unquoted blank, a lower-case key and an escape that drops the rest of the line',
      files: {
        ...PACKAGED_UNITS,
        [DROPIN]: service(
          'Environment=NO_PROXY=localhost, 10.96.0.0/12',
          'environment=HTTP_PROXY=http://10.0.0.1:7897',
          'Environment=USER=CORP\\jdoe HTTPS_PROXY=http://10.0.0.1:7897',
        ),
      },
      violations: [
        {
          message:
            /^\/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2: Environment=: "10\.96\.0\.0\/12" is not a valid NAME=VALUE assignment, so systemd drops it/,
          evidence: { file: DROPIN, line: 2, expected: 'a line systemd applies' },
        },
        { message: /:3: unknown key environment= in section \[Service\] \(keys are case-sensitive: Environment=\)/, evidence: { line: 3 } },
        { message: /:4: Environment=: an invalid escape "\\j"; systemd drops the rest of the line\.$/, evidence: { line: 4 } },
      ],
    },
    {
      name: 'a drop-in that is a dangling symlink',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/kubelet.service.d/20-gone.conf': { link: '/srv/gone.conf' } },
      violations: [
        {
          message: /^\/etc\/systemd\/system\/kubelet\.service\.d\/20-gone\.conf: the drop-in cannot be read \(missing\); systemd skips it\.$/,
          evidence: { file: '/etc/systemd/system/kubelet.service.d/20-gone.conf', line: undefined },
        },
      ],
    },
    {
      name: 'no password in the message when a blank splits a proxy URL',
      files: { ...PACKAGED_UNITS, [DROPIN]: service('Environment=HTTPS_PROXY=http://jdoe:s3cr3t word@proxy:3128') },
      violations: [
        {
          message: /"\*\*\*@proxy:3128" is not a valid NAME=VALUE assignment/,
          evidence: { observed: '"***@proxy:3128" is not a valid NAME=VALUE assignment, so systemd drops it (quote values that contain blanks)' },
        },
      ],
    },
    {
      name: 'an env file both services read reports an export line once, and system.conf counts',
      files: {
        ...PACKAGED_UNITS,
        [DROPIN]: service('EnvironmentFile=-/etc/proxy.env'),
        '/etc/systemd/system/kubelet.service.d/20-proxy.conf': service('EnvironmentFile=-/etc/proxy.env'),
        '/etc/proxy.env': 'export HTTPS_PROXY=http://10.0.0.1:7897\n',
        '/etc/systemd/system.conf': '[Manager]\nDefaultEnvironment=PASSWORD=p%40ss\n',
      },
      violations: [
        { message: /^\/etc\/systemd\/system\.conf:2: DefaultEnvironment=: "PASSWORD=redacted-[0-9]+%40" uses the unknown specifier %4/ },
        {
          message: /^\/etc\/proxy\.env:1: "export HTTPS_PROXY" is not a valid variable name; systemd drops the assignment\.$/,
          evidence: { file: '/etc/proxy.env', line: 1 },
        },
      ],
    },
  ],
});
