import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/clock-synced",
  title: "The system clock is synchronized",
  severity: 'warning',
  mode: 'live',
  rationale:
    "TLS bootstrap fails with \"certificate has expired or is not yet valid\" when the node's clock is off.",
  remediation:
    "Enable time synchronization (systemd-timesyncd or chrony) and wait for it to sync.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/timedatectl.html",
  ],
});
