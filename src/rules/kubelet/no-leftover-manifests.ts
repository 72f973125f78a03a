import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';

/** The static Pods kubeadm writes for a control-plane node; a control-plane join checks each file (FileAvailable--etc-kubernetes-manifests-<pod>.yaml). */
const CONTROL_PLANE_PODS = ['kube-apiserver.yaml', 'kube-controller-manager.yaml', 'kube-scheduler.yaml', 'etcd.yaml'];

export default defineRule({
  id: 'kubelet/no-leftover-manifests',
  title: 'The static Pod directory holds no manifest from an earlier cluster',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('kubelet/no-leftover-manifests'),
  rationale:
    'kubelet starts every file in /etc/kubernetes/manifests as a static Pod as soon as it runs: a kube-apiserver.yaml or etcd.yaml left from another cluster starts a stray control plane on a worker. kubeadm stopped checking the directory on worker joins in 1.23, and on control-plane joins it checks only its four manifest files.',
  remediation: 'Run kubeadm reset on the node, or remove the leftover manifests from /etc/kubernetes/manifests, then join again.',
  references: ['https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/', 'https://github.com/kubernetes/kubernetes/pull/104942'],
  check: ({ model, checklist }) =>
    (model.join.manifests?.files ?? []).map((file) => {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const kubeadmChecks = checklist.joinRole === 'control-plane' && CONTROL_PLANE_PODS.includes(name);
      return {
        message: `${file} is a static Pod manifest, which kubelet starts as soon as it runs; a node about to join has none.`,
        evidence: { file, observed: 'present', expected: 'absent' },
        alias: kubeadmChecks ? `FileAvailable--etc-kubernetes-manifests-${name}` : 'DirAvailable--etc-kubernetes-manifests',
      };
    }),
});
