import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

testRule('containerd/grpc-address', {
  quiet: [
    { name: 'the default socket', files: { [CONFIG]: 'version = 2\n' } },
    {
      name: 'set explicitly, /var/run spelling in the checklist',
      files: { [CONFIG]: 'version = 2\n[grpc]\n  address = "/run/containerd/containerd.sock"\n' },
      checklist: { criSocket: 'unix:///var/run/containerd/containerd.sock' },
    },
    {
      name: 'version 4 server plugin',
      files: { [CONFIG]: 'version = 4\n[plugins."io.containerd.server.v1.grpc"]\n  address = "/run/containerd/containerd.sock"\n' },
    },
    {
      name: 'a version 3 [grpc] migrated by containerd 2.3',
      files: { [CONFIG]: 'version = 3\n[grpc]\n  address = "/run/k8s/containerd.sock"\n' },
      checklist: { containerdVersion: '2.3', criSocket: 'unix:///run/k8s/containerd.sock' },
    },
  ],
  firing: [
    {
      name: "EKS nodeadm's non-default socket",
      files: { [CONFIG]: "version = 2\nroot = '/var/lib/containerd'\n[grpc]\naddress = '/run/foo/foo.sock'\n" },
      violations: [
        {
          message:
            /^containerd's gRPC address is "\/run\/foo\/foo\.sock" \(\/etc\/containerd\/config\.toml:4\); the checklist's criSocket is unix:\/\/\/run\/containerd\/containerd\.sock\.$/,
          evidence: { line: 4 },
        },
      ],
    },
    {
      name: 'version 4 ignores [grpc]: the default socket applies',
      files: { [CONFIG]: 'version = 4\n[grpc]\n  address = "/run/k8s.sock"\n' },
      checklist: { criSocket: 'unix:///run/k8s.sock' },
      violations: [{ message: /gRPC address is "\/run\/containerd\/containerd\.sock" \(built-in default of containerd 2\.3\)/ }],
    },
  ],
});
