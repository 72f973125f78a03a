import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/shell-env-divergence",
  title: "Login shells and containerd see the same proxy settings",
  severity: 'info',
  mode: 'static',
  rationale:
    "When containerd's environment carries a proxy that /etc/environment and /etc/profile.d do not (or the reverse), curl in a shell and crictl pull behave differently, which hides the cause of pull failures.",
  remediation:
    "Make the proxy settings of /etc/environment, /etc/profile.d and containerd's unit agree, or remove the stale ones.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment%20Variables%20in%20Spawned%20Processes",
  ],
});
