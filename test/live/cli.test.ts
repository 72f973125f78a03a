// `preflight --online` on this machine, through the CLI and the bundled
// executable: systemd is not PID 1 and no containerd runs at the default
// socket, so the live phase must still finish, each rule saying why it could
// not judge the node or what failed.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import type { Report } from '../../src/engine/types.js';

const hasSystemd = spawnSync('systemctl', ['show', '-p', 'Version']).status === 0;

function liveResults(stdout: string): Record<string, { status: string; message: string }> {
  const report = JSON.parse(stdout) as Report;
  return Object.fromEntries(report.results.filter((r) => r.id.startsWith('runtime/')).map((r) => [r.id, { status: r.status, message: r.message }]));
}

t.test('the live phase finishes on a machine without systemd as PID 1', { skip: hasSystemd ? 'systemd runs here' : false }, async (t) => {
  const started = Date.now();
  const r = await runCli(['--online', '--format', 'json', '--only', 'runtime']);
  t.ok(Date.now() - started < 30_000, 'bounded by the live deadline');
  t.match(r.code, /^[01]$/, r.stderr);
  const results = liveResults(r.stdout);
  t.equal(Object.keys(results).length, 9, 'every runtime rule has a result');
  t.match(results['runtime/containerd-active'], {
    status: 'not-applicable',
    message: /containerd\.service's state could not be checked: System has not been booted with systemd/,
  });
  t.match(results['runtime/clock-synced'], { status: 'not-applicable', message: /could not be read/ });
  t.not(results['runtime/socket-responds']!.status, 'pass', 'no containerd answers at the default socket');
  t.equal(JSON.parse(r.stdout).settings.online, true);
});

t.test('the bundled executable runs the live phase (execa loads lazily)', { skip: hasSystemd ? 'systemd runs here' : false }, async (t) => {
  const out = spawnSync(
    process.execPath,
    ['dist/preflight.cjs', '--online', '--format', 'json', '--only', 'runtime/containerd-active,runtime/port-10250-free'],
    { encoding: 'utf8' },
  );
  t.match(out.status, /^[01]$/, out.stderr);
  const results = liveResults(out.stdout);
  t.match(results['runtime/containerd-active'], { status: 'not-applicable', message: /not been booted with systemd/ });
  t.ok(['pass', 'fail', 'not-applicable'].includes(results['runtime/port-10250-free']!.status));
  const pull = spawnSync(process.execPath, ['dist/preflight.cjs', '--pull'], { encoding: 'utf8' });
  t.equal(pull.status, 2);
  t.equal(pull.stderr, 'preflight: --pull pulls through the running containerd, so it needs --online\n');
});
