// The role against every node fixture at once, with real ansible-playbook:
// one local inventory host per fixture (test/fixtures/nodes/<case>, read with
// its expect.yaml, so fixtures added later are covered), plus hosts for the
// strict default, the skip list, a checklist and the existing runtime. Then the
// same inventory again under --check --diff.
import t from 'tap';
import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE } from '../helpers/bundle.js';
import { validateReport } from '../helpers/report-schema.js';
import { failureOf, joinFacts, runPlaybook, violationLines, workspace, writeInventory, scratchDir, type Hosts } from '../helpers/ansible.js';
import { checkFixtureHosts, failed, fixtureHosts, readReport } from '../helpers/ansible-fixtures.js';
import { hashTree } from '../helpers/tree.js';
import { NODES, nodeFixtures } from '../helpers/node-fixtures.js';

t.setTimeout(600_000);

const fixtures = nodeFixtures();

// A node whose only finding is a warning: clean, with kubelet.service not enabled.
const scratch = scratchDir('warn-node');
const warnRoot = join(scratch, 'root');
cpSync(join(NODES, 'clean/root'), warnRoot, { recursive: true, verbatimSymlinks: true });
rmSync(join(warnRoot, 'etc/systemd/system/multi-user.target.wants/kubelet.service'));
// A checklist that waives the swap finding (copied to the node by the role).
const checklist = join(scratch, 'swap-waiver.yaml');
writeFileSync(checklist, 'apiVersion: kube-preflight/v1\nkind: Checklist\nwaivers:\n  - rule: host/swap-off\n    reason: "NodeSwap trial (CHG-1)"\n    expires: 2099-12-31\n');

const ws = workspace('fixtures');
const reports = join(ws.dir, 'reports');
const hosts: Hosts = fixtureHosts({ preflight_runtime: 'node' });
Object.assign(hosts, {
  'strict-default': { preflight_root: warnRoot },
  'strict-off': { preflight_root: warnRoot, preflight_strict: false },
  // Swap demotes kubeadm's /proc/swaps finding only; the /etc/fstab entry needs the rule id.
  'skip-swap-only': { preflight_root: join(NODES, 'swap-on/root'), preflight_skip: ['Swap'] },
  'skip-swap': { preflight_root: join(NODES, 'swap-on/root'), preflight_skip: ['Swap', 'host/swap-off'] },
  'skip-mixed': {
    preflight_root: join(NODES, 'unprepared-host/root'),
    preflight_strict: false,
    preflight_skip: ['host/cgroup-v2', 'host/ip-forward', 'host/hostname', 'FileExisting-losetup', 'FileExisting-cp', 'FileExisting-iptables'],
  },
  waived: { preflight_root: join(NODES, 'swap-on/root'), preflight_checklist: checklist },
  existing: { preflight_root: join(NODES, 'clean/root'), preflight_runtime: 'existing', preflight_executable: BUNDLE },
});
const inventory = writeInventory(ws, hosts, { preflight_report_dir: reports });
const rootsBefore = new Map(fixtures.map((f) => [f.name, hashTree(f.root)]));

const run = runPlaybook(ws, inventory);
const checkWs = workspace('fixtures-check');
const checkRun = runPlaybook(checkWs, writeInventory(checkWs, hosts, { preflight_report_dir: join(checkWs.dir, 'reports') }), ['--check', '--diff']);
t.comment(`ansible-playbook: ${run.seconds}s for ${Object.keys(hosts).length} hosts; --check --diff: ${checkRun.seconds}s`);

t.test('the play ran every host and changed nothing', async (t) => {
  t.equal(run.code, 2, `ansible-playbook exits 2 when a host failed\n${run.stderr}`);
  t.same(Object.keys(run.recap).sort(), Object.keys(hosts).sort(), 'every host is in the recap');
  for (const [host, recap] of Object.entries(run.recap)) {
    t.equal(recap.changed, 0, `${host}: changed=0`);
    t.equal(recap.unreachable, 0, `${host}: reachable`);
  }
  t.same(readdirSync(ws.stage), [], 'no staging directory is left on the "node"');
  for (const f of fixtures) t.equal(hashTree(f.root), rootsBefore.get(f.name), `${f.name}: the node root is unchanged`);
});

checkFixtureHosts(t, run, reports);

t.test('failing hosts list file:line and the fix; passing hosts go on', async (t) => {
  const swap = violationLines(run, 'fx-swap-on');
  t.ok(swap.some((l) => l.includes(' | /proc/swaps | fix: Run swapoff -a')), swap.join('\n'));
  t.ok(swap.some((l) => l.endsWith(' | /etc/fstab:4 | fix: as above')), 'the fix once per rule');
  t.ok(Object.keys(joinFacts(run)).length >= 2, 'several hosts reach the join play');
});

t.test('preflight_strict defaults to true: a warning blocks', async (t) => {
  t.ok(failed(run, 'strict-default'), 'strict by default');
  t.match(failureOf(run, 'strict-default'), /is not ready to join: systemd\/kubelet-enabled/);
  t.equal(readReport(reports, 'strict-default').settings.strict, true);
  t.notOk(failed(run, 'strict-off'), 'with preflight_strict false the warning does not block');
  const off = joinFacts(run)['strict-off']!;
  t.same(off.violations.map((v) => [v.id, v.blocking]), [['systemd/kubelet-enabled', false]], 'and is still reported, as not blocking');
  t.match(violationLines(run, 'strict-off')[0], /\(warning, not blocking\)$/);
});

