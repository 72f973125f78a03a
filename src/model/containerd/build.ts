import { listDir, readText } from '../../snapshot/query.js';
import { joinPath } from '../../snapshot/paths.js';
import type { Snapshot } from '../../snapshot/types.js';
import { tomlPathKey, type TomlData, type TomlValue } from '../../parsers/toml.js';
import { DEFAULT_CONTAINERD_SOCKET } from '../endpoints.js';
import { fileInfo } from '../file-info.js';
import type { InputRequest } from '../inputs.js';
import type { ContainerdCertFile, ContainerdKeyProblem, ContainerdModel, ContainerdPlacement, ContainerdRuntime, Source, Sourced } from '../types.js';
import { CONTAINERD_CONFIG, loadContainerdConfig, type LoadedFile } from './load.js';
import { SERVER_KEYS, migrateCri, migrateServices, migrateV1, mergeFiles, stampVersion } from './merge.js';
import { readHostsDir } from './registry.js';
import { checkKeys, keyMatcher, keySchemaFor, type KeyProblem, type KeySchema } from './keys.js';
import { suggest } from '../../parsers/suggest.js';
import {
  CRI_IMAGES,
  CRI_RUNTIME,
  CRI_V2,
  SERVER_GRPC,
  chooseSemantics,
  describeRelease,
  releaseFacts,
  type ContainerdSemantics,
} from './semantics.js';
import { displayKey, fileTree, isTable, own, sourceOf, tableAt, valueAt, type SourcedTree } from './tree.js';

/** Options for {@link buildContainerd}. */
export interface ContainerdOptions {
  /** The containerd release to model (the checklist's containerdVersion); inferred when absent. */
  containerdVersion?: string;
}

/** Registry roots read even when no config_path names them: containerd 2.2+ uses them by default. */
const WELL_KNOWN_ROOTS = ['/etc/containerd/certs.d', '/etc/docker/certs.d'];


/** Plugin ids that carry the CRI in 2.x; disabling any of them leaves kubelet without a runtime. */
const CRI_IDS_2X = [CRI_V2, CRI_IMAGES, CRI_RUNTIME];

interface Merged {
  tree: SourcedTree;
  /** The version containerd decides on. */
  version: Sourced<number>;
  ignored: ContainerdPlacement[];
  fatal: ContainerdPlacement[];
}

/** containerd refuses a list entry that is not a full plugin URI. */
function invalidUri(key: string, entry: Sourced<string>): ContainerdPlacement {
  return placed(entry.source, `${key}: ${entry.value}`, `containerd refuses to start: invalid ${key === 'disabled_plugins' ? 'disabled' : 'required'} plugin URI "${entry.value}"`);
}

/** The last non-zero `version` of the files, the value containerd decides on (1 when none). */
function lastVersion(trees: readonly SourcedTree[]): Sourced<number> {
  let out: Sourced<number> = { value: 1, source: { default: 'no version key (version 1)' } };
  for (const t of trees) {
    const v = own(t.data, 'version');
    if (typeof v === 'number' && v !== 0) out = { value: v, source: t.sources.get(tomlPathKey(['version']))! };
  }
  return out;
}

/** Where a key path is written, for a placement record. */
function placement(tree: SourcedTree, path: string[], why: string): ContainerdPlacement {
  return placed(sourceOf(tree, path)!, displayKey(path), why);
}

/** A placement at a source written in a file (every key of a parsed file has a line). */
function placed(source: Source, key: string, why: string): ContainerdPlacement {
  return { file: source.file!, line: source.line!, key, why };
}

/** List entries with their sources. */
function listEntries(tree: SourcedTree, key: string): Sourced<string>[] {
  // The loader let through only lists of strings.
  const list = (own(tree.data, key) ?? []) as string[];
  return list.map((value, i) => ({ value, source: tree.sources.get(tomlPathKey([key, String(i)]))! }));
}

/**
 * A plugin id is a full URI in version 2+ files: containerd 1.x refuses to
 * start with fewer than four dot-separated parts (1.7 also wants the
 * io.containerd. prefix).
 */
