import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n';
const CERTS = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n';

testRule('containerd/registry-ca-present', {
  quiet: [
    {
      name: 'relative ca and a client pair in the host directory',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/r/hosts.toml': 'ca = "ca.crt"\nclient = [["c.cert", "c.key"]]\n',
        '/etc/containerd/certs.d/r/ca.crt': PEM,
        '/etc/containerd/certs.d/r/c.cert': PEM,
        '/etc/containerd/certs.d/r/c.key': KEY,
      },
    },
    {
      name: 'legacy ca_file',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".tls]\n  ca_file = "/etc/ssl/r.pem"\n', '/etc/ssl/r.pem': PEM },
    },
    { name: 'no certificates configured', files: { [CONFIG]: CERTS } },
    {
      name: 'a Docker certs directory: CA and client pair',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/r/ca.crt': PEM,
        '/etc/containerd/certs.d/r/client.cert': PEM,
        '/etc/containerd/certs.d/r/client.key': KEY,
      },
    },
    {
      name: 'a valid hosts.toml: Docker-layout files beside it are not read',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/hosts.toml': 'server = "https://r"\n', '/etc/containerd/certs.d/r/stray.crt': 'not PEM\n' },
    },
  ],
  firing: [
    {
      name: 'a relative ca that is not in the host directory, and a key file that is not PEM',
      files: {
        [CONFIG]: CERTS,
        '/etc/containerd/certs.d/r/hosts.toml': 'ca = "ca.crt"\nclient = [["c.cert", "c.key"]]\n',
        '/etc/containerd/certs.d/r/c.cert': PEM,
        '/etc/containerd/certs.d/r/c.key': 'not a key\n',
        '/etc/containerd/ca.crt': PEM,
      },
      violations: [
        { message: /^the CA certificate \/etc\/containerd\/certs\.d\/r\/ca\.crt named in \/etc\/containerd\/certs\.d\/r\/hosts\.toml:1 does not exist\.$/ },
        { message: /the client key \/etc\/containerd\/certs\.d\/r\/c\.key named in .*hosts\.toml:2 holds no PEM block/ },
      ],
    },
    {
      name: 'a Docker certs directory: a CA that is not PEM, a .cert without its .key',
      files: { [CONFIG]: CERTS, '/etc/containerd/certs.d/r/ca.crt': 'not PEM\n', '/etc/containerd/certs.d/r/client.cert': PEM },
      violations: [
        { message: /^the CA certificate \/etc\/containerd\/certs\.d\/r\/ca\.crt in the Docker certs layout holds no PEM block\.$/ },
        { message: /^the client key \/etc\/containerd\/certs\.d\/r\/client\.key for \/etc\/containerd\/certs\.d\/r\/client\.cert does not exist\.$/ },
      ],
    },
    {
      name: 'legacy ca_file, cert_file and key_file',
      files: {
        [CONFIG]:
          'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".tls]\n  ca_file = "/etc/ssl/missing.pem"\n  cert_file = "/etc/ssl/dir"\n  key_file = "/etc/ssl/k.pem"\n',
        '/etc/ssl/dir/x': '',
        '/etc/ssl/k.pem': KEY,
      },
      violations: [
        { message: /the CA certificate \/etc\/ssl\/missing\.pem named in \/etc\/containerd\/config\.toml:3 does not exist/ },
        { message: /the client certificate \/etc\/ssl\/dir named in .*:4 cannot be read/ },
      ],
    },
  ],
});
