/**
 * Merging the config files the way the modelled release does (1.x: one merge,
 * short or full plugin ids by version; 2.x: migration then merge), with the
 * sections and entries it ignores or refuses to start with.
 */
import { tomlPathKey } from '../../parsers/toml.js';
import type { ContainerdPlacement, Source, Sourced } from '../types.js';
import { SERVER_KEYS, migrateCri, migrateServices, migrateV1, mergeFiles, stampVersion } from './merge.js';
import { CRI_IMAGES, CRI_RUNTIME, CRI_V2, describeRelease, type ContainerdSemantics, type releaseFacts } from './semantics.js';
import { displayKey, isTable, own, sourceOf, tableAt, type SourcedTree } from './tree.js';

/** The files merged the way the release merges them, with what it ignores or refuses. */
export interface Merged {
  tree: SourcedTree;
  /** The version containerd decides on. */
  version: Sourced<number>;
  ignored: ContainerdPlacement[];
  fatal: ContainerdPlacement[];
}

/** containerd refuses a list entry that is not a full plugin URI. */
export function invalidUri(key: string, entry: Sourced<string>): ContainerdPlacement {
  return placed(
    entry.source,
    `${key}: ${entry.value}`,
    `containerd refuses to start: invalid ${key === 'disabled_plugins' ? 'disabled' : 'required'} plugin URI "${entry.value}"`,
  );
}

/** The last non-zero `version` of the files, the value containerd decides on (1 when none). */
export function lastVersion(trees: readonly SourcedTree[]): Sourced<number> {
  let out: Sourced<number> = { value: 1, source: { default: 'no version key (version 1)' } };
  for (const t of trees) {
    const v = own(t.data, 'version');
    if (typeof v === 'number' && v !== 0) out = { value: v, source: t.sources.get(tomlPathKey(['version']))! };
  }
  return out;
}

/** Where a key path is written, for a placement record. */
export function placement(tree: SourcedTree, path: string[], why: string): ContainerdPlacement {
  return placed(sourceOf(tree, path)!, displayKey(path), why);
}

/** A placement at a source written in a file (every key of a parsed file has a line). */
export function placed(source: Source, key: string, why: string): ContainerdPlacement {
  return { file: source.file!, line: source.line!, key, why };
}

/** List entries with their sources. */
export function listEntries(tree: SourcedTree, key: string): Sourced<string>[] {
  // The loader let through only lists of strings.
  const list = (own(tree.data, key) ?? []) as string[];
  return list.map((value, i) => ({ value, source: tree.sources.get(tomlPathKey([key, String(i)]))! }));
}

/**
 * A plugin id is a full URI in version 2+ files: containerd 1.x refuses to
 * start with fewer than four dot-separated parts (1.7 also wants the
 * io.containerd. prefix).
 */
export function validUri1x(id: string, s: ContainerdSemantics): boolean {
  return id.split('.').length >= 4 && (s.minor < 7 || id.startsWith('io.containerd.'));
}

/** containerd 1.6/1.7: one merge; the merged version picks short (1) or full (2) plugin ids. */
export function merge1x(trees: SourcedTree[], s: ContainerdSemantics, facts: ReturnType<typeof releaseFacts>): Merged {
  const ignored: ContainerdPlacement[] = [];
  const fatal: ContainerdPlacement[] = [];
  const merged = mergeFiles(trees, 'replace');
  const version = lastVersion(trees);
  const ids = Object.keys(tableAt(merged.data, ['plugins']) ?? {});
  if (version.value === 1) {
    // A version 1 configuration looks plugins up by short id: full-URI sections are silently ignored (containerd#5237).
    for (const id of ids.filter((x) => x.includes('.'))) {
      ignored.push(
        placement(
          merged,
          ['plugins', id],
          `a version 1 configuration reads plugins by short id (such as "cri"), so ${describeRelease(s)} ignores this section`,
        ),
      );
      delete tableAt(merged.data, ['plugins'])![id];
    }
    for (const entry of listEntries(merged, 'disabled_plugins').filter((e) => e.value.includes('.'))) {
      ignored.push(
        placed(
          entry.source,
          `disabled_plugins: ${entry.value}`,
          'a version 1 configuration matches disabled plugins by short id, so this entry disables nothing',
        ),
      );
    }
    return { tree: migrateV1(merged, false), version, ignored, fatal };
  }
  for (const id of ids.filter((x) => !validUri1x(x, s))) {
    fatal.push(
      placement(
        merged,
        ['plugins', id],
        `containerd refuses to start: invalid plugin key URI "${id}" (a version ${version.value} configuration needs full ids such as ${CRI_V2})`,
      ),
    );
  }
  for (const key of ['disabled_plugins', 'required_plugins']) {
    for (const entry of listEntries(merged, key).filter((e) => !validUri1x(e.value, s))) {
      fatal.push(invalidUri(key, entry));
    }
  }
  if (version.value > facts.maxConfigVersion) {
    fatal.push(
      placed(
        version.source,
        'version',
        `containerd 1.6.32+ and 1.7.17+ refuse to start with version ${version.value} (the highest they read is 2); older 1.x releases ignore the 2.x sections`,
      ),
    );
  }
  for (const id of ids.filter((x) => x.startsWith('io.containerd.cri.v1.') || x.startsWith('io.containerd.server.v1.'))) {
    ignored.push(
      placement(merged, ['plugins', id], `${describeRelease(s)} has no such plugin (it is a containerd 2.x section), so this section has no effect`),
    );
  }
  return { tree: merged, version, ignored, fatal };
}

