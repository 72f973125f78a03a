import t from 'tap';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runBundle } from '../helpers/bundle.js';
import { validateReport } from '../helpers/report-schema.js';

interface Expectation {
  description: string;
  exitCode: number;
  /** Exactly the rules that fail. */
  fail: string[];
  pass?: string[];
  notApplicable?: string[];
  args?: string[];
  /** Checklist keys for this node (written to a file and passed with --checklist). */
  checklist?: Record<string, unknown>;
  /** Text the report must contain: each cause of an incident, named. */
  mentions?: string[];
  /** Values that must appear in no output format. */
  secrets?: string[];
}

const NODES = new URL('../fixtures/nodes/', import.meta.url).pathname;

/** A hash of every name, mode, link and byte under a directory. */
function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      h.update(`${p}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

for (const name of readdirSync(NODES).sort()) {
  t.test(`node fixture ${name}`, async (t) => {
    const expect = parse(readFileSync(join(NODES, name, 'expect.yaml'), 'utf8')) as Expectation;
    const root = join(NODES, name, 'root');
    const before = hashTree(root);
    const extra = [...(expect.args ?? [])];
    if (expect.checklist) {
      const file = join(mkdtempSync(join(tmpdir(), 'preflight-checklist-')), 'checklist.json');
      writeFileSync(file, JSON.stringify({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...expect.checklist }));
      extra.push('--checklist', file);
    }
    const args = ['--root', root, '--format', 'json', '--date', '2026-06-01', ...extra];
    const r = runBundle(args);
    t.equal(r.stderr, '', 'nothing on stderr');
    t.equal(r.code, expect.exitCode, expect.description);
    const report = JSON.parse(r.stdout);
    t.ok(validateReport(report), JSON.stringify(validateReport.errors));
    const failed = report.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
    t.same(failed, [...expect.fail].sort(), 'exactly the expected rules fail');
    for (const id of expect.pass ?? []) t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'pass', `${id} passes`);
    for (const id of expect.notApplicable ?? []) {
      t.equal(report.results.find((x: { id: string }) => x.id === id)?.status, 'not-applicable', `${id} is not applicable`);
    }
    const again = JSON.parse(runBundle(args).stdout);
    t.same({ ...again, timing: null }, { ...report, timing: null }, 'a second run gives the same report');
    const text = runBundle(['--root', root, ...extra]);
    t.equal(text.code, expect.exitCode, 'the text format agrees on the exit code');
    for (const m of expect.mentions ?? []) t.match(text.stdout, m, `names: ${m}`);
    const outputs = [r.stdout, text.stdout, ...['junit', 'sarif'].map((f) => runBundle(['--root', root, '--format', f, ...extra]).stdout)];
    for (const secret of expect.secrets ?? []) t.notOk(outputs.some((o) => o.includes(secret)), `${secret} appears in no output format`);
    t.equal(hashTree(root), before, 'the node root is byte-identical after the runs');
  });
}
