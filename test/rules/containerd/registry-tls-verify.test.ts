import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const REG = 'plugins."io.containerd.grpc.v1.cri".registry';
const CERTS = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';

testRule('containerd/registry-tls-verify', {
  quiet: [
    { name: 'verification on', files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/harbor.example.net/hosts.toml': 'server = "https://harbor.example.net"\nca = "ca.crt"\n' } },
    { name: 'a host the checklist allows to be insecure', files: { [CONFIG]: `version = 2\n[${REG}.configs."lab.local".tls]\n  insecure_skip_verify = true\n` }, checklist: { registries: { insecureAllowed: ['lab.local'] } } },
    { name: 'insecure_skip_verify = false', files: { [CONFIG]: `version = 2\n[${REG}.configs."r".tls]\n  insecure_skip_verify = false\n` } },
    { name: 'an allowed registry on a non-default port', files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/lab.local_5000_/hosts.toml': 'skip_verify = true\n' }, checklist: { registries: { insecureAllowed: ['lab.local:5000'] } } },
  ],
  firing: [
    {
      name: 'legacy insecure_skip_verify (private Harbor incident)',
      files: { [CONFIG]: `version = 2\n[${REG}.configs."harbor.example.net".tls]\n  insecure_skip_verify = true\n` },
      violations: [{ message: /^insecure_skip_verify = true for harbor\.example\.net \(\/etc\/containerd\/config\.toml:3\) turns off TLS verification for that registry; the checklist does not allow harbor\.example\.net to be insecure\.$/, evidence: { line: 3 } }],
    },
    {
      name: 'skip_verify in hosts.toml, on a mirror host and on the server',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/docker.io/hosts.toml': 'server = "https://registry-1.docker.io"\nskip_verify = true\n\n[host."https://mirror.internal"]\n  capabilities = ["pull"]\n  skip_verify = true\n',
      },
      violations: [
        { message: /skip_verify = true for https:\/\/mirror\.internal in \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml:4 turns off TLS verification when pulling from docker\.io/ },
        { message: /skip_verify = true for https:\/\/registry-1\.docker\.io in \/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml/ },
      ],
    },
    {
      name: 'the _default directory applies to every registry',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/_default/hosts.toml': 'skip_verify = true\n' },
      violations: [{ message: /skip_verify = true for _default in .*_default\/hosts\.toml turns off TLS verification when pulling from _default/ }],
    },
  ],
});
