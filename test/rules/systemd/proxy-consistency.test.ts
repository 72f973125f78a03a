import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const K = '/etc/systemd/system/kubelet.service.d/http-proxy.conf';

testRule('systemd/proxy-consistency', {
  quiet: [
    { name: 'no proxy for either', files: PACKAGED_UNITS },
    {
      name: 'the same settings written differently (scheme-less, other NO_PROXY order and case)',
      files: {
        ...PACKAGED_UNITS,
        [C]: service('Environment=HTTPS_PROXY=http://proxy:3128 "NO_PROXY=.svc, 10.96.0.0/12"'),
        [K]: service('Environment=https_proxy=proxy:3128 no_proxy=10.96.0.0/12,.SVC'),
      },
    },
    {
      name: "the stale-proxy incident's drop-in: a proxy for containerd alone (kubespray's design) is no inconsistency; kubelet reaches the API server directly",
      files: {
        ...PACKAGED_UNITS,
        [C]: service(
          'Environment="HTTP_PROXY=http://10.0.0.1:7897"',
          'Environment="HTTPS_PROXY=http://10.0.0.1:7897"',
          'Environment="NO_PROXY=localhost,127.0.0.1"',
        ),
      },
    },
    {
      name: 'kubelet with an HTTP proxy only: its API calls are HTTPS and go direct',
      files: {
        ...PACKAGED_UNITS,
        [C]: service('Environment="HTTPS_PROXY=http://10.0.0.1:7897"'),
        [K]: service('Environment="HTTP_PROXY=http://10.0.0.1:7897"'),
      },
    },
    {
      name: 'neither service loads',
      files: { '/etc/hostname': 'n\n' },
      status: 'not-applicable',
      reason: /neither containerd\.service nor kubelet\.service would start/,
    },
  ],
  firing: [
    {
      name: 'both have proxies, but not the same ones',
      files: {
        ...PACKAGED_UNITS,
        [C]: service(
          'Environment="HTTP_PROXY=http://10.0.0.1:7897"',
          'Environment="HTTPS_PROXY=http://10.0.0.1:7897"',
          'Environment="NO_PROXY=localhost,127.0.0.1"',
        ),
        [K]: service('Environment="HTTPS_PROXY=http://10.0.0.2:3128"'),
      },
      violations: [
        {
          message:
            /^containerd\.service has the HTTPS proxy http:\/\/10\.0\.0\.1:7897 \(HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3\), but kubelet\.service has the HTTPS proxy http:\/\/10\.0\.0\.2:3128 \(HTTPS_PROXY from \S+:2\); image pulls and API calls take different paths\.$/,
          evidence: { file: C, line: 3, observed: 'http://10.0.0.1:7897' },
          fix: /^Remove the proxy variables from containerd\.service and kubelet\.service \(the checklist's proxy policy is none\), then run systemctl daemon-reload and restart both\.$/,
        },
        { message: /HTTP proxy http:\/\/10\.0\.0\.1:7897 \(HTTP_PROXY from \S+:2\), but kubelet\.service has no HTTP proxy/ },
        { message: /^containerd\.service has the NO_PROXY "localhost,127\.0\.0\.1" \(NO_PROXY from \S+:4\), but kubelet\.service has no NO_PROXY/ },
      ],
    },
    {
      name: 'only kubelet has a proxy, and its lower-case variant disagrees (redacted)',
      files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://u:pw@a:1 https_proxy=http://b:2') },
      violations: [
        {
          message:
            /^kubelet\.service sets HTTPS_PROXY=http:\/\/u:\*\*\*@a:1 \(\S+:2\) and https_proxy=http:\/\/b:2 \(\S+:2\); Go uses HTTPS_PROXY, curl and other tools may use https_proxy, so they must agree\.$/,
          evidence: { observed: 'http://b:2', expected: 'http://u:***@a:1' },
          fix: /^Remove HTTPS_PROXY \(\S+:2\) and https_proxy \(\S+:2\) from kubelet\.service \(the checklist's proxy policy is none\)/,
        },
        {
          message:
            /^containerd\.service has no HTTPS proxy \(it connects directly\), but kubelet\.service has the HTTPS proxy http:\/\/a:1 \(HTTPS_PROXY from \S+\)/,
          evidence: { file: K },
        },
      ],
    },
    {
      name: 'a value Go ignores counts as no proxy',
      files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=a b"'), [K]: service('Environment=HTTPS_PROXY=http://a:1') },
      violations: [
        {
          message: /^containerd\.service has no HTTPS proxy \(it connects directly\), but kubelet\.service has the HTTPS proxy http:\/\/a:1/,
          evidence: { file: C, observed: 'a b' },
        },
      ],
    },
    {
      name: 'a checklist that allows a proxy: the fix makes the variables agree instead of removing them',
      files: {
        ...PACKAGED_UNITS,
        [C]: service('Environment=HTTPS_PROXY=http://a:1'),
        [K]: service('Environment=HTTPS_PROXY=http://a:1 https_proxy=http://b:2 NO_PROXY=.svc'),
      },
      checklist: { proxy: { policy: 'allowed' } },
      violations: [
        {
          message: /^kubelet\.service sets HTTPS_PROXY=http:\/\/a:1 .* and https_proxy=http:\/\/b:2/,
          fix: /^Give https_proxy \(\S+:2\) the value of HTTPS_PROXY \(\S+:2\), or remove it, then run systemctl daemon-reload and restart kubelet\.service\.$/,
        },
        { message: /^containerd\.service has no NO_PROXY, but kubelet\.service has the NO_PROXY "\.svc"/ },
      ],
    },
    {
      name: 'containerd cannot start: only the case check runs, on kubelet',
      files: { ...PACKAGED_UNITS, [C]: service('EnvironmentFile=/etc/missing'), [K]: service('Environment=NO_PROXY=a no_proxy=b') },
      violations: [{ message: /^kubelet\.service sets NO_PROXY=a .* and no_proxy=b/ }],
    },
  ],
});
