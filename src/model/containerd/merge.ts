import { tomlPathKey, type TomlValue } from '../../parsers/toml.js';
import type { Source } from '../types.js';
import { CRI_IMAGES, CRI_RUNTIME, CRI_V2, SERVER_GRPC, fullPluginId } from './semantics.js';
import { cloneTree, dropSources, isTable, moveSources, own, setOwn, tableAt, type SourcedTree } from './tree.js';

/** Top-level keys that are lists: imports append, never replace. */
const TOP_ARRAYS = new Set(['disabled_plugins', 'required_plugins', 'imports']);
/** Top-level sections that are structs in Go: merged field by field. */
const TOP_STRUCTS = new Set(['grpc', 'ttrpc', 'debug', 'metrics', 'cgroup']);
/** Top-level sections that are maps: merged key by key, a later value replacing an earlier one. */
const TOP_MAPS = new Set(['timeouts', 'proxy_plugins', 'stream_processors']);

/** Go's zero values: a later file's "", 0 or false never resets a top-level scalar. */
const isZero = (v: TomlValue): boolean => v === '' || v === 0 || v === false;

function setLeaf(into: SourcedTree, path: string[], value: TomlValue, from: SourcedTree): void {
  setOwn(tableAt(into.data, path.slice(0, -1), true)!, path[path.length - 1]!, structuredClone(value));
  dropSources(into.sources, path);
  const prefix = tomlPathKey(path);
  for (const [key, source] of from.sources) if (key === prefix || key.startsWith(prefix + '\u0000')) into.sources.set(key, source);
}

/** Merge a table recursively: tables key by key, scalars and arrays replaced (zero values included). */
function deepMerge(into: SourcedTree, from: SourcedTree, path: string[]): void {
  const source = tableAt(from.data, path)!;
  for (const [key, value] of Object.entries(source)) {
    const p = [...path, key];
    if (isTable(value) && isTable(own(tableAt(into.data, path), key))) deepMerge(into, from, p);
    else setLeaf(into, p, value, from);
  }
}

/**
 * Before a later file's table replaces an earlier one (containerd 1.x), note
 * every value the earlier files set that the new table does not: they fall
 * back to built-in defaults, and the table that erased them is what to fix.
 */
function recordDropped(into: SourcedTree, from: SourcedTree, path: string[]): void {
  const prefix = tomlPathKey(path);
  const by = from.sources.get(prefix)!;
  for (const [key, was] of into.sources) {
    if (!key.startsWith(prefix + '\u0000') || from.sources.has(key) || was.file === by.file) continue;
    (into.dropped ??= new Map()).set(key, { by, was });
  }
}

/**
 * Merge the files of a configuration in load order, as containerd does.
 * `plugins` is the only difference between releases: 1.x replaces each plugin
 * table wholesale (so an import that sets only `[plugins."…cri".registry]`
 * erases the main file's sandbox image and runtimes), 2.x merges tables key by
 * key (containerd PR #9982).
 */
export function mergeFiles(files: readonly SourcedTree[], plugins: 'replace' | 'deep'): SourcedTree {
  const out: SourcedTree = { data: {}, sources: new Map() };
  for (const file of files) {
    for (const [key, value] of Object.entries(file.data)) {
      if (key === 'plugins' && isTable(value)) {
        tableAt(out.data, ['plugins'], true);
        for (const [id, table] of Object.entries(value)) {
          if (plugins === 'deep' && isTable(table) && isTable(own(tableAt(out.data, ['plugins']), id))) deepMerge(out, file, ['plugins', id]);
          else {
            recordDropped(out, file, ['plugins', id]);
            setLeaf(out, ['plugins', id], table, file);
          }
        }
      } else if (TOP_ARRAYS.has(key) && Array.isArray(value)) {
        const current = own(out.data, key);
        const merged = Array.isArray(current) ? [...current] : [];
        value.forEach((item, i) => {
          // 1.x appends duplicates; 2.x skips values already present (mergo's sliceTransformer).
          if (plugins === 'deep' && merged.some((m) => m === item)) return;
          out.sources.set(tomlPathKey([key, String(merged.length)]), file.sources.get(tomlPathKey([key, String(i)]))!);
          merged.push(item);
        });
        setOwn(out.data, key, merged);
      } else if ((TOP_STRUCTS.has(key) || TOP_MAPS.has(key)) && isTable(value)) {
        tableAt(out.data, [key], true);
        for (const [field, v] of Object.entries(value)) {
          if (TOP_STRUCTS.has(key) && isZero(v)) continue;
          setLeaf(out, [key, field], v, file);
        }
      } else if (!isZero(value) || own(out.data, key) === undefined) {
        setLeaf(out, [key], value, file);
      }
    }
  }
  return out;
}

/**
 * Rename a version 1 file's short plugin ids (`[plugins.cri]`) to full ids;
 * with `lists`, also its disabled/required lists (containerd 2.x does both,
 * containerd#10907; 1.x keeps matching list entries by short id).
 */
export function migrateV1(tree: SourcedTree, lists: boolean): SourcedTree {
  const t = cloneTree(tree);
  const plugins = own(t.data, 'plugins');
  if (isTable(plugins)) {
    for (const id of Object.keys(plugins)) {
      const full = fullPluginId(id);
      if (full === id) continue;
      setOwn(plugins, full, plugins[id]!);
      delete plugins[id];
      moveSources(t.sources, ['plugins', id], ['plugins', full]);
    }
  }
  for (const key of lists ? ['disabled_plugins', 'required_plugins'] : []) {
    const list = own(t.data, key);
    // The loader let through only lists of strings.
    if (list !== undefined) setOwn(t.data, key, (list as string[]).map(fullPluginId));
  }
  return t;
}

