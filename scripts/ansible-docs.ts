// The variable table of the Ansible collection's README, rendered from the
// role's meta/argument_specs.yml (the file Ansible validates the variables
// with). Used by `npm run docs` and by the test that keeps the README current.
import { readFileSync } from 'node:fs';
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
