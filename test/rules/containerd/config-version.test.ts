import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

testRule('containerd/config-version', {
  quiet: [
    { name: 'version 3 on containerd 2.2', files: { [CONFIG]: V3_GOOD } },
    { name: 'version 2 on containerd 1.7', files: { [CONFIG]: V2_GOOD } },
    { name: 'version 4 on containerd 2.3', files: { [CONFIG]: 'version = 4\n' } },
    {
      name: 'a version 4 import under a version 3 root on containerd 2.2 (only 2.3 compares them)',
      files: { [CONFIG]: 'version = 3\nimports = ["/etc/containerd/conf.d/*.toml"]\n', '/etc/containerd/conf.d/a.toml': 'version = 3\n' },
      checklist: { containerdVersion: '2.2' },
    },
    { name: 'no configuration file', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /reads no configuration file/ },
  ],
  firing: [
    {
      name: "Docker's containerd.io default: no version key",
      files: { [CONFIG]: '#   disabled_plugins = ["cri"]\nroot = "/var/lib/containerd"\n' },
      violations: [{ message: /has no version key, so it is the deprecated version 1 format/, evidence: { file: CONFIG, observed: null, expected: 2 } }],
    },
    {
      name: 'version 1 with full plugin ids: the section is ignored',
      files: { [CONFIG]: 'version = 1\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "x"\n' },
      violations: [
        {
          message: /config\.toml:1 sets version = 1, the deprecated version 1 format \(containerd 1\.7 still reads it, with short plugin ids only\)\.$/,
          evidence: { expected: 2 },
          fix: /^Set version = 2 in \/etc\/containerd\/config\.toml/,
        },
        {
          message: /config\.toml:2: plugins\."io\.containerd\.grpc\.v1\.cri": a version 1 configuration reads plugins by short id .* ignores this section\./,
          evidence: { line: 2 },
        },
      ],
    },
    {
      name: 'version 2 with a short id: containerd refuses to start',
      files: { [CONFIG]: 'version = 2\ndisabled_plugins = ["zfs"]\n[plugins.cri]\n  x = 1\n' },
      severity: 'error',
      violations: [
        { message: /config\.toml:3: plugins\.cri: containerd refuses to start: invalid plugin key URI "cri"/, severity: 'error' },
        { message: /disabled_plugins: zfs: containerd refuses to start: invalid disabled plugin URI "zfs"/, severity: 'error' },
      ],
    },
    {
      name: 'version 3 on containerd 1.7: refused from 1.7.17, and its 2.x sections mean nothing',
      files: { [CONFIG]: "version = 3\n[plugins.'io.containerd.cri.v1.images'.pinned_images]\n  sandbox = 'x'\n" },
      checklist: { containerdVersion: '1.7' },
      violations: [
        { message: /:1: version: containerd 1\.6\.32\+ and 1\.7\.17\+ refuse to start with version 3/, severity: 'error' },
        { message: /plugins\."io\.containerd\.cri\.v1\.images": containerd 1\.7 has no such plugin/, fix: /in containerd 1\.7's own sections/ },
      ],
    },
    {
      name: 'version 2 on containerd 2.1: migrated on every start',
      files: { [CONFIG]: V2_GOOD },
      checklist: { containerdVersion: '2.1' },
      severity: 'warning',
      violations: [{ message: /config\.toml:1 sets version = 2, which containerd 2\.1 migrates on every start; write version 3/ }],
    },
    {
      name: 'version 2 on containerd 2.3 asks for version 4; version 5 is refused',
      files: { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/b.toml"]\n', '/etc/containerd/b.toml': 'version = 5\n' },
      checklist: { containerdVersion: '2.3' },
      violations: [
        { message: /config\.toml:1 sets version = 2, which containerd 2\.3 migrates on every start; write version 4/, severity: 'warning' },
        {
          message:
            /b\.toml:1: version: containerd 2\.3 refuses to start: this drop-in's version 5 is higher than version 2 of the root configuration \(\/etc\/containerd\/config\.toml:1\)/,
          severity: 'error',
        },
        { message: /b\.toml:1: version: containerd 2\.3 refuses to start: the highest config version it reads is 4/, severity: 'error' },
      ],
    },
    {
      name: 'version 4 with a legacy [grpc] section (kubespray for containerd 2.3): the fix moves it, it does not raise the version',
      files: { [CONFIG]: 'version = 4\n[grpc]\n  address = "/run/x.sock"\n' },
      checklist: { containerdVersion: '2.3' },
      violations: [
        {
          message:
            /:2: grpc: a version 4 configuration reads the gRPC listener from plugins\."io\.containerd\.server\.v1\.grpc", so this section has no effect/,
          fix: /^Move the settings of \[grpc\] in \/etc\/containerd\/config\.toml under \[plugins\."io\.containerd\.server\.v1\.grpc"\]/,
        },
      ],
    },
    {
      name: 'a root without a version key: the first file with one is the root (2.3), so equal drop-ins pass',
      files: {
        [CONFIG]: 'imports = ["/etc/containerd/conf.d/*.toml"]\n',
        '/etc/containerd/conf.d/a.toml': 'version = 4\n',
        '/etc/containerd/conf.d/b.toml': 'version = 4\n',
      },
      checklist: { containerdVersion: '2.3' },
      violations: [{ message: /config\.toml has no version key, so it is the deprecated version 1 format \(containerd 2\.3 converts it on every start\)\.$/ }],
    },
    {
      name: 'version 3 on containerd 2.3 is migrated on every start, like version 2',
      files: { [CONFIG]: 'version = 3\n' },
      checklist: { containerdVersion: '2.3.1' },
      violations: [
        {
          message: /config\.toml:1 sets version = 3, which containerd 2\.3\.1 migrates on every start; write version 4/,
          evidence: { observed: 3, expected: 4 },
        },
      ],
    },
    {
      name: 'a drop-in with a higher version than the root on containerd 2.3 (both files named)',
      files: {
        [CONFIG]: 'version = 3\nimports = ["/etc/containerd/conf.d/*.toml"]\n',
        '/etc/containerd/conf.d/10-runtime.toml': '# written for containerd 2.3\nversion = 4\n',
      },
      checklist: { containerdVersion: '2.3' },
      severity: 'error',
      violations: [
        { message: /version = 3, which containerd 2\.3 migrates on every start/, severity: 'warning' },
        {
          message:
            /^\/etc\/containerd\/conf\.d\/10-runtime\.toml:2: version: containerd 2\.3 refuses to start: this drop-in's version 4 is higher than version 3 of the root configuration \(\/etc\/containerd\/config\.toml:1\)/,
          severity: 'error',
          evidence: { file: '/etc/containerd/conf.d/10-runtime.toml', line: 2 },
        },
      ],
    },
    {
      name: 'a version 1 file on containerd 2.0: stamped version 3, its CRI settings are never migrated',
      files: { [CONFIG]: '[plugins.cri]\n  sandbox_image = "registry.k8s.io/pause:3.10"\n' },
      checklist: { containerdVersion: '2.0' },
      violations: [
        {
          message: /has no version key, so it is the deprecated version 1 format \(containerd 2\.0 converts it on every start\)/,
          fix: /^Run containerd config migrate and write its output \(version 3\)/,
        },
        { message: /plugins\."io\.containerd\.grpc\.v1\.cri"\.sandbox_image: containerd 2\.0 reads only the CRI server's streaming settings/ },
      ],
    },
  ],
});
