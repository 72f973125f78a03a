import type { ContainerdKeyProblem } from '../../model/types.js';
import { defineRule, type Violation } from '../types.js';
import { containerdOf, noConfigRead, release } from '../containerd-support.js';

/** What containerd does with a value it cannot decode, by where it is. */
function undecodable(p: ContainerdKeyProblem, rel: string): string {
  if (p.runtime !== undefined) return `containers of runtime ${p.runtime} fail to start`;
  if (p.plugin !== undefined) return `${rel} fails to load the plugin ${p.plugin}`;
  return `${rel} refuses to start`;
}

/** What containerd does with an unknown key: 1.x drops it silently, 2.x logs a warning (never for runc options). */
function dropped(p: ContainerdKeyProblem, rel: string, major: string): string {
  if (p.runtime !== undefined) return `${rel} drops it silently, so runtime ${p.runtime} runs without it`;
  return major === '1' ? `${rel} ignores it silently` : `${rel} ignores it and only logs a warning`;
}

export default defineRule({
  id: 'containerd/known-keys',
  title: "Every key in containerd's configuration is one containerd knows",
  severity: 'warning',
  mode: 'static',
  rationale:
    'containerd ignores unknown keys without failing, so a typo such as SystemCgroup or sandbox_imag leaves the built-in default in place while the file looks right; a value of the wrong type stops containerd or the plugin it configures.',
  remediation: 'Correct or remove the unknown key (the finding names the nearest known key), or give the value the type containerd decodes there.',
  references: [
    'https://github.com/containerd/containerd/blob/main/docs/cri/config.md',
    'https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md',
  ],
  applies: noConfigRead,
  check: (ctx) => {
    const c = containerdOf(ctx);
    const rel = release(ctx);
    const major = c.semantics.version[0]!;
    return c.keys.problems.map((p): Violation => {
      const at = `${p.file}:${p.line}`;
      const evidence = { file: p.file, line: p.line, column: p.column, path: p.key };
      const hint = p.suggestion ? ` (did you mean ${JSON.stringify(p.suggestion)}?)` : '';
      if (p.kind === 'type') {
        return {
          message: `${at}: ${p.key} must be ${p.expected}; ${undecodable(p, rel)}.`,
          evidence: { ...evidence, expected: p.expected },
          severity: 'error',
        };
      }
      if (p.kind === 'unknown-plugin') {
        return {
          message: `${at}: ${p.key} is not a plugin of ${rel}${hint}, so the section configures nothing.`,
          evidence: { ...evidence, expected: p.suggestion },
        };
      }
      const what = p.runtime !== undefined ? 'runc has no option' : 'unknown key';
      return {
        message: `${at}: ${what} ${p.key}${hint}; ${dropped(p, rel, major)}.`,
        evidence: { ...evidence, ...(p.suggestion ? { expected: p.suggestion } : {}) },
      };
    });
  },
});
