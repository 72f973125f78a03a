import { testRule } from '../../helpers/rule-tester.js';

const CONFIG = '/etc/containerd/config.toml';
const BIG = `version = 2\n#${'x'.repeat(4 * 1024 * 1024)}\n`;

testRule('host/collection-complete', {
  quiet: [
    { name: 'a plain node: everything read', files: { '/etc/hostname': 'node-1\n', [CONFIG]: 'version = 2\n' } },
    {
      name: 'an import chain followed to its end, a cycle stopped',
      files: {
        [CONFIG]: 'version = 2\nimports = ["/etc/containerd/a.toml"]\n',
        '/etc/containerd/a.toml': 'imports = ["/etc/containerd/b.toml"]\n',
        '/etc/containerd/b.toml': 'imports = ["/etc/containerd/a.toml"]\n',
      },
    },
  ],
  firing: [
    {
      name: 'a file over the per-file cap',
      files: { [CONFIG]: BIG },
      violations: [
        {
          message:
            /^Collection stopped at a limit \(file-size\) at \/etc\/containerd\/config\.toml: larger than the 4194304-byte limit; what was not read was not checked\.$/,
          evidence: { file: CONFIG, path: '/collection/limits/0', observed: 'file-size' },
        },
      ],
    },
    {
      name: 'a file over the cap, the same reached through a link',
      files: { [CONFIG]: BIG, '/etc/containerd/conf.d/x.toml': { link: CONFIG }, '/etc/containerd/config.toml.d': { dir: true } },
      violations: [{ message: /\(file-size\) at \/etc\/containerd\/config\.toml/ }],
    },
  ],
});
