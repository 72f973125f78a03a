// The collection without running it: ansible-lint (production profile),
// yamllint, ansible-playbook --syntax-check, the argument spec against the
// defaults, variable names, the generated README table, and what
// ansible-galaxy builds. Missing tools fail these tests (they never skip).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COLLECTION_README, roleOptions, roleVariablesTable } from '../../scripts/ansible-docs.js';
import { BUNDLE } from '../helpers/bundle.js';
import { COLLECTION, COLLECTIONS, PLAYBOOK, REPO, ROLE, requireTool, scratchDir } from '../helpers/ansible.js';

t.setTimeout(300_000);

const EXAMPLES = readdirSync(join(COLLECTION, 'examples')).map((f) => join(COLLECTION, 'examples', f));
const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ANSIBLE_COLLECTIONS_PATH: COLLECTIONS, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' };
const sh = (cmd: string, args: string[], cwd = REPO) => spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });

t.test('ansible-lint, production profile: clean', async (t) => {
  const r = sh(requireTool('ansible-lint'), ['--offline', '--nocolor', '-c', 'ansible/.ansible-lint', 'ansible/ansible_collections', 'test/ansible/playbooks']);
  t.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  t.match(r.stderr + r.stdout, /Passed with production profile: 0 failure\(s\), 0 warning\(s\)/);
});

t.test('yamllint (strict): clean', async (t) => {
  const r = sh(requireTool('yamllint'), ['-s', '-f', 'parsable', '-c', 'ansible/.yamllint', 'ansible', 'test/ansible/playbooks']);
  t.equal(r.status, 0, r.stdout + r.stderr);
});

t.test('ansible-playbook --syntax-check: the example and the test playbook', async (t) => {
  for (const playbook of [...EXAMPLES, PLAYBOOK]) {
    const r = sh(requireTool('ansible-playbook'), ['--syntax-check', '-i', 'localhost,', playbook]);
    t.equal(r.status, 0, `${playbook}\n${r.stdout}${r.stderr}`);
  }
});

t.test('the argument spec and the defaults agree', async (t) => {
  const options = roleOptions();
  const defaults = parse(readFileSync(join(ROLE, 'defaults/main.yml'), 'utf8')) as Record<string, unknown>;
  t.same(Object.keys(defaults), Object.keys(options), 'the same variables, in the same order');
  for (const [name, o] of Object.entries(options)) {
    t.same(o.default, defaults[name], `${name}: the documented default is the real one`);
    t.ok(['str', 'bool', 'int', 'list', 'dict', 'path'].includes(o.type), `${name}: typed`);
    if (o.type === 'list') t.ok(o.elements, `${name}: list elements typed`);
    t.ok([o.description].flat().join(' ').length > 20, `${name}: documented`);
  }
});

t.test('every variable the role sets or reads as its own is prefixed', async (t) => {
  const names = new Set<string>(Object.keys(roleOptions()));
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const task = node as Record<string, unknown>;
    if (typeof task.register === 'string') names.add(task.register);
    const facts = task['ansible.builtin.set_fact'];
    if (facts && typeof facts === 'object') Object.keys(facts).forEach((k) => names.add(k));
    if (task.vars && typeof task.vars === 'object') Object.keys(task.vars).forEach((k) => names.add(k));
    Object.values(task).forEach(walk);
  };
  const files = ['vars/main.yml', ...readdirSync(join(ROLE, 'tasks')).map((f) => `tasks/${f}`)];
  for (const file of files) {
    const doc = parse(readFileSync(join(ROLE, file), 'utf8'));
    if (file === 'vars/main.yml') Object.keys(doc as object).forEach((k) => names.add(k));
    else walk(doc);
  }
  t.ok(names.size > 30, `${names.size} names`);
  for (const name of names) t.match(name, /^(preflight|__preflight)_[a-z0-9_]+$/, name);
});

t.test("the collection README's variable table is generated from the argument spec", async (t) => {
  const readme = readFileSync(join(REPO, COLLECTION_README), 'utf8');
  t.ok(readme.includes(`<!-- generated:variables -->\n${roleVariablesTable()}\n<!-- /generated:variables -->`), 'current (run npm run docs)');
  for (const name of Object.keys(roleOptions())) t.ok(readme.includes(`| \`${name}\` |`), `${name} has a row`);
});

t.test('ansible-galaxy builds a collection that carries the committed bundle, not the executable', async (t) => {
  const out = scratchDir('galaxy');
  const build = sh(requireTool('ansible-galaxy'), ['collection', 'build', '--output-path', out, COLLECTION]);
  t.equal(build.status, 0, build.stderr);
  const version = /^version: (\S+)$/m.exec(readFileSync(join(COLLECTION, 'galaxy.yml'), 'utf8'))?.[1];
  const tarball = join(out, `kube_preflight-node-${version}.tar.gz`);
  const list = sh('tar', ['-tzf', tarball]).stdout.split('\n');
  t.ok(list.includes('roles/preflight/files/preflight.cjs'));
  t.notOk(list.some((f) => f.includes('preflight-linux-')), 'no single executable inside');
  const bundled = spawnSync('tar', ['-xzOf', tarball, 'roles/preflight/files/preflight.cjs'], { maxBuffer: 16 * 1024 * 1024 }).stdout;
  t.ok(bundled.equals(readFileSync(BUNDLE)), 'the bundle in the tarball is dist/preflight.cjs, byte for byte');
});
