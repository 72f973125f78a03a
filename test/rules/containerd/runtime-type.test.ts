import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

testRule('containerd/runtime-type', {
  quiet: [
    { name: 'runc v2, declared', files: { [CONFIG]: V2_GOOD } },
    { name: 'runc v2, built in', files: { [CONFIG]: 'version = 2\n' } },
    { name: 'containerd 2.x keeps the built-in type when only options are declared', files: { [CONFIG]: V3_GOOD } },
    {
      name: 'a type the checklist allows',
      files: {
        [CONFIG]: `version = 2\n[${CRI}.containerd]\n  default_runtime_name = "kata"\n  [${CRI}.containerd.runtimes.kata]\n    runtime_type = "io.containerd.kata.v2"\n`,
      },
      checklist: { allowedRuntimeTypes: ['io.containerd.runc.v2', 'io.containerd.kata.v2'] },
    },
    {
      name: 'an undefined default runtime',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd]\n  default_runtime_name = "x"\n` },
      status: 'not-applicable',
      reason: /default-runtime-defined/,
    },
  ],
  firing: [
    {
      name: 'the removed v1 runtime (Calico restarts incident)',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd.runtimes.runc]\n  runtime_type = "io.containerd.runtime.v1.linux"\n` },
      violations: [
        {
          message:
            /runtime_type of the default runtime "runc" is "io\.containerd\.runtime\.v1\.linux" \(\/etc\/containerd\/config\.toml:3\); expected "io\.containerd\.runc\.v2"\./,
          evidence: { line: 3, observed: 'io.containerd.runtime.v1.linux' },
        },
      ],
    },
    {
      name: 'containerd 1.x: only options declared, so runtime_type is empty (seen with 1.6.20)',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd.runtimes.runc.options]\n  SystemdCgroup = true\n` },
      violations: [
        {
          message:
            /runtime_type of the default runtime "runc" is empty \(the runtime is declared at \/etc\/containerd\/config\.toml:2 without runtime_type, and containerd 1\.x keeps no built-in value/,
          evidence: { observed: '' },
        },
      ],
    },
  ],
});
