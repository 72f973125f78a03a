import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/proxy-reachable",
  title: "Every proxy in containerd's environment accepts connections",
  severity: 'error',
  mode: 'live',
  rationale:
    "A dead proxy makes every image pull fail with \"proxyconnect tcp: ... connection refused\".",
  remediation:
    "Start the proxy, or remove it from containerd's environment and restart containerd.",
  references: [
    "https://pkg.go.dev/net/http#ProxyFromEnvironment",
  ],
});
