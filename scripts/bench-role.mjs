#!/usr/bin/env node
// The Ansible role's cost over running the checker from a bare play, measured in
// the same run: 8 inventory hosts that are all this machine (ansible_connection
// local), and per round one playbook run each of
//
//   bare        one ansible.builtin.command task per host: node dist/preflight.cjs
//               --format json --root <clean fixture>, the least a playbook can do;
//   node        the role with preflight_runtime node (stage, run, evaluate, report);
//   controller  the role with preflight_runtime controller (read the files with
//               node_inputs, check the snapshot on the controller).
//
// Targets: node <= 1.5x bare, controller <= 2x bare, on the medians of whole
// playbook runs (wall time, ansible-playbook's start included: it is what an
// operator waits for). The three alternate within each round so that the load of
// a shared machine drifts over all of them alike. The tasks per host (ok + changed
// + skipped in the recap) are printed beside the times: the role's cost is mostly
// the number of tasks it runs, not the checker.
//
// A host the role fails is not a failed benchmark (the clean fixture may still
// miss a rule on this machine); a run in which Ansible itself gave up (syntax
// error, unreachable hosts, internal error) is. Ansible runs with its own
// ansible.cfg and only PATH, HOME and LANG from the environment, as the role's
// tests run it (test/helpers/ansible.ts), so nothing of ~/.ansible.cfg or ANSIBLE_*
// leaks in.
//
//   npm run build && node scripts/bench-role.mjs [--role-rounds N]
//
// Exit 0 when both targets are met, 1 when one is missed or a run failed, 2 when
// ansible-playbook or the bundle is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROUNDS = Number(flag('--role-rounds', '3'));
const HOSTS = 8;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(REPO, 'dist/preflight.cjs');
const NODE_ROOT = join(REPO, 'test/fixtures/nodes/clean/root');
const TARGETS = { node: 1.5, controller: 2.0 };
// ansible-playbook's exit codes that still mean every host was played: 0 all ok, 2 some host failed.
const PLAYED = new Set([0, 2]);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The path of a command on PATH, or undefined. */
function which(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The Python that runs ansible-playbook, from its shebang: the hosts' modules
 * then run with the interpreter Ansible already imports, and no interpreter
 * discovery (a task of its own per host) is timed.
 */
function ansiblePython(playbookBin) {
  const shebang = readFileSync(playbookBin, 'utf8').split('\n', 1)[0];
  const words = shebang.replace(/^#!\s*/, '').split(/\s+/);
  const py = words[0].endsWith('/env') ? which(words[1]) : words[0];
  return py && existsSync(py) ? py : '/usr/bin/python3';
}

/** ansible.cfg, inventory and the three playbooks in a scratch directory. */
function setUp(dir, python) {
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      `collections_path = ${join(REPO, 'ansible')}`,
      // A fork per host, or the hosts would queue and the bench would time the queue.
      `forks = ${HOSTS}`,
      'nocolor = true',
      'retry_files_enabled = false',
      'stdout_callback = default',
      `local_tmp = ${join(dir, 'tmp')}`,
      `remote_tmp = ${join(dir, 'tmp')}`,
      '[connection]',
      'pipelining = true',
      '',
    ].join('\n'),
  );
  const hosts = Object.fromEntries(Array.from({ length: HOSTS }, (_, i) => [`node-${i + 1}`, {}]));
  const inventory = {
    all: {
      vars: {
        ansible_connection: 'local',
        ansible_python_interpreter: python,
        preflight_root: NODE_ROOT,
        preflight_bundle_src: BUNDLE,
        preflight_stage_parent: stage,
        // Every host is this machine: its hostname, product_uuid and MACs would clash eight times over.
        preflight_cross_host_checks: false,
        preflight_strict: false,
        preflight_fail_mode: 'host',
      },
      hosts,
    },
  };
  writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory, null, 2));
  // JSON is YAML: the playbooks are written with JSON.stringify, no quoting to get wrong.
  const bare = [
    {
      name: 'Run the checker from a bare play',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        {
          name: 'Run the checker',
          'ansible.builtin.command': { argv: ['node', BUNDLE, '--format', 'json', '--root', NODE_ROOT] },
          changed_when: false,
          failed_when: false,
        },
      ],
    },
  ];
  const role = (runtime) => [
    {
      name: `Check the nodes with the role (${runtime} runtime)`,
      hosts: 'all',
      gather_facts: false,
      // A host the role fails stops there, the others go on: the bench times the play, not the verdict.
      any_errors_fatal: false,
      vars: { preflight_runtime: runtime },
      roles: [{ role: 'kube_preflight.node.preflight' }],
    },
  ];
  const playbooks = { bare, node: role('node'), controller: role('controller') };
  for (const [name, play] of Object.entries(playbooks)) writeFileSync(join(dir, `${name}.yml`), JSON.stringify(play, null, 2));
  return { stage, playbooks: Object.keys(playbooks) };
}