/**
 * containerd 2.3+ refuses a drop-in whose version is higher than the root's
 * ("drop-in config version %d higher than root config version %d",
 * LoadConfigWithPlugins): the root version is that of the first file that
 * has one, in load order.
 */
export function dropInVersions(trees: readonly SourcedTree[], s: ContainerdSemantics): ContainerdPlacement[] {
  const out: ContainerdPlacement[] = [];
  let root: { version: number; where: string } | null = null;
  for (const t of trees) {
    const v = own(t.data, 'version');
    // The loader let only integers through; a file without a version key counts as 0.
    if (typeof v !== 'number' || v === 0) continue;
    const at = sourceOf(t, ['version'])!;
    if (root === null) root = { version: v, where: `${at.file}:${at.line}` };
    else if (v > root.version)
      out.push(
        placed(
          at,
          'version',
          `${describeRelease(s)} refuses to start: this drop-in's version ${v} is higher than version ${root.version} of the root configuration (${root.where}) ("drop-in config version ${v} higher than root config version ${root.version}")`,
        ),
      );
  }
  return out;
}

/**
 * containerd 2.x: version 1 files are renamed to full ids and stamped with the
 * latest version; 2.0-2.2 then migrate the CRI settings once, on the merged
 * configuration (so a version 2 main file with a version 3 import is never
 * split); 2.3+ migrate each file on its own before merging.
 */
export function merge2x(trees: SourcedTree[], s: ContainerdSemantics, facts: ReturnType<typeof releaseFacts>): Merged {
  const ignored: ContainerdPlacement[] = [];
  const fatal: ContainerdPlacement[] = [];
  const stamp: Source = { default: `set by ${describeRelease(s)}'s migration of a version 1 file` };
  if (facts.migrateEachFile) fatal.push(...dropInVersions(trees, s));
  const prepared = trees.map((t) => {
    const v = own(t.data, 'version');
    const raw = typeof v === 'number' ? v : 1;
    if (v !== undefined && raw > facts.maxConfigVersion) {
      fatal.push(placement(t, ['version'], `${describeRelease(s)} refuses to start: the highest config version it reads is ${facts.maxConfigVersion}`));
    }
    const out = raw <= 1 ? migrateV1(t, true) : t;
    if (!facts.migrateEachFile) return raw <= 1 ? stampVersion(out, facts.maxConfigVersion, stamp) : out;
    // 2.3+: each file below version 4 is migrated on its own (PR #12608), stray v2 CRI keys included.
    if (raw < 4) return stampVersion(migrateServices(migrateCri(out, s.minor)), 4, stamp);
    if (isTable(own(out.data, 'grpc')))
      ignored.push(
        placement(
          out,
          ['grpc'],
          'a version 4 configuration reads the gRPC listener from plugins."io.containerd.server.v1.grpc", so this section has no effect',
        ),
      );
    return out;
  });
  let merged = mergeFiles(prepared, 'deep');
  const version = lastVersion(prepared);
  // 2.0-2.2 decide once, on the merged version: a version 1 file stamped 3, or a version 3 import, leaves version 2 CRI settings unsplit.
  if (!facts.migrateEachFile && version.value < 3) merged = migrateCri(merged, s.minor);
  for (const key of Object.keys(tableAt(merged.data, ['plugins', CRI_V2]) ?? {})) {
    if (SERVER_KEYS.includes(key)) continue;
    ignored.push(
      placement(
        merged,
        ['plugins', CRI_V2, key],
        `${describeRelease(s)} reads only the CRI server's streaming settings from this plugin; this key was not migrated to ${CRI_IMAGES} or ${CRI_RUNTIME}, so it has no effect`,
      ),
    );
  }
  for (const key of ['disabled_plugins', 'required_plugins']) {
    for (const entry of listEntries(merged, key).filter((e) => !e.value.includes('.'))) {
      fatal.push(invalidUri(key, entry));
    }
  }
  return { tree: merged, version, ignored, fatal };
}