function validUri1x(id: string, s: ContainerdSemantics): boolean {
  return id.split('.').length >= 4 && (s.minor < 7 || id.startsWith('io.containerd.'));
}

/** containerd 1.6/1.7: one merge; the merged version picks short (1) or full (2) plugin ids. */
function merge1x(trees: SourcedTree[], s: ContainerdSemantics, facts: ReturnType<typeof releaseFacts>): Merged {
  const ignored: ContainerdPlacement[] = [];
  const fatal: ContainerdPlacement[] = [];
  const merged = mergeFiles(trees, 'replace');
  const version = lastVersion(trees);
  const ids = Object.keys(tableAt(merged.data, ['plugins']) ?? {});
  if (version.value === 1) {
    // A version 1 configuration looks plugins up by short id: full-URI sections are silently ignored (containerd#5237).
    for (const id of ids.filter((x) => x.includes('.'))) {
      ignored.push(placement(merged, ['plugins', id], `a version 1 configuration reads plugins by short id (such as "cri"), so ${describeRelease(s)} ignores this section`));
      delete tableAt(merged.data, ['plugins'])![id];
    }
    for (const entry of listEntries(merged, 'disabled_plugins').filter((e) => e.value.includes('.'))) {
      ignored.push(placed(entry.source, `disabled_plugins: ${entry.value}`, 'a version 1 configuration matches disabled plugins by short id, so this entry disables nothing'));
    }
    return { tree: migrateV1(merged, false), version, ignored, fatal };
  }
  for (const id of ids.filter((x) => !validUri1x(x, s))) {
    fatal.push(placement(merged, ['plugins', id], `containerd refuses to start: invalid plugin key URI "${id}" (a version ${version.value} configuration needs full ids such as ${CRI_V2})`));
  }
  for (const key of ['disabled_plugins', 'required_plugins']) {
    for (const entry of listEntries(merged, key).filter((e) => !validUri1x(e.value, s))) {
      fatal.push(invalidUri(key, entry));
    }
  }
  if (version.value > facts.maxConfigVersion) {
    fatal.push(placed(version.source, 'version', `containerd 1.6.32+ and 1.7.17+ refuse to start with version ${version.value} (the highest they read is 2); older 1.x releases ignore the 2.x sections`));
  }
  for (const id of ids.filter((x) => x.startsWith('io.containerd.cri.v1.') || x.startsWith('io.containerd.server.v1.'))) {
    ignored.push(placement(merged, ['plugins', id], `${describeRelease(s)} has no such plugin (it is a containerd 2.x section), so this section has no effect`));
  }
  return { tree: merged, version, ignored, fatal };
}

/**
 * containerd 2.x: version 1 files are renamed to full ids and stamped with the
 * latest version; 2.0-2.2 then migrate the CRI settings once, on the merged
 * configuration (so a version 2 main file with a version 3 import is never
 * split); 2.3+ migrate each file on its own before merging.
 */
