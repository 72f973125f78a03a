import { defineRule } from '../types.js';
import { containerdOf } from '../containerd-support.js';

const WHY = {
  missing: 'which does not exist',
  'not-a-file': 'which is not a regular file',
  'bad-pattern': 'which is not a valid glob pattern',
} as const;

export default defineRule({
  id: 'containerd/imports-resolve',
  title: 'Every import containerd is told to load exists',
  severity: 'error',
  mode: 'static',
  rationale: 'containerd refuses to start when a non-glob entry of imports does not exist, is a directory, or is a malformed glob.',
  remediation: 'Create the imported file or remove it from imports (a glob that matches nothing is fine).',
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md'],
  check: (ctx) =>
    containerdOf(ctx)
      .imports.filter((i) => i.problem)
      .map((i) => ({
        message: `${i.file}:${i.line} imports ${JSON.stringify(i.entry)}, ${WHY[i.problem!]}; containerd refuses to start.`,
        evidence: { file: i.file, line: i.line, path: 'imports', observed: i.entry },
      })),
});
