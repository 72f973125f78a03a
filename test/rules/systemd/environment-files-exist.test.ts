import { testRule } from '../../helpers/rule-tester.js';
import { PACKAGED_UNITS, service } from '../../helpers/units.js';

const DROPIN = '/etc/systemd/system/containerd.service.d/proxy.conf';

testRule('systemd/environment-files-exist', {
  quiet: [
    { name: "the packaged units: kubelet's files are optional", files: PACKAGED_UNITS },
    {
      name: 'a required file that exists, found through a glob',
      files: { ...PACKAGED_UNITS, [DROPIN]: service('EnvironmentFile=/etc/containerd/*.env'), '/etc/containerd/proxy.env': 'A=1\n' },
    },
  ],
  firing: [
    {
      name: 'a required file that is missing',
      files: { ...PACKAGED_UNITS, [DROPIN]: service('EnvironmentFile=/etc/containerd/proxy.env') },
      violations: [
        {
          message:
            /^containerd\.service requires EnvironmentFile=\/etc\/containerd\/proxy\.env \(\/etc\/systemd\/system\/containerd\.service\.d\/proxy\.conf:2, no leading "-"\), but no file matches it, so systemd will not start the service\.$/,
          evidence: { file: DROPIN, line: 2, observed: 'missing' },
        },
      ],
    },
    {
      name: 'a required path that is a directory',
      files: { ...PACKAGED_UNITS, '/etc/systemd/system/kubelet.service.d/20-env.conf': service('EnvironmentFile=/etc/kubelet'), '/etc/kubelet/x': '' },
      violations: [
        {
          message:
            /^kubelet\.service requires EnvironmentFile=\/etc\/kubelet .*, but \/etc\/kubelet: is a directory, not a file, so systemd will not start the service\.$/,
          evidence: { observed: 'unreadable' },
        },
      ],
    },
  ],
});
