import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const K = '/etc/systemd/system/kubelet.service.d/http-proxy.conf';
const INCIDENT = {
  ...PACKAGED_UNITS,
  [C]: service('Environment="HTTP_PROXY=http://10.0.0.1:7897"', 'Environment="HTTPS_PROXY=http://10.0.0.1:7897"', 'Environment="NO_PROXY=localhost,127.0.0.1"'),
};
const required = { proxy: { policy: 'required', url: 'http://proxy.corp:3128' } };
const both = (...lines: string[]) => ({ ...PACKAGED_UNITS, [C]: service(...lines), [K]: service(...lines) });

testRule('systemd/proxy-policy', {
  quiet: [
    { name: 'policy none and no proxy variable', files: PACKAGED_UNITS },
    { name: 'policy none and an empty HTTPS_PROXY=', files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=') } },
    {
      name: 'required: both services use the URL (scheme-less and default port count as equal)',
      files: both('Environment=HTTPS_PROXY=proxy.corp:3128 http_proxy=http://proxy.corp:3128/'),
      checklist: required,
    },
    {
      name: 'allowed: any valid proxy (a shadowed lower-case value is not what Go reads)',
      files: both('Environment=HTTPS_PROXY=http://10.0.0.1:7897 https_proxy=x{'),
      checklist: { proxy: { policy: 'allowed' } },
    },
    {
      name: 'neither service has an environment',
      files: { '/etc/hostname': 'n\n' },
      status: 'not-applicable',
      reason: /containerd\.service: not-found, kubelet\.service: not-found/,
    },
    {
      name: 'containerd cannot start and kubelet is masked',
      files: { ...PACKAGED_UNITS, [C]: service('EnvironmentFile=/etc/gone.env'), '/etc/systemd/system/kubelet.service': { link: '/dev/null' } },
      status: 'not-applicable',
      reason: /containerd\.service: cannot start, kubelet\.service: masked/,
    },
  ],
  firing: [
    {
      name: 'the stale-proxy incident: every proxy variable of the drop-in, with its line',
      files: INCIDENT,
      violations: [
        {
          message:
            /^containerd\.service gets HTTP_PROXY=http:\/\/10\.0\.0\.1:7897 from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2, so its plain-HTTP requests go through http:\/\/10\.0\.0\.1:7897, but the checklist's proxy policy is none/,
          evidence: { file: C, line: 2, path: '/systemd/units/containerd.service/environment/HTTP_PROXY', observed: 'http://10.0.0.1:7897', expected: 'unset' },
          fix: /^Remove HTTP_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2 \(the checklist allows no proxy variable\), then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
        { message: /HTTPS_PROXY=.*:3, so its HTTPS requests \(image pulls, API calls\) go through http:\/\/10\.0\.0\.1:7897/, evidence: { file: C, line: 3 } },
        {
          message: /NO_PROXY=localhost,127\.0\.0\.1 from .*:4, but the checklist's proxy policy is none/,
          evidence: { file: C, line: 4 },
          fix: /^Remove NO_PROXY from \S+:4 /,
        },
      ],
    },
    {
      name: 'passwords are redacted; a shadowed lower-case variable and ALL_PROXY count too',
      files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://jdoe:s3cr3t@proxy:3128 https_proxy=http://other:1 ALL_PROXY=socks5://x') },
      violations: [
        {
          message: /^kubelet\.service gets HTTPS_PROXY=http:\/\/jdoe:\*\*\*@proxy:3128 from .*, so its HTTPS requests .* go through http:\/\/proxy:3128, but/,
          evidence: { observed: 'http://jdoe:***@proxy:3128' },
          fix: /^Remove HTTPS_PROXY from \S+:2 \(/,
        },
        { message: /^kubelet\.service gets https_proxy=http:\/\/other:1 from \S+, but/ },
        { message: /^kubelet\.service gets ALL_PROXY=socks5:\/\/x from \S+, but/ },
      ],
    },
    {
      name: 'required: one service without the proxy, the other with a different one',
      files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897 HTTP_PROXY=http://proxy.corp:3128') },
      checklist: required,
      violations: [
        {
          message:
            /^containerd\.service has no HTTPS_PROXY \(nor https_proxy\), so its HTTPS requests \(image pulls, API calls\) go direct, but the checklist requires the proxy http:\/\/proxy\.corp:3128\.$/,
          evidence: { file: '/usr/lib/systemd/system/containerd.service', observed: null },
          fix: /^Set HTTPS_PROXY=http:\/\/proxy\.corp:3128 in a drop-in of containerd\.service \(Environment= in \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf\), then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
        { message: /^containerd\.service has no HTTP_PROXY \(nor http_proxy\)/ },
        {
          message:
            /^kubelet\.service gets HTTPS_PROXY=http:\/\/10\.0\.0\.1:7897 from \S+:2, which goes through http:\/\/10\.0\.0\.1:7897, but the checklist requires the proxy http:\/\/proxy\.corp:3128 \(http:\/\/proxy\.corp:3128\)\.$/,
          evidence: { file: K, line: 2 },
          fix: /^Set HTTPS_PROXY in \S+:2 to the checklist's proxy http:\/\/proxy\.corp:3128, then run systemctl daemon-reload and restart kubelet\.service\.$/,
        },
      ],
    },
    {
      name: 'required: a value Go cannot parse, against a checklist URL Go cannot parse either',
      files: both('Environment=HTTPS_PROXY=x{ HTTP_PROXY=x{'),
      checklist: { proxy: { policy: 'required', url: 'x{' } },
      violations: [
        {
          message:
            /^containerd\.service gets HTTPS_PROXY=x\{ from \S+, which is not a URL Go accepts, so Go ignores it, but the checklist requires the proxy x\{ \(x\{\)\.$/,
        },
        { message: /HTTP_PROXY=x\{/ },
        { message: /^kubelet\.service gets HTTPS_PROXY=x\{/ },
        { message: /^kubelet\.service gets HTTP_PROXY=x\{/ },
      ],
    },
    {
      name: 'allowed: a malformed value',
      files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=http proxy"') },
      checklist: { proxy: { policy: 'allowed' } },
      violations: [
        {
          message:
            /^containerd\.service gets HTTPS_PROXY=http proxy from \S+, which Go cannot use \(invalid proxy address: it has no scheme or no host\), so it ignores the value and connects directly/,
          evidence: { file: C, line: 2 },
          fix: /^Correct HTTPS_PROXY in \S+:2 to a proxy URL Go accepts \(such as http:\/\/proxy\.example:3128\), or remove it, then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
      ],
    },
  ],
});
