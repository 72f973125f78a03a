// The binary runtime: npm run build:sea builds the single executable from the
// committed dist/preflight.cjs, and the role runs it, on every node fixture,
// on "nodes" without Node.js.
//
// A node without Node.js is played by a host whose tasks run with a PATH that
// has no node in it (the test playbook sets the play's environment from
// preflight_test_environment): the role's `node --version` probe finds nothing
// there, exactly as on a bare node, while Ansible's own modules still run with
// the interpreter's absolute path. The executable itself is started by
// absolute path and needs nothing from PATH.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, failureOf, joinFacts, runPlaybook, violationLines, workspace, writeInventory, scratchDir, type Hosts } from '../helpers/ansible.js';
import { checkFixtureHosts, failed, fixtureHosts } from '../helpers/ansible-fixtures.js';
import { NODES } from '../helpers/node-fixtures.js';

t.setTimeout(600_000);

// Built into a scratch directory (--out-dir), so the test run leaves no 85 MB file in dist/.
const seaDir = scratchDir('sea-build');
const SEA = join(seaDir, `preflight-linux-${process.arch}`);

// Build once per test run, as `npm run build:sea` does (the script is what npm runs).
const started = Date.now();
const build = spawnSync(process.execPath, ['scripts/build-sea.mjs', '--out-dir', seaDir], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
const buildSeconds = (Date.now() - started) / 1000;
t.comment(`npm run build:sea: ${buildSeconds}s`);

t.test('npm run build:sea builds a single executable from dist/preflight.cjs', async (t) => {
  t.equal(build.status, 0, build.stderr);
  t.ok(buildSeconds < 60, `built in under a minute (${buildSeconds}s)`);
  const sha256 = createHash('sha256').update(readFileSync(SEA)).digest('hex');
  t.equal(readFileSync(`${SEA}.sha256`, 'utf8'), `${sha256}  preflight-linux-${process.arch}\n`, 'with its checksum file');
  t.ok(statSync(SEA).mode & 0o100, 'executable');
  const alone = spawnSync(SEA, ['--root', join(NODES, 'swap-on/root'), '--format', 'json'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
  t.equal(alone.status, 1, 'runs without node on PATH, with the exit codes of the bundle');
  t.equal(alone.stderr, '', 'and no experimental warning');
  t.equal(JSON.parse(alone.stdout).results.find((r: { id: string }) => r.id === 'host/swap-off').status, 'fail');
  const git = spawnSync('git', ['check-ignore', '-q', `dist/preflight-linux-${process.arch}`], { cwd: REPO });
  t.equal(git.status, 0, 'git ignores where npm run build:sea writes it by default: it is never committed');
  t.notOk(existsSync(join(REPO, `dist/preflight-linux-${process.arch}`)) && statSync(join(REPO, `dist/preflight-linux-${process.arch}`)).mtimeMs >= started, 'this run wrote nothing to dist/');
  const bad = spawnSync(process.execPath, ['scripts/build-sea.mjs', '--out-dir', join(seaDir, 'nowhere')], { cwd: REPO, encoding: 'utf8' });
  t.match(bad, { status: 1, stderr: /^build:sea: --out-dir .*nowhere: no such directory\n$/ }, 'a missing --out-dir is one line, exit 1');
});

// A PATH with a few tools and no node.
const scratch = scratchDir('no-node');
const bin = join(scratch, 'bin');
mkdirSync(bin);
for (const tool of ['sh', 'env', 'cat', 'ls', 'uname']) symlinkSync(`/bin/${tool}`, join(bin, tool));
const noNode = { preflight_test_environment: { PATH: bin }, preflight_binary_src: SEA };

const ws = workspace('sea');
const reports = join(ws.dir, 'reports');
const hosts: Hosts = {
  ...fixtureHosts({ preflight_runtime: 'binary', ...noNode }),
  'auto-no-node': { preflight_root: join(NODES, 'clean/root'), ...noNode },
  'node-no-node': { preflight_root: join(NODES, 'clean/root'), preflight_runtime: 'node', ...noNode },
  'bad-checksum': { preflight_root: join(NODES, 'clean/root'), preflight_runtime: 'binary', preflight_binary_checksum: '0'.repeat(64), ...noNode },
};
const run = existsSync(SEA) ? runPlaybook(ws, writeInventory(ws, hosts, { preflight_report_dir: reports })) : undefined;
if (run) t.comment(`ansible-playbook: ${run.seconds}s for ${Object.keys(hosts).length} hosts`);

t.test('the play runs the executable on nodes without Node.js', async (t) => {
  t.ok(run, 'the executable was built');
  if (!run) return;
  t.not(spawnSync('sh', ['-c', 'command -v node'], { env: { PATH: bin } }).status, 0, 'node is not on that PATH');
  for (const [host, recap] of Object.entries(run.recap)) t.equal(recap.changed, 0, `${host}: changed=0`);
  t.same(readdirSync(ws.stage), [], 'the executable is removed again');
  t.equal(joinFacts(run)['fx-clean']?.runtime, 'binary');
  t.equal(joinFacts(run)['auto-no-node']?.runtime, 'binary', 'auto falls back to the executable');
  t.match(failureOf(run, 'node-no-node'), /^preflight_runtime node needs Node\.js 20\.0\.0 or later, but node did not run on node-no-node \(.*No such file or directory.*\)\./);
  t.match(failureOf(run, 'bad-checksum'), /^The single executable copied to bad-checksum has sha256 [0-9a-f]{64},\s+expected 0{64}/);
  t.ok(failed(run, 'bad-checksum') && violationLines(run, 'bad-checksum').length === 0, 'and is not run');
});

if (run) checkFixtureHosts(t, run, reports);
