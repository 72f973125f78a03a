import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

testRule('containerd/cri-enabled', {
  quiet: [
    { name: 'nothing disabled', files: { [CONFIG]: 'version = 2\ndisabled_plugins = []\n' } },
    { name: 'another plugin disabled', files: { [CONFIG]: 'version = 2\ndisabled_plugins = ["io.containerd.snapshotter.v1.zfs"]\n' } },
    { name: 'a full id in a version 1 file disables nothing (matched by short id)', files: { [CONFIG]: 'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n' } },
    { name: 'no configuration', files: { '/etc/hostname': 'n\n' } },
    { name: 'a configuration that does not parse', files: { [CONFIG]: 'disabled_plugins = [\n' }, status: 'not-applicable', reason: /config-parses/ },
  ],
  firing: [
    {
      name: "Docker's containerd.io package default",
      files: { [CONFIG]: '#   Copyright 2018-2022 Docker Inc.\n\ndisabled_plugins = ["cri"]\n' },
      violations: [
        {
          message:
            /^disabled_plugins at \/etc\/containerd\/config\.toml:3 lists "cri", so containerd 1\.7 runs without the CRI plugin and kubelet gets "unknown service runtime\.v1\.RuntimeService"\.$/,
          evidence: { file: CONFIG, line: 3, observed: ['cri'], expected: [] },
        },
      ],
    },
    {
      name: 'disabled in an import of a version 2 configuration (lists are appended)',
      files: {
        [CONFIG]: 'version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\ndisabled_plugins = ["io.containerd.snapshotter.v1.zfs"]\n',
        '/etc/containerd/conf.d/99-hardening.toml': 'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n',
      },
      violations: [{ message: /disabled_plugins at \/etc\/containerd\/conf\.d\/99-hardening\.toml:1 lists "io\.containerd\.grpc\.v1\.cri"/ }],
    },
    {
      name: 'containerd 2.x: the images plugin too',
      files: { [CONFIG]: 'version = 3\ndisabled_plugins = ["io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime"]\n' },
      violations: [
        { message: /lists "io\.containerd\.cri\.v1\.images" \(and "io\.containerd\.cri\.v1\.runtime"\), so containerd 2\.2 runs without the CRI plugin/ },
      ],
    },
  ],
});
