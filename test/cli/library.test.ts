import t from 'tap';
import { RULES } from '../../src/rules/index.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

t.test('the package imports by name, with types, from the built library', async (t) => {
  // A consumer project whose node_modules/kube-preflight is this package (as npm would link it).
  const dir = t.testdir();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules/kube-preflight'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(
    join(dir, 'use.ts'),
    [
      "import { buildModel, collectSnapshot, evaluate, formatJson, loadChecklist, RULES, type Report } from 'kube-preflight';",
      `const report: Report = evaluate(buildModel(collectSnapshot({ root: ${JSON.stringify(join(ROOT, 'test/fixtures/nodes/clean/root'))} })), await loadChecklist(), { date: '2026-06-01' });`,
      'const failed: number = report.summary.byStatus.fail;',
      'console.log(JSON.stringify({ rules: RULES.length, failed, json: formatJson(report).length > 0 }));',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      },
      files: ['use.ts'],
    }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
  t.pass('a consumer type-checks against dist/lib/*.d.ts');
  writeFileSync(join(dir, 'use.mjs'), readableJs());
  const out = execFileSync(process.execPath, [join(dir, 'use.mjs')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  t.same(JSON.parse(out), { rules: RULES.length, failed: 0, json: true });
});

function readableJs(): string {
  return [
    "import { buildModel, collectSnapshot, evaluate, formatJson, loadChecklist, RULES } from 'kube-preflight';",
    `const report = evaluate(buildModel(collectSnapshot({ root: ${JSON.stringify(join(ROOT, 'test/fixtures/nodes/clean/root'))} })), await loadChecklist(), { date: '2026-06-01' });`,
    'console.log(JSON.stringify({ rules: RULES.length, failed: report.summary.byStatus.fail, json: formatJson(report).length > 0 }));',
  ].join('\n');
}
