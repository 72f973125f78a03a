import { normalizeEndpoint, sameEndpoint } from '../../model/endpoints.js';
import { defineRule } from '../types.js';
import { at, q, where } from '../helpers.js';
import { settingsUnknown, containerdOf } from '../containerd-support.js';

export default defineRule({
  id: 'containerd/grpc-address',
  title: 'containerd serves the CRI socket the cluster expects',
  severity: 'warning',
  mode: 'static',
  rationale: 'kubeadm, kubelet and crictl find the runtime at the configured CRI socket; a different grpc address makes the runtime unreachable.',
  remediation: "Set [grpc] address (or the io.containerd.server.v1.grpc plugin's address for version 4) to the checklist's criSocket path.",
  references: ['https://github.com/containerd/containerd/blob/main/docs/man/containerd-config.toml.5.md'],
  applies: settingsUnknown,
  check: (ctx) => {
    const address = containerdOf(ctx).grpcAddress;
    if (sameEndpoint(address.value, ctx.targets.criSocket)) return [];
    return [
      {
        message: `containerd's gRPC address is ${q(address.value)} (${where(address.source)}); the checklist's criSocket is ${ctx.targets.criSocket}.`,
        evidence: { ...at(address.source), observed: address.value, expected: normalizeEndpoint(ctx.targets.criSocket) },
      },
    ];
  },
});
