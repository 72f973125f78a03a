// preflight_fail_mode and tags, with real ansible-playbook.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PLAYBOOK, ROLE, failureOf, joinFacts, requireTool, resultOf, runPlaybook, workspace, writeInventory, type Hosts } from '../helpers/ansible.js';
import { NODES } from '../helpers/node-fixtures.js';

t.setTimeout(300_000);

const hosts: Hosts = {
  'clean-1': { preflight_root: join(NODES, 'clean/root') },
  'clean-2': { preflight_root: join(NODES, 'clean/root') },
  swap: { preflight_root: join(NODES, 'swap-on/root') },
};

t.test('fail mode all: one node not ready stops every node; --tags preflight runs the whole check', async (t) => {
  const ws = workspace('fail-all');
  const run = runPlaybook(ws, writeInventory(ws, hosts, { preflight_fail_mode: 'all' }), ['--tags', 'preflight']);
  t.comment(`ansible-playbook: ${run.seconds}s`);
  t.equal(run.code, 2);
  for (const host of Object.keys(hosts)) {
    t.equal(run.recap[host]?.failed, 1, `${host} fails`);
    // With include_tasks, --tags would run only the include statements and "pass" without a check.
    t.equal(resultOf(run, 'Run the checker', host)?.status, 'ok', `${host}: the checker ran under --tags preflight`);
  }
  t.match(failureOf(run, 'swap'), /^swap is not ready to join: host\/swap-off/);
  for (const host of ['clean-1', 'clean-2']) {
    t.equal(failureOf(run, host), `${host} passed preflight but stops here: preflight_fail_mode is all and swap did not pass.`);
  }
  t.same(joinFacts(run), {}, 'no host joins');
});

t.test('--skip-tags preflight leaves the role out', async (t) => {
  const ws = workspace('skip-tags');
  const run = runPlaybook(ws, writeInventory(ws, hosts), ['--skip-tags', 'preflight']);
  t.equal(run.code, 0);
  t.equal(run.results.filter((r) => r.task === 'Run the checker').length, 0, 'the checker does not run');
  t.same(Object.values(joinFacts(run)).map((f) => f.passed), ['undefined', 'undefined', 'undefined'], 'and preflight_passed stays undefined');
});

t.test('every task of the role carries the preflight tag', async (t) => {
  const ws = workspace('list-tasks');
  const r = spawnSync(requireTool('ansible-playbook'), ['-i', writeInventory(ws, hosts), PLAYBOOK, '--list-tasks'], {
    cwd: ws.dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ANSIBLE_CONFIG: join(ws.dir, 'ansible.cfg') },
  });
  t.equal(r.status, 0, r.stderr);
  const tasks = r.stdout.split('\n').filter((l) => l.includes('kube_preflight.node.preflight : '));
  t.ok(tasks.length >= 6, `${tasks.length} tasks listed`);
  for (const line of tasks) {
    const [, name, tags] = /: (.*)\tTAGS: \[(.*)\]$/.exec(line.trim()) ?? [];
    if (name?.startsWith('Validating arguments against arg spec')) t.equal(tags, 'always', 'argument validation is always on (Ansible adds it)');
    else t.ok(tags?.split(', ').includes('preflight'), `tagged: ${name}`);
  }
});

t.test('tasks included at run time (not listed by --list-tasks) get the preflight tag by apply', async (t) => {
  const files = readdirSync(join(ROLE, 'tasks')).filter((f) => f.endsWith('.yml'));
  let includes = 0;
  for (const file of files) {
    const tasks = parse(readFileSync(join(ROLE, 'tasks', file), 'utf8')) as Record<string, unknown>[];
    for (const task of tasks) {
      const include = task['ansible.builtin.include_tasks'] as { file?: string; apply?: { tags?: string[] } } | undefined;
      if (!include) continue;
      includes++;
      t.ok(include.apply?.tags?.includes('preflight'), `${file}: ${String(task.name)} applies the tag to ${include.file}`);
    }
  }
  t.ok(includes >= 2, `${includes} includes checked`);
});
