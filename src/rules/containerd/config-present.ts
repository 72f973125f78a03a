import { defineRule } from '../types.js';
import { containerdOf, release } from '../containerd-support.js';
import { where } from '../helpers.js';

export default defineRule({
  id: 'containerd/config-present',
  title: 'containerd has a configuration file',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Without its configuration file (/etc/containerd/config.toml, or the file containerd.service names with --config) containerd runs its built-in defaults, which differ between releases (sandbox image, SystemdCgroup, registry directory); the node then depends on whichever containerd version is installed.',
  remediation:
    'Write the configuration file containerd is started with (/etc/containerd/config.toml unless containerd.service passes --config; start from containerd config default) and set the values the checklist expects.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md'],
  target: '/containerd/configFile',
  schema: { type: 'object', properties: { state: { not: { const: 'missing' } } } },
  describe: (_error, _value, ctx) => {
    const c = containerdOf(ctx);
    const path = c.configFile.path;
    // The file containerd.service names with --config is the one that matters; say so when it is not the default.
    const named = c.configSource.file ? ` (containerd.service starts containerd with --config ${path} at ${where(c.configSource)})` : '';
    return {
      message: `${path} does not exist${named}, so containerd runs the built-in defaults of ${release(ctx)} (sandbox image ${c.cri.sandboxImage.value}, SystemdCgroup false).`,
      evidence: { file: path, observed: 'missing' },
    };
  },
});
