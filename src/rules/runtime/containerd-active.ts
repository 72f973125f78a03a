import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/containerd-active",
  title: "containerd.service is active",
  severity: 'error',
  mode: 'live',
  rationale:
    "kubelet cannot create any pod while containerd is not running.",
  remediation:
    "Start containerd (systemctl enable --now containerd) and read journalctl -u containerd for why it stopped.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemctl.html",
  ],
});
