/** The CRI plugin's settings in the merged tree: values with their sources or built-in defaults, runtimes, registries. */
import { listDir, readText } from '../../snapshot/query.js';
import type { Snapshot } from '../../snapshot/types.js';
import { tomlPathKey, type TomlData, type TomlValue } from '../../parsers/toml.js';
import { fileInfo } from '../file-info.js';
import type { ContainerdCertFile, ContainerdModel, ContainerdRuntime, Source, Sourced } from '../types.js';
import { keyMatcher } from './keys.js';
import { readHostsDir } from './registry.js';
import { describeRelease, type ContainerdSemantics, type releaseFacts } from './semantics.js';
import { displayKey, isTable, own, sourceOf, tableAt, valueAt, type SourcedTree } from './tree.js';

/** A value of the merged tree with its source, or a built-in default. */
export function sourced(tree: SourcedTree, path: string[], fallback: string, release: string, check: (v: TomlValue) => v is string): Sourced<string> {
  const v = valueAt(tree.data, path);
  if (v !== undefined && check(v)) return { value: v, source: sourceOf(tree, path)! };
  return { value: fallback, source: defaultSource(tree, path, release) };
}

/**
 * Where a built-in default comes from: nowhere, or (1.x) the import whose
 * table replaced the one that set the value; then the source is that table,
 * so a finding points at the file to fix.
 */
export function defaultSource(tree: SourcedTree, path: readonly string[], release: string): Source {
  const dropped = tree.dropped?.get(tomlPathKey(path));
  if (!dropped) return { default: `built-in default of ${release}` };
  const { by, was } = dropped;
  return {
    file: by.file,
    line: by.line,
    key: by.key,
    default: `built-in default of ${release}: the [${by.key}] table of ${by.file}:${by.line} replaces the whole table, dropping ${displayKey(path.slice(-1))} set at ${was.file}:${was.line}`,
  };
}
export const isString = (v: TomlValue): v is string => typeof v === 'string';

export function runtimeOf(tree: SourcedTree, path: string[], table: TomlData, s: ContainerdSemantics): ContainerdRuntime {
  const options: Record<string, Sourced<unknown>> = {};
  const opts = own(table, 'options');
  for (const [k, v] of Object.entries(isTable(opts) ? opts : {})) options[k] = { value: v, source: sourceOf(tree, [...path, 'options', k])! };
  // The option runc reads as SystemdCgroup, matched the way the release's TOML decoder matches field names.
  const matches = keyMatcher(s.major);
  const key = Object.keys(options).find((k) => k === 'SystemdCgroup') ?? Object.keys(options).find((k) => matches(k, 'SystemdCgroup'));
  const type = own(table, 'runtime_type');
  return {
    type:
      typeof type === 'string'
        ? { value: type, source: sourceOf(tree, [...path, 'runtime_type'])! }
        : { value: '', source: { ...sourceOf(tree, path)!, key: displayKey([...path, 'runtime_type']) } },
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
export function runtimesOf(tree: SourcedTree, path: string[], s: ContainerdSemantics): Record<string, ContainerdRuntime> {
  const release = describeRelease(s);
  // On 1.x the built-in runc may be back because an import replaced the table that declared it.
  const runc = [...(tree.dropped?.keys() ?? [])].find((k) => k.startsWith(tomlPathKey([...path, 'runc'])));
  const builtIn: ContainerdRuntime = {
    type: { value: 'io.containerd.runc.v2', source: { default: `built-in default of ${release}` } },
    options: {},
    systemdCgroup: null,
    source: runc ? defaultSource(tree, runc.split('\u0000'), release) : { default: `built-in default of ${release}` },
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

export function registryOf(
  snapshot: Snapshot,
  tree: SourcedTree,
  registryPath: string[],
  s: ContainerdSemantics,
  facts: ReturnType<typeof releaseFacts>,
): ContainerdModel['cri']['registry'] {
  const release = describeRelease(s);
  const configPath = sourced(tree, [...registryPath, 'config_path'], '', release, isString);
  const mirrorsTable = tableAt(tree.data, [...registryPath, 'mirrors']) ?? {};
  const mirrors: ContainerdModel['cri']['registry']['mirrors'] = {};
  for (const [host, t] of Object.entries(mirrorsTable)) {
    const endpoint = isTable(t) ? own(t, 'endpoint') : undefined;
    mirrors[host] = {
      endpoints: Array.isArray(endpoint) ? endpoint.filter(isString) : [],
      source: sourceOf(tree, [...registryPath, 'mirrors', host])!,
      ...(endpoint !== undefined ? { endpointsSource: sourceOf(tree, [...registryPath, 'mirrors', host, 'endpoint'])! } : {}),
    };
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
      insecureSkipVerify:
        skip === undefined ? null : { value: skip, source: sourceOf(tree, [...registryPath, 'configs', host, 'tls', 'insecure_skip_verify'])! },
      caFile: field('ca_file'),
      certFile: field('cert_file'),
      keyFile: field('key_file'),
    };
  }
  const hostsDirs = roots.flatMap((root) =>
    (listDir(snapshot, root) ?? []).filter((e) => e.type !== 'file' && e.type !== 'other').map((e) => readHostsDir(snapshot, root, e.name)),
  );
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
    Object.keys(tableAt(tree.data, [...registryPath, section]) ?? {}).map((host) => ({
      value: host,
      source: sourceOf(tree, [...registryPath, section, host])!,
    }));
  const legacy = {
    mirrors: named('mirrors'),
    configs: named('configs'),
    auths: named('auths'),
    configTls: Object.keys(tls).map((host) => ({ value: host, source: sourceOf(tree, [...registryPath, 'configs', host, 'tls'])! })),
  };
  return { configPath, roots, mirrors, tls, legacy, hostsDirs, certFiles };
}
