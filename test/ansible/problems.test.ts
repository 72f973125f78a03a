// What goes wrong besides a broken node, with real ansible-playbook, in one
// run (fail mode host, so every host gets its own verdict): the checker's exit
// 2, variables the role rejects, a missing Node.js or checker, and duplicate
// hostnames, product_uuids and MAC addresses across the play.
import t from 'tap';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { BUNDLE } from '../helpers/bundle.js';
import { join } from 'node:path';
import { failureOf, joinFacts, resultOf, runPlaybook, violationLines, workspace, writeInventory, scratchDir, type Hosts } from '../helpers/ansible.js';
import { NODES } from '../helpers/node-fixtures.js';

t.setTimeout(600_000);

const clean = join(NODES, 'clean/root');
const scratch = scratchDir('problems');
const badChecklist = join(scratch, 'org.yaml');
writeFileSync(badChecklist, 'apiVersion: kube-preflight/v1\nkind: Checklist\nproxy:\n  policy: sometimes\n');

// Installed "checkers" that print a real report of the swap-on node with a cause
// grouping added (causes: [{file, severity, consequences, fix}]), one well formed and
// one not: the failure message reads the causes, or falls back to the violations.
const swapReport = JSON.parse(spawnSync(process.execPath, [BUNDLE, '--root', join(NODES, 'swap-on/root'), '--format', 'json'], { encoding: 'utf8' }).stdout);
const fakeChecker = (name: string, causes: unknown): string => {
  const report = join(scratch, `${name}.json`);
  writeFileSync(report, JSON.stringify({ ...swapReport, causes }));
  const bin = join(scratch, name);
  writeFileSync(bin, `#!/bin/sh\ncat '${report}'\nexit 1\n`);
  chmodSync(bin, 0o755);
  return bin;
};
const causes = [
  { file: '/etc/fstab', severity: 'error', consequences: ['swap is turned on at every boot', { rule: 'host/swap-off', message: 'kubelet refuses to start with swap on.' }], fix: 'Comment out the swap line in /etc/fstab.' },
  { file: '/proc/swaps', severity: 'info', consequences: ['not blocking'], fix: 'Nothing.' },
];

const hosts: Hosts = {
  ok: { preflight_root: clean },
  'bad-checklist': { preflight_root: clean, preflight_checklist: badChecklist },
  'bad-skip': { preflight_root: clean, preflight_skip: ['NoSuchCheck'] },
  'online-not-root': { preflight_root: clean, preflight_online: true },
  'missing-checklist': { preflight_root: clean, preflight_checklist: join(scratch, 'absent.yaml') },
  'bad-runtime': { preflight_root: clean, preflight_runtime: 'docker' },
  'relative-root': { preflight_root: 'srv/node' },
  'no-node': { preflight_root: clean, preflight_runtime: 'node', preflight_node_executable: '/nonexistent/node' },
  'old-node': { preflight_root: clean, preflight_runtime: 'node', preflight_node_min_version: '99.0.0' },
  'relative-stage': { preflight_root: clean, preflight_stage_parent: 'var/lib' },
  'missing-stage': { preflight_root: clean, preflight_stage_parent: '/nonexistent/stage' },
  'zero-timeout': { preflight_root: clean, preflight_timeout: 0 },
  'missing-bundle': { preflight_root: clean, preflight_runtime: 'node', preflight_bundle_src: '/nonexistent/preflight.cjs' },
  'relative-bundle': { preflight_root: clean, preflight_runtime: 'node', preflight_bundle_src: 'no/such/preflight.cjs' },
  'with-causes': { preflight_root: clean, preflight_runtime: 'existing', preflight_executable: fakeChecker('with-causes', causes) },
  'bad-causes': { preflight_root: clean, preflight_runtime: 'existing', preflight_executable: fakeChecker('bad-causes', 'not a list') },
  'no-checker': { preflight_root: clean, preflight_runtime: 'existing', preflight_executable: '/nonexistent/preflight' },
  // /proc/version is a file: no directory can be made under it, whoever runs the play.
  'unwritable-report-dir': { preflight_root: clean, preflight_report_dir: '/proc/version/reports' },
  // Duplicates: dup-a and dup-b share a product_uuid (in other case), dup-a and dup-c a
  // hostname, dup-b and dup-c a MAC address. dup-d and dup-e both have no readable
  // product_uuid (NA), which is not a duplicate. dup-e shares a MAC with dup-d but
  // skips that check; dup-d does not.
  'dup-a': { preflight_root: clean, preflight_node_hostname: 'worker-a', preflight_node_product_uuid: 'AAAA-1', preflight_node_macs: ['02:aa:00:00:00:01'] },
  'dup-b': { preflight_root: clean, preflight_node_hostname: 'worker-b', preflight_node_product_uuid: 'aaaa-1', preflight_node_macs: ['02:aa:00:00:00:02', '02:AA:00:00:00:03'] },
  'dup-c': { preflight_root: clean, preflight_node_hostname: 'Worker-A', preflight_node_product_uuid: 'cccc-1', preflight_node_macs: ['02:aa:00:00:00:03'] },
  'dup-d': { preflight_root: clean, preflight_node_hostname: 'worker-d', preflight_node_product_uuid: 'NA', preflight_node_macs: ['02:aa:00:00:00:04'] },
  // Its identity from the facts of this machine (the others override theirs).
  'real-identity': { preflight_root: clean, preflight_node_hostname: '', preflight_node_product_uuid: '', preflight_node_macs: [] },
  'dup-e': { preflight_root: clean, preflight_node_hostname: 'worker-e', preflight_node_product_uuid: 'NA', preflight_node_macs: ['02:aa:00:00:00:04'], preflight_skip: ['play/unique-mac'] },
};
const ws = workspace('problems');
const run = runPlaybook(ws, writeInventory(ws, hosts));
t.comment(`ansible-playbook: ${run.seconds}s for ${Object.keys(hosts).length} hosts`);

