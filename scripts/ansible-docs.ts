// The variable table of the Ansible collection's README, rendered from the
// role's meta/argument_specs.yml (the file Ansible validates the variables
// with), and what the play prints, from a real run. Used by `npm run docs` and by
// the test that keeps the README current.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** The collection README, relative to the repository root. */
export const COLLECTION_README = 'ansible/ansible_collections/kube_preflight/node/README.md';
/** The role's argument specification, relative to the repository root. */
export const ROLE_ARGUMENT_SPECS = 'ansible/ansible_collections/kube_preflight/node/roles/preflight/meta/argument_specs.yml';

/** One option of a role argument spec. */
export interface RoleOption {
  type: string;
  elements?: string;
  choices?: unknown[];
  default?: unknown;
  description: string | string[];
}

/** The options of the role's `main` entry point, in file order. */
export function roleOptions(path = ROLE_ARGUMENT_SPECS): Record<string, RoleOption> {
  const specs = parse(readFileSync(path, 'utf8')) as { argument_specs: { main: { options: Record<string, RoleOption> } } };
  return specs.argument_specs.main.options;
}

/** Ansible's documentation markup as Markdown: C(code), I(option), and table-safe pipes. */
function markdown(text: string): string {
  return text.replace(/[CI]\(([^)]*)\)/g, '`$1`').replace(/\|/g, '\\|');
}

function showDefault(value: unknown): string {
  if (value === '') return '`""`';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

/** The Markdown table of the role's variables: name, type, default, meaning. */
export function roleVariablesTable(path = ROLE_ARGUMENT_SPECS): string {
  const rows = Object.entries(roleOptions(path)).map(([name, o]) => {
    const type = o.type === 'list' ? `list of ${o.elements ?? 'any'}` : o.type;
    const choices = o.choices ? ` One of ${o.choices.map((c) => `\`${String(c)}\``).join(', ')}.` : '';
    const text = (Array.isArray(o.description) ? o.description : [o.description]).map(markdown).join(' ');
    return `| \`${name}\` | ${type} | ${showDefault(o.default)} | ${text}${choices} |`;
  });
  return [
    `<!-- Generated from ${ROLE_ARGUMENT_SPECS.replace(/^ansible\/ansible_collections\/kube_preflight\/node\//, '')} by npm run docs. -->`,
    '',
    '| Variable | Type | Default | Meaning |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * What the play prints for a ready node (worker-1, the clean fixture) and one that is not
 * (worker-3, swap on), from a real ansible-playbook run of the role: the collection README
 * shows this, and the docs test fails when it drifts. Only the tasks whose output does not
 * depend on the order hosts finish in are kept.
 */
export function playOutput(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kp-play-output-'));
  try {
    const nodes = resolve('test/fixtures/nodes');
    for (const sub of ['stage', 'tmp']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'ansible.cfg'),
      `[defaults]\ncollections_path = ${resolve('ansible')}\nnocolor = true\nretry_files_enabled = false\nstdout_callback = default\nlocal_tmp = ${dir}/tmp\nremote_tmp = ${dir}/tmp\n`,
    );
    const inventory = {
      all: {
        vars: {
          ansible_connection: 'local',
          ansible_python_interpreter: '{{ ansible_playbook_python }}',
          preflight_stage_parent: join(dir, 'stage'),
          preflight_cross_host_checks: false,
        },
        hosts: { 'worker-1': { preflight_root: join(nodes, 'clean/root') }, 'worker-3': { preflight_root: join(nodes, 'swap-on/root') } },
      },
    };
    writeFileSync(join(dir, 'inventory.json'), JSON.stringify(inventory));
    const run = spawnSync('ansible-playbook', ['-i', join(dir, 'inventory.json'), resolve('test/ansible/playbooks/preflight.yml')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), ANSIBLE_FORCE_COLOR: '0' },
    });
    if (run.error || run.status !== 2) throw new Error(`ansible-playbook for the collection README exited ${run.status ?? String(run.error)}: ${run.stderr}`);
    const wanted = ['Show the violations, one line each', 'Summarise preflight across the play', 'Fail this node when it is not ready to join'];
    const sections = run.stdout.split(/\n(?=TASK \[)/).filter((s) => wanted.some((w) => s.startsWith(`TASK [kube_preflight.node.preflight : ${w}]`)));
    return (
      '```text\n' +
      sections
        .map((s) =>
          s
            .replace(/^skipping: .*\n/gm, '')
            .split('\nPLAY ')[0]!
            .trimEnd(),
        )
        .join('\n\n') +
      '\n```'
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
