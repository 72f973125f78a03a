import { defineRule } from '../types.js';
import { notCollected } from '../helpers.js';

export default defineRule({
  id: 'crictl/config-present',
  title: 'crictl has a configuration file',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Without /etc/crictl.yaml, crictl probes a list of deprecated default endpoints, waiting for each to time out, and may end up talking to a different runtime than kubelet does.',
  remediation:
    "Create /etc/crictl.yaml with runtime-endpoint and image-endpoint set to containerd's socket (unix:///run/containerd/containerd.sock by default).",
  references: ['https://github.com/kubernetes-sigs/cri-tools/blob/master/docs/crictl.md'],
  target: '/crictl/file',
  schema: { type: 'object', properties: { state: { not: { const: 'missing' } } } },
  applies: ({ model }) => notCollected(model.crictl.file),
  describe: () => ({
    message: '/etc/crictl.yaml does not exist, so crictl probes deprecated default endpoints.',
    evidence: { file: '/etc/crictl.yaml', observed: 'missing' },
  }),
});
