// Measure the checker on the published-configuration cases (test/published):
// how many planted faults it catches (at the file the case names), and how many
// checks stay quiet on configurations as their projects publish them.
//
//   node scripts/run-ts.mjs scripts/measure-published.ts [--verbose]
//
// To measure another version, copy this script and test/published into a
// checkout of it (with test/fixtures/published) and run it there; the cases
// use only the library calls every version has.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot } from '../src/collect/snapshot.js';
import { buildModel } from '../src/model/build.js';
import { loadChecklist } from '../src/engine/checklist.js';
import { evaluate } from '../src/engine/evaluate.js';
import { RULES } from '../src/rules/index.js';
import { measure, type Lib } from '../test/published/harness.js';

const verbose = process.argv.includes('--verbose');
const only = process.argv
  .find((a) => a.startsWith('--rules='))
  ?.slice('--rules='.length)
  .split(',');
const scratch = mkdtempSync(join(tmpdir(), 'preflight-published-'));
try {
  const rules = RULES.filter((r) => r.mode === 'static')
    .map((r) => r.id)
    .filter((id) => !only || only.includes(id));
  const m = await measure({ collectSnapshot, buildModel, loadChecklist, evaluate } as unknown as Lib, scratch, rules);
  for (const f of m.faults)
    if (verbose || !f.caught) console.log(`${f.caught ? 'caught' : 'MISSED'}  ${f.base}: ${f.name} (${f.rule})${f.caught ? '' : `: ${f.detail}`}`);
  for (const q of m.quiet) if (!q.quiet) console.log(`NOISY   ${q.base}: ${q.name}: ${q.rule}: ${q.detail}`);
  console.log(`planted faults caught: ${m.faults.filter((f) => f.caught).length} of ${m.faults.length}`);
  console.log(`quiet checks quiet:    ${m.quiet.filter((q) => q.quiet).length} of ${m.quiet.length}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
