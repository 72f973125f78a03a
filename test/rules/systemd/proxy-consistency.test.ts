import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const K = '/etc/systemd/system/kubelet.service.d/http-proxy.conf';

testRule('systemd/proxy-consistency', {
  quiet: [
    { name: 'no proxy for either', files: PACKAGED_UNITS },
    {
      name: 'the same settings written differently (scheme-less, other NO_PROXY order and case)',
      files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=http://proxy:3128 "NO_PROXY=.svc, 10.96.0.0/12"'), [K]: service('Environment=https_proxy=proxy:3128 no_proxy=10.96.0.0/12,.SVC') },
    },
    { name: 'neither service loads', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /neither containerd\.service nor kubelet\.service would start/ },
  ],
  firing: [
    {
      name: 'the incident: containerd has a proxy, kubelet none',
      files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTP_PROXY=http://10.0.0.1:7897"', 'Environment="HTTPS_PROXY=http://10.0.0.1:7897"', 'Environment="NO_PROXY=localhost,127.0.0.1"') },
      violations: [
        {
          message: /^containerd\.service has the HTTPS proxy http:\/\/10\.0\.0\.1:7897 \(HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3\), but kubelet\.service has no HTTPS proxy \(it connects directly\); image pulls and API calls take different paths\.$/,
          evidence: { file: C, line: 3, observed: 'http://10.0.0.1:7897' },
        },
        { message: /HTTP proxy http:\/\/10\.0\.0\.1:7897 \(HTTP_PROXY from \S+:2\)/ },
        { message: /^containerd\.service has the NO_PROXY "localhost,127\.0\.0\.1" \(NO_PROXY from \S+:4\), but kubelet\.service has no NO_PROXY/ },
      ],
    },
    {
      name: 'only kubelet has a proxy, and its lower-case variant disagrees (redacted)',
      files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://u:pw@a:1 https_proxy=http://b:2') },
      violations: [
        { message: /^kubelet\.service sets HTTPS_PROXY=http:\/\/u:\*\*\*@a:1 \(\S+:2\) and https_proxy=http:\/\/b:2 \(\S+:2\); Go uses HTTPS_PROXY, curl and other tools may use https_proxy, so they must agree\.$/, evidence: { observed: 'http://b:2', expected: 'http://u:***@a:1' } },
        { message: /^containerd\.service has no HTTPS proxy \(it connects directly\), but kubelet\.service has the HTTPS proxy http:\/\/a:1 \(HTTPS_PROXY from \S+\)/, evidence: { file: K } },
      ],
    },
    {
      name: 'a value Go ignores counts as no proxy',
      files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=a b"'), [K]: service('Environment=HTTPS_PROXY=http://a:1') },
      violations: [{ message: /^containerd\.service has no HTTPS proxy \(it connects directly\), but kubelet\.service has the HTTPS proxy http:\/\/a:1/, evidence: { file: C, observed: 'a b' } }],
    },
    {
      name: 'containerd cannot start: only the case check runs, on kubelet',
      files: { ...PACKAGED_UNITS, [C]: service('EnvironmentFile=/etc/missing'), [K]: service('Environment=NO_PROXY=a no_proxy=b') },
      violations: [{ message: /^kubelet\.service sets NO_PROXY=a .* and no_proxy=b/ }],
    },
  ],
});
