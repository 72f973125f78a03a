import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/no-proxy-coverage",
  title: "NO_PROXY sends cluster-internal traffic direct",
  severity: 'error',
  mode: 'static',
  rationale:
    "With a proxy set, traffic to pod and service IPs, the control-plane endpoint and internal registries must bypass it; Go's NO_PROXY matching does not expand CIDRs to names or wildcards inside IPs.",
  remediation:
    "Add the pod and service CIDRs, the control-plane endpoint, node addresses, .svc, .cluster.local and internal registries to NO_PROXY.",
  references: [
    "https://pkg.go.dev/golang.org/x/net/http/httpproxy#Config",
    "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/",
  ],
});
