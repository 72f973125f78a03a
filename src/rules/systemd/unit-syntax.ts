import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/unit-syntax",
  title: "Units and drop-ins have no line systemd ignores or rejects",
  severity: 'warning',
  mode: 'static',
  rationale:
    "systemd drops values silently: an unquoted space, an unknown escape or an unknown % specifier in Environment= loses settings without failing the unit.",
  remediation:
    "Quote values that contain spaces, escape backslashes and percent signs (%%), and fix the reported lines.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html",
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment=",
  ],
});
