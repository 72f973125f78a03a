import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const REG = 'plugins."io.containerd.grpc.v1.cri".registry';
const CERTS = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';

testRule('containerd/registry-tls-verify', {
  quiet: [
    {
      name: 'verification on',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/harbor.example.net/hosts.toml': 'server = "https://harbor.example.net"\nca = "ca.crt"\n' },
    },
    {
      name: 'a host the checklist allows to be insecure',
      files: { [CONFIG]: `version = 2\n[${REG}.configs."lab.local".tls]\n  insecure_skip_verify = true\n` },
      checklist: { registries: { insecureAllowed: ['lab.local'] } },
    },
    { name: 'insecure_skip_verify = false', files: { [CONFIG]: `version = 2\n[${REG}.configs."r".tls]\n  insecure_skip_verify = false\n` } },
    {
      name: 'plain http:// for a registry the checklist allows to be insecure (kind local registry)',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/localhost_5001_/hosts.toml': '[host."http://kind-registry:5000"]\n' },
      checklist: { registries: { insecureAllowed: ['localhost:5001'] } },
    },
    {
      name: 'https endpoints and a legacy https mirror',
      files: {
        [CONFIG]: `version = 2\n[${REG}.mirrors."docker.io"]\n  endpoint = ["https://mirror.gcr.io"]\n`,
        '/etc/containerd/certs.d/x/hosts.toml': 'server = "https://x"\n',
      },
    },
    {
      name: 'an allowed registry on a non-default port',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/lab.local_5000_/hosts.toml': 'skip_verify = true\n' },
      checklist: { registries: { insecureAllowed: ['lab.local:5000'] } },
    },
  ],
  firing: [
    {
      name: 'legacy insecure_skip_verify (private Harbor incident)',
      files: { [CONFIG]: `version = 2\n[${REG}.configs."harbor.example.net".tls]\n  insecure_skip_verify = true\n` },
      violations: [
        {
          message:
            /^insecure_skip_verify = true for harbor\.example\.net \(\/etc\/containerd\/config\.toml:3\) turns off TLS verification for that registry; the checklist does not allow harbor\.example\.net to be insecure\.$/,
          evidence: { line: 3 },
        },
      ],
    },
    {
      name: 'skip_verify in hosts.toml, on a mirror host and on the server',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/docker.io/hosts.toml':
          'server = "https://registry-1.docker.io"\nskip_verify = true\n\n[host."https://mirror.internal"]\n  capabilities = ["pull"]\n  skip_verify = true\n',
      },
      violations: [
        {
          message:
            /skip_verify = true for https:\/\/mirror\.internal in \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml:6 turns off TLS verification when pulling from docker\.io/,
          evidence: { line: 6, path: 'host.https://mirror.internal.skip_verify' },
        },
        {
          message: /skip_verify = true for https:\/\/registry-1\.docker\.io in \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml:2 /,
          evidence: { line: 2 },
        },
      ],
    },
    {
      name: 'plain http:// endpoints: a hosts.toml mirror, a server, a legacy mirror (kind local registry pattern)',
      files: {
        [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n[${REG}.mirrors."localhost:5001"]\n  endpoint = ["http://kind-registry:5000"]\n`,
        '/etc/containerd/certs.d/docker.io/hosts.toml':
          'server = "https://registry-1.docker.io"\n\n[host."http://mirror.internal:5000"]\n  capabilities = ["pull", "resolve"]\n',
        '/etc/containerd/certs.d/harbor.example.net/hosts.toml': 'server = "http://harbor.example.net"\n',
      },
      violations: [
        {
          message:
            /^http:\/\/kind-registry:5000 \(\/etc\/containerd\/config\.toml:5\) is a plain http:\/\/ endpoint for localhost:5001: containerd pulls through it without TLS/,
          evidence: { line: 5, expected: 'https://kind-registry:5000' },
          fix: /^Serve kind-registry:5000 over https:\/\/ .* or add localhost:5001 to registries\.insecureAllowed/,
        },
        {
          message:
            /^http:\/\/mirror\.internal:5000 \(\/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml:3\) is a plain http:\/\/ endpoint for docker\.io: containerd pulls through this mirror without TLS/,
        },
        {
          message:
            /^http:\/\/harbor\.example\.net \(\/etc\/containerd\/certs\.d\/harbor\.example\.net\/hosts\.toml:1\) is a plain http:\/\/ endpoint for harbor\.example\.net: containerd pulls from this server without TLS/,
        },
      ],
    },
    {
      name: 'the _default directory applies to every registry',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/_default/hosts.toml': 'skip_verify = true\n' },
      violations: [{ message: /skip_verify = true for _default in .*_default\/hosts\.toml:1 turns off TLS verification when pulling from _default/ }],
    },
  ],
});
