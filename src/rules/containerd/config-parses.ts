import { defineRule } from '../types.js';
import { containerdOf } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/config-parses',
  title: "containerd's configuration and every import are valid TOML",
  severity: 'error',
  mode: 'static',
  rationale: 'containerd refuses to start when its main file or any import is not valid TOML, so the node has no container runtime at all.',
  remediation: 'Fix the TOML syntax at the reported line and column, then check the file with containerd config dump.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md', 'https://toml.io/en/v1.0.0'],
  applies: (ctx) => (containerdOf(ctx).configFile.state === 'missing' ? 'there is no /etc/containerd/config.toml (see containerd/config-present)' : undefined),
  check: (ctx) =>
    containerdOf(ctx)
      .files.filter((f) => f.state === 'invalid' || f.state === 'unreadable')
      .map((f) => {
        const e = f.error!;
        const at = e.line ? `${f.path}:${e.line}:${e.column}` : f.path;
        const what =
          f.state === 'unreadable' ? `cannot be read (${e.message})` : e.decode ? `cannot be decoded (${e.message})` : `is not valid TOML (${e.message})`;
        const via = f.importedBy ? `, imported by ${f.importedBy.file}:${f.importedBy.line},` : '';
        return {
          message: `${at}${via} ${what}; containerd refuses to start.`,
          evidence: { file: f.path, ...(e.line ? { line: e.line, column: e.column } : {}), observed: e.message },
        };
      }),
});
