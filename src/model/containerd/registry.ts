import { listDir, readText } from '../../snapshot/query.js';
import { joinPath, normalizePath } from '../../snapshot/paths.js';
import type { Snapshot } from '../../snapshot/types.js';
import { positionOf, type TomlData, type TomlLocations, type TomlValue } from '../../parsers/toml.js';
import { parsedToml } from './toml-cache.js';
import type { ContainerdHostsDir, ContainerdRegistryHost, Source } from '../types.js';
import { isTable, own } from './tree.js';

type RegistryHost = ContainerdRegistryHost;
type RegistryHostsDir = ContainerdHostsDir;
type HostsProblem = ContainerdHostsDir['hostsToml']['problems'][number];

const HOST_KEYS = ['capabilities', 'ca', 'client', 'skip_verify', 'header', 'override_path', 'dial_timeout'];
const TOP_KEYS = ['server', 'host', ...HOST_KEYS];

/** Where a registry's hosts directory would be: `<host>_<port>_`, `<host:port>`, then `_default` (hostPaths). */
export function hostDirCandidates(registry: string): string[] {
  const port = /^(.*):(\d+)$/.exec(registry);
  return [...(port ? [`${port[1]}_${port[2]}_`] : []), registry, '_default'];
}

/** The server containerd uses when hosts.toml names none. */
export function defaultServer(registry: string): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  return registry === 'localhost' || registry.startsWith('localhost:') ? `http://${registry}` : `https://${registry}`;
}

