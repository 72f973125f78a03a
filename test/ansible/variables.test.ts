// Variables mean what they say: Ansible hands `-e name=value` and the values of
// an INI inventory's [group:vars] to the role as strings, so `preflight_strict=false`
// is the non-empty (true) string "false" unless the role converts it. Every
// boolean and integer variable of the argument spec is given here as a string,
// from -e and from an INI inventory, and its effect is checked: the settings the
// checker reports it got, or the verdict.
import t from 'tap';
import { chmodSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { roleOptions } from '../../scripts/ansible-docs.js';
import { failureOf, joinFacts, runPlaybook, scratchDir, workspace, writeInventory, type Workspace } from '../helpers/ansible.js';
import { failed, readReport } from '../helpers/ansible-fixtures.js';
import { NODES } from '../helpers/node-fixtures.js';

t.setTimeout(600_000);

const scratch = scratchDir('variables');
// A node whose only finding is a warning: blocking only under strict.
const warnRoot = join(scratch, 'root');
cpSync(join(NODES, 'clean/root'), warnRoot, { recursive: true, verbatimSymlinks: true });
rmSync(join(warnRoot, 'etc/systemd/system/multi-user.target.wants/kubelet.service'));
const clean = join(NODES, 'clean/root');
// An installed "checker" that takes longer than a one-second preflight_timeout.
const slow = join(scratch, 'slow-preflight');
writeFileSync(slow, '#!/bin/sh\nsleep 4\n');
chmodSync(slow, 0o755);
const controller = { preflight_runtime: 'controller', preflight_controller_node_executable: process.execPath };

t.test('the argument spec types every boolean and integer variable, and this test covers each', async (t) => {
  const typed = Object.entries(roleOptions()).filter(([, o]) => o.type === 'bool' || o.type === 'int').map(([name]) => name);
  t.same(typed.sort(), ['preflight_controller_rounds', 'preflight_cross_host_checks', 'preflight_online', 'preflight_strict', 'preflight_timeout']);
});

/** An INI inventory: each host in its own group, its variables in [group:vars], where INI values are always strings. */
function writeIni(ws: Workspace, reports: string, hosts: Record<string, Record<string, string>>): string {
  const lines = [
    '[all:vars]',
    'ansible_connection=local',
    'ansible_python_interpreter={{ ansible_playbook_python }}',
    `preflight_stage_parent=${ws.stage}`,
    `preflight_report_dir=${reports}`,
    // Every host is this machine: the one variable that turns the cross-host checks off, as a string.
    'preflight_cross_host_checks=false',
    '',
  ];
  for (const [host, vars] of Object.entries(hosts)) {
    const group = `g_${host.replace(/-/g, '_')}`;
    lines.push(`[${group}]`, host, `[${group}:vars]`, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), '');
  }
  const path = join(ws.dir, 'inventory.ini');
  writeFileSync(path, lines.join('\n'));
  return path;
}

