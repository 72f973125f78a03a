import { testRule, type FiringCase, type QuietCase } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const K = '/etc/systemd/system/kubelet.service.d/http-proxy.conf';
const proxied = (noProxy?: string) => ({
  ...PACKAGED_UNITS,
  [C]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897', ...(noProxy === undefined ? [] : [`Environment="NO_PROXY=${noProxy}"`])),
});
const cluster = {
  cluster: {
    podSubnet: '10.244.0.0/16',
    serviceSubnet: '10.96.0.0/12,fd00:10:96::/112',
    controlPlaneEndpoint: 'cp.corp.example:6443',
    dnsDomain: 'cluster.local',
  },
  registries: { internal: ['https://harbor.corp.example/v2', 'registry.internal:5000'] },
};

/** Under proxy policy none (the default) the advice is to remove the proxy; NO_PROXY advice needs a policy that allows one. */
const allowed = <T extends { checklist?: Record<string, unknown> }>(c: T): T => ({ ...c, checklist: { proxy: { policy: 'allowed' }, ...c.checklist } });

testRule('systemd/no-proxy-coverage', {
  quiet: [
    { name: 'no proxy at all', files: PACKAGED_UNITS, status: 'not-applicable', reason: /neither containerd\.service nor kubelet\.service has an HTTPS proxy/ },
    {
      name: 'only an HTTP proxy: https traffic goes direct anyway',
      files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTP_PROXY=http://10.0.0.1:7897') },
      status: 'not-applicable',
    },
    { name: 'a proxy value Go ignores', files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=a b"') }, status: 'not-applicable' },
    { name: 'neither service loads', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /not-found/ },
    ...(
      [
        { name: 'the default cluster covered', files: proxied('10.96.0.0/12,.svc,.cluster.local') },
        {
          name: 'a full cluster covered, leading dots and ports as Go reads them',
          files: proxied('10.244.0.0/16,10.96.0.0/12,fd00:10:96::/112,cp.corp.example,*.svc,svc.cluster.local,harbor.corp.example,registry.internal:5000'),
          checklist: cluster,
        },
        { name: 'NO_PROXY=* sends everything direct', files: proxied('*') },
      ] as QuietCase[]
    ).map(allowed),
  ],
  firing: [
    {
      name: 'the incident under the default proxy policy none: remove the proxy, never extend NO_PROXY',
      files: proxied('localhost,127.0.0.1,10.96.0.0/12'),
      severity: 'info',
      violations: [
        {
          message:
            /^containerd\.service would send https:\/\/kubernetes\.default\.svc .*\(CIDR entries never cover host names: Go does not resolve names for NO_PROXY\); the checklist's proxy policy is none, so the proxy itself must go\.$/,
          evidence: { observed: 'localhost,127.0.0.1,10.96.0.0/12', expected: 'no proxy' },
          fix: /^Remove HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2 and the other proxy variables of containerd\.service \(the checklist's proxy policy is none\), then run systemctl daemon-reload and restart containerd\.service\.$/,
        },
        { message: /kubernetes\.default\.svc\.cluster\.local .*the proxy itself must go\.$/, fix: /^Remove HTTPS_PROXY /, severity: 'info' },
      ],
    },
    ...(
      [
        {
          name: "the incident: a CIDR does not cover the API server's names (only a recommendation: containerd resolves no Service name)",
          files: proxied('localhost,127.0.0.1,10.96.0.0/12'),
          severity: 'info',
          violations: [
            {
              message:
                /^containerd\.service would send https:\/\/kubernetes\.default\.svc \(the API server's in-cluster name\) through the proxy http:\/\/10\.0\.0\.1:7897 \(HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2\): NO_PROXY from \S+:3 has no entry that covers it \(CIDR entries never cover host names: Go does not resolve names for NO_PROXY\); adding \.svc to NO_PROXY is recommended \(containerd resolves no Service name\)\.$/,
              evidence: {
                file: C,
                line: 3,
                path: '/systemd/units/containerd.service/environment/NO_PROXY',
                observed: 'localhost,127.0.0.1,10.96.0.0/12',
                expected: '.svc',
              },
              severity: 'info',
              fix: /^Add \.svc to NO_PROXY \(and no_proxy\) in \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3, then run systemctl daemon-reload and restart containerd\.service\.$/,
            },
            {
              message:
                /https:\/\/kubernetes\.default\.svc\.cluster\.local \(a Service name under \.svc\.cluster\.local\).*adding \.cluster\.local to NO_PROXY is recommended/,
              severity: 'info',
            },
          ],
        },
        {
          name: 'containerd without NO_PROXY, every target of a full checklist: internal registries are errors, the API server a warning (CNI plugins), the rest recommendations',
          files: proxied(),
          checklist: cluster,
          severity: 'error',
          violations: [
            {
              message:
                /https:\/\/10\.96\.0\.1 \(the kubernetes Service, first IP of serviceSubnet 10\.96\.0\.0\/12\) .*: there is no NO_PROXY; adding 10\.96\.0\.0\/12 to NO_PROXY is recommended \(CNI plugins that containerd starts inherit its environment/,
              evidence: { file: C, line: 2, observed: null, path: '/systemd/units/containerd.service/environment/NO_PROXY' },
              severity: 'warning',
            },
            { message: /https:\/\/\[fd00:10:96::1\] .*adding fd00:10:96::\/112/, severity: 'warning' },
            {
              message: /https:\/\/10\.244\.0\.1 \(a pod, first IP of podSubnet 10\.244\.0\.0\/16\).*recommended \(containerd dials no pod\)/,
              severity: 'info',
            },
            {
              message: /https:\/\/cp\.corp\.example:6443 \(the control-plane endpoint\).*adding cp\.corp\.example to NO_PROXY is recommended \(CNI plugins/,
              severity: 'warning',
            },
            { message: /kubernetes\.default\.svc /, severity: 'info' },
            { message: /kubernetes\.default\.svc\.cluster\.local/, severity: 'info' },
            { message: /https:\/\/harbor\.corp\.example \(an internal registry\).*add harbor\.corp\.example to NO_PROXY\.$/, severity: 'error' },
            { message: /https:\/\/registry\.internal:5000 \(an internal registry\).*add registry\.internal to NO_PROXY\.$/, severity: 'error' },
          ],
        },
        {
          name: 'kubelet: the control-plane endpoint is an error; pods (probes skip the proxy) and Services are recommendations; registries are not its business',
          files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897') },
          checklist: cluster,
          severity: 'error',
          violations: [
            { message: /^kubelet\.service would send https:\/\/10\.96\.0\.1 .*recommended \(kubelet dials no Service address\)/, severity: 'info' },
            { message: /^kubelet\.service would send https:\/\/\[fd00:10:96::1\]/, severity: 'info' },
            {
              message: /^kubelet\.service would send https:\/\/10\.244\.0\.1 .*recommended \(kubelet's probes and lifecycle hooks never use the proxy\)/,
              severity: 'info',
            },
            {
              message: /^kubelet\.service would send https:\/\/cp\.corp\.example:6443 \(the control-plane endpoint\).*; add cp\.corp\.example to NO_PROXY\.$/,
              severity: 'error',
            },
            { message: /kubernetes\.default\.svc .*recommended \(kubelet resolves no Service name\)/, severity: 'info' },
            { message: /kubernetes\.default\.svc\.cluster\.local/, severity: 'info' },
          ],
        },
        {
          name: 'entries that do not mean what they seem to Go: an IP wildcard, a domain entry against an IP, a port',
          files: {
            ...PACKAGED_UNITS,
            [C]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897 "NO_PROXY=10.96.*,.svc,.cluster.local,harbor.corp.example:443"'),
            [K]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897 "NO_PROXY=.svc,.cluster.local"'),
          },
          checklist: {
            cluster: { serviceSubnet: '10.96.0.0/12', controlPlaneEndpoint: '[fd00::10]:6443', dnsDomain: 'cluster.local' },
            registries: { internal: ['harbor.corp.example:5000'] },
          },
          violations: [
            {
              message:
                /^containerd\.service would send https:\/\/10\.96\.0\.1 .*\(10\.96\.\* is not a wildcard to Go: wildcards inside IP addresses are not supported\)/,
              severity: 'warning',
            },
            { message: /^containerd\.service would send https:\/\/\[fd00::10\]:6443 \(the control-plane endpoint\)/, severity: 'warning' },
            {
              message: /^containerd\.service would send https:\/\/harbor\.corp\.example:5000 .*\(harbor\.corp\.example:443 covers only port 443\)/,
              severity: 'error',
            },
            { message: /^kubelet\.service would send https:\/\/10\.96\.0\.1/, severity: 'info' },
            {
              message:
                /^kubelet\.service would send https:\/\/\[fd00::10\]:6443 \(the control-plane endpoint\).*has no entry that covers it; add fd00::10 to NO_PROXY\.$/,
              severity: 'error',
            },
          ],
        },
        {
          name: 'a domain entry never matches an IP target',
          files: proxied('96.0.1,.svc,.cluster.local'),
          violations: [
            {
              message: /https:\/\/10\.96\.0\.1 .*\(96\.0\.1 is a domain entry, and Go never matches domain entries against IP addresses\)/,
              severity: 'warning',
            },
          ],
        },
        {
          name: 'names under another cluster domain, with the CIDR hint',
          files: proxied('10.96.0.0/12,other.example'),
          checklist: { cluster: { dnsDomain: 'corp.local' } },
          violations: [
            { message: /kubernetes\.default\.svc \(.*no entry that covers it \(CIDR/ },
            { message: /kubernetes\.default\.svc\.corp\.local .*covers it \(CIDR .*\); adding \.corp\.local to NO_PROXY is recommended/ },
          ],
        },
        {
          name: 'the first address of a /32 that ends in .255 carries into the next byte',
          files: proxied('.svc,.cluster.local'),
          checklist: { cluster: { serviceSubnet: '10.0.0.255/32' } },
          violations: [{ message: /would send https:\/\/10\.0\.1\.0 \(the kubernetes Service, first IP of serviceSubnet 10\.0\.0\.255\/32\)/ }],
        },
        {
          name: 'entries that cover nothing here: no hint',
          files: proxied('other.example'),
          violations: [
            { message: /https:\/\/10\.96\.0\.1 .*has no entry that covers it; adding 10\.96\.0\.0\/12 to NO_PROXY is recommended/ },
            { message: /kubernetes\.default\.svc .*has no entry that covers it; adding \.svc to NO_PROXY is recommended/ },
            { message: /kubernetes\.default\.svc\.cluster\.local .*has no entry that covers it; adding \.cluster\.local to NO_PROXY is recommended/ },
          ],
        },
      ] as FiringCase[]
    ).map(allowed),
  ],
});
