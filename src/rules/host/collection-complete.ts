import { defineRule } from '../types.js';

/**
 * A limit the collector reached is a failure, never a pass: a node whose
 * settings were not all read cannot be called ready. The rule is evaluated
 * even when --only leaves the host domain out, because a limit can hide what
 * any other rule needed (an import past the path budget, an environment file
 * behind a registry tree).
 */
export default defineRule({
  id: 'host/collection-complete',
  title: 'Everything the checks need was read',
  severity: 'error',
  mode: 'static',
  alwaysEvaluated: true,
  rationale:
    'The checker bounds its work on a hostile or broken root (paths, bytes, time, directory entries, file size, glob matches). Past a bound it stops reading, so a setting it did not read, such as an import chain deeper than the budget or an environment file, would otherwise be judged as absent.',
  remediation:
    'Find what made the node so large (a loop of imports, a directory of thousands of registries, a huge file, symlinks to directories above them) and remove it; the message names the limit and the path.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md'],
  check: ({ model }) =>
    model.collection.limits.map((l, i) => ({
      message: `Collection stopped at a limit (${l.limit})${l.path === undefined ? '' : ` at ${l.path}`}: ${l.message}; what was not read was not checked.`,
      evidence: { ...(l.path === undefined ? {} : { file: l.path }), path: `/collection/limits/${i}`, observed: l.limit, expected: 'everything read' },
    })),
});
