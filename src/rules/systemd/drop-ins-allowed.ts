import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/drop-ins-allowed",
  title: "containerd and kubelet have only allowed drop-ins",
  severity: 'warning',
  mode: 'static',
  rationale:
    "Unmanaged drop-ins are how stale settings (a forgotten debug proxy, an old flag) survive configuration management and surface only as runtime failures.",
  remediation:
    "Remove the drop-in or add it to systemd.allowedDropIns in the checklist, then run systemctl daemon-reload.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html",
  ],
});
