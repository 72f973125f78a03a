import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG, V3_GOOD } from '../../helpers/containerd.js';

testRule('containerd/config-parses', {
  quiet: [
    {
      name: 'valid main file and import',
      files: { [CONFIG]: `imports = ["/etc/containerd/conf.d/*.toml"]\n${V3_GOOD}`, '/etc/containerd/conf.d/10-x.toml': 'version = 3\n' },
    },
    { name: 'no file at all', files: { '/etc/hostname': 'n\n' }, status: 'not-applicable', reason: /config-present/ },
  ],
  firing: [
    {
      name: 'an unterminated string in the main file',
      files: { [CONFIG]: 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "unterminated\n' },
      violations: [
        { message: /^\/etc\/containerd\/config\.toml:3:\d+ is not valid TOML \(.+\); containerd refuses to start\.$/, evidence: { file: CONFIG, line: 3 } },
      ],
    },
    {
      name: 'a duplicate table in an import, named with the file that imports it',
      files: { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/extra.toml"]\n', '/etc/containerd/extra.toml': '[grpc]\n[grpc]\n' },
      violations: [
        {
          message: /^\/etc\/containerd\/extra\.toml:2:\d+, imported by \/etc\/containerd\/config\.toml:2, is not valid TOML \(trying to redefine/,
          evidence: { file: '/etc/containerd/extra.toml' },
        },
      ],
    },
    {
      name: 'keys containerd decodes before anything else, with the wrong type',
      files: { [CONFIG]: 'version = "2"\n' },
      violations: [
        { message: /^\/etc\/containerd\/config\.toml:1:1 cannot be decoded \(version must be an integer, not "2"\); containerd refuses to start\.$/ },
      ],
    },
    {
      name: 'lists that are not lists of strings',
      files: {
        [CONFIG]: 'version = 2\nimports = ["a.toml", "b.toml"]\n',
        '/etc/containerd/a.toml': 'disabled_plugins = "cri"\n',
        '/etc/containerd/b.toml': 'imports = [7]\n',
      },
      violations: [
        {
          message:
            /^\/etc\/containerd\/a\.toml:1:1, imported by \/etc\/containerd\/config\.toml:2, cannot be decoded \(disabled_plugins must be a list of plugin ids, not "cri"\)/,
        },
        { message: /^\/etc\/containerd\/b\.toml:1:1, imported by .* cannot be decoded \(imports must be a list of path strings, not \[7\]\)/ },
      ],
    },
    {
      name: 'an import that is a directory is not readable',
      files: { [CONFIG]: 'version = 2\nimports = ["/etc/containerd/conf.d/*.toml"]\n', '/etc/containerd/conf.d/x.toml/inner': '' },
      violations: [{ message: /x\.toml, imported by \/etc\/containerd\/config\.toml:2, cannot be read \(is a directory, not a file\)/ }],
    },
  ],
});
