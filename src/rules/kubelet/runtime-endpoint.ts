import { normalizeEndpoint, sameEndpoint } from '../../model/endpoints.js';
import { KUBELET_CONFIG } from '../../model/kubelet.js';
import type { Sourced } from '../../model/types.js';
import { defineRule, type RuleContext } from '../types.js';
import { at, containerdSocket, q, where } from '../helpers.js';

/**
 * kubelet's own default when nothing sets an endpoint (KubeletConfiguration
 * v1beta1 defaults, Kubernetes 1.27 and later, when the flag moved into the
 * configuration): the containerd socket.
 */
export const KUBELET_DEFAULT_ENDPOINT = 'unix:///run/containerd/containerd.sock';

/** The endpoints kubelet is configured with, or its default when the config is not kubeadm's (kubeadm writes one at join). */
function endpoints(ctx: RuleContext): Sourced<string>[] {
  const { kubelet } = ctx.model;
  if (kubelet.runtimeEndpoints.length > 0 || kubelet.config.path === KUBELET_CONFIG) return kubelet.runtimeEndpoints;
  return [
    {
      value: KUBELET_DEFAULT_ENDPOINT,
      source: { default: `kubelet's default, as nothing sets containerRuntimeEndpoint (its --config is ${kubelet.config.path}, which kubeadm does not write)` },
    },
  ];
}

export default defineRule({
  id: 'kubelet/runtime-endpoint',
  title: "kubelet's configured runtime endpoint is containerd's socket",
  severity: 'error',
  mode: 'static',
  rationale:
    'A stale --container-runtime-endpoint (in kubeadm-flags.env or KUBELET_EXTRA_ARGS) or containerRuntimeEndpoint in the file kubelet is started with makes kubelet dial a socket nobody serves, so the node never becomes Ready.',
  remediation:
    "Point every configured runtime endpoint (--container-runtime-endpoint, containerRuntimeEndpoint in kubelet's --config file, its --config-dir drop-ins or kubeadm's instance-config.yaml) at containerd's socket, or remove it.",
  references: [
    'https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubelet-integration/',
    'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
  ],
  applies: (ctx) =>
    endpoints(ctx).length === 0
      ? `nothing sets a runtime endpoint yet and kubelet's --config is kubeadm's ${KUBELET_CONFIG}, which kubeadm writes at join from its criSocket`
      : undefined,
  check: (ctx) => {
    const socket = containerdSocket(ctx);
    return endpoints(ctx)
      .filter((ep) => !sameEndpoint(ep.value, socket.value))
      .map((ep) => ({
        message: `kubelet's runtime endpoint is ${q(ep.value)} (${where(ep.source)}); containerd serves ${socket.value} (${where(socket.source)}).`,
        evidence: { ...at(ep.source), observed: ep.value, expected: normalizeEndpoint(socket.value) },
      }));
  },
});
