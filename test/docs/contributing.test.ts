import t from 'tap';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';

// CONTRIBUTING.md's "add a rule" walk-through, followed step by step in a scratch copy of the
// repository: its files written, its lines inserted where the guide says, then the rule's own
// test, the catalogue checks and the docs generator run on the result.

const ROOT = new URL('../../', import.meta.url).pathname;
const GUIDE = 'CONTRIBUTING.md';

export interface Step {
  line: number;
  action: 'file' | 'insert';
  path: string;
  text: string;
}

/** The steps of the guide: a `<!-- contributing: file|insert PATH -->` marker, then a fenced block. */
export function parseSteps(markdown: string): Step[] {
  const lines = markdown.split('\n');
  const steps: Step[] = [];
  lines.forEach((line, i) => {
    const marker = /^<!-- contributing: (file|insert) (\S+) -->$/.exec(line);
    if (!marker) return;
    let open = i + 1;
    while (lines[open] === '') open++;
    if (!/^```/.test(lines[open] ?? '')) throw new Error(`${GUIDE}:${i + 1}: a contributing marker needs a code block after it`);
    const close = lines.findIndex((l, k) => k > open && l === '```');
    if (close < 0) throw new Error(`${GUIDE}:${open + 1}: a code block is not closed`);
    steps.push({ line: i + 1, action: marker[1] as Step['action'], path: marker[2]!, text: lines.slice(open + 1, close).join('\n') + '\n' });
  });
  return steps;
}

/** Lines of the same shape: an import, an identifier in a list, a contract row. */
const shapeOf = (line: string): RegExp | undefined =>
  [/^import \w+ from '\.\/[a-z]+\/[a-z0-9-]+\.js';$/, /^ {2}[a-z][A-Za-z0-9]*,$/, /^ {2}\['[a-z]+\/[a-z0-9-]+', '[SL]', '[EWI]'\],$/].find((re) => re.test(line));

/** Insert each line among the lines of its shape, in sorted order, as the guide asks. */
export function insertSorted(text: string, additions: string): string {
  const lines = text.split('\n');
  for (const add of additions.trimEnd().split('\n')) {
    const shape = shapeOf(add);
    if (!shape) throw new Error(`the guide inserts a line of no known shape: ${add}`);
    const same = lines.map((l, i) => (shape.test(l) ? i : -1)).filter((i) => i >= 0);
    if (same.length === 0) throw new Error(`no line like ${JSON.stringify(add)} to insert it beside`);
    const after = same.find((i) => lines[i]! > add);
    lines.splice(after ?? same.at(-1)! + 1, 0, add);
  }
  return lines.join('\n');
}

const steps = parseSteps(readFileSync(join(ROOT, GUIDE), 'utf8'));

t.test('the guide has the steps of a rule: its file, the index, its test, the contract', async (t) => {
  t.same(
    steps.map((s) => `${s.action} ${s.path}`),
    [
      'file src/rules/host/hostname-not-localhost.ts',
      'insert src/rules/index.ts',
      'file test/rules/host/hostname-not-localhost.test.ts',
      'insert test/meta/catalogue.test.ts',
    ],
  );
  t.notOk(existsSync(join(ROOT, 'src/rules/host/hostname-not-localhost.ts')), 'the example rule is not part of the catalogue');
});

t.test('insertSorted and parseSteps', async (t) => {
  t.equal(insertSorted("import a from './x/a.js';\nimport c from './x/c.js';\n", "import b from './x/b.js';\n"), "import a from './x/a.js';\nimport b from './x/b.js';\nimport c from './x/c.js';\n");
  t.equal(insertSorted('[\n  alpha,\n  beta,\n];', '  gamma,\n'), '[\n  alpha,\n  beta,\n  gamma,\n];', 'after the last when it sorts last');
  t.throws(() => insertSorted('x', 'const y = 1;'), /no known shape/);
  t.throws(() => insertSorted('x', '  alpha,'), /no line like/);
  t.throws(() => parseSteps('<!-- contributing: file a.ts -->\ntext\n'), /CONTRIBUTING\.md:1: a contributing marker needs a code block/);
  t.throws(() => parseSteps('<!-- contributing: file a.ts -->\n```ts\nx\n'), /CONTRIBUTING\.md:2: a code block is not closed/);
});

t.test("following the guide in a scratch copy: the new rule's test, the catalogue checks and the docs pass", async (t) => {
  // Outside the repository: tap finds its project root by walking up from the working directory.
  const copy = mkdtempSync(join(tmpdir(), 'preflight-contributing-'));
  t.teardown(() => rmSync(copy, { recursive: true, force: true }));
  for (const part of ['src', 'scripts', 'schemas', 'docs', 'ansible', 'test/ansible/playbooks', 'test/helpers', 'test/fixtures', 'test/rules', 'test/meta/catalogue.test.ts', 'package.json', 'tsconfig.json', 'README.md']) {
    cpSync(join(ROOT, part), join(copy, part), { recursive: true, verbatimSymlinks: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  for (const step of steps) {
    const target = join(copy, step.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, step.action === 'file' ? step.text : insertSorted(readFileSync(target, 'utf8'), step.text));
  }
  // A clean environment through env -i: this tap hooks every spawn to add its own variables (coverage,
  // process info), and the inner tap, adding its own again, would exceed the kernel's limit (E2BIG).
  const env = [`PATH=${process.env.PATH ?? '/usr/bin:/bin'}`, `HOME=${process.env.HOME ?? copy}`, 'LANG=C.UTF-8'];
  const run = (args: string[]) => spawnSync('env', ['-i', ...env, process.execPath, ...args], { cwd: copy, encoding: 'utf8', timeout: 300_000 });
  const tap = run([join(ROOT, 'node_modules/tap/dist/esm/run.mjs'), '--disable-coverage', 'test/rules/host/hostname-not-localhost.test.ts', 'test/meta/catalogue.test.ts']);
  t.equal(tap.status, 0, `the rule's test and the catalogue checks pass:\n${tap.stdout.split('\n').filter((l) => /not ok|# \{/.test(l)).join('\n')}${tap.stderr}`);
  t.match(tap.stdout, /ok \d+ - test\/rules\/host\/hostname-not-localhost\.test\.ts/);
  const docs = run(['scripts/run-ts.mjs', 'scripts/build-docs.ts']);
  t.equal(docs.status, 0, docs.stderr);
  const page = readFileSync(join(copy, 'docs/rules/host/hostname-not-localhost.md'), 'utf8');
  t.match(page, /The hostname is not localhost/, 'the generated page has the rule');
  t.match(readFileSync(join(copy, 'docs/rules/README.md'), 'utf8'), /\[host\/hostname-not-localhost\]\(host\/hostname-not-localhost\.md\)/, 'the catalogue page lists it');
});
