import { defineRule } from '../types.js';

export default defineRule({
  id: "runtime/port-10250-free",
  title: "Nothing listens on the kubelet port",
  severity: 'error',
  mode: 'live',
  aliases: ["Port-10250"],
  rationale:
    "kubelet cannot start when port 10250 is taken, usually by a kubelet from a previous join.",
  remediation:
    "Stop whatever listens on port 10250 (often an old kubelet: kubeadm reset).",
  references: [
    "https://kubernetes.io/docs/reference/networking/ports-and-protocols/",
  ],
});
