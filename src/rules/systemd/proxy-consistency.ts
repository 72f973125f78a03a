import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/proxy-consistency",
  title: "containerd and kubelet get the same proxy settings",
  severity: 'warning',
  mode: 'static',
  rationale:
    "Different proxy settings for containerd and kubelet, or upper- and lower-case variables that disagree, make pulls and API calls take different paths depending on which variable each program reads first.",
  remediation:
    "Set the same HTTP_PROXY, HTTPS_PROXY and NO_PROXY for both services, in one case only.",
  references: [
    "https://pkg.go.dev/golang.org/x/net/http/httpproxy#FromEnvironment",
  ],
});
