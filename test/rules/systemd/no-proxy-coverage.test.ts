import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const K = '/etc/systemd/system/kubelet.service.d/http-proxy.conf';
const proxied = (noProxy?: string) => ({ ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897', ...(noProxy === undefined ? [] : [`Environment="NO_PROXY=${noProxy}"`])) });
const cluster = { cluster: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12,fd00:10:96::/112', controlPlaneEndpoint: 'cp.corp.example:6443', dnsDomain: 'cluster.local' }, registries: { internal: ['https://harbor.corp.example/v2', 'registry.internal:5000'] } };

testRule('systemd/no-proxy-coverage', {
  quiet: [
    { name: 'no proxy at all', files: PACKAGED_UNITS, status: 'not-applicable', reason: /neither containerd\.service nor kubelet\.service has an HTTPS proxy/ },
    { name: 'only an HTTP proxy: https traffic goes direct anyway', files: { ...PACKAGED_UNITS, [C]: service('Environment=HTTP_PROXY=http://10.0.0.1:7897') }, status: 'not-applicable' },
    { name: 'a proxy value Go ignores', files: { ...PACKAGED_UNITS, [C]: service('Environment="HTTPS_PROXY=a b"') }, status: 'not-applicable' },
    { name: 'neither service loads', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /not-found/ },
    { name: 'the default cluster covered', files: proxied('10.96.0.0/12,.svc,.cluster.local') },
    {
      name: 'a full cluster covered, leading dots and ports as Go reads them',
      files: proxied('10.244.0.0/16,10.96.0.0/12,fd00:10:96::/112,cp.corp.example,*.svc,svc.cluster.local,harbor.corp.example,registry.internal:5000'),
      checklist: cluster,
    },
    { name: 'NO_PROXY=* sends everything direct', files: proxied('*') },
  ],
  firing: [
    {
      name: 'the incident: a CIDR does not cover the API server\'s names',
      files: proxied('localhost,127.0.0.1,10.96.0.0/12'),
      violations: [
        {
          message: /^containerd\.service would send https:\/\/kubernetes\.default\.svc \(the API server's in-cluster name\) through the proxy http:\/\/10\.0\.0\.1:7897 \(HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:2\): NO_PROXY from \S+:3 has no entry that covers it \(CIDR entries never cover host names: Go does not resolve names for NO_PROXY\); add \.svc to NO_PROXY\.$/,
          evidence: { file: C, line: 3, path: '/systemd/units/containerd.service/environment/NO_PROXY', observed: 'localhost,127.0.0.1,10.96.0.0/12', expected: '.svc' },
        },
        { message: /https:\/\/kubernetes\.default\.svc\.cluster\.local \(a Service name under \.svc\.cluster\.local\).*add \.cluster\.local to NO_PROXY/ },
      ],
    },
    {
      name: 'no NO_PROXY at all, with every target of a full checklist',
      files: proxied(),
      checklist: cluster,
      violations: [
        { message: /https:\/\/10\.96\.0\.1 \(the kubernetes Service, first IP of serviceSubnet 10\.96\.0\.0\/12\) .*: there is no NO_PROXY; add 10\.96\.0\.0\/12 to NO_PROXY/, evidence: { file: C, line: 2, observed: null, path: '/systemd/units/containerd.service/environment/NO_PROXY' } },
        { message: /https:\/\/\[fd00:10:96::1\] .*add fd00:10:96::\/112/ },
        { message: /https:\/\/10\.244\.0\.1 \(a pod, first IP of podSubnet 10\.244\.0\.0\/16\)/ },
        { message: /https:\/\/cp\.corp\.example:6443 \(the control-plane endpoint\).*add cp\.corp\.example to NO_PROXY/ },
        { message: /kubernetes\.default\.svc / },
        { message: /kubernetes\.default\.svc\.cluster\.local/ },
        { message: /https:\/\/harbor\.corp\.example \(an internal registry\).*add harbor\.corp\.example to/ },
        { message: /https:\/\/registry\.internal:5000 \(an internal registry\).*add registry\.internal to/ },
      ],
    },
    {
      name: "entries that do not mean what they seem to Go: an IP wildcard, a domain entry against an IP, a port",
      files: { ...PACKAGED_UNITS, [K]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897 "NO_PROXY=10.96.*,.svc,.cluster.local,harbor.corp.example:443"') },
      checklist: { cluster: { serviceSubnet: '10.96.0.0/12', controlPlaneEndpoint: '[fd00::10]:6443', dnsDomain: 'cluster.local' }, registries: { internal: ['harbor.corp.example:5000'] } },
      violations: [
        { message: /^kubelet\.service would send https:\/\/10\.96\.0\.1 .*\(10\.96\.\* is not a wildcard to Go: wildcards inside IP addresses are not supported\)/ },
        { message: /https:\/\/\[fd00::10\]:6443 \(the control-plane endpoint\).*has no entry that covers it; add fd00::10 to NO_PROXY/ },
        { message: /https:\/\/harbor\.corp\.example:5000 .*\(harbor\.corp\.example:443 covers only port 443\)/ },
      ],
    },
    {
      name: 'a domain entry never matches an IP target',
      files: proxied('96.0.1,.svc,.cluster.local'),
      violations: [{ message: /https:\/\/10\.96\.0\.1 .*\(96\.0\.1 is a domain entry, and Go never matches domain entries against IP addresses\)/ }],
    },
    {
      name: 'names under another cluster domain, with the CIDR hint',
      files: proxied('10.96.0.0/12,other.example'),
      checklist: { cluster: { dnsDomain: 'corp.local' } },
      violations: [{ message: /kubernetes\.default\.svc \(.*no entry that covers it \(CIDR/ }, { message: /kubernetes\.default\.svc\.corp\.local .*covers it \(CIDR .*\); add \.corp\.local to NO_PROXY\.$/ }],
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
        { message: /https:\/\/10\.96\.0\.1 .*has no entry that covers it; add 10\.96\.0\.0\/12 to NO_PROXY\.$/ },
        { message: /kubernetes\.default\.svc .*has no entry that covers it; add \.svc to NO_PROXY\.$/ },
        { message: /kubernetes\.default\.svc\.cluster\.local .*has no entry that covers it; add \.cluster\.local to NO_PROXY\.$/ },
      ],
    },
  ],
});
