import { defineRule } from '../types.js';

export default defineRule({
  id: 'host/single-cri-socket',
  title: 'kubeadm finds one CRI socket, or is told which one to use',
  severity: 'error',
  mode: 'static',
  rationale:
    'When its configuration names no CRI socket, kubeadm probes the containerd, CRI-O and cri-dockerd sockets and refuses to guess when more than one exists ("found multiple CRI endpoints on the host"), before any preflight check, so --ignore-preflight-errors cannot skip it.',
  remediation:
    'Stop and disable the runtime the node does not use (and remove its socket), or name the socket: criSocket in the checklist and nodeRegistration.criSocket (or --cri-socket) for kubeadm join.',
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/#installing-runtime',
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/util/runtime/runtime.go',
  ],
  check: ({ model, explicit, checklist }) => {
    const sockets = model.join.criSockets;
    // kubelet's configured endpoint or the checklist's explicit criSocket say which runtime the node uses.
    if (sockets.length < 2 || model.kubelet.runtimeEndpoints.length > 0 || explicit?.has('criSocket')) return [];
    return [
      {
        message: `${sockets.length} CRI sockets exist (${sockets.map((s) => `${s.runtime} at ${s.path}`).join(', ')}) and nothing names one, so kubeadm join refuses to choose; set criSocket (the checklist expects ${checklist.criSocket}).`,
        evidence: { path: '/join/criSockets', observed: sockets.map((s) => s.path), expected: 'one socket, or criSocket set' },
      },
    ];
  },
});
