/** What the containerd checks read, planned for the collector without merging. */
import { listDir } from '../../snapshot/query.js';
import type { Snapshot } from '../../snapshot/types.js';
import type { TomlData } from '../../parsers/toml.js';
import type { InputRequest } from '../inputs.js';
import { containerdCommandLine } from './command.js';
import { loadContainerdConfig } from './load.js';
import { readHostsDir } from './registry.js';
import { isTable, own, tableAt } from './tree.js';

/** Registry roots read even when no config_path names them: containerd 2.2+ uses them by default. */
export const WELL_KNOWN_ROOTS = ['/etc/containerd/certs.d', '/etc/docker/certs.d'];

/** Registry paths any file names, whatever its version's layout: config_path roots and the legacy TLS files. */
export function registryPathsIn(data: TomlData, roots: Set<string>, certs: string[]): void {
  for (const plugin of Object.values(tableAt(data, ['plugins']) ?? {})) {
    const registry = isTable(plugin) ? own(plugin, 'registry') : undefined;
    if (!isTable(registry)) continue;
    const configPath = own(registry, 'config_path');
    if (typeof configPath === 'string')
      configPath
        .split(':')
        .filter(Boolean)
        .forEach((r) => roots.add(r));
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
  const main = containerdCommandLine(snapshot).config.value;
  const load = loadContainerdConfig(snapshot, main);
  const roots = new Set(WELL_KNOWN_ROOTS);
  const certs: string[] = [];
  for (const f of load.files) if (f.data) registryPathsIn(f.data, roots, certs);
  const dirs = [...roots].flatMap((root) =>
    (listDir(snapshot, root) ?? []).filter((e) => e.type !== 'file' && e.type !== 'other').map((e) => readHostsDir(snapshot, root, e.name)),
  );
  for (const dir of dirs) {
    for (const h of dir.hosts) certs.push(...h.ca.map((c) => c.path), ...h.client.flatMap((c) => (c.key ? [c.cert, c.key] : [c.cert])));
    if (dir.hosts.length === 0) certs.push(...dir.dockerCerts.ca, ...dir.dockerCerts.client.flatMap((c) => [c.cert, c.key]));
  }
  return {
    read: [main, ...load.needs.read, ...dirs.map((d) => d.hostsToml.path), ...certs],
    list: [...load.needs.list, ...roots, ...dirs.map((d) => d.dir)],
    stat: [],
  };
}
