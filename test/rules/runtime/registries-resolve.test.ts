import { PROBE } from '../../../src/model/live.js';
import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';
import { NO_SYSTEMD } from '../../live/fixtures.js';

const dns = (host: string, ok: boolean | null) => ({
  [PROBE.dns(host)]:
    ok === null
      ? { argv: ['dns-lookup', host], exitCode: null, stdout: '', stderr: '', error: { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' } }
      : { argv: ['dns-lookup', host], exitCode: ok ? 0 : 1, stdout: ok ? '34.96.108.209\n' : '', stderr: ok ? '' : `lookup ${host}: no such host\n` },
});
const HOSTS = '/etc/containerd/certs.d/docker.io/hosts.toml';
const mirrored = {
  ...PACKAGED_UNITS,
  '/etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
  [HOSTS]:
    'server = "https://registry-1.docker.io"\n[host."https://harbor.example.net"]\n  capabilities = ["pull", "resolve"]\n[host."https://10.0.0.5:5000"]\n  capabilities = ["pull"]\n[host."https://[fd00::5]:5000"]\n  capabilities = ["pull"]\n[host."mirror.example.net"]\n  capabilities = ["pull"]\n[host."https://bad%zzhost"]\n  capabilities = ["pull"]\n',
};
const proxied = {
  ...PACKAGED_UNITS,
  '/etc/systemd/system/containerd.service.d/http-proxy.conf': '[Service]\nEnvironment="HTTPS_PROXY=http://proxy.example:3128"\n',
};

testRule('runtime/registries-resolve', {
  quiet: [
    { name: 'the sandbox image registry resolves', files: PACKAGED_UNITS, commands: { ...NO_SYSTEMD, ...dns('registry.k8s.io', true) } },
    {
      name: 'every registry goes through the proxy',
      files: proxied,
      commands: { ...NO_SYSTEMD, ...dns('registry.k8s.io', false) },
      status: 'not-applicable',
      reason: /every one is an IP address or reached through its proxy/,
    },
    {
      name: 'not looked up',
      files: PACKAGED_UNITS,
      commands: NO_SYSTEMD,
      status: 'not-applicable',
      reason: /No registry host was looked up in this snapshot \(registry\.k8s\.io\)/,
    },
    {
      name: 'mirrors resolve',
      files: mirrored,
      checklist: { criticalImages: ['nginx:1.27'], registries: { mirrors: { 'docker.io': 'https://harbor.example.net' } } },
      commands: {
        ...NO_SYSTEMD,
        ...dns('registry.k8s.io', true),
        ...dns('harbor.example.net', true),
        ...dns('mirror.example.net', true),
        ...dns('registry-1.docker.io', true),
      },
    },
    { name: 'no containerd.service', files: { '/etc/hostname': 'n\n' }, commands: { ...NO_SYSTEMD, ...dns('registry.k8s.io', true) } },
    {
      name: 'legacy mirrors resolve',
      files: {
        ...PACKAGED_UNITS,
        '/etc/containerd/config.toml':
          'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://old-mirror.example.net"]\n',
      },
      checklist: { criticalImages: ['nginx:1.27'] },
      commands: { ...NO_SYSTEMD, ...dns('registry.k8s.io', true), ...dns('old-mirror.example.net', true), ...dns('registry-1.docker.io', true) },
    },
  ],
  firing: [
    {
      name: 'DNS to 8.8.8.8 times out (the Harbor incident)',
      files: PACKAGED_UNITS,
      commands: { ...NO_SYSTEMD, ...dns('registry.k8s.io', null) },
      violations: [
        {
          message:
            /^registry\.k8s\.io \(https:\/\/registry\.k8s\.io, for registry\.k8s\.io, from registry\.k8s\.io's default server\) does not resolve through the node's resolver \(i\/o timeout/,
          evidence: { path: '/live/dns/registry.k8s.io' },
        },
      ],
    },
    {
      name: 'a mirror from hosts.toml does not resolve',
      files: mirrored,
      checklist: { criticalImages: ['library/nginx:1.27'] },
      commands: {
        ...NO_SYSTEMD,
        ...dns('registry.k8s.io', true),
        ...dns('harbor.example.net', false),
        ...dns('mirror.example.net', true),
        ...dns('registry-1.docker.io', true),
      },
      violations: [
        {
          message:
            /^harbor\.example\.net \(https:\/\/harbor\.example\.net, for docker\.io, from \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml\) does not resolve .*no such host/,
        },
      ],
    },
  ],
});