function merge2x(trees: SourcedTree[], s: ContainerdSemantics, facts: ReturnType<typeof releaseFacts>): Merged {
  const ignored: ContainerdPlacement[] = [];
  const fatal: ContainerdPlacement[] = [];
  const stamp: Source = { default: `set by ${describeRelease(s)}'s migration of a version 1 file` };
  const prepared = trees.map((t) => {
    const v = own(t.data, 'version');
    const raw = typeof v === 'number' ? v : 1;
    if (v !== undefined && raw > facts.maxConfigVersion) {
      fatal.push(placement(t, ['version'], `${describeRelease(s)} refuses to start: the highest config version it reads is ${facts.maxConfigVersion}`));
    }
    let out = raw <= 1 ? migrateV1(t, true) : t;
    if (!facts.migrateEachFile) return raw <= 1 ? stampVersion(out, facts.maxConfigVersion, stamp) : out;
    // 2.3+: each file below version 4 is migrated on its own (PR #12608), stray v2 CRI keys included.
    if (raw < 4) return stampVersion(migrateServices(migrateCri(out, s.minor)), 4, stamp);
    if (isTable(own(out.data, 'grpc'))) ignored.push(placement(out, ['grpc'], 'a version 4 configuration reads the gRPC listener from plugins."io.containerd.server.v1.grpc", so this section has no effect'));
    return out;
  });
  let merged = mergeFiles(prepared, 'deep');
  const version = lastVersion(prepared);
  // 2.0-2.2 decide once, on the merged version: a version 1 file stamped 3, or a version 3 import, leaves version 2 CRI settings unsplit.
  if (!facts.migrateEachFile && version.value < 3) merged = migrateCri(merged, s.minor);
  for (const key of Object.keys(tableAt(merged.data, ['plugins', CRI_V2]) ?? {})) {
    if (SERVER_KEYS.includes(key)) continue;
    ignored.push(placement(merged, ['plugins', CRI_V2, key], `${describeRelease(s)} reads only the CRI server's streaming settings from this plugin; this key was not migrated to ${CRI_IMAGES} or ${CRI_RUNTIME}, so it has no effect`));
  }
  for (const key of ['disabled_plugins', 'required_plugins']) {
    for (const entry of listEntries(merged, key).filter((e) => !e.value.includes('.'))) {
      fatal.push(invalidUri(key, entry));
    }
  }
  return { tree: merged, version, ignored, fatal };
}

/** A value of the merged tree with its source, or a built-in default. */
function sourced(tree: SourcedTree, path: string[], fallback: string, release: string, check: (v: TomlValue) => v is string): Sourced<string> {
  const v = valueAt(tree.data, path);
  if (v !== undefined && check(v)) return { value: v, source: sourceOf(tree, path)! };
  return { value: fallback, source: { default: `built-in default of ${release}` } };
}
const isString = (v: TomlValue): v is string => typeof v === 'string';

function runtimeOf(tree: SourcedTree, path: string[], table: TomlData, s: ContainerdSemantics): ContainerdRuntime {
  const options: Record<string, Sourced<unknown>> = {};
  const opts = own(table, 'options');
  for (const [k, v] of Object.entries(isTable(opts) ? opts : {})) options[k] = { value: v, source: sourceOf(tree, [...path, 'options', k])! };
  // The option runc reads as SystemdCgroup, matched the way the release's TOML decoder matches field names.
  const matches = keyMatcher(s.major);
  const key = Object.keys(options).find((k) => k === 'SystemdCgroup') ?? Object.keys(options).find((k) => matches(k, 'SystemdCgroup'));
  const type = own(table, 'runtime_type');
  return {
    type: typeof type === 'string' ? { value: type, source: sourceOf(tree, [...path, 'runtime_type'])! } : { value: '', source: { ...sourceOf(tree, path)!, key: displayKey([...path, 'runtime_type']) } },
    options,
    systemdCgroup: key ? options[key]! : null,
    source: sourceOf(tree, path)!,
  };
}

/**
 * The CRI runtimes. containerd's default is one runc handler (runc v2 shim,
 * SystemdCgroup false). In 1.x a `runtimes` table replaces that map: go-toml
 * v1 decodes a map afresh, so declaring `[…runtimes.kata]` drops runc and
 * declaring only `[…runtimes.runc.options]` leaves runc without a runtime_type
 * (both seen with containerd 1.6.20). 2.x decodes into the default map and
 * keeps the default handler's fields.
 */
function runtimesOf(tree: SourcedTree, path: string[], s: ContainerdSemantics): Record<string, ContainerdRuntime> {
  const release = describeRelease(s);
  const builtIn: ContainerdRuntime = {
    type: { value: 'io.containerd.runc.v2', source: { default: `built-in default of ${release}` } },
    options: {},
    systemdCgroup: null,
    source: { default: `built-in default of ${release}` },
  };
  const declared = tableAt(tree.data, path);
  const out: Record<string, ContainerdRuntime> = {};
  if (!declared || s.major === 2) out.runc = builtIn;
  for (const [name, table] of Object.entries(declared ?? {})) {
    if (!isTable(table)) continue;
    const r = runtimeOf(tree, [...path, name], table, s);
    const base = out[name];
    out[name] = base && r.type.value === '' ? { ...r, type: base.type } : r;
  }
  return out;
}

