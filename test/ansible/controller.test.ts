// The controller runtime with real ansible-playbook: every node fixture as a
// local host whose tasks see a PATH without node (as in sea.test.ts), so the
// "node" side can only have run the collection's Python module; the snapshot is
// built and checked on the controller with an absolute Node.js. Each host gives
// its fixture's expected verdict, and its report has the same results as the
// checker run directly on the fixture root (which is what the node runtime runs).
import t from 'tap';
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runPlaybook, scratchDir, violationLines, workspace, writeInventory, failureOf, joinFacts, type Hosts } from '../helpers/ansible.js';
import { checkFixtureHosts, fixtureHosts, readReport } from '../helpers/ansible-fixtures.js';
import { runBundle } from '../helpers/bundle.js';
import { NODES, nodeFixtures } from '../helpers/node-fixtures.js';
import { hashTree } from '../helpers/tree.js';

t.setTimeout(600_000);

const scratch = scratchDir('controller');
const bin = join(scratch, 'bin');
mkdirSync(bin);
for (const tool of ['sh', 'env', 'cat', 'ls', 'uname']) symlinkSync(`/bin/${tool}`, join(bin, tool));
const noNode = { preflight_test_environment: { PATH: bin }, preflight_controller_node_executable: process.execPath };

const ws = workspace('controller');
const reports = join(ws.dir, 'reports');
const hosts: Hosts = {
  ...fixtureHosts({ preflight_runtime: 'controller', ...noNode }),
  'online-refused': { preflight_root: join(NODES, 'clean/root'), preflight_runtime: 'controller', preflight_online: true, ...noNode },
};
const fixtures = nodeFixtures();
const before = new Map(fixtures.map((f) => [f.name, hashTree(f.root)]));
const run = runPlaybook(ws, writeInventory(ws, hosts, { preflight_report_dir: reports }));
t.comment(`ansible-playbook (controller runtime): ${run.seconds}s for ${Object.keys(hosts).length} hosts`);

t.test('the controller runtime reads the nodes without running anything of its own there', async (t) => {
  t.not(spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: bin } }).status, 0, 'node is not on the hosts\' PATH');
  for (const [host, recap] of Object.entries(run.recap)) t.equal(recap.changed, 0, `${host}: changed=0`);
  t.same(readdirSync(ws.stage), [], 'nothing was staged on the "node"');
  t.equal(joinFacts(run)['fx-clean']?.runtime, 'controller');
  for (const f of fixtures) t.equal(hashTree(f.root), before.get(f.name), `${f.name}: the root is unchanged`);
  t.match(failureOf(run, 'online-refused'), /preflight_online needs the checker on the node .* not with online-refused\./);
  t.same(violationLines(run, 'online-refused'), [], 'a variable problem, not violations');
  const secrets = fixtures.flatMap((f) => f.expect.secrets ?? []);
  t.ok(secrets.length > 0, 'fixtures plant secrets');
  for (const secret of secrets) t.notOk(run.stdout.includes(secret) || run.stderr.includes(secret), `the planted secret ${secret.slice(0, 3)}… never reaches the play output`);
});

t.test('the same results as the checker run on the node', async (t) => {
  for (const f of fixtures) {
    if (f.expect.exitCode === 2) continue;
    const args = ['--root', f.root, '--format', 'json', '--date', '2026-06-01', ...(f.expect.args ?? [])];
    const checklist = hosts[`fx-${f.name}`]!.preflight_checklist as string | undefined;
    const direct = runBundle(checklist ? [...args, '--checklist', checklist] : args);
    const onNode = JSON.parse(direct.stdout) as { results: unknown; summary: unknown };
    const viaController = readReport(reports, `fx-${f.name}`) as { results: unknown; summary: unknown };
    t.same(viaController.results, onNode.results, `${f.name}: same results`);
    t.same(viaController.summary, onNode.summary, `${f.name}: same summary`);
  }
});

t.test('the fleet summary: every rule per host, and who differs from the majority', async (t) => {
  const summary = JSON.parse(readFileSync(join(reports, 'fleet-summary.json'), 'utf8')) as {
    kind: string;
    hosts: string[];
    notChecked: string[];
    passed: string[];
    rules: Record<string, Record<string, string>>;
    outliers: Record<string, { rule: string; status: string; majority: string }[]>;
  };
  t.equal(summary.kind, 'PreflightFleetSummary');
  t.same(summary.notChecked, ['online-refused'], 'a host with no report is named');
  t.same([...summary.hosts].sort(), fixtures.map((f) => `fx-${f.name}`).sort());
  t.same([...summary.passed].sort(), fixtures.filter((f) => f.expect.exitCode === 0).map((f) => `fx-${f.name}`).sort());
  t.equal(summary.rules['host/swap-off']?.['fx-swap-on'], 'fail');
  t.equal(summary.rules['host/swap-off']?.['fx-clean'], 'pass');
  t.same(summary.outliers['fx-swap-on'], [{ rule: 'host/swap-off', status: 'fail', majority: 'pass' }], 'the swap node differs in one rule');
  t.ok(summary.outliers['fx-stale-containerd-proxy']?.some((o) => o.rule === 'systemd/proxy-policy' && o.status === 'fail'), 'the stale-proxy node stands out with its proxy');
  t.notOk(summary.outliers['fx-clean'], 'the clean node agrees with the majority everywhere');
});

t.test('fleet-settings.json: the settings where a host differs from most hosts, with their source', async (t) => {
  const fleet = JSON.parse(readFileSync(join(reports, 'fleet-settings.json'), 'utf8')) as {
    kind: string;
    nodes: string[];
    outliers: Record<string, { setting: string; value: { value: string; source?: string } | null }[]>;
  };
  t.equal(fleet.kind, 'FleetSettings');
  const proxy = fleet.outliers[join(reports, 'fx-stale-containerd-proxy.snapshot.json')] ?? [];
  t.ok(proxy.some((o) => o.setting === 'containerd HTTPS_PROXY' && o.value?.source === '/etc/systemd/system/containerd.service.d/http-proxy.conf:3'), 'the stale proxy stands out');
  for (const f of fixtures.filter((x) => x.expect.exitCode !== 2)) t.equal(statSync(join(reports, `fx-${f.name}.snapshot.json`)).mode & 0o777, 0o600, `${f.name}: its snapshot is private`);
  const harbor = readFileSync(join(reports, 'fx-incident-private-harbor-registry.snapshot.json'), 'utf8');
  for (const secret of fixtures.flatMap((f) => f.expect.secrets ?? [])) t.notOk(harbor.includes(secret), 'a saved snapshot holds no secret');
});

checkFixtureHosts(t, run, reports);
