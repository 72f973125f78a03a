import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V2_GOOD, V3_GOOD } from '../../helpers/containerd.js';

const CRI = 'plugins."io.containerd.grpc.v1.cri"';
const RUNC = `${CRI}.containerd.runtimes.runc`;
const on = (containerdVersion: string) => ({ containerdVersion });

testRule('containerd/known-keys', {
  quiet: [
    { name: 'a version 2 configuration on containerd 1.7', files: { [CONFIG]: V2_GOOD } },
    { name: 'a version 3 configuration on containerd 2.2', files: { [CONFIG]: V3_GOOD }, checklist: on('2.2') },
    {
      name: 'a version 1 configuration with short ids',
      files: { [CONFIG]: '[plugins.cri]\n  sandbox_image = "registry.k8s.io/pause:3.10"\n[plugins.cri.containerd]\n  snapshotter = "overlayfs"\n' },
    },
    {
      name: "1.x's go-toml v1 finds a field by its name in lower case, upper case or with the first letter lowered",
      files: {
        [CONFIG]: `version = 2\n[${CRI}]\n  SANDBOX_IMAGE = "registry.k8s.io/pause:3.10"\n[${RUNC}.options]\n  systemdCgroup = true\n  binaryname = "/usr/bin/runc"\n`,
      },
    },
    {
      name: "2.x's go-toml v2 ignores case",
      files: {
        [CONFIG]: `version = 3\n[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]\n  SystemDCgroup = true\n[plugins.'io.containerd.cri.v1.images']\n  Max_Concurrent_Downloads = 3\n`,
      },
      checklist: on('2.1'),
    },
    {
      name: 'options of a shim other than runc, a plugin id of some external plugin, map keys of any name',
      files: {
        [CONFIG]: `version = 2\n[${CRI}.containerd.runtimes.kata]\n  runtime_type = "io.containerd.kata.v2"\n  [${CRI}.containerd.runtimes.kata.options]\n    ConfigPath = "/etc/kata/configuration.toml"\n[plugins."io.example.snapshotter.v1.custom"]\n  anything = 1\n[timeouts]\n  "io.containerd.timeout.whatever" = "5s"\n`,
      },
    },
    { name: 'no configuration file', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /reads no configuration file/ },
  ],
  firing: [
    {
      name: 'a typo in a runc option: SystemdCgroup stays false without a word from containerd',
      files: { [CONFIG]: `version = 2\n[${RUNC}]\n  runtime_type = "io.containerd.runc.v2"\n  [${RUNC}.options]\n    SystemdCgroups = true\n` },
      violations: [
        {
          message:
            /^\/etc\/containerd\/config\.toml:5: runc has no option plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runc\.options\.SystemdCgroups \(did you mean "SystemdCgroup"\?\); containerd 1\.7 drops it silently, so runtime runc runs without it\.$/,
          evidence: { file: CONFIG, line: 5, expected: 'SystemdCgroup' },
        },
      ],
    },
    {
      name: '1.x does not ignore case beyond its four spellings',
      files: { [CONFIG]: `version = 2\n[${RUNC}]\n  runtime_type = "io.containerd.runc.v2"\n[${RUNC}.options]\n  SystemDCgroup = true\n` },
      violations: [{ message: /:5: runc has no option .*SystemDCgroup \(did you mean "SystemdCgroup"\?\)/ }],
    },
    {
      name: 'a misspelt CRI key in a version 2 file and an unknown top-level key',
      files: { [CONFIG]: `version = 2\nroot_dir = "/var/lib/containerd"\n[${CRI}]\n  sandbox_imag = "registry.k8s.io/pause:3.10"\n` },
      violations: [
        { message: /^\/etc\/containerd\/config\.toml:2: unknown key root_dir; containerd 1\.7 ignores it silently\.$/ },
        {
          message:
            /:4: unknown key plugins\."io\.containerd\.grpc\.v1\.cri"\.sandbox_imag \(did you mean "sandbox_image"\?\); containerd 1\.7 ignores it silently\./,
        },
      ],
    },
    {
      name: "kind's misspelt hugetlb key (a real published config)",
      files: { [CONFIG]: `version = 2\n[${CRI}]\n  tolerate_missing_hugepages_controller = true\n` },
      violations: [{ message: /unknown key .*tolerate_missing_hugepages_controller \(did you mean "tolerate_missing_hugetlb_controller"\?\)/ }],
    },
    {
      name: '2.x: a key removed in 2.0 arrives through the migration of a version 2 file, and 2.x logs only a warning',
      files: { [CONFIG]: `version = 2\n[${CRI}]\n  systemd_cgroup = true\n[${CRI}.containerd]\n  no_pivot = true\n` },
      checklist: on('2.1'),
      violations: [
        {
          message:
            /^\/etc\/containerd\/config\.toml:3: unknown key plugins\."io\.containerd\.grpc\.v1\.cri"\.systemd_cgroup; containerd 2\.1 ignores it and only logs a warning\.$/,
        },
        { message: /:5: unknown key plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.no_pivot;/ },
      ],
    },
    {
      name: 'a plugin id one letter off',
      files: { [CONFIG]: `version = 2\n[plugins."io.containerd.grpc.v1.cr"]\n  sandbox_image = "x"\n` },
      violations: [
        {
          message:
            /^\/etc\/containerd\/config\.toml:2: plugins\."io\.containerd\.grpc\.v1\.cr" is not a plugin of containerd 1\.7 \(did you mean "io\.containerd\.grpc\.v1\.cri"\?\), so the section configures nothing\.$/,
          evidence: { expected: 'io.containerd.grpc.v1.cri' },
        },
      ],
    },
    {
      name: 'values containerd cannot decode: the daemon, the CRI plugin or the runtime fails',
      files: {
        [CONFIG]: `version = 2\noom_score = "high"\n[${CRI}]\n  max_concurrent_downloads = "3"\n  stream_idle_timeout = "4 hours"\n  [${RUNC}]\n    runtime_type = "io.containerd.runc.v2"\n  [${RUNC}.options]\n    SystemdCgroup = "true"\n`,
      },
      severity: 'error',
      violations: [
        { message: /^\/etc\/containerd\/config\.toml:2: oom_score must be an integer; containerd 1\.7 refuses to start\.$/, severity: 'error' },
        {
          message:
            /:4: plugins\."io\.containerd\.grpc\.v1\.cri"\.max_concurrent_downloads must be an integer; containerd 1\.7 fails to load the plugin io\.containerd\.grpc\.v1\.cri\.$/,
          severity: 'error',
        },
        { message: /:5: .*stream_idle_timeout must be a Go duration such as "30s" or "1h30m";/, severity: 'error' },
        { message: /:9: .*options\.SystemdCgroup must be true or false; containers of runtime runc fail to start\.$/, severity: 'error' },
      ],
    },
  ],
});