function registryOf(snapshot: Snapshot, tree: SourcedTree, registryPath: string[], s: ContainerdSemantics, facts: ReturnType<typeof releaseFacts>): ContainerdModel['cri']['registry'] {
  const release = describeRelease(s);
  const configPath = sourced(tree, [...registryPath, 'config_path'], '', release, isString);
  const mirrorsTable = tableAt(tree.data, [...registryPath, 'mirrors']) ?? {};
  const mirrors: ContainerdModel['cri']['registry']['mirrors'] = {};
  for (const [host, t] of Object.entries(mirrorsTable)) {
    const endpoint = isTable(t) ? own(t, 'endpoint') : undefined;
    mirrors[host] = { endpoints: Array.isArray(endpoint) ? endpoint.filter(isString) : [], source: sourceOf(tree, [...registryPath, 'mirrors', host])! };
  }
  // 2.2+ fall back to the well-known roots only when neither config_path nor mirrors is set.
  const effectivePath = configPath.value !== '' ? configPath.value : Object.keys(mirrors).length === 0 ? facts.defaultConfigPath : '';
  const roots = effectivePath.split(':').filter(Boolean);
  const tls: ContainerdModel['cri']['registry']['tls'] = {};
  for (const [host, t] of Object.entries(tableAt(tree.data, [...registryPath, 'configs']) ?? {})) {
    const tlsTable = isTable(t) ? own(t, 'tls') : undefined;
    if (!isTable(tlsTable)) continue;
    const field = (key: string): Sourced<string> | null => {
      const v = own(tlsTable, key);
      return typeof v === 'string' && v !== '' ? { value: v, source: sourceOf(tree, [...registryPath, 'configs', host, 'tls', key])! } : null;
    };
    const skip = own(tlsTable, 'insecure_skip_verify');
    tls[host] = {
      insecureSkipVerify: skip === undefined ? null : { value: skip, source: sourceOf(tree, [...registryPath, 'configs', host, 'tls', 'insecure_skip_verify'])! },
      caFile: field('ca_file'),
      certFile: field('cert_file'),
      keyFile: field('key_file'),
    };
  }
  const hostsDirs = roots.flatMap((root) => (listDir(snapshot, root) ?? []).filter((e) => e.type !== 'file' && e.type !== 'other').map((e) => readHostsDir(snapshot, root, e.name)));
  const certFiles: ContainerdCertFile[] = [];
  const cert = (path: string, kind: ContainerdCertFile['kind'], source: Source): void => {
    const r = readText(snapshot, path);
    const pem = r.status === 'ok' && /-----BEGIN [A-Z0-9 ]+-----/.test(r.text) && /-----END [A-Z0-9 ]+-----/.test(r.text);
    certFiles.push({ path, kind, source, state: fileInfo(snapshot, path).state, pem });
  };
  for (const t of Object.values(tls)) {
    if (t.caFile) cert(t.caFile.value, 'ca', t.caFile.source);
    if (t.certFile) cert(t.certFile.value, 'cert', t.certFile.source);
    if (t.keyFile) cert(t.keyFile.value, 'key', t.keyFile.source);
  }
  for (const dir of hostsDirs) {
    // Without a usable hosts.toml containerd reads the directory the Docker way.
    if (dir.hosts.length === 0) {
      for (const ca of dir.dockerCerts.ca) cert(ca, 'ca', { file: ca });
      for (const c of dir.dockerCerts.client) {
        cert(c.cert, 'cert', { file: c.cert });
        cert(c.key, 'key', { file: c.cert });
      }
    }
    for (const h of dir.hosts) {
      for (const c of h.ca) cert(c.path, 'ca', c.source);
      for (const c of h.client) {
        cert(c.cert, 'cert', c.source);
        if (c.key) cert(c.key, 'key', c.source);
      }
    }
  }
  const named = (section: string): Sourced<string>[] =>
    Object.keys(tableAt(tree.data, [...registryPath, section]) ?? {}).map((host) => ({ value: host, source: sourceOf(tree, [...registryPath, section, host])! }));
  const legacy = { mirrors: named('mirrors'), configs: named('configs'), auths: named('auths'), configTls: Object.keys(tls).map((host) => ({ value: host, source: sourceOf(tree, [...registryPath, 'configs', host, 'tls'])! })) };
  return { configPath, roots, mirrors, tls, legacy, hostsDirs, certFiles };
}

