import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS } from '../../helpers/units.js';

testRule('systemd/kubelet-unit', {
  quiet: [
    { name: 'the packaged unit with the kubeadm drop-in', files: PACKAGED_UNITS },
    {
      name: "ignored by kubeadm's check name",
      files: { '/etc/hostname': 'n\n' },
      options: { ignore: ['service-kubelet'] },
      status: 'waived',
      ignoredBy: 'Service-Kubelet',
      reason: /Ignored by Service-Kubelet\.$/,
    },
  ],
  firing: [
    {
      name: 'not installed',
      files: { '/etc/hostname': 'n\n' },
      violations: [{ message: /^kubelet\.service is in none of systemd's unit directories/, alias: 'Service-Kubelet' }],
    },
    {
      name: 'masked by an empty file',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/kubelet.service': '' },
      violations: [
        {
          message: /^kubelet\.service is masked by \/etc\/systemd\/system\/kubelet\.service/,
          evidence: { file: '/etc/systemd/system/kubelet.service' },
          alias: 'Service-Kubelet',
        },
      ],
    },
  ],
});
