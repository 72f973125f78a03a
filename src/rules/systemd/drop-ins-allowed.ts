import { basename } from '../../snapshot/paths.js';
import { defineRule } from '../types.js';
import { SERVICES } from '../systemd-support.js';

export default defineRule({
  id: 'systemd/drop-ins-allowed',
  title: 'containerd and kubelet have only allowed drop-ins',
  severity: 'warning',
  mode: 'static',
  rationale:
    'Unmanaged drop-ins are how stale settings (a forgotten debug proxy, an old flag) survive configuration management and surface only as runtime failures; drop-ins from every unit directory apply, even when the unit file itself is replaced in /etc.',
  remediation:
    'Remove the drop-in (or mask it with a same-named symlink to /dev/null in /etc) or add its file name to systemd.allowedDropIns in the checklist, then run systemctl daemon-reload.',
  references: ['https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html'],
  check: ({ model, checklist }) =>
    SERVICES.flatMap((name) => {
      const unit = model.systemd.units[name]!;
      // Entries are file names (10-kubeadm.conf) or full node paths; the embedded default lists both units.
      const allowed = checklist.systemd.allowedDropIns[name]!;
      return unit.dropInPaths
        .filter((path) => !allowed.includes(basename(path)) && !allowed.includes(path))
        .map((path) => ({
          message: `${name} has the drop-in ${path}${unit.maskedDropIns.includes(path) ? ' (a mask)' : ''}, which systemd.allowedDropIns does not list (allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}).`,
          evidence: { file: path, path: `/systemd/units/${name}/dropInPaths`, observed: basename(path), expected: allowed },
        }));
    }),
});
