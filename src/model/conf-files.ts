import { listDir, lookup } from '../snapshot/query.js';
import { compareBytes, joinPath } from '../snapshot/paths.js';
import type { Snapshot } from '../snapshot/types.js';

/** One configuration snippet chosen from a set of directories. */
export interface ConfFile {
  /** File name (the sort key). */
  name: string;
  /** Absolute node path of the winning file. */
  path: string;
  /** Masked by a symlink to /dev/null or by an empty file: it is parsed as empty. */
  masked: boolean;
}

/**
 * Choose configuration snippets the way systemd's `conf_files_list` does (used
 * for unit drop-ins, sysctl.d, modules-load.d and system.conf.d): take names
 * ending in `suffix` and not starting with a dot from each directory; for a name
 * present in several directories keep the one from the earliest directory;
 * sort the result by name in byte order, ignoring the directory. A same-named
 * symlink to /dev/null or empty file in an earlier directory masks later ones.
 */
export function listConfFiles(snapshot: Snapshot, dirs: readonly string[], suffix: string): ConfFile[] {
  const chosen = new Map<string, ConfFile>();
  for (const dir of dirs) {
    for (const entry of listDir(snapshot, dir) ?? []) {
      if (!entry.name.endsWith(suffix) || entry.name.startsWith('.') || chosen.has(entry.name)) continue;
      if (entry.type === 'directory' || entry.type === 'other') continue;
      const path = joinPath(dir, entry.name);
      chosen.set(entry.name, { name: entry.name, path, masked: isMasked(snapshot, path, entry.link) });
    }
  }
  return [...chosen.values()].sort((a, b) => compareBytes(a.name, b.name));
}

/**
 * Whether a path masks what it shadows: a symlink whose target string is
 * /dev/null (systemd compares the string, since an image may have no /dev/null)
 * or an empty regular file.
 */
export function isMasked(snapshot: Snapshot, path: string, link?: string): boolean {
  const record = lookup(snapshot, path);
  const target = link ?? record?.link;
  if (target !== undefined && joinPath('/', target) === '/dev/null') return true;
  return record?.type === 'file' && record.size === 0 && record.content === '';
}
