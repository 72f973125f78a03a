import { testRule } from '../../helpers/rule-tester.js';
import { ACTIVE, NO_SYSTEMD, systemctlShow } from '../../live/fixtures.js';

const files = { '/etc/hostname': 'n\n' };

testRule('runtime/containerd-active', {
  quiet: [
    { name: 'active (running)', files, commands: systemctlShow(ACTIVE) },
    { name: 'offline snapshot', files, status: 'not-applicable', reason: /run with --online/ },
    {
      name: 'systemd is not PID 1',
      files,
      commands: NO_SYSTEMD,
      status: 'not-applicable',
      reason: /containerd\.service's state could not be checked: System has not been booted with systemd/,
    },
    { name: 'systemctl was not run', files, commands: {}, status: 'not-applicable', reason: /systemctl show containerd\.service was not run/ },
  ],
  firing: [
    {
      name: 'failed after a crash',
      files,
      commands: systemctlShow({ ...ACTIVE, ActiveState: 'failed', SubState: 'failed' }),
      violations: [
        {
          message: /^systemd reports containerd\.service as failed \(failed\); it must be active/,
          evidence: { path: '/live/systemd/activeState', observed: 'failed', expected: 'active' },
        },
      ],
    },
    { name: 'systemctl printed no state', files, commands: systemctlShow({ LoadState: 'loaded' }), violations: [{ message: /as unknown; it must be active/ }] },
    {
      name: 'not installed',
      files,
      commands: systemctlShow({ LoadState: 'not-found', ActiveState: 'inactive', SubState: 'dead' }),
      violations: [{ message: /as inactive \(dead\), and systemd knows no such unit/ }],
    },
  ],
});
