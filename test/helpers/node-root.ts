import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One entry of a node root: text, or a file with a mode, a symlink, a directory, a FIFO or a unix socket. */
export type NodeFile = string | { content?: string; mode?: number; link?: string; dir?: true; fifo?: true; socket?: true };

/** A node root as data: absolute node paths (leading slash optional) to entries. */
export type NodeFiles = Record<string, NodeFile>;

/** Write a node root under `dir` and return `dir`. */
export function writeNode(dir: string, files: NodeFiles): string {
  for (const [path, spec] of Object.entries(files)) {
    const host = join(dir, path.replace(/^\//, ''));
    mkdirSync(dirname(host), { recursive: true });
    if (typeof spec === 'string') writeFileSync(host, spec);
    else if (spec.link !== undefined) symlinkSync(spec.link, host);
    else if (spec.dir) mkdirSync(host, { recursive: true });
    else if (spec.fifo) execFileSync('mkfifo', [host]);
    // A bound unix socket stays as a file after its process exits; bind relative to stay under the 108-byte path limit.
    else if (spec.socket)
      execFileSync('python3', ['-c', 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', basename(host)], { cwd: dirname(host) });
    else {
      writeFileSync(host, spec.content ?? '');
      if (spec.mode !== undefined) chmodSync(host, spec.mode);
    }
  }
  return dir;
}

/** An executable stub, for binaries looked up on PATH. */
export const EXECUTABLE: NodeFile = { content: '#!/bin/sh\n', mode: 0o755 };