t.test('preflight_skip: rule ids and kubeadm names; the join gets the kubeadm names', async (t) => {
  t.ok(failed(run, 'skip-swap-only'), "Swap demotes kubeadm's /proc/swaps finding; the swap entry in /etc/fstab still blocks");
  t.notOk(failed(run, 'skip-swap'), 'swap skipped by its kubeadm name and the rule id');
  t.same(joinFacts(run)['skip-swap']!.ignore, ['Swap']);
  t.notOk(failed(run, 'skip-mixed'), 'rule ids and kubeadm names');
  t.same(
    joinFacts(run)['skip-mixed']!.ignore,
    ['FileContent--proc-sys-net-ipv4-ip_forward', 'FileExisting-cp', 'FileExisting-losetup', 'SystemVerification'],
    "only kubeadm names kubeadm 1.36 runs on a worker join, never all (iptables is not one; ignoring host/cgroup-v2 ignores kubeadm's SystemVerification)",
  );
  const report = readReport(reports, 'skip-mixed');
  t.match(report.results.find((r: { id: string }) => r.id === 'host/cgroup-v2'), { status: 'waived', ignored: ['host/cgroup-v2'] }, 'ignored checks stay in the report');
  t.same(report.settings.ignore, ['host/cgroup-v2,host/ip-forward,host/hostname,FileExisting-losetup,FileExisting-cp,FileExisting-iptables']);
});

t.test('preflight_checklist is copied to the node and used', async (t) => {
  t.notOk(failed(run, 'waived'), 'the swap finding is waived by the checklist');
  const report = readReport(reports, 'waived');
  t.equal(report.checklist.source, 'swap-waiver.yaml', 'the checker read the staged copy, named as on the controller');
  t.equal(report.results.find((r: { id: string }) => r.id === 'host/swap-off').status, 'waived');
});

t.test('the existing runtime runs an installed checker', async (t) => {
  t.notOk(failed(run, 'existing'));
  t.equal(joinFacts(run).existing?.runtime, 'existing');
  t.equal(joinFacts(run)['fx-clean']?.runtime, 'node');
});

t.test('preflight_report_dir: one valid JSON report per host on the controller', async (t) => {
  t.same(
    readdirSync(reports).sort(),
    [...Object.keys(hosts).flatMap((h) => [`${h}.json`, `${h}.snapshot.json`]), 'fleet-summary.json', 'fleet-settings.json', 'fleet.html'].sort(),
    'a report and a snapshot per host, the fleet summary, the settings comparison and the fleet page',
  );
  const secrets = fixtures.flatMap((f) => f.expect.secrets ?? []);
  t.ok(secrets.length > 0, 'fixtures plant secrets');
  for (const host of Object.keys(hosts)) {
    const path = join(reports, `${host}.snapshot.json`);
    t.equal(statSync(path).mode & 0o777, 0o600, `${host}: the snapshot the checker read came back, private`);
    const text = readFileSync(path, 'utf8');
    t.equal(JSON.parse(text).kind, 'NodeSnapshot');
    for (const secret of secrets) t.notOk(text.includes(secret), `${host}: no planted secret in its snapshot`);
  }
  const page = readFileSync(join(reports, 'fleet.html'), 'utf8');
  t.match(page, /^<!doctype html>/i, 'the fleet page');
  for (const host of ['fx-clean', 'fx-stale-containerd-proxy']) t.ok(page.includes(`${host}.snapshot.json`), `the page shows ${host}`);
  const summary = JSON.parse(readFileSync(join(reports, 'fleet-summary.json'), 'utf8')) as { hosts: string[] };
  t.same([...summary.hosts].sort(), Object.keys(hosts).sort(), 'the node runtime gets the fleet summary too');
  for (const host of Object.keys(hosts)) {
    const text = readFileSync(join(reports, `${host}.json`), 'utf8');
    const report = JSON.parse(text);
    t.ok(validateReport(report), `${host}: ${JSON.stringify(validateReport.errors)}`);
    t.ok(text.startsWith('{\n  "schemaVersion": 1,') && text.endsWith('}\n'), `${host}: the checker's own bytes`);
  }
});

t.test('check mode: the same verdicts, nothing changed, no diff', async (t) => {
  t.equal(checkRun.code, run.code);
  for (const host of Object.keys(hosts)) {
    t.equal(failed(checkRun, host), failed(run, host), `${host}: the same verdict under --check`);
    t.equal(checkRun.recap[host]?.changed, 0, `${host}: changed=0`);
    const [a, b] = [readReport(reports, host), readReport(join(checkWs.dir, 'reports'), host)];
    t.same({ ...b, timing: null }, { ...a, timing: null }, `${host}: the same report`);
  }
  t.notMatch(checkRun.stdout, /^(---|\+\+\+) /m, '--diff shows nothing: the role changes nothing');
  t.same(readdirSync(checkWs.stage), [], 'no staging directory is left');
});
