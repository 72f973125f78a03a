import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/config-applied",
  title: "The running containerd uses what is on disk",
  severity: 'error',
  mode: 'live',
  rationale:
    "Unit files, drop-ins and config.toml take effect only after daemon-reload and a restart; a node whose fix was never applied looks correct on disk.",
  remediation:
    "Run systemctl daemon-reload and systemctl restart containerd.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemctl.html#daemon-reload",
  ],
});
