import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root, with a trailing slash. */
export const REPO = new URL('../../', import.meta.url).pathname;
/** The directory that holds ansible_collections/ (ANSIBLE_COLLECTIONS_PATH). */
export const COLLECTIONS = join(REPO, 'ansible');
/** The collection and its role. */
export const COLLECTION = join(COLLECTIONS, 'ansible_collections/kube_preflight/node');
export const ROLE = join(COLLECTION, 'roles/preflight');
/** The playbook the role tests run: preflight, then a stand-in join play that prints the role's facts. */
export const PLAYBOOK = join(REPO, 'test/ansible/playbooks/preflight.yml');

const INSTALL = 'apt-get install -y ansible-core ansible-lint yamllint (.ci/run does this)';

/**
 * The path of a tool the Ansible tests need. A missing tool fails the test that
 * asked for it, loudly: these tests never skip.
 */
export function requireTool(name: 'ansible-playbook' | 'ansible-lint' | 'yamllint' | 'ansible-galaxy'): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${name} is not installed, and the Ansible role's tests need it: ${INSTALL}`);
  return r.stdout.trim();
}

/** A scratch directory for one playbook run: ansible.cfg, temp dirs, inventory, stage parent. */
export interface Workspace {
  dir: string;
  /** The preflight_stage_parent of the hosts: must be empty after every run. */
  stage: string;
}

/** A temporary directory, removed when the test process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `preflight-ansible-${prefix}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh workspace with an ansible.cfg that reads nothing from the user's setup. */
export function workspace(prefix: string): Workspace {
  const dir = scratchDir(prefix);
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      `collections_path = ${COLLECTIONS}`,
      'forks = 20',
      'nocolor = true',
      'retry_files_enabled = false',
      'stdout_callback = default',
      `local_tmp = ${join(dir, 'tmp')}`,
      `remote_tmp = ${join(dir, 'tmp')}`,
      '[connection]',
      // Fewer file transfers per task; every host here uses the local connection.
      'pipelining = true',
      '',
    ].join('\n'),
  );
  return { dir, stage };
}

/** Host variables by inventory hostname. */
export type Hosts = Record<string, Record<string, unknown>>;

/**
 * Write an inventory of local "hosts", each its own node: all run on this
 * machine (ansible_connection local), so each gets a distinct identity for the
 * cross-host checks unless the test sets one, and they share the workspace's
 * stage parent (the role's temporary directories are unique per run).
 */
export function writeInventory(ws: Workspace, hosts: Hosts, common: Record<string, unknown> = {}): string {
  const entries = Object.entries(hosts).map(([name, vars], i) => [name, { ...identity(i), ...vars }]);
  const inventory = {
    all: {
      vars: {
        ansible_connection: 'local',
        ansible_python_interpreter: '{{ ansible_playbook_python }}',
        preflight_stage_parent: ws.stage,
        ...common,
      },
      hosts: Object.fromEntries(entries),
    },
  };
  const path = join(ws.dir, 'inventory.json');
  writeFileSync(path, JSON.stringify(inventory, null, 2));
  return path;
}

/** A distinct hostname, product_uuid and MAC address for the i-th host. */
export function identity(i: number): Record<string, unknown> {
  const n = (i + 1).toString(16).padStart(2, '0');
  return {
    preflight_node_hostname: `node-${n}`,
    preflight_node_product_uuid: `00000000-0000-4000-8000-0000000000${n}`,
    preflight_node_macs: [`02:00:00:00:00:${n}`],
  };
}

/** One host's line in a task's output. */
export interface HostResult {
  task: string;
  host: string;
  status: 'ok' | 'changed' | 'fatal' | 'failed' | 'skipping';
  /** The JSON Ansible printed after `=>`, if any. */
  result?: Record<string, unknown>;
}

/** A host's line in PLAY RECAP. */
export interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** What one ansible-playbook run printed, parsed. */
export interface PlaybookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  results: HostResult[];
  recap: Record<string, Recap>;
}

