import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The committed single-file executable. */
export const BUNDLE = new URL('../../dist/preflight.cjs', import.meta.url).pathname;

/** A copy of the bundle alone in an empty directory, as a user or the Ansible role gets it. */
export function loneBundle(): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-lone-'));
  const copy = join(dir, 'preflight.cjs');
  copyFileSync(BUNDLE, copy);
  return copy;
}

/** The environment of a plain user process: no tap loaders, no coverage hooks. */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
  return env;
}

/** Run the bundle (or another file) with node in a clean environment. */
export function runBundle(args: string[], options: { bundle?: string; cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [options.bundle ?? BUNDLE, ...args], {
    cwd: options.cwd,
    env: plainEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Size of the committed bundle in bytes. */
export const bundleSize = (): number => statSync(BUNDLE).size;
