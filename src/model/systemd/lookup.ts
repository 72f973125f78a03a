/**
 * Where systemd finds a unit: the unit search path, unit names, the name map
 * (files, aliases, masks, linked unit files) and the names whose `.d`
 * directories hold drop-ins (spec: ../shared/reference/systemd-proxy-spec.md §1–§2).
 * Sources: systemd/systemd src/libsystemd/sd-path/path-lookup.c (search path),
 * src/shared/unit-file.c (name map, aliases, masks), src/shared/dropin.c
 * (drop-in directories).
 */
import { basename, dirname, joinPath } from '../../snapshot/paths.js';
import type { DirEntry } from '../../snapshot/types.js';
import { unitNameParts } from '../../parsers/systemd-specifiers.js';
import type { SnapshotReader } from '../reader.js';

/**
 * The system manager's unit search path, highest precedence first (spec §1.1;
 * path-lookup.c lookup_paths_init). `/lib/systemd/system` is Debian's data
 * directory; it counts only where /lib is not the merged-/usr symlink.
 * $SYSTEMD_UNIT_PATH is never set for PID 1 on normal systems and is ignored.
 */
export const UNIT_SEARCH_PATH = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
] as const;

export const LEGACY_DATA_DIR = '/lib/systemd/system';
export const DATA_DIR = '/usr/lib/systemd/system';

export const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'];

/**
 * unit_name_is_valid(): `prefix.type` or `prefix@instance.type` (an empty
 * instance is a template), from letters, digits and `:-_.\`. Names starting
 * with a dot, or ending in an unknown type such as `.ignore`, are not units.
 */
export function isValidUnitName(name: string): boolean {
  const m = /^([A-Za-z0-9:_.\\-]+)(@[A-Za-z0-9:_.\\-]*)?\.([a-z]+)$/.exec(name);
  return m !== null && name.length <= 255 && !name.startsWith('.') && UNIT_TYPES.includes(m[3]!);
}

/** The template of an instance (`foo@bar.service` → `foo@.service`), or null. */
export function templateOf(name: string): string | null {
  const { prefix, instance, type } = unitNameParts(name);
  return instance ? `${prefix}@.${type}` : null;
}

/** What one search-directory entry gives a unit name (unit_file_build_name_map). */
export interface NameEntry {
  /** The entry's path (a linked unit file or a mask is its symlink). */
  path: string;
  /** For an alias (a symlink to a unit inside the search path): the target's name. */
  alias?: string;
  /** The raw symlink target, for masks and linked unit files. */
  link?: string;
}

/**
 * The search path for this root: `/lib/systemd/system` is left out where it is
 * the same directory as `/usr/lib/systemd/system` (merged /usr, where /lib is a
 * symlink), so units are reported under /usr/lib (spec §1.1).
 */
export function searchPath(r: SnapshotReader): string[] {
  const merged = r.chase(LEGACY_DATA_DIR) === r.chase(DATA_DIR);
  return UNIT_SEARCH_PATH.filter((dir) => !(dir === LEGACY_DATA_DIR && merged));
}

/**
 * The unit names of the search path (unit_file_build_name_map): for a name,
 * the first directory that has it decides whether it is a file, an alias, a
 * mask or a linked unit file. Built on demand: a real node has hundreds of
 * unit files, and only the requested names and the symlinks (possible
 * aliases) are ever looked at.
 */
export class NameMap {
  private readonly known = new Map<string, NameEntry | null>();
  private readonly index: Map<string, DirEntry>[];

  constructor(
    private readonly r: SnapshotReader,
    private readonly dirs: readonly string[],
  ) {
    this.index = dirs.map((d) => new Map((r.entries(d) ?? []).map((e) => [e.name, e])));
  }

  private linkNames: string[] | undefined;

  /** Names that are symlinks somewhere in the search path, the only ones that can be aliases (computed once: every unit asks). */
  links(): string[] {
    this.linkNames ??= [...new Set(this.index.flatMap((m) => [...m.values()].filter((e) => e.type === 'symlink').map((e) => e.name)))];
    return this.linkNames;
  }

  get(name: string): NameEntry | undefined {
    let known = this.known.get(name);
    if (known === undefined) this.known.set(name, (known = this.lookup(name)));
    return known ?? undefined;
  }

  private lookup(name: string): NameEntry | null {
    if (!isValidUnitName(name)) return null;
    for (const [i, dir] of this.dirs.entries()) {
      const entry = this.index[i]!.get(name);
      if (!entry || (entry.type !== 'file' && entry.type !== 'symlink')) continue;
      const path = joinPath(dir, name);
      if (entry.type === 'file') return { path };
      const target = joinPath(dir, entry.link!);
      const resolved = target === '/dev/null' ? target : joinPath(this.r.chase(dirname(target)), basename(target));
      // path_startswith_strv(): the target, with the symlinks of its directories resolved, lies in a search directory.
      // A mask, or a linked unit file: its content comes from the target, its name from the link.
      if (!this.dirs.some((d) => resolved.startsWith(`${d}/`))) return { path, link: entry.link! };
      const alias = basename(resolved);
      // A self-alias has no effect and is skipped; an alias must keep the unit type (unit_validate_alias_symlink).
      if (alias !== name && isValidUnitName(alias) && unitNameParts(alias).type === unitNameParts(name).type) return { path, alias };
    }
    return null;
  }
}

/** unit_ids_map_get(): follow aliases to a file; a broken alias to an instance falls back to its template. */
export function findEntry(map: NameMap, name: string): NameEntry | null {
  let id = name;
  // FOLLOW_MAX hops; a longer chain is a loop.
  for (let hops = 0; hops < 64; hops++) {
    const entry = map.get(id) ?? (id === name ? undefined : map.get(templateOf(id) ?? ''));
    if (!entry) return null;
    if (entry.alias === undefined) return entry;
    id = entry.alias;
  }
  return null;
}

/**
 * The names whose `.d` directories hold drop-ins for a name, in the order of
 * unit_file_find_dirs(): the name, its template (for an instance), then the
 * dash prefixes from longest to shortest (`foo-bar-baz.service` →
 * `foo-bar-.service` → `foo-.service`), each with its own template and prefixes.
 */
export function dropInNames(name: string): string[] {
  const { prefix, instance, type } = unitNameParts(name);
  const out = [name];
  if (instance) out.push(...dropInNames(`${prefix}@.${type}`));
  let stem = prefix;
  let chopped = false;
  for (;;) {
    const dash = stem.lastIndexOf('-');
    // No dash, or only a leading one: no (further) prefix.
    if (dash <= 0) return out;
    if (dash + 1 < stem.length || chopped) {
      stem = stem.slice(0, dash + 1);
      break;
    }
    // A trailing dash is chopped off once and the search goes on.
    stem = stem.slice(0, dash);
    chopped = true;
  }
  return [...out, ...dropInNames(instance ? `${stem}@${instance}.${type}` : `${stem}.${type}`)];
}
