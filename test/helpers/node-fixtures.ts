import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A node fixture's expect.yaml: what `preflight --root <case>/root [args]` reports. */
export interface NodeExpectation {
  description: string;
  exitCode: number;
  fail: string[];
  notApplicable?: string[];
  args?: string[];
}

/** The directory of the whole-node fixtures, test/fixtures/nodes/<case>/{root,expect.yaml}. */
export const NODES = new URL('../fixtures/nodes/', import.meta.url).pathname;

/** Every node fixture, sorted by name. */
export function nodeFixtures(): { name: string; root: string; expect: NodeExpectation }[] {
  return readdirSync(NODES)
    .sort()
    .map((name) => ({ name, root: join(NODES, name, 'root'), expect: parse(readFileSync(join(NODES, name, 'expect.yaml'), 'utf8')) as NodeExpectation }));
}
