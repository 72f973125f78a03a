import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const CERTS = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d:/etc/docker/certs.d"\n';
const mirrors = { registries: { mirrors: { 'docker.io': 'https://harbor.example.net/v2/dockerhub' } } };

testRule('containerd/registry-mirrors', {
  quiet: [
    {
      name: 'hosts.toml with the mirror first',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/docker.io/hosts.toml':
          'server = "https://registry-1.docker.io"\n[host."https://harbor.example.net/v2/dockerhub/"]\n  capabilities = ["pull", "resolve"]\n',
      },
      checklist: mirrors,
    },
    {
      name: 'legacy mirrors with a scheme-less endpoint',
      files: {
        [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["harbor.example.net/v2/dockerhub"]\n',
      },
      checklist: mirrors,
    },
    {
      name: 'the second root and a _default directory',
      files: { [CONFIG]: CERTS, '/etc/docker/certs.d/_default/hosts.toml': '[host."https://harbor.example.net/v2/dockerhub"]\n' },
      checklist: mirrors,
    },
    {
      name: 'a registry with a port: the host_port_ directory comes first',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/harbor.example.net_5000_/hosts.toml': '[host."https://mirror.example"]\n',
        '/etc/containerd/certs.d/harbor.example.net:5000/hosts.toml': '[host."https://other.example"]\n',
      },
      checklist: { registries: { mirrors: { 'harbor.example.net:5000': 'https://mirror.example' } } },
    },
    {
      name: 'legacy mirrors with a full URL, the checklist mirror without a scheme',
      files: {
        [CONFIG]:
          'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://harbor.example.net/v2/dockerhub/"]\n',
      },
      checklist: { registries: { mirrors: { 'docker.io': 'harbor.example.net/v2/dockerhub' } } },
    },
    { name: 'nothing required', files: { [CONFIG]: CERTS }, status: 'not-applicable', reason: /requires no registry mirror/ },
  ],
  firing: [
    {
      name: 'no directory for docker.io',
      files: { [CONFIG]: CERTS },
      checklist: mirrors,
      violations: [
        {
          message:
            /^pulls from docker\.io go to "https:\/\/registry-1\.docker\.io" first \(no directory for docker\.io under \/etc\/containerd\/certs\.d:\/etc\/docker\/certs\.d\); the checklist requires the mirror "https:\/\/harbor\.example\.net\/v2\/dockerhub" first\.$/,
        },
      ],
    },
    {
      name: 'the mirror is second, and a push-only host does not count',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/docker.io/hosts.toml':
          '[host."https://push.example"]\n  capabilities = ["push"]\n[host."https://cache.example"]\n[host."https://harbor.example.net/v2/dockerhub"]\n',
      },
      checklist: mirrors,
      violations: [
        {
          message: /go to "https:\/\/cache\.example" first \(\/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml\)/,
          evidence: { file: '/etc/containerd/certs.d/docker.io/hosts.toml' },
        },
      ],
    },
    {
      name: 'legacy mode without a mirror, and a hosts.toml containerd drops',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/quay.io/hosts.toml': 'capabilities = ["bogus"]\n[host."https://quay-mirror"]\n' },
      checklist: { registries: { mirrors: { 'quay.io': 'https://quay-mirror' } } },
      violations: [{ message: /pulls from quay\.io go to "https:\/\/quay\.io" first/ }],
    },
    {
      name: 'localhost is plain HTTP, and a scheme-less server is HTTPS',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r.example/hosts.toml': 'server = "r.example"\n' },
      checklist: { registries: { mirrors: { 'localhost:5000': 'https://mirror.example', 'r.example': 'https://mirror.example' } } },
      violations: [
        { message: /^pulls from localhost:5000 go to "http:\/\/localhost:5000" first/ },
        { message: /^pulls from r\.example go to "https:\/\/r\.example" first \(\/etc\/containerd\/certs\.d\/r\.example\/hosts\.toml\)/ },
      ],
    },
    {
      name: 'legacy mirrors for another registry only',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["https://q"]\n' },
      checklist: mirrors,
      violations: [{ message: /pulls from docker\.io go to "https:\/\/registry-1\.docker\.io" first \(no mirror configured\)/ }],
    },
  ],
});
