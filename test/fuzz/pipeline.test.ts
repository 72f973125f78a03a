import t from 'tap';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { formatJson } from '../../src/report/json.js';
import { formatJunit } from '../../src/report/junit.js';
import { formatSarif } from '../../src/report/sarif.js';
import { formatText } from '../../src/report/text.js';
import { runBundle } from '../helpers/bundle.js';
import { filesUnder, FUZZ_SCALE, FUZZ_SEED, fuzzParams, mutate, mutations } from '../helpers/fuzz.js';
import { nodeFixtures } from '../helpers/node-fixtures.js';

// The whole pipeline over mutated node fixtures: collect, model, evaluate and every report format
// take any node files without an exception. Replay with FUZZ_SEED=<seed>; scale with FUZZ_RUNS.
const RUNS = 40;
const CLI_RUNS = 4;
t.comment(
  `fuzz: seed ${FUZZ_SEED}, ${Math.round(RUNS * FUZZ_SCALE)} pipeline runs, ${Math.round(CLI_RUNS * FUZZ_SCALE)} CLI runs (replay: FUZZ_SEED=${FUZZ_SEED})`,
);

const fixtures = nodeFixtures().map(({ name, root }) => ({ name, root, files: filesUnder(root).map(([path]) => path) }));
const checklist = await loadChecklist();

/** A fixture root copied to a temporary directory with some of its files mutated. */
const mutatedNode = fc
  .constantFrom(...fixtures)
  .chain((f) => fc.tuple(fc.constant(f), fc.array(fc.tuple(fc.constantFrom(...f.files), mutations), { minLength: 1, maxLength: 3 })));

function materialize([fixture, edits]: [(typeof fixtures)[number], [string, Parameters<typeof mutate>[1]][]]): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-fuzz-'));
  cpSync(fixture.root, dir, { recursive: true, verbatimSymlinks: true });
  for (const [file, m] of edits) {
    const path = join(dir, file);
    writeFileSync(path, mutate(readFileSync(path, 'utf8'), m));
  }
  return dir;
}

t.test('collect, model, evaluate and every format take any node files', async (t) => {
  const start = Date.now();
  const result = fc.check(
    fc.property(mutatedNode, (node) => {
      const root = materialize(node);
      try {
        const snapshot = collectSnapshot({ root });
        JSON.parse(JSON.stringify(snapshot));
        const report = evaluate(buildModel(snapshot), checklist, { date: '2026-06-01' });
        for (const format of [formatJson, formatJunit, formatSarif]) format(report);
        formatText(report, { verbose: true });
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }),
    fuzzParams(RUNS),
  );
  t.notOk(result.failed, result.failed ? fc.defaultReportMessage(result) : `${result.numRuns} runs (seed ${FUZZ_SEED})`);
  t.comment(`pipeline: ${result.numRuns} runs in ${Date.now() - start} ms`);
});

t.test('the CLI exits 0 or 1 on any node files, with nothing on stderr', async (t) => {
  const result = fc.check(
    fc.property(mutatedNode, fc.constantFrom('text', 'json', 'junit', 'sarif'), (node, format) => {
      const root = materialize(node);
      try {
        const r = runBundle(['--root', root, '--format', format, '--date', '2026-06-01']);
        return (r.code === 0 || r.code === 1) && r.stderr === '';
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }),
    fuzzParams(CLI_RUNS),
  );
  t.notOk(result.failed, result.failed ? fc.defaultReportMessage(result) : `${result.numRuns} runs (seed ${FUZZ_SEED})`);
});
