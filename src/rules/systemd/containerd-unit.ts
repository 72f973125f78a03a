import { defineRule } from '../types.js';
import { unitLoadProblem } from '../systemd-support.js';

export default defineRule({
  id: 'systemd/containerd-unit',
  title: 'containerd.service exists and is not masked',
  severity: 'error',
  mode: 'static',
  rationale:
    'Without a loadable containerd.service the runtime does not start at boot: a unit missing from every unit directory, masked by a symlink to /dev/null or an empty file, or with a unit file systemd refuses to parse.',
  remediation: "Install containerd's unit file, unmask it (systemctl unmask containerd) or fix the reported line, then run systemctl daemon-reload.",
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html'],
  check: ({ model }) => {
    const problem = unitLoadProblem(model, 'containerd.service');
    return problem ? [problem] : [];
  },
});
