/**
 * The Snapshot is the raw, serializable record of everything read from a node:
 * file contents, directory listings and file metadata keyed by absolute node path
 * (never prefixed with `--root`), and, in live mode, command results.
 *
 * It is a public, versioned format (`schemas/snapshot.schema.json`): a snapshot can
 * be taken on one machine and evaluated on another.
 */

/** Version of the snapshot format; bumped on any incompatible change. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

/** What a path turned out to be after following symlinks inside the root. */
export type PathType = 'file' | 'directory' | 'missing' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'error';

/** The type of a directory entry as `lstat` sees it (symlinks are not followed). */
export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** One entry of a directory listing. */
export interface DirEntry {
  /** File name inside the directory. */
  name: string;
  /** Entry type without following symlinks. */
  type: EntryType;
  /** Raw symlink target (as `readlink` returns it) when `type` is `symlink`. */
  link?: string;
}

/** How a path was requested: its content, its directory listing, or only its metadata. */
export type RequestKind = 'read' | 'list' | 'stat';

/** The record of one path on the node. */
export interface PathRecord {
  /** What the path is, after following symlinks (confined to the root). */
  type: PathType;
  /** Raw target of the path's last component when that component is a symlink. */
  link?: string;
  /** Permission bits and file type bits (`st_mode`), when known. */
  mode?: number;
  /** Owner and group ids (`st_uid`, `st_gid`), when known; site checks compare them. */
  uid?: number;
  gid?: number;
  /** Size in bytes as reported by `stat` (0 for most /proc files). */
  size?: number;
  /** Last modification time in milliseconds since the epoch. */
  mtimeMs?: number;
  /** UTF-8 text of a regular file that was read. */
  content?: string;
  /** Set when the file was gzip-compressed (`*.gz`, e.g. /proc/config.gz): `content` is the decompressed text. */
  gunzipped?: boolean;
  /** Set when the file holds bytes that are not valid UTF-8 (content is then lossy). */
  invalidUtf8?: boolean;
  /** Sorted listing of a directory that was listed. */
  entries?: DirEntry[];
  /** The directory held this many entries, more than the listing keeps (`entries` has the first ones in byte order). */
  truncated?: number;
  /** The markers that replaced this file's secrets, in text order. */
  secrets?: string[];
  /** Secrets masked in place in a file that does not parse (so its parse error stays where it is). */
  masked?: number;
  /** Why the path could not be read: `EACCES`, `ELOOP`, `TOO_LARGE`, … */
  error?: { code: string; message: string };
}

/** Result of a command run in live mode (argv only, never a shell). */
export interface CommandResult {
  /** The exact argument vector that was run. */
  argv: string[];
  /** Exit code, or null when the command could not start or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /**
   * Set when the probe got no answer: `ENOENT` (not installed), `ETIMEDOUT`
   * (no answer within its timeout), `DEADLINE` (the live phase's deadline
   * passed), or the signal that killed it.
   */
  error?: { code: string; message: string };
  /** Wall time of the command in milliseconds (a timing field). */
  durationMs?: number;
}

/** A limit the collector reached, and what it left unread. */
export interface CollectionLimit {
  /**
   * paths: the path budget; bytes: the budget for file contents; deadline: the
   * time budget; dir-entries: a directory listing cut short; file-size: a file
   * over the per-file cap; glob: a pattern with more matches than are followed.
   */
  limit: 'paths' | 'bytes' | 'deadline' | 'dir-entries' | 'file-size' | 'glob';
  path?: string;
  message: string;
}

/** Everything collected from one node. */
export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  kind: 'NodeSnapshot';
  tool: { name: string; version: string };
  /** The root directory the files were read under (`/` on a live node). */
  root: string;
  /** Whether live probes were run. */
  online: boolean;
  /** Records keyed by absolute node path. */
  paths: Record<string, PathRecord>;
  /**
   * Live probe results keyed by probe name (`systemctl-show:containerd.service`,
   * `ctr-version`, `containerd-config-dump`, `tcp-connect:127.0.0.1:3128`, …;
   * the names are `PROBE` in src/model/live.ts). Probes that are not commands
   * are recorded the same way with a synthetic argv: `["unix-connect", path]`,
   * `["tcp-connect", "host:port"]` (exit code 0 connected, 1 refused or
   * unreachable, stderr says which) and `["dns-lookup", host]` (stdout: one
   * address per line). Output is redacted like file contents. Empty offline.
   */
  commands: Record<string, CommandResult>;
  /**
   * Set by this tool: secrets in file contents and probe output are markers.
   * A snapshot is redacted again whenever it is loaded, whatever this says.
   */
  redacted?: boolean;
  /** How the markers were made: with the key whose id this is, or (null) without a digest. */
  redaction?: { keyId: string | null };
  /** Limits the collection reached; any entry makes `host/collection-complete` fail. */
  incomplete?: CollectionLimit[];
  /** Collection time (a timing field, ignored when comparing snapshots). */
  collectedAt?: string;
}
