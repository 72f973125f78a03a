import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const PROXY = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const files = { ...PACKAGED_UNITS, [PROXY]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897') };

testRule('systemd/drop-ins-allowed', {
  quiet: [
    { name: "kubeadm's drop-in only", files: PACKAGED_UNITS },
    { name: 'allowed by file name', files, checklist: { systemd: { allowedDropIns: { 'containerd.service': ['http-proxy.conf'] } } } },
    { name: 'allowed by path', files, checklist: { systemd: { allowedDropIns: { 'containerd.service': [PROXY] } } } },
    { name: 'a drop-in of a masked unit does not apply', files: { ...files, '/etc/systemd/system/containerd.service': { link: '/dev/null' } } },
  ],
  firing: [
    {
      name: 'the stale proxy drop-in',
      files,
      violations: [
        {
          message:
            /^containerd\.service has the drop-in \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf, which systemd\.allowedDropIns does not list \(allowed: none\)\.$/,
          evidence: { file: PROXY, observed: 'http-proxy.conf', expected: [] },
        },
      ],
    },
    {
      name: "a type-level service.d drop-in and a mask of kubeadm's drop-in, with a custom list",
      files: {
        ...PACKAGED_UNITS,
        '/etc/systemd/system/service.d/50-all.conf': service('Environment=A=1'),
        '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf': { link: '/dev/null' },
      },
      checklist: { systemd: { allowedDropIns: { 'kubelet.service': ['20-site.conf'] } } },
      violations: [
        { message: /^containerd\.service has the drop-in \/etc\/systemd\/system\/service\.d\/50-all\.conf/ },
        {
          message:
            /^kubelet\.service has the drop-in \/etc\/systemd\/system\/kubelet\.service\.d\/10-kubeadm\.conf \(a mask\), which .* \(allowed: 20-site\.conf\)\.$/,
        },
        { message: /^kubelet\.service has the drop-in \/etc\/systemd\/system\/service\.d\/50-all\.conf/ },
      ],
    },
  ],
});
