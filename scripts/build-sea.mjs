#!/usr/bin/env node
// npm run build:sea: the checker as a Node single executable application, for
// nodes without Node.js (the Ansible role's binary runtime). It embeds the
// committed dist/preflight.cjs as it is, never a second build, into a copy of
// the node binary running this script, and writes
//   dist/preflight-linux-<arch>          (about 85 MB; ignored by git, never committed)
//   dist/preflight-linux-<arch>.sha256   (sha256sum format; the role verifies the copy with it)
// `--out-dir DIR` writes both there instead (the tests build into a temporary
// directory, so `npm test` leaves no 85 MB file in dist/).
// Node 20-24: `node --experimental-sea-config` writes the blob and postject
// injects it (https://nodejs.org/api/single-executable-applications.html).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const started = Date.now();
const fail = (message) => {
  console.error(`build:sea: ${message}`);
  process.exit(1);
};
if (process.platform !== 'linux') fail(`builds Linux executables only (this is ${process.platform})`);

const bundle = resolve('dist/preflight.cjs');
if (!existsSync(bundle)) fail('dist/preflight.cjs is missing; run npm run build first');
const outAt = process.argv.indexOf('--out-dir');
if (outAt !== -1 && !process.argv[outAt + 1]) fail('--out-dir needs a directory');
const outDir = outAt === -1 ? 'dist' : process.argv[outAt + 1];
if (!existsSync(outDir) || !statSync(outDir).isDirectory()) fail(`--out-dir ${outDir}: no such directory`);
const out = resolve(outDir, `preflight-linux-${process.arch}`);
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'preflight-sea-'));

try {
  const blob = join(work, 'sea.blob');
  const config = join(work, 'sea-config.json');
  // No code cache or snapshot: the blob then does not depend on V8 flags of the build machine.
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, useSnapshot: false }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'pipe' });

  const exe = join(work, 'preflight');
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  // Distribution node binaries carry debug information (about 13 MB). Strip it
  // before injecting: stripping after injection breaks the executable.
  const strip = spawnSync('strip', [exe], { encoding: 'utf8' });
  if (strip.error) console.log('build:sea: strip not found; the executable keeps its debug information');
  else if (strip.status !== 0) fail(`strip failed: ${strip.stderr.trim()}`);

  const postject = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const inject = spawnSync(process.execPath, [postject, exe, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {
    encoding: 'utf8',
  });
  if (inject.status !== 0) fail(`postject failed: ${inject.stderr.trim() || inject.stdout.trim()}`);

  // The executable must run on its own: no node on PATH, nothing beside it.
  const check = spawnSync(exe, ['--version'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
  if (check.status !== 0 || check.stdout.trim() !== version) fail(`the executable does not run: exit ${check.status}, ${check.stderr.trim()}`);

  // Copy (the temporary directory may be on another file system), then rename in place.
  copyFileSync(exe, `${out}.partial`);
  chmodSync(`${out}.partial`, 0o755);
  renameSync(`${out}.partial`, out);
  const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
  writeFileSync(`${out}.sha256`, `${sha256}  ${basename(out)}\n`);
  console.log(`build:sea: ${out} (${(statSync(out).size / 1048576).toFixed(1)} MiB, sha256 ${sha256}, node ${process.version}, ${Date.now() - started} ms)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
