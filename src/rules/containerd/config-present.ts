import { defineRule } from '../types.js';
import { containerdOf, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/config-present',
  title: 'containerd has a configuration file',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Without /etc/containerd/config.toml containerd runs its built-in defaults, which differ between releases (sandbox image, SystemdCgroup, registry directory); the node then depends on whichever containerd version is installed.',
  remediation: 'Write /etc/containerd/config.toml (start from containerd config default) and set the values the checklist expects.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md'],
  target: '/containerd/configFile',
  schema: { type: 'object', properties: { state: { not: { const: 'missing' } } } },
  describe: (_error, _value, ctx) => {
    const c = containerdOf(ctx);
    return {
      message: `/etc/containerd/config.toml does not exist, so containerd runs the built-in defaults of ${release(ctx)} (sandbox image ${c.cri.sandboxImage.value}, SystemdCgroup false).`,
      evidence: { file: '/etc/containerd/config.toml', observed: 'missing' },
    };
  },
});