const passes = (host: string): boolean => run.recap[host]?.failed === 0;
const roleProblem = /this is a problem with the role's variables, not with /;

t.test('a clean node passes next to the problems', async (t) => {
  t.equal(run.code, 2);
  t.ok(passes('ok'));
  t.equal(joinFacts(run).ok?.passed, true);
  t.same(readdirSync(ws.stage), [], 'no staging directory is left, whichever way a host failed');
});

t.test("the checker's exit 2 reads as a problem with the role's input, not the node", async (t) => {
  const checklist = failureOf(run, 'bad-checklist');
  t.match(checklist, /^preflight could not evaluate bad-checklist \(exit 2\): org\.yaml:4:3: proxy\.policy: must be one of none, required, allowed \(got "sometimes"\)\./);
  t.match(checklist, /This is a problem with the role's input .*, not a finding on the node\.$/);
  t.match(failureOf(run, 'bad-skip'), /^preflight could not evaluate bad-skip \(exit 2\): --ignore NoSuchCheck/);
  t.match(failureOf(run, 'online-not-root'), /^preflight could not evaluate online-not-root \(exit 2\): --online probes the running system, so it needs --root \//);
  for (const host of ['bad-checklist', 'bad-skip', 'online-not-root']) {
    t.equal(violationLines(run, host).length, 0, `${host}: no violation lines`);
    t.equal(joinFacts(run)[host], undefined, `${host}: does not join`);
  }
});

t.test('variables the role rejects before running anything', async (t) => {
  t.match(failureOf(run, 'missing-checklist'), /^preflight_checklist \S+absent\.yaml is not a file on the controller; /);
  t.match(failureOf(run, 'missing-checklist'), roleProblem);
  t.match(failureOf(run, 'relative-root'), /^preflight_root must be an absolute path on the node \(got 'srv\/node'\); /);
  for (const host of ['relative-stage', 'missing-stage', 'zero-timeout', 'missing-bundle', 'relative-bundle']) t.notMatch(failureOf(run, host), /\n/, `${host}: one line`);
  t.match(failureOf(run, 'relative-stage'), /^preflight_stage_parent must be an absolute path of a directory on the node \(got 'var\/lib'\); /);
  t.match(failureOf(run, 'missing-stage'), /^preflight_stage_parent \/nonexistent\/stage must be an existing directory on missing-stage that the connecting user \(or become\) can write to: No such file or directory/);
  t.match(failureOf(run, 'zero-timeout'), /^preflight_timeout must be a whole number of seconds above 0 \(got 0\); /);
  t.match(failureOf(run, 'missing-bundle'), /^preflight_bundle_src must be the path of the checker bundle \(preflight\.cjs\) on the controller, absolute or relative to the playbook's directory; \/nonexistent\/preflight\.cjs is not a file; /);
  t.match(failureOf(run, 'relative-bundle'), /; \/\S+\/test\/ansible\/playbooks\/no\/such\/preflight\.cjs is not a file; /, 'a relative path is taken from the playbook directory');
  const argspec = run.results.find((r) => r.host === 'bad-runtime' && r.status === 'fatal');
  t.match(argspec?.task, /^Validating arguments against arg spec 'main'/, 'the argument spec stops a bad choice before any task');
  t.match(String(argspec?.result?.msg), /value of preflight_runtime must be one of: auto, node, binary, existing, controller, got: docker/);
});

t.test('a node without the Node.js or the checker the runtime needs', async (t) => {
  t.match(failureOf(run, 'no-node'), /^preflight_runtime node needs Node\.js 20\.0\.0 or later, but \/nonexistent\/node did not run on no-node \(.*No such file or directory.*\)\./);
  t.match(failureOf(run, 'no-node'), /or use preflight_runtime binary or auto/);
  t.match(failureOf(run, 'old-node'), /^preflight_runtime node needs Node\.js 99\.0\.0 or later, but node on old-node is v\d+\.\d+\.\d+\./);
  t.equal(
    failureOf(run, 'unwritable-report-dir'),
    'preflight_run for unwritable-report-dir on the controller: /proc/version/reports: Not a directory',
    'a report directory that cannot be made: one line naming it, no traceback',
  );
  t.match(failureOf(run, 'no-checker'), /^The checker did not start on no-checker \(existing runtime\): .*No such file or directory.*Set preflight_executable to the installed checker\.$/);
});

t.test('duplicate hostnames, product_uuids and MAC addresses fail those hosts', async (t) => {
  const ids = (host: string): string[] => violationLines(run, host).map((l) => l.split(' | ')[0]!).sort();
  t.same(ids('dup-a'), ['play/unique-hostname', 'play/unique-product-uuid']);
  t.same(ids('dup-b'), ['play/unique-mac', 'play/unique-product-uuid']);
  t.same(ids('dup-c'), ['play/unique-hostname', 'play/unique-mac']);
  t.same(ids('dup-d'), ['play/unique-mac'], 'dup-d does not skip the MAC check');
  for (const host of ['dup-a', 'dup-b', 'dup-c', 'dup-d']) t.notOk(passes(host), `${host} fails`);
  t.ok(passes('dup-e'), 'NA product_uuids are not compared, and dup-e skips the MAC check');
  t.ok(violationLines(run, 'dup-a').includes('play/unique-hostname | the hostname worker-a is also the hostname of dup-c. | - | fix: Give every node its own hostname (hostnamectl set-hostname), or pass a unique --node-name to kubeadm join and set preflight_node_hostname to it.'));
  t.match(failureOf(run, 'dup-b'), /^dup-b is not ready to join: play\/unique-product-uuid, play\/unique-mac/);
  t.ok(passes('ok'), 'hosts with their own identity are untouched');
  t.equal(resultOf(run, 'Gather the facts that identify this node', 'real-identity')?.status, 'ok', 'the facts are gathered when no variable says the identity');
  t.equal(resultOf(run, 'Gather the facts that identify this node', 'ok')?.status, 'skipping', 'and not otherwise');
  t.ok(passes('real-identity'), 'a real identity shares nothing with the test identities');
});

t.test("the failure message is the node's causes and fixes, each fix once", async (t) => {
  t.equal(
    failureOf(run, 'with-causes'),
    'with-causes is not ready to join: host/swap-off. /etc/fstab: swap is turned on at every boot. kubelet refuses to start with swap on. Fix: Comment out the swap line in /etc/fstab.',
    "the report's causes, blocking ones only",
  );
  const fallback = failureOf(run, 'bad-causes')!;
  t.match(fallback, /^bad-causes is not ready to join: host\/swap-off\. host\/swap-off: swap is active on \/swap\.img \(file\) according to \/proc\/swaps\. \/etc\/fstab:4 enables swap on \/swap\.img at boot\. Fix: Run swapoff -a /, 'without a usable causes list: the failed rules and their violations');
  t.equal(fallback.split('Fix: ').length, 2, 'the fix once');
  t.notMatch(fallback, /assertion|evaluated_to|preflight_passed/, "no trace of the role's internals");
  const fatal = run.results.find((r) => r.host === 'bad-causes' && r.status === 'fatal');
  t.same(Object.keys(fatal?.result ?? {}).sort(), ['changed', 'msg'], 'the failed result is the message only');
  t.match(failureOf(run, 'dup-b'), /play\/unique-product-uuid: the product_uuid aaaa-1 is also the product_uuid of dup-a\. Fix: /, 'cross-host clashes name the check and the other host');
});