/** Keys of the version 2 CRI table that belong to the images plugin in version 3. */
const IMAGE_KEYS = [
  'registry',
  'image_decryption',
  'max_concurrent_downloads',
  'image_pull_progress_timeout',
  'image_pull_with_sync_fs',
  'stats_collect_period',
];
const IMAGE_CONTAINERD_KEYS = ['snapshotter', 'disable_snapshot_annotations', 'discard_unpacked_layers'];
/** Keys that stay in io.containerd.grpc.v1.cri (the CRI server) in version 3. */
export const SERVER_KEYS = [
  'disable_tcp_service',
  'stream_server_address',
  'stream_server_port',
  'stream_idle_timeout',
  'enable_tls_streaming',
  'x509_key_pair_streaming',
];

/**
 * containerd 2.x's CRI migration from version 2 to 3: the one
 * io.containerd.grpc.v1.cri table is split into the images plugin (sandbox
 * image, registry, image keys; a version 2 value overwrites a version 3 one)
 * and the runtime plugin (everything else; an existing version 3 value wins),
 * and the CRI server keeps only its streaming keys. Keys that no longer exist
 * move along and are then unknown keys, not errors. `minor` is the 2.x
 * release: 2.1 added cni.bin_dirs.
 */
export function migrateCri(tree: SourcedTree, minor: number): SourcedTree {
  const t = cloneTree(tree);
  const cri = tableAt(t.data, ['plugins', CRI_V2]);
  if (!cri) return t;
  /** Move a key out of the version 2 table (it is gone from there either way). */
  const move = (fromPath: string[], toPath: string[], overwrite: boolean): void => {
    const parent = tableAt(t.data, fromPath.slice(0, -1));
    const from = fromPath[fromPath.length - 1]!;
    const value = own(parent, from);
    if (value === undefined) return;
    const target = tableAt(t.data, toPath.slice(0, -1), true)!;
    const name = toPath[toPath.length - 1]!;
    if (isTable(value) && isTable(own(target, name)) && !overwrite) {
      // Fill only what the version 3 table does not have, at every depth.
      for (const key of Object.keys(value)) move([...fromPath, key], [...toPath, key], false);
    } else if (own(target, name) === undefined || overwrite) {
      setOwn(target, name, value);
      dropSources(t.sources, toPath);
      moveSources(t.sources, fromPath, toPath);
    }
    delete parent![from];
    dropSources(t.sources, fromPath);
  };
  const images = ['plugins', CRI_IMAGES];
  const runtime = ['plugins', CRI_RUNTIME];
  move(['plugins', CRI_V2, 'sandbox_image'], [...images, 'pinned_images', 'sandbox'], true);
  for (const key of IMAGE_KEYS) move(['plugins', CRI_V2, key], [...images, key], true);
  for (const key of IMAGE_CONTAINERD_KEYS) move(['plugins', CRI_V2, 'containerd', key], [...images, key], true);
  const cni = own(cri, 'cni');
  if (minor >= 1 && isTable(cni) && own(cni, 'bin_dir') !== undefined && own(cni, 'bin_dirs') === undefined) {
    // 2.1+: bin_dir becomes bin_dirs = [bin_dir] when bin_dirs is not set.
    setOwn(cni, 'bin_dirs', [own(cni, 'bin_dir')!]);
    const source = t.sources.get(tomlPathKey(['plugins', CRI_V2, 'cni', 'bin_dir']))!;
    t.sources.set(tomlPathKey(['plugins', CRI_V2, 'cni', 'bin_dirs']), source);
    t.sources.set(tomlPathKey(['plugins', CRI_V2, 'cni', 'bin_dirs', '0']), source);
    delete cni.bin_dir;
    dropSources(t.sources, ['plugins', CRI_V2, 'cni', 'bin_dir']);
  }
  // A runtime's sandbox_mode is its sandboxer in version 3.
  for (const name of Object.keys(tableAt(cri, ['containerd', 'runtimes']) ?? {})) {
    move(['plugins', CRI_V2, 'containerd', 'runtimes', name, 'sandbox_mode'], ['plugins', CRI_V2, 'containerd', 'runtimes', name, 'sandboxer'], false);
  }
  // Everything else but the CRI server's own keys belongs to the runtime plugin.
  for (const key of Object.keys(cri).filter((k) => !SERVER_KEYS.includes(k))) move(['plugins', CRI_V2, key], [...runtime, key], false);
  return t;
}

/**
 * containerd 2.3's move of the listeners into server plugins (version 3 to 4):
 * `[grpc] address` becomes `plugins."io.containerd.server.v1.grpc".address`,
 * only when the file does not already have that plugin table.
 */
export function migrateServices(tree: SourcedTree): SourcedTree {
  const t = cloneTree(tree);
  const grpc = own(t.data, 'grpc');
  if (!isTable(grpc) || tableAt(t.data, ['plugins', SERVER_GRPC])) return t;
  const target = tableAt(t.data, ['plugins', SERVER_GRPC], true)!;
  for (const key of ['address', 'uid', 'gid', 'max_recv_message_size', 'max_send_message_size']) {
    const value = own(grpc, key);
    if (value === undefined) continue;
    setOwn(target, key, value);
    t.sources.set(tomlPathKey(['plugins', SERVER_GRPC, key]), t.sources.get(tomlPathKey(['grpc', key]))!);
  }
  delete t.data.grpc;
  dropSources(t.sources, ['grpc']);
  return t;
}

/** Set a file's version to a value without a source (a migration stamps it). */
export function stampVersion(tree: SourcedTree, version: number, source: Source): SourcedTree {
  const t = cloneTree(tree);
  setOwn(t.data, 'version', version);
  t.sources.set(tomlPathKey(['version']), source);
  return t;
}