/**
 * A file in the release's own format, for checking its keys: migrated the way
 * the release migrates a file of that version (1.x renames a version 1
 * configuration's short ids; 2.x renames and splits the CRI table).
 */
function nativeTree(t: SourcedTree, s: ContainerdSemantics, mergedVersion: number): SourcedTree {
  if (s.major === 1) return mergedVersion === 1 ? migrateV1(t, false) : t;
  const v = own(t.data, 'version');
  const raw = typeof v === 'number' ? v : 1;
  let out = raw <= 1 ? migrateV1(t, true) : t;
  if (raw < 3) out = migrateCri(out, s.minor);
  return s.minor >= 3 && raw < 4 ? migrateServices(out) : out;
}

/** runc's option schema for a runtime type, or undefined when the options belong to another shim. */
function optionsSchema(schema: KeySchema, type: string): KeySchema | undefined {
  if (type === 'io.containerd.runc.v2' || type === 'io.containerd.runc.v1') return schema.definitions!.runcOptions;
  return type === 'io.containerd.runtime.v1.linux' ? schema.definitions!.linuxOptions : undefined;
}

/**
 * Unknown keys and undecodable values, file by file, against the release's
 * key schema; runc options against runc's Options; plugin ids only when they
 * are a near miss of a known id (a proxy or external plugin may have any id).
 */
