import { readFileSync } from 'node:fs';
import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const CERTS = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';
const corpus = (name: string): string => readFileSync(new URL(`../../fixtures/corpus/containerd/${name}`, import.meta.url), 'utf8');

testRule('containerd/hosts-toml-parses', {
  quiet: [
    {
      name: 'containerd docs: local mirror for Docker Hub',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/docker.io/hosts.toml': corpus('hosts.toml-docs-docker-io-local-mirror.toml') },
    },
    {
      name: 'containerd docs: every host field',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/hosts.toml': corpus('hosts.toml-docs-host-fields.toml') },
    },
    { name: 'a Docker-style certs directory without hosts.toml', files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/ca.crt': '' } },
  ],
  firing: [
    {
      name: 'an unknown capability drops the file',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/docker.io/hosts.toml': '[host."https://mirror"]\n  capabilities = ["pull", "mirror"]\n' },
      violations: [
        {
          message:
            /^\/etc\/containerd\/certs\.d\/docker\.io\/hosts\.toml:2: unknown capability "mirror" \(containerd knows pull, resolve, push and referrers\); containerd drops this file, so pulls from docker\.io use no mirror and no CA from it\.$/,
        },
      ],
    },
    {
      name: 'invalid TOML',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/hosts.toml': '[host."https://mirror"\n' },
      violations: [{ message: /hosts\.toml:1: .*; containerd drops this file/ }],
    },
    {
      name: 'wrong types',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/r/hosts.toml':
          'skip_verify = "yes"\nca = [1]\nclient = [["only-cert"]]\nheader = "x"\noverride_path = 1\ncapabilities = "pull"\ndial_timeout = 30\n[host."https://m"]\n  client = 7\n  [host."https://m".header]\n    x = 1\n',
      },
      violations: [
        { message: /:1: skip_verify must be true or false/ },
        { message: /:2: ca must be a path or a list of paths/ },
        { message: /:3: a client pair must be \[cert, key\]/ },
        { message: /:4: header must be a table/ },
        { message: /:5: override_path must be true or false/ },
        { message: /:6: capabilities must be a list of strings/ },
        { message: /:7: dial_timeout must be a duration string/ },
        { message: /:9: client must be a path, a list of paths or a list of \[cert, key\] pairs/ },
        { message: /:10: header x must be a string or a list of strings/ },
      ],
    },
    {
      name: 'server, host and host entries that are not what containerd decodes',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/a/hosts.toml': 'server = 5\nhost = "https://m"\n',
        '/etc/containerd/certs.d/b/hosts.toml': '[host]\n  "https://m" = 1\n',
      },
      violations: [
        {
          message: /certs\.d\/a\/hosts\.toml:1: server must be a URL string; containerd drops this file, so pulls from a use no mirror/,
          evidence: { line: 1, path: 'server' },
        },
        { message: /certs\.d\/a\/hosts\.toml:2: host must be a table of \[host\."<url>"\] tables/ },
        { message: /certs\.d\/b\/hosts\.toml:2: host\."https:\/\/m" must be a table/ },
      ],
    },
    {
      name: 'a hosts.toml that cannot be read',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/hosts.toml': { dir: true } },
      violations: [{ message: /^\/etc\/containerd\/certs\.d\/r\/hosts\.toml: .*; containerd drops this file/ }],
    },
    {
      name: 'unknown keys are only ignored: a warning',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/hosts.toml': 'skip_verfy = true\n[host."https://m"]\n  capabilites = ["pull"]\n' },
      severity: 'warning',
      violations: [
        { message: /hosts\.toml:1: unknown key "skip_verfy" \(containerd ignores it\)\.$/, severity: 'warning' },
        { message: /:3: unknown key "capabilites" in \[host\."https:\/\/m"\]/, severity: 'warning' },
      ],
    },
  ],
});
