import { defineRule } from '../types.js';
import { SERVICES, evidenceAt, place } from '../systemd-support.js';

export default defineRule({
  id: 'systemd/unit-syntax',
  title: 'Units and drop-ins have no line systemd ignores or rejects',
  severity: 'warning',
  mode: 'static',
  rationale:
    'systemd drops values silently: an unquoted space, an unknown escape (CORP\\user), an unknown % specifier (a URL-encoded password) or a lower-case key in Environment= loses settings without failing the unit, and a line in an environment file that is not NAME=VALUE (export NAME=…) is skipped.',
  remediation:
    'Quote values that contain blanks, write backslashes as \\\\ and percent signs as %%, keep keys and sections in their exact case, drop "export" from environment files, then run systemctl daemon-reload.',
  references: [
    'https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html',
    'https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment=',
  ],
  check: ({ model }) => {
    const problems = [...model.systemd.manager.problems, ...SERVICES.flatMap((name) => model.systemd.units[name]!.problems)];
    // An environment file both units read is reported once.
    const seen = new Set<string>();
    return problems.flatMap((p) => {
      const key = `${place(p)}\0${p.message}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ message: `${place(p)}: ${p.message}.`, evidence: evidenceAt(p, p.message, 'a line systemd applies') }];
    });
  },
});
