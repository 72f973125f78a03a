import { defineRule } from '../types.js';
import { at, where } from '../helpers.js';
import { settingsUnknown, containerdOf, release } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/default-runtime-defined',
  title: 'The default runtime names a defined runtime',
  severity: 'error',
  mode: 'static',
  rationale: 'When default_runtime_name is empty or names no runtime in runtimes, the CRI plugin fails to load and containerd runs without CRI.',
  remediation: 'Define [..runtimes.<name>] for the default runtime or set default_runtime_name to a defined runtime (runc).',
  references: ['https://github.com/containerd/containerd/blob/main/docs/cri/config.md'],
  applies: settingsUnknown,
  check: (ctx) => {
    const { cri } = containerdOf(ctx);
    const name = cri.defaultRuntimeName;
    if (name.value === '') {
      return [
        {
          message: `default_runtime_name is empty (${where(name.source)}); the CRI plugin of ${release(ctx)} fails to load.`,
          evidence: { ...at(name.source), observed: '', expected: 'a defined runtime such as runc' },
        },
      ];
    }
    if (cri.runtimes[name.value]) return [];
    const defined = Object.keys(cri.runtimes);
    const declared = Object.values(cri.runtimes)[0]?.source;
    // In 1.x a runtimes table replaces containerd's built-in runc entry instead of adding to it.
    const replaced =
      ctx.model.containerd.semantics.version.startsWith('1') && name.value === 'runc' && declared?.file
        ? ` because the runtimes declared at ${where(declared)} replace containerd 1.x's built-in runc entry`
        : '';
    return [
      {
        message: `default_runtime_name is ${JSON.stringify(name.value)} (${where(name.source)}), but the only runtimes defined are ${defined.length ? defined.map((d) => JSON.stringify(d)).join(', ') : 'none'}${replaced}; the CRI plugin fails to load.`,
        evidence: { ...at(name.source), observed: name.value, expected: defined },
      },
    ];
  },
});
