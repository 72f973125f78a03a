import t from 'tap';
import { readFileSync, readdirSync } from 'node:fs';
import { CHECKLIST_EXAMPLE, renderDocs } from '../../scripts/docs.js';
import { main } from '../../src/cli/main.js';
import {
  generateChecklistValidatorCode,
  generateContainerdSchemasCode,
  generateRuleValidatorCode,
  generateSnapshotValidatorCode,
} from '../../scripts/validator-code.js';
import { TOOL_NAME, TOOL_VERSION } from '../../src/version.js';

const ROOT = new URL('../../', import.meta.url).pathname;

t.test('generated docs are current (run npm run docs)', async (t) => {
  const files = await renderDocs();
  for (const [path, content] of files) t.equal(readFileSync(`${ROOT}${path}`, 'utf8'), content, path);
  const pages = readdirSync(`${ROOT}docs/rules`, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => `${d.parentPath.slice(ROOT.length)}/${d.name}`);
  t.same(pages.sort(), [...files.keys()].filter((p) => p.startsWith('docs/rules/')).sort(), 'no stale pages');
  t.ok(files.has('README.md'), "README's generated blocks are checked too");
});

t.test("the README's example checklist is one the checker accepts", async (t) => {
  let err = '';
  const code = await main(['--checklist', `${ROOT}${CHECKLIST_EXAMPLE}`, '--root', `${ROOT}test/fixtures/nodes/clean/root`], {
    stdout: () => undefined,
    stderr: (s) => void (err += s),
    isTTY: false,
    env: {},
    now: () => new Date(0),
  });
  t.equal(err, '', 'no usage error');
  t.not(code, 2, 'a check was made');
});

t.test('precompiled validators are current (run npm run build)', async (t) => {
  t.equal(readFileSync(`${ROOT}src/generated/validators.ts`, 'utf8'), generateRuleValidatorCode());
  t.equal(readFileSync(`${ROOT}src/generated/checklist-validator.ts`, 'utf8'), generateChecklistValidatorCode(`${ROOT}schemas/checklist.schema.json`));
  t.equal(readFileSync(`${ROOT}src/generated/containerd-schemas.ts`, 'utf8'), generateContainerdSchemasCode(`${ROOT}schemas/containerd`));
  t.equal(readFileSync(`${ROOT}src/generated/snapshot-validator.ts`, 'utf8'), generateSnapshotValidatorCode(`${ROOT}schemas/snapshot.schema.json`));
});

t.test('version and name match package.json', async (t) => {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { name: string; version: string; bin: Record<string, string> };
  t.equal(TOOL_VERSION, pkg.version);
  t.equal(TOOL_NAME, pkg.name);
  t.same(pkg.bin, { preflight: 'dist/preflight.cjs' });
});
