import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const stale = { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=http://10.0.0.1:7897"') };

testRule('systemd/shell-env-divergence', {
  quiet: [
    { name: 'no proxy anywhere', files: { ...PACKAGED_UNITS, '/etc/environment': 'PATH="/usr/bin:/bin"\n' } },
    {
      name: 'the same proxy for containerd and the login shell',
      files: {
        ...PACKAGED_UNITS,
        [C]: service('Environment=HTTPS_PROXY=http://proxy:3128'),
        '/etc/profile.d/proxy.sh': 'export https_proxy=http://proxy:3128\n',
      },
    },
    { name: 'containerd does not load', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /containerd\.service would not start/ },
  ],
  firing: [
    {
      name: 'the incident: curl works, crictl pull fails',
      files: stale,
      violations: [
        {
          message:
            /^containerd\.service sends https:\/\/registry-1\.docker\.io through http:\/\/10\.0\.0\.1:7897 \(HTTPS_PROXY=http:\/\/10\.0\.0\.1:7897 from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2\), but curl in a login shell connects directly \(no proxy in \/etc\/environment, \/etc\/profile\.d\/\*\.sh\): that is why curl works while crictl pull, which containerd performs with its own environment, fails when that proxy is gone\.$/,
          evidence: { file: C, line: 2, observed: 'http://10.0.0.1:7897', expected: null, path: '/systemd/units/containerd.service/environment/HTTPS_PROXY' },
          fix: /^Remove HTTPS_PROXY and the other proxy variables from containerd\.service \(\/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2; the checklist's proxy policy is none\), then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
      ],
    },
    {
      name: 'the login shell has a proxy, containerd does not',
      files: { ...PACKAGED_UNITS, '/etc/environment': 'https_proxy="http://jdoe:pw@proxy:3128"\n' },
      violations: [
        {
          message:
            /^containerd\.service connects to https:\/\/registry-1\.docker\.io directly \(no proxy in its environment\), but curl in a login shell goes through http:\/\/proxy:3128 \(https_proxy=http:\/\/jdoe:\*\*\*@proxy:3128 from \/etc\/environment:1\): so curl works where the network requires the proxy/,
          evidence: { file: '/etc/environment', line: 1 },
        },
      ],
    },
    {
      name: 'different proxies; the login no_proxy, containerd NO_PROXY and a value Go rejects',
      files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=http://a:1'), '/etc/environment': 'https_proxy=http://b:2\n' },
      checklist: { proxy: { policy: 'allowed' } },
      violations: [
        { message: /through http:\/\/a:1 .* but curl in a login shell goes through http:\/\/b:2 .*: so curl and crictl pull take different paths\.$/ },
      ],
    },
    {
      name: 'containerd exempts docker.io by NO_PROXY while curl uses the proxy',
      files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=http://a:1 NO_PROXY=.docker.io'), '/etc/environment': 'https_proxy=http://a:1\n' },
      violations: [{ message: /directly \(NO_PROXY entry \.docker\.io exempts it\), but curl in a login shell goes through http:\/\/a:1/ }],
    },
    {
      name: 'a proxy value Go rejects, while curl goes through the login proxy',
      files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=a b"'), '/etc/environment': 'https_proxy=http://a:1\n' },
      violations: [{ message: /directly \(HTTPS_PROXY from \S+:2 is not a URL Go accepts\)/ }],
    },
    {
      name: "the login shell's no_proxy keeps curl direct",
      files: { ...stale, '/etc/profile.d/proxy.sh': 'export https_proxy=http://10.0.0.1:7897\nexport no_proxy=.docker.io\n' },
      violations: [{ message: /curl in a login shell connects directly \(no_proxy from \/etc\/profile\.d\/proxy\.sh:2 keeps it direct\)/ }],
    },
  ],
});
