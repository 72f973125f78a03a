import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/containerd-unit",
  title: "containerd.service exists and is not masked",
  severity: 'error',
  mode: 'static',
  rationale:
    "Without a loadable containerd.service the runtime does not start at boot.",
  remediation:
    "Install containerd's unit file and unmask it (systemctl unmask containerd).",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html",
  ],
});
