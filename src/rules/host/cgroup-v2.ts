import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';

export default defineRule({
  id: 'host/cgroup-v2',
  title: 'The host uses the unified cgroup v2 hierarchy',
  severity: 'warning',
  mode: 'static',
  aliases: kubeadmNamesOf('host/cgroup-v2'),
  rationale:
    'cgroup v1 is in maintenance mode in Kubernetes and containerd; kubelet 1.35 and later refuse cgroup v1 hosts by default, so the check is an error from Kubernetes 1.35.',
  remediation:
    'Boot with the unified hierarchy (systemd.unified_cgroup_hierarchy=1, the default on current distributions) or use a distribution release that defaults to cgroup v2.',
  references: [
    'https://kubernetes.io/docs/concepts/architecture/cgroups/',
    'https://github.com/kubernetes/enhancements/tree/master/keps/sig-node/5573-remove-cgroup-v1',
  ],
  target: '/host/cgroup/version',
  schema: { const: 2 },
  applies: ({ model }) =>
    model.host.cgroup.version === null ? '/sys/fs/cgroup is not available under the root (an image has no live cgroup file system)' : undefined,
  severityFor: ({ targets }) => (targets.kubernetesMinor >= 35 ? 'error' : 'warning'),
  describe: () => ({
    message: '/sys/fs/cgroup has no cgroup.controllers, so the host runs cgroup v1 (legacy or hybrid).',
    evidence: { file: '/sys/fs/cgroup/cgroup.controllers', observed: 'cgroup v1', expected: 'cgroup v2' },
    // kubeadm's SystemVerification runs the cgroup validator, which warns on cgroup v1 (an error for kubelet 1.35+).
    alias: 'SystemVerification',
  }),
});