t.test('from an INI inventory', async (t) => {
  const ws = workspace('vars-ini');
  const reports = join(ws.dir, 'reports');
  const run = runPlaybook(
    ws,
    writeIni(ws, reports, {
      'strict-false': { preflight_root: warnRoot, preflight_strict: 'false' },
      'strict-no': { preflight_root: warnRoot, preflight_strict: 'no' },
      'strict-true': { preflight_root: warnRoot, preflight_strict: 'true' },
      'online-false': { preflight_root: clean, preflight_online: 'false' },
      'online-true': { preflight_root: clean, preflight_online: 'true' },
      'rounds-1': { preflight_root: clean, preflight_controller_rounds: '1', ...controller },
      'rounds-8': { preflight_root: clean, preflight_controller_rounds: '8', ...controller },
      'timeout-60': { preflight_root: clean, preflight_timeout: '60' },
      'timeout-1': { preflight_root: clean, preflight_timeout: '1', preflight_runtime: 'existing', preflight_executable: slow },
    }),
  );
  t.comment(`ansible-playbook (INI inventory): ${run.seconds}s`);
  t.equal(run.code, 2, run.stderr);
  t.notOk(failed(run, 'strict-false'), 'strict=false: the warning does not block');
  t.equal(readReport(reports, 'strict-false').settings.strict, false, 'and the checker ran without --strict');
  t.notOk(failed(run, 'strict-no'), 'strict=no: the same');
  t.equal(readReport(reports, 'strict-no').settings.strict, false);
  t.ok(failed(run, 'strict-true'), 'strict=true: the warning blocks');
  t.equal(readReport(reports, 'strict-true').settings.strict, true);
  t.notOk(failed(run, 'online-false'), 'online=false: no live probes (which would need preflight_root /)');
  t.equal(readReport(reports, 'online-false').settings.online, false);
  t.match(failureOf(run, 'online-true'), /--online probes the running system, so it needs --root \//, 'online=true reaches the checker');
  t.match(failureOf(run, 'rounds-1'), /still named new paths to read after 1 rounds; raise preflight_controller_rounds/, 'rounds=1: one round, no templating error');
  t.notOk(failed(run, 'rounds-8'), 'rounds=8: settles');
  t.equal(joinFacts(run)['rounds-8']?.runtime, 'controller');
  t.notOk(failed(run, 'timeout-60'), 'timeout=60');
  t.ok(failed(run, 'timeout-1'), 'timeout=1 stops a slow checker');
  t.match(
    failureOf(run, 'timeout-1'),
    /^The checker ran longer than preflight_timeout \(1 s\) on timeout-1 and was stopped; raise preflight_timeout/,
    'with a message that names the variable',
  );
  t.equal(run.results.filter((r) => r.task === 'Gather the facts that identify this node' && r.status !== 'skipping').length, 0, 'cross_host_checks=false: no identity facts are gathered');
  for (const host of ['strict-false', 'online-false', 'rounds-8', 'timeout-60']) t.notMatch(failureOf(run, host) ?? '', /play\/unique-/, `${host}: no cross-host check`);
});

t.test('from -e, as strings', async (t) => {
  const hosts = {
    'e-node': { preflight_root: warnRoot },
    'e-controller': { preflight_root: clean, ...controller },
  };
  const off = workspace('vars-e-off');
  const offReports = join(off.dir, 'reports');
  // Both hosts claim one hostname: the cross-host checks would stop them.
  const same = Object.fromEntries(Object.entries(hosts).map(([h, v]) => [h, { ...v, preflight_node_hostname: 'same' }]));
  const a = runPlaybook(off, writeInventory(off, same, { preflight_report_dir: offReports }), [
    '-e', 'preflight_strict=false', '-e', 'preflight_online=false', '-e', 'preflight_controller_rounds=1', '-e', 'preflight_timeout=60', '-e', 'preflight_cross_host_checks=false',
  ]);
  t.comment(`ansible-playbook -e (off): ${a.seconds}s`);
  t.notOk(failed(a, 'e-node'), 'strict=false, online=false, timeout=60: the warning does not block, nothing probed');
  t.match(readReport(offReports, 'e-node').settings, { strict: false, online: false }, 'the checker ran without --strict and --online');
  t.notMatch(a.stdout, /play\/unique-hostname/, 'cross_host_checks=false: the shared hostname is not compared');
  t.match(failureOf(a, 'e-controller'), /after 1 rounds/, 'rounds=1 is one round');

  const on = workspace('vars-e-on');
  const onReports = join(on.dir, 'reports');
  const b = runPlaybook(on, writeInventory(on, hosts, { preflight_report_dir: onReports }), ['-e', 'preflight_strict=true', '-e', 'preflight_controller_rounds=8', '-e', 'preflight_cross_host_checks=true']);
  t.comment(`ansible-playbook -e (on): ${b.seconds}s`);
  t.ok(failed(b, 'e-node'), 'strict=true: the warning blocks');
  t.equal(readReport(onReports, 'e-node').settings.strict, true);
  t.notOk(failed(b, 'e-controller'), 'rounds=8 settles');

  const online = workspace('vars-e-online');
  const c = runPlaybook(online, writeInventory(online, { 'e-node': hosts['e-node'] }), ['-e', 'preflight_online=true']);
  t.match(failureOf(c, 'e-node'), /--online probes the running system/, 'online=true reaches the checker');
});
