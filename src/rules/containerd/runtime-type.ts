import { defineRule } from '../types.js';
import { at, q, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/runtime-type',
  title: 'The default runtime uses the runc v2 shim',
  severity: 'error',
  mode: 'static',
  rationale:
    'io.containerd.runtime.v1.linux and io.containerd.runc.v1 were removed in containerd 2.0, and an empty or unknown runtime_type makes every pod fail to start.',
  remediation: 'Set runtime_type = "io.containerd.runc.v2" for the default runtime (or a type the checklist allows).',
  references: [
    'https://github.com/containerd/containerd/blob/main/docs/cri/config.md',
    'https://github.com/containerd/containerd/blob/main/RELEASES.md#deprecated-config-properties',
  ],
  applies: (ctx) => {
    const reason = settingsUnknown(ctx);
    if (reason) return reason;
    const { cri } = containerdOf(ctx);
    return cri.runtimes[cri.defaultRuntimeName.value] ? undefined : 'the default runtime is not defined (see containerd/default-runtime-defined)';
  },
  check: (ctx) => {
    const { cri } = containerdOf(ctx);
    const name = cri.defaultRuntimeName.value;
    const { type } = cri.runtimes[name]!;
    const allowed = ctx.checklist.allowedRuntimeTypes;
    if (allowed.includes(type.value)) return [];
    const observed =
      type.value === ''
        ? `empty (the runtime is declared at ${where(type.source)} without runtime_type, and containerd 1.x keeps no built-in value for a declared runtime)`
        : `${q(type.value)} (${where(type.source)})`;
    return [
      {
        message: `runtime_type of the default runtime ${q(name)} is ${observed}; expected ${allowed.map(q).join(' or ')}.`,
        evidence: { ...at(type.source), observed: type.value, expected: allowed },
      },
    ];
  },
});