function asStringList(value: TomlValue | undefined): string[] | null {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

/** Parse one host table (the top level or a `[host."…"]`) with containerd's decoding rules. */
function parseHostTable(
  t: TomlData,
  path: string[],
  ctx: { file: string; dir: string; locations: TomlLocations; problems: HostsProblem[]; url: string; kind: 'host' | 'server' },
): RegistryHost {
  const at = (...keys: string[]): Source => {
    const p = [...path, ...keys];
    const pos = positionOf(ctx.locations, p);
    return { file: ctx.file, ...(pos ? { line: pos.line, column: pos.column } : {}), key: p.join('.') || undefined };
  };
  const fatal = (key: string, message: string): void => {
    // A key of a parsed file is always located.
    const s = at(key);
    ctx.problems.push({ message, line: s.line!, column: s.column!, key: s.key, fatal: true });
  };
  const resolve = (p: string): string => (p.startsWith('/') ? normalizePath(p) : joinPath(ctx.dir, p));

  // capabilities is a list (a single string is a decode error), unlike ca, which may be one path.
  const rawCaps = own(t, 'capabilities');
  const caps = typeof rawCaps === 'string' ? null : asStringList(rawCaps);
  const capabilities = caps === null ? [] : own(t, 'capabilities') === undefined ? ['pull', 'resolve', 'push'] : caps;
  if (caps === null) fatal('capabilities', 'capabilities must be a list of strings');
  for (const c of capabilities)
    if (!['pull', 'resolve', 'push', 'referrers'].includes(c))
      fatal('capabilities', `unknown capability "${c}" (containerd knows pull, resolve, push and referrers)`);

  const ca = asStringList(own(t, 'ca'));
  if (ca === null) fatal('ca', 'ca must be a path or a list of paths');

  const client: RegistryHost['client'] = [];
  const rawClient = own(t, 'client');
  const clientItems = typeof rawClient === 'string' ? [rawClient] : Array.isArray(rawClient) ? rawClient : rawClient === undefined ? [] : null;
  if (clientItems === null) fatal('client', 'client must be a path, a list of paths or a list of [cert, key] pairs');
  for (const item of clientItems ?? []) {
    if (typeof item === 'string') client.push({ cert: resolve(item), key: null, source: at('client') });
    else if (Array.isArray(item) && item.length === 2 && item.every((x) => typeof x === 'string')) {
      const [cert, key] = item as [string, string];
      client.push({ cert: resolve(cert), key: key === '' ? null : resolve(key), source: at('client') });
    } else fatal('client', 'a client pair must be [cert, key]');
  }

  const bool = (key: string): boolean => {
    const v = own(t, key);
    if (v !== undefined && typeof v !== 'boolean') fatal(key, `${key} must be true or false`);
    return v === true;
  };
  const header = own(t, 'header');
  const headers: RegistryHost['headers'] = [];
  if (header !== undefined && !isTable(header)) fatal('header', 'header must be a table');
  for (const [name, value] of Object.entries(isTable(header) ? header : {})) {
    if (asStringList(value) === null) fatal('header', `header ${name} must be a string or a list of strings`);
    headers.push({ name, source: at('header', name) });
  }
  const dial = own(t, 'dial_timeout');
  if (dial !== undefined && typeof dial !== 'string') fatal('dial_timeout', 'dial_timeout must be a duration string such as "30s"');
  return {
    url: ctx.url,
    kind: ctx.kind,
    capabilities,
    skipVerify: bool('skip_verify'),
    ...(own(t, 'skip_verify') !== undefined ? { skipVerifySource: at('skip_verify') } : {}),
    // Where the URL is written: the [host."…"] header, or the server key.
    ...(ctx.kind === 'host' ? { urlSource: at() } : own(t, 'server') !== undefined ? { urlSource: at('server') } : {}),
    ca: (ca ?? []).map((p) => ({ path: resolve(p), source: at('ca') })),
    client,
    overridePath: bool('override_path'),
    headers,
    source: at(),
  };
}

/**
 * Read a registry directory: hosts.toml as containerd's config.ConfigureHosts
 * does (hosts tried in file order, then the server), or, when hosts.toml is
 * missing, empty or undecodable, the Docker certs layout. containerd only logs
 * a hosts.toml it cannot decode, so its mirrors silently disappear.
 */
export function readHostsDir(snapshot: Snapshot, root: string, name: string): RegistryHostsDir {
  const dir = joinPath(root, name);
  const path = joinPath(dir, 'hosts.toml');
  const entries = listDir(snapshot, dir) ?? [];
  const dockerCerts: RegistryHostsDir['dockerCerts'] = {
    ca: entries.filter((e) => e.name.endsWith('.crt')).map((e) => joinPath(dir, e.name)),
    client: entries
      .filter((e) => e.name.endsWith('.cert'))
      // containerd (like Docker) requires the same-named .key next to each .cert.
      .map((e) => ({ cert: joinPath(dir, e.name), key: joinPath(dir, e.name.replace(/\.cert$/, '.key')) })),
  };
  const base: RegistryHostsDir = { name, root, dir, hostsToml: { path, state: 'ok', problems: [] }, hosts: [], dockerCerts };
  const r = readText(snapshot, path);
  if (r.status === 'missing' || r.status === 'not-collected') return { ...base, hostsToml: { path, state: r.status, problems: [] } };
  if (r.status === 'unreadable') return { ...base, hostsToml: { path, state: 'unreadable', problems: [{ message: r.reason, fatal: true }] } };
  const parsed = parsedToml(r.record, r.text);
  if (!parsed.ok) {
    const e = parsed.error;
    return { ...base, hostsToml: { path, state: 'invalid', problems: [{ message: e.message, line: e.line, column: e.column, fatal: true }] } };
  }
  const problems: HostsProblem[] = [];
  const locations = parsed.locations;
  const data = parsed.value;
  const ctx = { file: path, dir, locations, problems };
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) {
      const pos = positionOf(locations, [key])!;
      problems.push({ message: `unknown key "${key}" (containerd ignores it)`, line: pos.line, column: pos.column, key, fatal: false });
    }
  }
  const hostTables = own(data, 'host');
  const hosts: RegistryHost[] = [];
  // The object keeps the file order of the [host."…"] tables, which is the order containerd tries them.
  if (hostTables !== undefined && !isTable(hostTables))
    problems.push({ message: 'host must be a table of [host."<url>"] tables', ...positionOf(locations, ['host'])!, key: 'host', fatal: true });
  for (const [url, table] of Object.entries(isTable(hostTables) ? hostTables : {})) {
    if (!isTable(table)) {
      problems.push({ message: `host."${url}" must be a table`, ...positionOf(locations, ['host', url])!, key: `host."${url}"`, fatal: true });
      continue;
    }
    for (const key of Object.keys(table)) {
      if (!HOST_KEYS.includes(key)) {
        const pos = positionOf(locations, ['host', url, key])!;
        problems.push({
          message: `unknown key "${key}" in [host."${url}"] (containerd ignores it)`,
          line: pos.line,
          column: pos.column,
          key: `host."${url}".${key}`,
          fatal: false,
        });
      }
    }
    hosts.push(parseHostTable(table, ['host', url], { ...ctx, url, kind: 'host' }));
  }
  const server = own(data, 'server');
  if (server !== undefined && typeof server !== 'string')
    problems.push({ message: 'server must be a URL string', ...positionOf(locations, ['server'])!, key: 'server', fatal: true });
  // Without a server, `_default` serves whatever registry the request names; write it as "".
  const serverUrl = typeof server === 'string' ? (/^[a-z]+:\/\//i.test(server) ? server : `https://${server}`) : name === '_default' ? '' : defaultServer(name);
  hosts.push(parseHostTable(data, [], { ...ctx, url: serverUrl, kind: 'server' }));
  const usable = !problems.some((p) => p.fatal);
  // Every problem found in a parsed file has a line.
  problems.sort((a, b) => a.line! - b.line!);
  return { ...base, hostsToml: { path, state: usable ? 'ok' : 'invalid', problems }, hosts: usable ? hosts : [] };
}
