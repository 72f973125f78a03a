import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { KUBELET_PORT } from '../../model/live.js';
import { defineRule } from '../types.js';
import { liveOf, unavailable } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/port-10250-free',
  title: 'Nothing listens on the kubelet port',
  severity: 'error',
  mode: 'live',
  aliases: kubeadmNamesOf('runtime/port-10250-free'),
  rationale: 'kubelet cannot start when port 10250 is taken, usually by a kubelet from a previous join.',
  remediation: 'Stop whatever listens on port 10250 (often an old kubelet: kubeadm reset).',
  references: ['https://kubernetes.io/docs/reference/networking/ports-and-protocols/'],
  applies: ({ model }) => {
    const port = liveOf(model).kubeletPort;
    if (!port) return `Listeners on port ${KUBELET_PORT} were not probed in this snapshot`;
    return port.state === 'ok' ? undefined : unavailable(`Port ${KUBELET_PORT}`, port);
  },
  check: ({ model }) => {
    const { listeners } = liveOf(model).kubeletPort!;
    if (listeners.length === 0) return [];
    // ss -H -l -t -n: State Recv-Q Send-Q Local:Port Peer:Port
    const addresses = listeners.map((l) => l.split(/\s+/)[3] ?? l);
    return [
      {
        message: `Something already listens on the kubelet port ${KUBELET_PORT} (${addresses.join(', ')}), so kubelet cannot start; the port must be free.`,
        evidence: { path: '/live/kubeletPort/listeners', observed: addresses, expected: [] },
        alias: 'Port-10250',
      },
    ];
  },
});
