// Recorded probe results for the rule tests, in the shape collectLive() writes
// them. systemd is not PID 1 on this machine and crictl, chrony and a kubelet
// are not installed, so their answers are recorded here; the real containerd,
// ctr, ss and systemctl runs are in test/live/*.test.ts.
import type { CommandResult } from '../../src/snapshot/types.js';
import { PROBE } from '../../src/model/live.js';

/** A command that ran. */
export function ran(argv: string[], exitCode: number, stdout = '', stderr = ''): CommandResult {
  return { argv, exitCode, stdout, stderr };
}

/** A command that could not run. */
export function notRun(argv: string[], code = 'ENOENT', message = `spawn ${argv[0]} ENOENT`): CommandResult {
  return { argv, exitCode: null, stdout: '', stderr: '', error: { code, message } };
}

/** systemctl show containerd.service with these properties. */
export function systemctlShow(props: Record<string, string>): Record<string, CommandResult> {
  const text = Object.entries(props)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
  return { [PROBE.systemctlShow]: ran(['systemctl', 'show', 'containerd.service'], 0, text) };
}

/** What systemctl says on a machine where systemd is not PID 1 (recorded here). */
export const NO_SYSTEMD: Record<string, CommandResult> = {
  [PROBE.systemctlShow]: ran(
    ['systemctl', 'show', 'containerd.service'],
    1,
    '',
    "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
  ),
};

/** An active containerd.service as systemd 252 shows it. */
export const ACTIVE = {
  LoadState: 'loaded',
  ActiveState: 'active',
  SubState: 'running',
  NeedDaemonReload: 'no',
  MainPID: '812',
  ExecMainStartTimestamp: 'Sun 2026-11-22 09:00:00 UTC',
  FragmentPath: '/usr/lib/systemd/system/containerd.service',
  DropInPaths: '',
  Environment: '',
};

/** ctr plugins ls with the CRI plugin in this state. */
export function plugins(status: string | null): Record<string, CommandResult> {
  const rows = [
    'TYPE                            ID                       PLATFORMS      STATUS    ',
    'io.containerd.grpc.v1           containers               -              ok        ',
  ];
  if (status) rows.push(`io.containerd.grpc.v1           cri                      linux/amd64    ${status}        `);
  return { [PROBE.crictlInfo]: notRun(['crictl', 'info']), [PROBE.plugins]: ran(['ctr', 'plugins', 'ls'], 0, `${rows.join('\n')}\n`) };
}
