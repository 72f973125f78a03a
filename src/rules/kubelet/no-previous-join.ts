import { defineRule } from '../types.js';
import { kubeadmNamesOf } from '../../model/kubeadm.js';

/** kubeadm names its file checks after the path: /etc/kubernetes/kubelet.conf → FileAvailable--etc-kubernetes-kubelet.conf. */
const aliasFor = (path: string): string => `FileAvailable-${path.replaceAll('/', '-')}`;

/** The CA file: a control-plane join brings its own certificates, so kubeadm checks it on worker joins only. */
const CA_FILE = '/etc/kubernetes/pki/ca.crt';

export default defineRule({
  id: 'kubelet/no-previous-join',
  title: 'The node carries no kubeconfig or CA from a previous join',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('kubelet/no-previous-join'),
  rationale:
    'kubeadm join refuses to run when kubelet.conf or bootstrap-kubelet.conf already exist, and on a worker join when the cluster CA does: the node was joined before (possibly to another cluster) and was never reset. A control-plane join (checklist joinRole) brings its own certificates, so the CA is not checked there.',
  remediation: 'Run kubeadm reset on the node (or remove the files if you know they are stale), then join again.',
  references: [
    'https://kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-reset/',
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/preflight/checks.go',
  ],
  check: ({ model, checklist }) =>
    model.kubelet.previousJoinFiles
      .filter((f) => f.exists && !(f.path === CA_FILE && checklist.joinRole === 'control-plane'))
      .map(({ path }) => ({
        message: `${path} already exists, so the node looks joined to a cluster already.`,
        evidence: { file: path, observed: 'present', expected: 'absent' },
        alias: aliasFor(path),
      })),
});
