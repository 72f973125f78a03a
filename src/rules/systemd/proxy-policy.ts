import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/proxy-policy",
  title: "containerd's and kubelet's proxy settings follow the checklist",
  severity: 'error',
  mode: 'static',
  rationale:
    "containerd and kubelet are Go programs that read HTTP_PROXY and HTTPS_PROXY from their systemd environment; a stale proxy there breaks image pulls (\"proxyconnect tcp: ... connection refused\") while curl in a shell still works.",
  remediation:
    "Remove the proxy assignment (or correct it to the checklist's URL) in the named file, then run systemctl daemon-reload and restart the service.",
  references: [
    "https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html#Environment",
    "https://pkg.go.dev/golang.org/x/net/http/httpproxy",
  ],
});
