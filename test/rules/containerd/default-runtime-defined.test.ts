import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';

testRule('containerd/default-runtime-defined', {
  quiet: [
    { name: 'runc by default', files: { [CONFIG]: V2_GOOD } },
    {
      name: 'containerd 2.x keeps its built-in runc when another runtime is declared',
      files: { [CONFIG]: `${V3_GOOD}[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.kata]\n  runtime_type = 'io.containerd.kata.v2'\n` },
    },
    { name: 'built-in defaults', files: { '/etc/hostname': 'n\n' } },
  ],
  firing: [
    {
      name: 'containerd 1.x: declaring only kata replaces the built-in runc (seen with 1.6.20)',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd.runtimes.kata]\n  runtime_type = "io.containerd.kata.v2"\n` },
      violations: [
        {
          message:
            /default_runtime_name is "runc" \(built-in default of containerd 1\.7\), but the only runtimes defined are "kata" because the runtimes declared at \/etc\/containerd\/config\.toml:2 replace containerd 1\.x's built-in runc entry; the CRI plugin fails to load\./,
        },
      ],
    },
    {
      name: 'a default runtime that is not defined',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd]\n  default_runtime_name = "nvidia"\n` },
      violations: [
        {
          message:
            /default_runtime_name is "nvidia" \(\/etc\/containerd\/config\.toml:3\), but the only runtimes defined are "runc"; the CRI plugin fails to load\./,
          evidence: { line: 3, observed: 'nvidia', expected: ['runc'] },
        },
      ],
    },
    {
      name: 'an empty default runtime name',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd]\n  default_runtime_name = ""\n` },
      violations: [{ message: /default_runtime_name is empty \(\/etc\/containerd\/config\.toml:3\)/ }],
    },
    {
      name: 'no runtime at all (an empty runtimes table replaces the map)',
      files: { [CONFIG]: `version = 2\n[${CRI}.containerd.runtimes]\n` },
      violations: [{ message: /the only runtimes defined are none/ }],
    },
  ],
});
