import { defineRule } from '../types.js';

export default defineRule({
  id: "containerd/registry-ca-present",
  title: "Every registry CA and client certificate path exists and holds PEM",
  severity: 'error',
  mode: 'static',
  rationale:
    "A ca, ca_file or client path that does not exist or is not PEM makes every pull from that registry fail with a TLS error.",
  remediation:
    "Install the certificate at the configured path (relative hosts.toml paths resolve against the host directory) or fix the path.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/hosts.md",
  ],
});