/** Run ansible-playbook in a workspace with its own configuration and nothing of the caller's ANSIBLE_* settings. */
export function runPlaybook(ws: Workspace, inventory: string, args: string[] = [], playbook = PLAYBOOK): PlaybookRun {
  const bin = requireTool('ansible-playbook');
  const started = Date.now();
  const r = spawnSync(bin, ['-i', inventory, playbook, ...args], {
    cwd: ws.dir,
    encoding: 'utf8',
    // Generous: a loaded two-core machine runs several playbooks at once.
    timeout: 480_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ANSIBLE_CONFIG: join(ws.dir, 'ansible.cfg'), ANSIBLE_FORCE_COLOR: '0' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000, ...parseOutput(r.stdout) };
}

/**
 * Parse the default callback's output: `TASK [...]` headers, one line per host
 * (`ok: [h]`, `fatal: [h]: FAILED! => {...}`, `ok: [h] => {` ... `}`) and the
 * recap.
 */
export function parseOutput(stdout: string): { results: HostResult[]; recap: Record<string, Recap> } {
  const results: HostResult[] = [];
  const recap: Record<string, Recap> = {};
  const lines = stdout.split('\n');
  let task = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^TASK \[(.*)\] \**$/.exec(line);
    if (header) {
      task = header[1]!.replace(/^kube_preflight\.node\.preflight : /, '');
      continue;
    }
    // Loop items (`=> (item=...)`) are not parsed: the role's loops only look for files.
    const hostLine = /^(ok|changed|fatal|failed|skipping): \[([^\]]+?)(?: -> [^\]]+)?\](?:: FAILED!)?(?: => (\{.*))?$/.exec(line);
    if (hostLine) {
      const [, status, host, rest] = hostLine;
      let json = rest;
      if (rest === '{') {
        const end = lines.indexOf('}', i);
        json = lines
          .slice(i, end + 1)
          .join('\n')
          .replace(/^[^{]*/, '');
        i = end;
      }
      results.push({ task, host: host!, status: status as HostResult['status'], ...(json ? { result: JSON.parse(json) as Record<string, unknown> } : {}) });
      continue;
    }
    const r = /^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)/.exec(line);
    if (r) {
      const [ok, changed, unreachable, failed, skipped, rescued, ignored] = r.slice(2).map(Number) as [number, number, number, number, number, number, number];
      recap[r[1]!] = { ok, changed, unreachable, failed, skipped, rescued, ignored };
    }
  }
  return { results, recap };
}

/** The result of one task on one host (the last, if the task ran more than once). */
export function resultOf(run: PlaybookRun, task: string, host: string): HostResult | undefined {
  return run.results.filter((r) => r.task === task && r.host === host).at(-1);
}

/** The fatal message of a host, whichever task failed it. */
export function failureOf(run: PlaybookRun, host: string): string | undefined {
  const fatal = run.results.find((r) => r.host === host && (r.status === 'fatal' || r.status === 'failed'));
  return fatal ? String(fatal.result?.msg ?? '') : undefined;
}

/** The facts the stand-in join play printed for a host that reached it. */
export interface JoinFacts {
  passed: boolean;
  ignore: string[];
  runtime: string;
  violations: { id: string; blocking: boolean; message: string; file: string; line: number; remediation: string; severity: string }[];
}

/** The role's facts as the join play saw them, for the hosts that reached it. */
export function joinFacts(run: PlaybookRun): Record<string, JoinFacts> {
  const out: Record<string, JoinFacts> = {};
  for (const r of run.results.filter((x) => x.task === 'Record what the join would use' && x.status === 'ok')) {
    out[r.host] = r.result!.msg as JoinFacts;
  }
  return out;
}

/** The violation lines the role printed for a host (without the header line). */
export function violationLines(run: PlaybookRun, host: string): string[] {
  const msg = resultOf(run, 'Show the violations, one line each', host)?.result?.msg;
  return Array.isArray(msg) ? (msg as string[]).slice(1) : [];
}
