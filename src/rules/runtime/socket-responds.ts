import { defineRule } from '../types.js';

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
});
