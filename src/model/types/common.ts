/** Values, sources and file states shared by every part of the NodeModel (src/model/types.ts). */

/** Where an effective value came from. */
export interface Source {
  /** Absolute node path of the file that set the value. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  /** 1-based column in that file. */
  column?: number;
  /** Key path inside the file (TOML/YAML key, unit section and directive, …). */
  key?: string;
  /** Set when nothing on the node set the value, e.g. "built-in default of containerd 2.1". */
  default?: string;
}

/** What happened when a file was read. */
export type FileState = 'ok' | 'missing' | 'invalid' | 'unreadable' | 'not-collected';

/** A file that a domain model was built from. */
export interface FileInfo {
  /** Absolute node path. */
  path: string;
  state: FileState;
  /** Parse error (state `invalid`) or read error (state `unreadable`). */
  error?: { message: string; line?: number; column?: number };
}

/** A value together with where it came from. */
export interface Sourced<T> {
  value: T;
  source: Source;
}
