import { positionOf, tomlPathKey, type TomlData, type TomlLocations, type TomlValue } from '../../parsers/toml.js';
import type { Source } from '../types.js';

/**
 * A configuration tree with the source of every leaf. Leaves are scalars and
 * arrays (array elements get their own entries, `<path>\0<index>`); sources are
 * keyed by {@link tomlPathKey}.
 */
export interface SourcedTree {
  data: TomlData;
  sources: Map<string, Source>;
  /**
   * Values an import erased by replacing a whole plugin table (containerd
   * 1.x), by path key: the table that replaced them, and where they were set.
   */
  dropped?: Map<string, { by: Source; was: Source }>;
}

/** Whether a value is a TOML table. */
export const isTable = (v: unknown): v is TomlData => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An own property of a table (never one inherited from Object.prototype). */
export const own = (t: TomlData | undefined, key: string): TomlValue | undefined => (t && Object.hasOwn(t, key) ? t[key] : undefined);

/** Set an own property, even for keys such as `__proto__`. */
export function setOwn(t: TomlData, key: string, value: TomlValue): void {
  Object.defineProperty(t, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A table at a path, created on the way when `create` is set. */
export function tableAt(root: TomlData, path: readonly string[], create = false): TomlData | undefined {
  let t: TomlData = root;
  for (const key of path) {
    let next = own(t, key);
    if (!isTable(next)) {
      if (!create) return undefined;
      next = {};
      setOwn(t, key, next);
    }
    t = next;
  }
  return t;
}

/** The value at a path. */
export function valueAt(root: TomlData, path: readonly string[]): TomlValue | undefined {
  const parent = tableAt(root, path.slice(0, -1));
  return parent && own(parent, path[path.length - 1]!);
}

/** A key path written the way TOML writes it: plugins."io.containerd.grpc.v1.cri".sandbox_image. */
export function displayKey(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

/** The tree of one file, with each leaf's file, line and key path. */
export function fileTree(file: string, data: TomlData, locations: TomlLocations): SourcedTree {
  const sources = new Map<string, Source>();
  const visit = (value: TomlValue, path: string[]): void => {
    // Every key of a parsed file is located, itself or through its top-level ancestor.
    const at = positionOf(locations, path)!;
    const source: Source = { file, key: displayKey(path), line: at.line, column: at.column };
    // Tables get a source too (their header), so a section can be pointed at.
    sources.set(tomlPathKey(path), source);
    if (isTable(value)) for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    else if (Array.isArray(value)) value.forEach((_, i) => sources.set(tomlPathKey([...path, String(i)]), source));
  };
  for (const [k, v] of Object.entries(data)) visit(v, [k]);
  return { data: structuredClone(data), sources };
}

/** Deep copy of a sourced tree. */
export function cloneTree(t: SourcedTree): SourcedTree {
  return { data: structuredClone(t.data), sources: new Map(t.sources), ...(t.dropped ? { dropped: new Map(t.dropped) } : {}) };
}

/** Drop the sources of a path and everything under it. */
export function dropSources(sources: Map<string, Source>, path: readonly string[]): void {
  const prefix = tomlPathKey(path);
  for (const key of [...sources.keys()]) if (key === prefix || key.startsWith(prefix + '\u0000')) sources.delete(key);
}

/** Copy the sources under `from` to `to` (for a value moved between paths). */
export function moveSources(sources: Map<string, Source>, from: readonly string[], to: readonly string[]): void {
  const prefix = tomlPathKey(from);
  const moved: [string, Source][] = [];
  for (const [key, source] of sources) {
    if (key === prefix || key.startsWith(prefix + '\u0000')) moved.push([tomlPathKey(to) + key.slice(prefix.length), source]);
  }
  dropSources(sources, from);
  for (const [key, source] of moved) sources.set(key, source);
}

/** The source of a path, or of the nearest ancestor that has one (a migration may create tables no file wrote). */
export function sourceOf(tree: SourcedTree, path: readonly string[]): Source | undefined {
  for (let len = path.length; len >= 1; len--) {
    const hit = tree.sources.get(tomlPathKey(path.slice(0, len)));
    if (hit) return hit;
  }
  return undefined;
}