function keyProblemsOf(trees: SourcedTree[], s: ContainerdSemantics, mergedVersion: number, runtimes: Record<string, ContainerdRuntime>, proxies: string[]): ContainerdModel['keys'] {
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

/** Registry paths any file names, whatever its version's layout: config_path roots and the legacy TLS files. */
function registryPathsIn(data: TomlData, roots: Set<string>, certs: string[]): void {
  for (const plugin of Object.values(tableAt(data, ['plugins']) ?? {})) {
    const registry = isTable(plugin) ? own(plugin, 'registry') : undefined;
    if (!isTable(registry)) continue;
    const configPath = own(registry, 'config_path');
    if (typeof configPath === 'string') configPath.split(':').filter(Boolean).forEach((r) => roots.add(r));
    for (const host of Object.values(tableAt(registry, ['configs']) ?? {})) {
      const tls = isTable(host) ? own(host, 'tls') : undefined;
      for (const key of ['ca_file', 'cert_file', 'key_file']) {
        const file = isTable(tls) ? own(tls, key) : undefined;
        if (typeof file === 'string' && file !== '') certs.push(file);
      }
    }
  }
}

/**
 * What the containerd checks read: the config and its imports, the registry
 * directories and the certificates they name. It over-approximates (every
 * config_path any file sets, every hosts.toml's certificates) so that planning
 * needs no merge: the collector calls it once per round.
 */
export function planContainerdInputs(snapshot: Snapshot): InputRequest {
  const load = loadContainerdConfig(snapshot);
  const roots = new Set(WELL_KNOWN_ROOTS);
  const certs: string[] = [];
  for (const f of load.files) if (f.data) registryPathsIn(f.data, roots, certs);
  const dirs = [...roots].flatMap((root) => (listDir(snapshot, root) ?? []).filter((e) => e.type !== 'file' && e.type !== 'other').map((e) => readHostsDir(snapshot, root, e.name)));
  for (const dir of dirs) {
    for (const h of dir.hosts) certs.push(...h.ca.map((c) => c.path), ...h.client.flatMap((c) => (c.key ? [c.cert, c.key] : [c.cert])));
    if (dir.hosts.length === 0) certs.push(...dir.dockerCerts.ca, ...dir.dockerCerts.client.flatMap((c) => [c.cert, c.key]));
  }
  return {
    read: [CONTAINERD_CONFIG, ...load.needs.read, ...dirs.map((d) => d.hostsToml.path), ...certs],
    list: [...load.needs.list, ...roots, ...dirs.map((d) => d.dir)],
    stat: [],
  };
}

/** containerd's effective configuration, whatever the config version. Pure: reads only the snapshot. */
export function buildContainerd(snapshot: Snapshot, options: ContainerdOptions = {}): ContainerdModel {
  const load = loadContainerdConfig(snapshot);
  const usable = load.files.filter((f): f is LoadedFile & { data: TomlData } => f.data !== undefined);
  const trees = usable.map((f) => fileTree(f.path, f.data, f.locations!));
  const rawVersion = lastVersion(trees);
  const s = chooseSemantics(options.containerdVersion, usable.length > 0 ? rawVersion.value : null);
  const facts = releaseFacts(s);
  const release = describeRelease(s);
  const merged = s.major === 1 ? merge1x(trees, s, facts) : merge2x(trees, s, facts);
  const tree = merged.tree;

  const images = s.major === 1 ? ['plugins', CRI_V2] : ['plugins', CRI_IMAGES];
  const runtime = s.major === 1 ? ['plugins', CRI_V2] : ['plugins', CRI_RUNTIME];
  const sandbox = s.major === 1 ? [...images, 'sandbox_image'] : [...images, 'pinned_images', 'sandbox'];
  const disabledPlugins = listEntries(tree, 'disabled_plugins');
  const criIds = s.major === 1 ? [merged.version.value === 1 ? 'cri' : CRI_V2] : CRI_IDS_2X;
  const legacy = valueAt(tree.data, [...runtime, 'systemd_cgroup']);
  const grpcPath = s.major === 2 && facts.migrateEachFile ? ['plugins', SERVER_GRPC, 'address'] : ['grpc', 'address'];
  const runtimes = runtimesOf(tree, [...runtime, 'containerd', 'runtimes'], s);
  const proxies = Object.keys(tableAt(tree.data, ['proxy_plugins']) ?? {});

  return {
    semantics: { version: s.version, basis: s.basis },
    configFile: fileInfo(snapshot, CONTAINERD_CONFIG, load.files[0]?.error && load.files[0].state === 'invalid' ? load.files[0].error : undefined),
    files: load.files.map((f) => ({
      path: f.path,
      state: f.state,
      ...(f.error ? { error: f.error } : {}),
      version: f.version,
      ...(f.importedBy ? { importedBy: f.importedBy } : {}),
      ...(f.data ? { data: f.data, keyLines: Object.fromEntries([...f.locations!].map(([k, p]) => [displayKey(k.split('\u0000')), p.line])) } : {}),
    })),
    imports: load.imports,
    version: merged.version,
    ignored: merged.ignored,
    fatal: merged.fatal,
    keys: keyProblemsOf(trees, s, merged.version.value, runtimes, proxies),
    disabledPlugins,
    criDisabledBy: disabledPlugins.filter((e) => criIds.includes(e.value) || (s.major === 2 && e.value.startsWith('io.containerd.cri.v1.'))),
    grpcAddress: sourced(tree, grpcPath, DEFAULT_CONTAINERD_SOCKET, release, isString),
    cri: {
      sandboxImage: sourced(tree, sandbox, facts.sandboxImage, release, isString),
      defaultRuntimeName: sourced(tree, [...runtime, 'containerd', 'default_runtime_name'], 'runc', release, isString),
      runtimes,
      legacySystemdCgroup: legacy === undefined ? null : { value: legacy, source: sourceOf(tree, [...runtime, 'systemd_cgroup'])! },
      registry: registryOf(snapshot, tree, [...images, 'registry'], s, facts),
    },
    effective: tree.data,
  };
}
