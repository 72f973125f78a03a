import { testRule } from '../../helpers/rule-tester.js';
import { CONFIG } from '../../helpers/containerd.js';

testRule('containerd/imports-resolve', {
  quiet: [
    {
      name: 'relative import and a glob that matches nothing',
      files: { [CONFIG]: 'version = 2\nimports = ["extra.toml", "conf.d/*.toml"]\n', '/etc/containerd/extra.toml': '' },
    },
    { name: 'no imports', files: { [CONFIG]: 'version = 2\n' } },
    {
      name: 'an import cycle: each path string loads once',
      files: { [CONFIG]: 'version = 2\nimports = ["a.toml"]\n', '/etc/containerd/a.toml': 'imports = ["config.toml", "/etc/containerd/a.toml"]\n' },
    },
  ],
  firing: [
    {
      name: 'a missing non-glob import',
      files: { [CONFIG]: 'version = 2\nimports = ["missing.toml"]\n' },
      violations: [
        {
          message: /^\/etc\/containerd\/config\.toml:2 imports "missing\.toml", which does not exist; containerd refuses to start\.$/,
          evidence: { file: CONFIG, line: 2, observed: 'missing.toml' },
        },
      ],
    },
    {
      name: 'a directory and a bad pattern, from a nested import',
      files: {
        [CONFIG]: 'version = 2\nimports = ["sub/a.toml"]\n',
        '/etc/containerd/sub/a.toml': 'imports = ["d", "x/[*.toml"]\n',
        '/etc/containerd/sub/d/keep': '',
        '/etc/containerd/sub/x/a.toml': '',
      },
      violations: [
        { message: /sub\/a\.toml:1 imports "d", which is not a regular file/ },
        { message: /imports "x\/\[\*\.toml", which is not a valid glob pattern/ },
      ],
    },
  ],
});
