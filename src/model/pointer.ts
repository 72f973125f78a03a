/** JSON Pointer (RFC 6901) helpers over plain model data. */

/** Split a JSON Pointer into unescaped tokens; `''` is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The value at a JSON Pointer, or undefined when any step is missing. */
export function getAt(data: unknown, pointer: string): unknown {
  let node: unknown = data;
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** The values along a pointer, from the root to the value itself (stops at the first missing step). */
export function valuesAlong(data: unknown, pointer: string): unknown[] {
  const out: unknown[] = [data];
  let node: unknown = data;
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, token)) break;
    node = (node as Record<string, unknown>)[token];
    out.push(node);
  }
  return out;
}