/** One playbook run: wall time, and the recap of one host (tasks it ran, whether it failed). */
function play(bin, dir, name) {
  const start = process.hrtime.bigint();
  const r = spawnSync(bin, ['-i', join(dir, 'inventory.json'), join(dir, `${name}.yml`)], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
    // No bytecode: the collection's plugins would leave __pycache__ directories in the repository.
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
      ANSIBLE_FORCE_COLOR: '0',
      PYTHONDONTWRITEBYTECODE: '1',
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const recap = {};
  for (const m of r.stdout?.matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm) ?? []) {
    recap[m[1]] = { tasks: Number(m[2]) + Number(m[3]) + Number(m[6]), unreachable: Number(m[4]), failed: Number(m[5]) };
  }
  const hosts = Object.values(recap);
  // Exit 2 with a full recap is hosts the role failed; anything else (or a recap short of hosts) is Ansible giving up.
  if (r.error || !PLAYED.has(r.status) || hosts.length !== HOSTS || hosts.some((h) => h.unreachable > 0)) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(
      `${name} playbook: ansible-playbook ${r.error ? r.error.message : `exited ${r.status}`}, ${hosts.length}/${HOSTS} hosts in the recap\n${tail}`,
    );
  }
  return { ms, tasks: recap['node-1'].tasks, failed: hosts.filter((h) => h.failed > 0).length };
}

function main() {
  if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) {
    console.log('role benchmark: --role-rounds takes a whole number above 0');
    return 2;
  }
  const bin = which('ansible-playbook');
  if (!bin) {
    console.log('role benchmark: ansible-playbook not found; install it with: apt-get install -y ansible-core');
    return 2;
  }
  if (!existsSync(BUNDLE)) {
    console.log('role benchmark: dist/preflight.cjs not found; run npm run build first');
    return 2;
  }
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-role-'));
  try {
    const { stage, playbooks } = setUp(dir, ansiblePython(bin));
    // Untimed: the first run pays for reading Ansible and the bundle from disk.
    play(bin, dir, 'bare');
    const times = Object.fromEntries(playbooks.map((p) => [p, []]));
    const last = {};
    for (let i = 0; i < ROUNDS; i++) {
      for (const p of playbooks) {
        last[p] = play(bin, dir, p);
        times[p].push(last[p].ms);
      }
    }
    const med = Object.fromEntries(playbooks.map((p) => [p, median(times[p])]));
    // Per-round ratios as well as the ratio of medians: with few rounds one slow bare run moves the latter.
    const pairRatio = (p) => median(times[p].map((t, i) => t / times.bare[i]));
    const leftovers = readdirSync(stage);

    const row = (k, v) => console.log(`${k.padEnd(40)} ${v}`);
    console.log(`\nkube-preflight role benchmark: ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of bare, node, controller on ${HOSTS} local hosts`);
    console.log(`check: preflight --root ${NODE_ROOT.replace(REPO, '')}, ${bin}`);
    row('  playbook', 'median wall   x bare   per-round x   tasks/host   failed hosts');
    for (const p of playbooks) {
      const ratio = med[p] / med.bare;
      const cells = [
        `${(med[p] / 1000).toFixed(2)} s`.padStart(11),
        (p === 'bare' ? '-' : `${ratio.toFixed(2)}x`).padStart(8),
        (p === 'bare' ? '-' : `${pairRatio(p).toFixed(2)}x`).padStart(13),
        String(last[p].tasks).padStart(12),
        `${last[p].failed}/${HOSTS}`.padStart(14),
      ];
      row(`  ${p}${TARGETS[p] ? ` (target <= ${TARGETS[p]}x)` : ''}`, cells.join(' '));
    }
    if (leftovers.length) console.log(`warning: the role left ${leftovers.join(', ')} in its stage parent`);
    const missed = Object.entries(TARGETS).filter(([p, target]) => med[p] / med.bare > target);
    console.log(
      missed.length === 0
        ? `role: node ${(med.node / med.bare).toFixed(2)}x, controller ${(med.controller / med.bare).toFixed(2)}x the bare play: ok`
        : `ROLE TARGET MISSED: ${missed.map(([p, target]) => `${p} runtime ${(med[p] / med.bare).toFixed(2)}x the bare play (target <= ${target}x)`).join('; ')}`,
    );
    return missed.length === 0 ? 0 : 1;
  } catch (e) {
    console.log(`role benchmark failed: ${e.message}`);
    return 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
