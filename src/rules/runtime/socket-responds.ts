import { defineRule } from '../types.js';
import { liveOf, unavailable } from '../runtime-support.js';

export default defineRule({
  id: 'runtime/socket-responds',
  title: "containerd's socket answers a version call",
  severity: 'error',
  mode: 'live',
  rationale: 'A socket that exists but does not answer (a hung containerd) leaves pods stuck in Init or ContainerCreating.',
  remediation:
    'Start containerd if its socket is missing or refuses connections; restart a containerd that accepts connections but does not answer, and check its log (journalctl -u containerd) for the hang.',
  references: ['https://github.com/containerd/containerd/blob/main/docs/getting-started.md'],
  applies: ({ model }) => {
    const { connect, version } = liveOf(model).socket;
    if (!connect || !version) return "containerd's socket was not probed in this snapshot";
    if (connect.state === 'unavailable') return unavailable("containerd's socket", connect);
    // A socket that refuses the connection fails without ctr; one that accepts needs the version call.
    if (connect.state === 'ok' && version.state === 'unavailable') return unavailable('The version call', version);
    return undefined;
  },
  check: ({ model }) => {
    const { address, connect, version } = liveOf(model).socket;
    const evidence = { file: address!, path: '/live/socket' };
    if (connect!.state === 'failed' && connect!.detail.startsWith('no such file or directory')) {
      return [
        {
          message: `containerd's socket ${address} does not exist: no containerd is serving it (start containerd, or point crictl and kubelet at the socket it serves).`,
          evidence: { ...evidence, observed: 'missing', expected: 'a socket that answers' },
          fix: `The socket ${address} is missing: start containerd (systemctl start containerd) and check its unit with systemctl status containerd, or point crictl and kubelet at the socket it serves.`,
        },
      ];
    }
    if (connect!.state === 'failed') {
      return [
        {
          message: `containerd's socket ${address} does not accept a connection (${connect!.detail}); containerd must be running and serving it.`,
          evidence: { ...evidence, observed: connect!.detail, expected: 'a connection' },
          fix: `Start containerd (systemctl start containerd) and check with systemctl status containerd and journalctl -u containerd why it does not serve ${address}.`,
        },
      ];
    }
    if (version!.state !== 'ok') {
      return [
        {
          message: `containerd's socket ${address} accepts connections but the version call failed (${version!.detail}); a containerd that does not answer leaves pods stuck in Init.`,
          evidence: { ...evidence, observed: version!.detail, expected: 'a version answer' },
          fix: 'Restart containerd (systemctl restart containerd) and check its log (journalctl -u containerd) for the hang.',
        },
      ];
    }
    return [];
  },
});
