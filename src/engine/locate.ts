import type { NodeModel } from '../model/types.js';
import { valuesAlong } from '../model/pointer.js';
import type { Evidence } from '../rules/types.js';

/**
 * The file and line of a model value: the deepest `source` ({file, line}) or
 * file record ({path, state}) on the way to it.
 */
export function locate(model: NodeModel, pointer: string): Evidence {
  let found: Evidence = {};
  for (const node of valuesAlong(model, pointer)) {
    if (node === null || typeof node !== 'object') continue;
    const n = node as Record<string, unknown>;
    const source = n.source as { file?: string; line?: number } | undefined;
    if (source?.file) found = { file: source.file, ...(source.line ? { line: source.line } : {}) };
    else if (typeof n.path === 'string' && typeof n.state === 'string') found = { file: n.path };
    else if (typeof n.file === 'string') found = { file: n.file, ...(typeof n.line === 'number' ? { line: n.line } : {}) };
  }
  return found;
}
