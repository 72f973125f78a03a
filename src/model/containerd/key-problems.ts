/** Unknown keys and undecodable values of each config file, against the release's key schema (schemas/containerd/). */
import { suggest } from '../../parsers/suggest.js';
import type { TomlData } from '../../parsers/toml.js';
import type { ContainerdKeyProblem, ContainerdModel, ContainerdRuntime } from '../types.js';
import { checkKeys, keySchemaFor, type KeyProblem, type KeySchema } from './keys.js';
import { migrateCri, migrateServices, migrateV1 } from './merge.js';
import { CRI_RUNTIME, CRI_V2, type ContainerdSemantics } from './semantics.js';
import { isTable, own, sourceOf, tableAt, type SourcedTree } from './tree.js';

/**
 * A file in the release's own format, for checking its keys: migrated the way
 * the release migrates a file of that version (1.x renames a version 1
 * configuration's short ids; 2.x renames and splits the CRI table).
 */
export function nativeTree(t: SourcedTree, s: ContainerdSemantics, mergedVersion: number): SourcedTree {
  if (s.major === 1) return mergedVersion === 1 ? migrateV1(t, false) : t;
  const v = own(t.data, 'version');
  const raw = typeof v === 'number' ? v : 1;
  let out = raw <= 1 ? migrateV1(t, true) : t;
  if (raw < 3) out = migrateCri(out, s.minor);
  return s.minor >= 3 && raw < 4 ? migrateServices(out) : out;
}

/** runc's option schema for a runtime type, or undefined when the options belong to another shim. */
export function optionsSchema(schema: KeySchema, type: string): KeySchema | undefined {
  if (type === 'io.containerd.runc.v2' || type === 'io.containerd.runc.v1') return schema.definitions!.runcOptions;
  return type === 'io.containerd.runtime.v1.linux' ? schema.definitions!.linuxOptions : undefined;
}

/**
 * Unknown keys and undecodable values, file by file, against the release's
 * key schema; runc options against runc's Options; plugin ids only when they
 * are a near miss of a known id (a proxy or external plugin may have any id).
 */
export function keyProblemsOf(
  trees: SourcedTree[],
  s: ContainerdSemantics,
  mergedVersion: number,
  runtimes: Record<string, ContainerdRuntime>,
  proxies: string[],
): ContainerdModel['keys'] {
  const { release, schema } = keySchemaFor(s);
  const knownIds = Object.keys(schema.properties!.plugins!.properties!);
  const runtimesPath = ['plugins', s.major === 1 ? CRI_V2 : CRI_RUNTIME, 'containerd', 'runtimes'];
  const problems: ContainerdKeyProblem[] = [];
  for (const file of trees) {
    const inFile: ContainerdKeyProblem[] = [];
    const tree = nativeTree(file, s, mergedVersion);
    const found: (KeyProblem & { runtime?: string; suggestion?: string })[] = checkKeys(tree.data, schema, s.major);
    for (const [name, table] of Object.entries(tableAt(tree.data, runtimesPath) ?? {})) {
      const options = isTable(table) ? own(table, 'options') : undefined;
      if (!isTable(options)) continue;
      const type = own(table as TomlData, 'runtime_type');
      const optSchema = optionsSchema(schema, typeof type === 'string' ? type : (runtimes[name]?.type.value ?? ''));
      if (optSchema) found.push(...checkKeys(options, optSchema, s.major, [...runtimesPath, name, 'options']).map((p) => ({ ...p, runtime: name })));
    }
    for (const id of Object.keys(tableAt(tree.data, ['plugins']) ?? {})) {
      if (knownIds.includes(id) || proxies.some((p) => id.endsWith(`.${p}`))) continue;
      const near = suggest(id, knownIds, 2);
      if (near) found.push({ path: ['plugins', id], kind: 'unknown', suggestion: near, known: [] });
    }
    for (const p of found) {
      const source = sourceOf(tree, p.path)!;
      const last = p.path[p.path.length - 1]!;
      const suggestion = p.suggestion ?? (p.kind === 'unknown' ? suggest(last, p.known!) : undefined);
      inFile.push({
        file: source.file!,
        line: source.line!,
        column: source.column!,
        key: source.key!,
        kind: p.path.length === 2 && p.path[0] === 'plugins' && p.kind === 'unknown' ? 'unknown-plugin' : p.kind,
        ...(p.path[0] === 'plugins' && p.path.length > 2 ? { plugin: p.path[1] } : {}),
        ...(p.runtime !== undefined ? { runtime: p.runtime } : {}),
        ...(p.expected ? { expected: p.expected } : {}),
        ...(suggestion ? { suggestion } : {}),
      });
    }
    problems.push(...inFile.sort((a, b) => a.line - b.line || a.column - b.column));
  }
  return { schema: `schemas/containerd/containerd-${release}.schema.json`, problems };
}
