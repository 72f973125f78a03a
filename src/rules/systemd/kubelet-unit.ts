import { defineRule } from '../types.js';

export default defineRule({
  id: "systemd/kubelet-unit",
  title: "kubelet.service exists and is not masked",
  severity: 'error',
  mode: 'static',
  aliases: ["Service-Kubelet"],
  rationale:
    "kubeadm join starts kubelet through kubelet.service; a missing or masked unit makes the join time out.",
  remediation:
    "Install the kubelet package (which ships kubelet.service and its kubeadm drop-in) and unmask the unit.",
  references: [
    "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubelet-integration/",
  ],
});
