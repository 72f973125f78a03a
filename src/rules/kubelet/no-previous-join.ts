import { defineRule } from '../types.js';
import { PREVIOUS_JOIN_FILES } from '../../model/kubelet.js';

/** kubeadm names its file checks after the path: /etc/kubernetes/kubelet.conf → FileAvailable--etc-kubernetes-kubelet.conf. */
const aliasFor = (path: string): string => `FileAvailable-${path.replaceAll('/', '-')}`;

export default defineRule({
  id: 'kubelet/no-previous-join',
  title: 'The node carries no kubeconfig or CA from a previous join',
  severity: 'error',
  mode: 'static',
  aliases: PREVIOUS_JOIN_FILES.map(aliasFor),
  rationale:
    'kubeadm join refuses to run when kubelet.conf, bootstrap-kubelet.conf or the cluster CA already exist: the node was joined before (possibly to another cluster) and was never reset.',
  remediation:
    'Run kubeadm reset on the node (or remove the files if you know they are stale), then join again.',
  references: ['https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/'],
  target: '/kubelet/previousJoinFiles',
  schema: { type: 'array', items: { type: 'object', properties: { exists: { const: false } } } },
  describe: (error, value) => {
    const index = Number(error.instancePath.split('/')[1]);
    const { path } = (value as { path: string }[])[index]!;
    return {
      message: `${path} already exists, so the node looks joined to a cluster already.`,
      evidence: { file: path, observed: 'present', expected: 'absent' },
      alias: aliasFor(path),
    };
  },
});
