#!/usr/bin/env node
// Run a TypeScript script: bundle it with esbuild (packages stay external) into
// node_modules/.cache and import it. Node 20 cannot run TypeScript itself.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs SCRIPT.ts [ARGS...]');
  process.exit(2);
}
const outdir = resolve('node_modules/.cache/kube-preflight');
mkdirSync(outdir, { recursive: true });
const outfile = resolve(outdir, basename(entry).replace(/\.ts$/, '.mjs'));
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'warning' });
process.argv = [process.argv[0], entry, ...args];
await import(pathToFileURL(outfile).href);
