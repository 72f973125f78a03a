import { normalizeEndpoint, sameEndpoint } from '../../model/endpoints.js';
import { defineRule } from '../types.js';
import { at, containerdSocket, q, where } from '../helpers.js';

export default defineRule({
  id: 'kubelet/runtime-endpoint',
  title: "kubelet's configured runtime endpoint is containerd's socket",
  severity: 'error',
  mode: 'static',
  rationale:
    'A stale --container-runtime-endpoint (in kubeadm-flags.env or KUBELET_EXTRA_ARGS) or containerRuntimeEndpoint makes kubelet dial a socket nobody serves, so the node never becomes Ready.',
  remediation:
    "Point every configured runtime endpoint (--container-runtime-endpoint, containerRuntimeEndpoint in /var/lib/kubelet/config.yaml or instance-config.yaml) at containerd's socket, or remove it.",
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubelet-integration/',
    'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
  ],
  applies: ({ model }) =>
    model.kubelet.runtimeEndpoints.length === 0
      ? 'no runtime endpoint is configured yet; kubeadm writes one at join from its criSocket'
      : undefined,
  check: (ctx) => {
    const socket = containerdSocket(ctx);
    return ctx.model.kubelet.runtimeEndpoints
      .filter((ep) => !sameEndpoint(ep.value, socket.value))
      .map((ep) => ({
        message: `kubelet's runtime endpoint is ${q(ep.value)} (${where(ep.source)}); containerd serves ${socket.value} (${where(socket.source)}).`,
        evidence: { ...at(ep.source), observed: ep.value, expected: normalizeEndpoint(socket.value) },
      }));
  },
});
