import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V3_GOOD } from '../../helpers/containerd.js';

const REG = 'plugins."io.containerd.grpc.v1.cri".registry';

testRule('containerd/registry-config-path', {
  quiet: [
    { name: 'config_path only', files: { [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n` } },
    {
      name: 'the 1.7 generated default: empty legacy tables are not set',
      files: { [CONFIG]: `version = 2\n[${REG}]\n  config_path = ""\n  [${REG}.auths]\n  [${REG}.configs]\n  [${REG}.headers]\n  [${REG}.mirrors]\n` },
    },
    { name: 'containerd 2.x defaults', files: { [CONFIG]: V3_GOOD } },
  ],
  firing: [
    {
      name: 'legacy mirrors and configs (private Harbor incident)',
      files: {
        [CONFIG]: `version = 2\n[${REG}.mirrors."docker.io"]\n  endpoint = ["https://registry-1.docker.io"]\n[${REG}.configs."harbor.example.net".tls]\n  insecure_skip_verify = true\n`,
      },
      severity: 'warning',
      violations: [
        {
          message:
            /^the deprecated registry\.mirrors section \(\/etc\/containerd\/config\.toml:2\) configures "docker\.io"; use hosts\.toml under config_path instead\.$/,
        },
        { message: /the deprecated registry\.configs section \(\/etc\/containerd\/config\.toml:4\) configures "harbor\.example\.net"/ },
      ],
    },
    {
      name: 'mirrors and config_path together: the CRI plugin fails to load',
      files: {
        [CONFIG]: `version = 2\n[${REG}]\n  config_path = "/etc/containerd/certs.d"\n[${REG}.mirrors."docker.io"]\n  endpoint = ["https://mirror.example"]\n[${REG}.configs."r.example".tls]\n  ca_file = "/etc/ssl/r.pem"\n[${REG}.auths."https://r.example"]\n  auth = "x"\n`,
      },
      severity: 'error',
      violations: [
        {
          message:
            /registry\.mirrors \(\/etc\/containerd\/config\.toml:4\) and config_path \(\/etc\/containerd\/config\.toml:3\) are both set, so the CRI plugin of containerd 1\.7 fails to load/,
          severity: 'error',
        },
        { message: /registry\.configs\."r\.example"\.tls \(.*:6\) and config_path .* are both set/, severity: 'error' },
        { message: /deprecated registry\.mirrors/ },
        { message: /deprecated registry\.configs/ },
        { message: /deprecated registry\.auths section .* configures "https:\/\/r\.example"/ },
      ],
    },
    {
      name: 'containerd 2.2.1 injects its default config_path next to mirrors',
      files: { [CONFIG]: `version = 2\n[${REG}.mirrors."docker.io"]\n  endpoint = ["https://mirror.example"]\n` },
      checklist: { containerdVersion: '2.2.1' },
      severity: 'error',
      violations: [
        {
          message:
            /registry\.mirrors is set .* without config_path; containerd 2\.2\.1 injects its default config_path and the CRI plugin fails to load \(fixed in 2\.2\.2\)/,
        },
        { message: /deprecated registry\.mirrors/ },
      ],
    },
  ],
});
