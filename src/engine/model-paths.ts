/**
 * Paths into the node model, checked against its published schema
 * (schemas/node-model.schema.json, generated from src/model/types.ts), so a
 * custom rule whose target has a typo is refused when the checklist loads
 * instead of silently never applying.
 */
import { parsePointer } from '../model/pointer.js';
import { suggest } from '../parsers/suggest.js';
import { load as loadModelSchema } from '../lazy/node-model-schema.js';

/** A schema node of the model schema. */
type Node = Record<string, unknown>;

/** Where a pointer leads in the model schema. */
export type PointerCheck =
  | { ok: true; /** The schema of the value there (after $ref and nullable unions). */ schema: Node }
  | {
      ok: false;
      /** Why, in words: what is missing where. */ problem: string;
      /** A pointer that exists and is probably what was meant. */ suggestion?: string;
    };

const escape = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');
const pointerOf = (tokens: readonly string[]): string => tokens.map((t) => `/${escape(t)}`).join('');

function deref(root: Node, node: Node): Node {
  const ref = node.$ref as string | undefined;
  if (ref === undefined) return node;
  const target = (root.$defs as Record<string, Node>)[ref.slice('#/$defs/'.length)]!;
  const { $ref: _, ...rest } = node;
  return { ...rest, ...target };
}

/** The alternatives a node stands for: its anyOf branches (a nullable value), or itself. */
function branches(root: Node, node: Node): Node[] {
  const n = deref(root, node);
  return Array.isArray(n.anyOf) ? (n.anyOf as Node[]).map((b) => deref(root, b)) : [n];
}

/** What a free-form tree holds below any key: anything, including further keys. */
const FREE: Node = { type: 'object' };

/** The schema one token leads to from `node`, or undefined. */
function step(root: Node, node: Node, token: string): Node | undefined {
  for (const b of branches(root, node)) {
    const props = b.properties as Record<string, Node> | undefined;
    if (props && Object.hasOwn(props, token)) return props[token];
    if (b.additionalProperties && typeof b.additionalProperties === 'object') return b.additionalProperties as Node;
    if (b.items && /^(0|[1-9][0-9]*)$/.test(token)) return b.items as Node;
    // A free-form tree (containerd's merged configuration: `Record<string, unknown>`) holds any key at any depth.
    if (b.type === 'object' && b.properties === undefined && b.additionalProperties === undefined) return FREE;
  }
  return undefined;
}

/** The named keys one level below `node`. */
function keysOf(root: Node, node: Node): string[] {
  return branches(root, node).flatMap((b) => Object.keys((b.properties as object | undefined) ?? {}));
}

/**
 * A path below `node` (properties only, at most `depth` levels) whose last key
 * is `token` or close to it, breadth first, so the shortest such path wins.
 */
function findBelow(root: Node, node: Node, token: string, depth = 4): string[] | undefined {
  let frontier: { node: Node; path: string[] }[] = [{ node, path: [] }];
  for (let d = 0; d < depth && frontier.length > 0; d++) {
    const next: typeof frontier = [];
    for (const { node: n, path } of frontier) {
      const keys = keysOf(root, n);
      const hit = keys.find((k) => k.toLowerCase() === token.toLowerCase()) ?? suggest(token, keys);
      if (hit !== undefined && d > 0) return [...path, hit];
      for (const k of keys) next.push({ node: step(root, n, k)!, path: [...path, k] });
    }
    frontier = next;
  }
  return undefined;
}

/** Whether a schema node is a `Sourced<T>`: `{ value, source }`. */
export function isSourced(schema: Node): boolean {
  const props = schema.properties as Record<string, unknown> | undefined;
  return props !== undefined && Object.keys(props).length === 2 && 'value' in props && 'source' in props;
}

/**
 * Check a JSON Pointer against the node model schema. Keys of maps (unit
 * names, runtimes, sysctl keys) and list indexes are free; every named key
 * must exist. A wrong key gets a suggestion: a close key at that level, or the
 * shortest path below it that ends in the same name
 * (`/containerd/sandboxImage` → `/containerd/cri/sandboxImage`).
 */
export function checkModelPointer(pointer: string, schema: Node = loadModelSchema(), depth = 0): PointerCheck {
  const tokens = parsePointer(pointer);
  let node: Node = schema;
  for (const [i, token] of tokens.entries()) {
    const next = step(schema, node, token);
    if (next) {
      node = next;
      continue;
    }
    const here = pointerOf(tokens.slice(0, i)) || '/';
    const keys = keysOf(schema, node);
    const problem = keys.length === 0 ? `${here} is a single value, with nothing under it` : `the node model has no "${token}" under ${here}`;
    const rest = tokens.slice(i + 1);
    const near = keys.length === 0 ? undefined : suggest(token, keys);
    const below = near === undefined && keys.length > 0 ? findBelow(schema, node, token) : undefined;
    const fixed = near !== undefined ? [near] : below;
    if (fixed === undefined) return { ok: false, problem: keys.length === 0 ? problem : `${problem}; its keys are ${keys.join(', ')}` };
    const suggestion = pointerOf([...tokens.slice(0, i), ...fixed, ...rest]);
    // The rest of the pointer may hold another typo: repair it too, or suggest nothing.
    const again = depth < 3 ? checkModelPointer(suggestion, schema, depth + 1) : { ok: false as const, problem };
    if (again.ok) return { ok: false, problem, suggestion };
    return again.suggestion === undefined ? { ok: false, problem } : { ok: false, problem, suggestion: again.suggestion };
  }
  // A nullable value's schema is its non-null side (the model has no value that is only ever null).
  return { ok: true, schema: branches(schema, node).find((b) => b.type !== 'null')! };
}
