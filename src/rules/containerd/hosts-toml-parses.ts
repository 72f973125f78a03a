import { defineRule } from '../types.js';
import { containerdOf } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/hosts-toml-parses',
  title: 'Every hosts.toml parses and uses known keys and capabilities',
  severity: 'error',
  mode: 'static',
  rationale: 'containerd only logs a hosts.toml it cannot decode and then treats the directory as a Docker certs directory, so its mirrors silently disappear.',
  remediation: 'Fix the hosts.toml syntax, keys and capabilities (pull, resolve, push).',
  references: ['https://github.com/containerd/containerd/blob/main/docs/hosts.md'],
  check: (ctx) =>
    containerdOf(ctx).cri.registry.hostsDirs.flatMap((dir) =>
      dir.hostsToml.problems.map((p) => ({
        message: `${dir.hostsToml.path}${p.line ? `:${p.line}` : ''}: ${p.message}${p.fatal ? `; containerd drops this file, so pulls from ${dir.name} use no mirror and no CA from it` : ''}.`,
        evidence: { file: dir.hostsToml.path, ...(p.line ? { line: p.line, column: p.column } : {}), ...(p.key ? { path: p.key } : {}) },
        ...(p.fatal ? {} : { severity: 'warning' as const }),
      })),
    ),
});
