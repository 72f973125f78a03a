import { normalizeEndpoint, sameEndpoint } from '../../model/endpoints.js';
import { defineRule, type Violation } from '../types.js';
import { at, containerdSocket, notCollected, q, where } from '../helpers.js';

export default defineRule({
  id: 'crictl/endpoints-match-runtime',
  title: 'crictl talks to the socket containerd serves',
  severity: 'error',
  mode: 'static',
  rationale:
    'Operators and tools inspect and pull images through crictl; an endpoint pointing at a stale or different socket makes a healthy runtime look dead, or a dead one look healthy.',
  remediation: "Set runtime-endpoint and image-endpoint in /etc/crictl.yaml to unix:// followed by containerd's grpc address.",
  references: ['https://github.com/kubernetes-sigs/cri-tools/blob/master/docs/crictl.md'],
  applies: ({ model }) => {
    const { file, problems } = model.crictl;
    if (file.state === 'missing') return '/etc/crictl.yaml does not exist (see crictl/config-present)';
    if (file.state === 'invalid' || file.state === 'unreadable' || problems.length > 0) {
      return 'crictl ignores /etc/crictl.yaml as it stands (see crictl/config-parses)';
    }
    return notCollected(file);
  },
  check: (ctx) => {
    const socket = containerdSocket(ctx);
    const { runtimeEndpoint, imageEndpoint } = ctx.model.crictl;
    if (!runtimeEndpoint) {
      return [
        {
          message: `runtime-endpoint is not set in /etc/crictl.yaml, so crictl probes deprecated default endpoints instead of containerd's ${socket.value}.`,
          evidence: { file: '/etc/crictl.yaml', path: 'runtime-endpoint', observed: null, expected: socket.value },
        },
      ];
    }
    const out: Violation[] = [];
    // An unset image-endpoint inherits runtime-endpoint: one mismatch, reported once.
    const endpoints = imageEndpoint === runtimeEndpoint ? [runtimeEndpoint] : [runtimeEndpoint, imageEndpoint!];
    for (const ep of endpoints) {
      if (sameEndpoint(ep.value, socket.value)) continue;
      const key = ep.source.key!;
      out.push({
        message: `${key} in /etc/crictl.yaml is ${q(ep.value)}; containerd serves ${socket.value} (${where(socket.source)}).`,
        evidence: { ...at(ep.source), path: key, observed: ep.value, expected: normalizeEndpoint(socket.value) },
      });
    }
    return out;
  },
});
