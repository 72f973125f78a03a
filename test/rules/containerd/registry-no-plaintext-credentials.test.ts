import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const REG = 'plugins."io.containerd.grpc.v1.cri".registry';

testRule('containerd/registry-no-plaintext-credentials', {
  quiet: [
    { name: 'no credentials', files: { [CONFIG]: `version = 2\n[${REG}.configs."r".tls]\n  ca_file = "/etc/r.pem"\n` } },
    {
      name: 'hosts.toml headers other than Authorization',
      files: {
        [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n`,
        '/etc/containerd/certs.d/r/hosts.toml': '[header]\n  x-custom = "1"\n',
      },
    },
  ],
  firing: [
    {
      name: 'username and password (private Harbor incident); the value never shows',
      files: { [CONFIG]: `version = 2\n[${REG}.configs."harbor.example.net".auth]\n  username = "admin"\n  password = "Harbor12345"\n` },
      violations: [
        {
          message:
            /^\/etc\/containerd\/config\.toml:3 stores username, password in plain text under configs\."harbor\.example\.net"\.auth \(values not shown\)\.$/,
          evidence: { line: 3, observed: ['username present', 'password present'] },
        },
      ],
    },
    {
      name: 'auths and identity tokens, in a version 1 file and an import that 1.x replaces anyway',
      files: {
        [CONFIG]: 'imports = ["/etc/containerd/conf.d/a.toml"]\n[plugins.cri.registry.auths."https://r.example"]\n  auth = "dXNlcjpwYXNz"\n',
        '/etc/containerd/conf.d/a.toml': "version = 3\n[plugins.'io.containerd.cri.v1.images'.registry.configs.'q.example'.auth]\n  identitytoken = 'tok'\n",
      },
      violations: [
        { message: /config\.toml:\d+ stores auth in plain text under auths\."https:\/\/r\.example"/ },
        { message: /conf\.d\/a\.toml:\d+ stores identitytoken in plain text under configs\."q\.example"\.auth/ },
      ],
    },
    {
      name: 'an Authorization header in hosts.toml',
      files: {
        [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n`,
        '/etc/containerd/certs.d/r.example/hosts.toml': '[host."https://r.example"]\n  [host."https://r.example".header]\n    authorization = "Bearer abc"\n',
      },
      violations: [{ message: /r\.example\/hosts\.toml:\d+ sends an Authorization header to https:\/\/r\.example from plain text \(value not shown\)/ }],
    },
    {
      name: 'an Authorization header for every registry, in _default without a server',
      files: {
        [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n`,
        '/etc/containerd/certs.d/_default/hosts.toml': '[header]\n  Authorization = ["Basic YTpi"]\n',
      },
      violations: [
        {
          message:
            /^\/etc\/containerd\/certs\.d\/_default\/hosts\.toml:2 sends an Authorization header to every registry \(_default\) from plain text \(value not shown\)\.$/,
          evidence: { line: 2, path: 'header.Authorization' },
        },
      ],
    },
  ],
});
