import { defineRule } from '../types.js';
import { liveOf, unavailable } from '../runtime-support.js';

export default defineRule({
  id: "runtime/socket-responds",
  title: "containerd's socket answers a version call",
  severity: 'error',
  mode: 'live',
  rationale:
    "A socket that exists but does not answer (a hung containerd) leaves pods stuck in Init or ContainerCreating.",
  remediation:
    "Restart containerd and check its log for the hang.",
  references: [
    "https://github.com/containerd/containerd/blob/main/docs/getting-started.md",
  ],
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
    if (connect!.state === 'failed') {
      return [{ message: `containerd's socket ${address} does not accept a connection (${connect!.detail}); containerd must be running and serving it.`, evidence: { ...evidence, observed: connect!.detail, expected: 'a connection' } }];
    }
    if (version!.state !== 'ok') {
      return [{ message: `containerd's socket ${address} accepts connections but the version call failed (${version!.detail}); a containerd that does not answer leaves pods stuck in Init.`, evidence: { ...evidence, observed: version!.detail, expected: 'a version answer' } }];
    }
    return [];
  },
});
