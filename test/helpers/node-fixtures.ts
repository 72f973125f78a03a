import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A node fixture's expect.yaml: what `preflight --root <case>/root [args]` reports. */
export interface NodeExpectation {
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

/** The directory of the whole-node fixtures, test/fixtures/nodes/<case>/{root,expect.yaml}. */
export const NODES = new URL('../fixtures/nodes/', import.meta.url).pathname;

/** Every node fixture, sorted by name. */
export function nodeFixtures(): { name: string; root: string; expect: NodeExpectation }[] {
  return readdirSync(NODES)
    .sort()
    .map((name) => ({ name, root: join(NODES, name, 'root'), expect: parse(readFileSync(join(NODES, name, 'expect.yaml'), 'utf8')) as NodeExpectation }));
}

let scratch: string | undefined;

/** The fixture's checklist written to a file (removed when the process exits), or undefined when it has none. */
export function checklistFile(name: string, expect: NodeExpectation): string | undefined {
  if (!expect.checklist) return undefined;
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-fixture-checklists-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  const file = join(scratch, `${name}.json`);
  writeFileSync(file, JSON.stringify({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...expect.checklist }));
  return file;
}
