// Configurations as kubespray, EKS (nodeadm), kind, Flatcar, image-builder and
// the Kubernetes and Debian packages publish them: each node reports exactly
// the findings judged true for it, every planted fault is caught at the file
// it names, and the quiet variants stay quiet (cases.ts says why for each).
import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { RULES } from '../../src/rules/index.js';
import { BASES, FAULTS, QUIET } from './cases.js';
import { measure, type Lib } from './harness.js';

const PUBLISHED = new URL('../fixtures/published/', import.meta.url).pathname;

t.test('every published file is listed in SOURCES.md with its digest', async (t) => {
  const sources = readFileSync(join(PUBLISHED, 'SOURCES.md'), 'utf8');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'SOURCES.md') files.push(p);
    }
  };
  walk(PUBLISHED);
  t.ok(files.length >= 30, `${files.length} files`);
  let section = '';
  const listed = new Map<string, string>();
  for (const line of sources.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3);
    const row = /^\| `([^`]+)` \| .* \| `([0-9a-f]{12})` \|$/.exec(line);
    if (row) listed.set(`${section}${row[1]}`, row[2]!);
  }
  for (const f of files) {
    const [base, , ...rest] = relative(PUBLISHED, f).split('/');
    const key = `${base}/${rest.join('/')}`;
    t.equal(createHash('sha256').update(readFileSync(f)).digest('hex').slice(0, 12), listed.get(key), key);
  }
  t.equal(listed.size, files.length, 'no stale rows');
  t.same(
    [...new Set(BASES.map((b) => b.name))].sort(),
    readdirSync(PUBLISHED)
      .filter((n) => n !== 'SOURCES.md')
      .sort(),
    'a case for every node',
  );
});

t.test('published nodes: findings, planted faults, quiet variants', async (t) => {
  const rules = RULES.filter((r) => r.mode === 'static').map((r) => r.id);
  const m = await measure({ collectSnapshot, buildModel, loadChecklist, evaluate } as unknown as Lib, t.testdir(), rules);
  t.equal(m.faults.length, FAULTS.length + BASES.reduce((n, b) => n + Object.keys(b.findings).length, 0));
  for (const f of m.faults) t.ok(f.caught, `${f.base}: ${f.name} (${f.rule}): ${f.detail}`);
  t.equal(m.quiet.length, BASES.reduce((n, b) => n + rules.filter((r) => !(r in b.findings)).length, 0) + QUIET.reduce((n, q) => n + q.quiet.length, 0));
  for (const q of m.quiet) t.ok(q.quiet, `${q.base}: ${q.name}: ${q.rule} stays quiet${q.detail ? `: ${q.detail}` : ''}`);
});
