import { kubeadmNamesOf } from '../../model/kubeadm.js';
import { defineRule } from '../types.js';
import { unitLoadProblem } from '../systemd-support.js';

export default defineRule({
  id: 'systemd/kubelet-unit',
  title: 'kubelet.service exists and is not masked',
  severity: 'error',
  mode: 'static',
  aliases: kubeadmNamesOf('systemd/kubelet-unit'),
  rationale:
    'kubeadm join starts kubelet through kubelet.service; a unit that is missing, masked or that systemd refuses to load makes the join time out waiting for kubelet.',
  remediation:
    'Install the kubelet package (which ships kubelet.service and its kubeadm drop-in), unmask the unit (systemctl unmask kubelet) or fix the reported line.',
  references: ['https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/kubelet-integration/'],
  check: ({ model }) => {
    const problem = unitLoadProblem(model, 'kubelet.service');
    return problem ? [{ ...problem, alias: 'Service-Kubelet' }] : [];
  },
});
