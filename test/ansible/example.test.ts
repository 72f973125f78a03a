// The example playbook (examples/kubeadm_join.yml) for real, on a local host
// with a stand-in kubeadm on PATH that fails as kubeadm does: kubeadm's own
// error output is shown (the join task has no no_log), the bootstrap token is
// not (it goes into a private join configuration, written with no_log and
// removed afterwards), and kubeadm gets what the role left for it.
import t from 'tap';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLLECTION, resultOf, runPlaybook, workspace } from '../helpers/ansible.js';
import { NODES } from '../helpers/node-fixtures.js';

t.setTimeout(300_000);

const ws = workspace('example');
const bin = join(ws.dir, 'bin');
mkdirSync(bin);
const seen = join(ws.dir, 'kubeadm-config.yaml');
// Keeps a copy of the configuration it was given, and fails as kubeadm does, on stderr.
writeFileSync(
  join(bin, 'kubeadm'),
  `#!/bin/sh\ncp "$3" '${seen}'\necho "[preflight] Running pre-flight checks"\necho "error execution phase preflight: couldn't validate the identity of the API Server: connection refused" >&2\nexit 1\n`,
);
chmodSync(join(bin, 'kubeadm'), 0o755);
process.env.PATH = `${bin}:${process.env.PATH}`;

const inventory = join(ws.dir, 'inventory.json');
writeFileSync(
  inventory,
  JSON.stringify({
    all: {
      vars: { ansible_connection: 'local', ansible_python_interpreter: '{{ ansible_playbook_python }}', preflight_stage_parent: ws.stage },
      children: { new_nodes: { hosts: { 'new-1': { preflight_root: join(NODES, 'clean/root'), preflight_runtime: 'node', preflight_cross_host_checks: false } } } },
    },
  }),
);
const token = 'abcdef.0123456789abcdef';
const run = runPlaybook(
  ws,
  inventory,
  ['-e', 'kubeadm_api_endpoint=10.0.0.10:6443', '-e', `kubeadm_token=${token}`, '-e', 'kubeadm_ca_cert_hash=sha256:00ff', '-e', `preflight_report_dir=${join(ws.dir, 'reports')}`],
  join(COLLECTION, 'examples/kubeadm_join.yml'),
);
t.comment(`ansible-playbook (example): ${run.seconds}s`);

t.test("the join task shows kubeadm's own error output, never the token", async (t) => {
  t.equal(run.code, 2, run.stderr);
  const join_ = resultOf(run, 'Run kubeadm join', 'new-1');
  t.equal(join_?.status, 'fatal', 'the node passed preflight and kubeadm join ran and failed');
  t.match(String(join_?.result?.stderr), /error execution phase preflight: couldn't validate the identity of the API Server/, "kubeadm's stderr is in the output");
  t.notMatch(run.stdout + run.stderr, new RegExp(token.replace('.', '\\.')), 'the token is nowhere in the output');
  const config = readFileSync(seen, 'utf8');
  t.match(config, /kind: JoinConfiguration/);
  t.match(config, new RegExp(`token: ${token.replace('.', '\\.')}`), 'kubeadm got the token in its configuration');
  t.match(config, /ignorePreflightErrors: \[\]/, "and the role's kubeadm names");
  const path = String((join_?.result?.cmd as string[] | undefined)?.at(-1) ?? '');
  t.ok(path.length > 0 && !existsSync(path), 'the join configuration is removed afterwards');
});
