#!/usr/bin/env node
// The build: precompiled validators, the single-file executable and the typed library.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';

const step = (name, fn) => {
  const t = Date.now();
  fn();
  console.log(`build: ${name} (${Date.now() - t} ms)`);
};
const node = (args) => execFileSync(process.execPath, args, { stdio: 'inherit' });

/**
 * Lazy modules: every file in src/lazy/ exports one `load()` and imports what it
 * wraps eagerly (yaml, yargs, ajv's compiler, the checklist validator). Here
 * each is bundled on its own and embedded as a string that is compiled the first
 * time `load()` runs, so V8 does not parse it on starts that do not need it.
 * The executable stays one file.
 */
/**
 * Lazy modules that `preflight` on a static check does not load: ajv's compiler
 * (custom rules), the node model's schema (custom rules, `preflight model`) and
 * execa (--online probes). Stored gzipped they keep the executable under 1 MiB;
 * inflating one costs about a millisecond when it is needed.
 */
const RARE = new Set(['ajv.ts', 'node-model-schema.ts', 'execa.ts']);

const lazyModules = {
  name: 'lazy-modules',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]lazy[\\/][^\\/]+\.ts$/ }, async (args) => {
      const chunk = await build({
        entryPoints: [args.path],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: true,
        legalComments: 'none',
        write: false,
      });
      const code = chunk.outputFiles[0].text;
      const name = args.path.slice(process.cwd().length + 1);
      // What a static check never loads is stored gzipped (base64) and inflated on its first load().
      const stored = RARE.has(basename(args.path))
        ? `require('node:zlib').gunzipSync(Buffer.from(${JSON.stringify(gzipSync(code, { level: 9 }).toString('base64'))}, 'base64')).toString()`
        : JSON.stringify(code);
      return {
        contents: [
          `// ${name}, bundled separately and compiled on the first load().`,
          `const code = ${stored};`,
          'let loaded;',
          'export function load() {',
          '  if (!loaded) {',
          '    const chunk = { exports: {} };',
          "    new Function('module', 'exports', 'require', '__filename', '__dirname', code)(chunk, chunk.exports, require, __filename, __dirname);",
          '    loaded = chunk.exports.load();',
          '  }',
          '  return loaded;',
          '}',
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

step('validators', () => node(['scripts/run-ts.mjs', 'scripts/build-validators.ts']));
await build({
  entryPoints: ['src/cli/bin.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'eof',
  banner: { js: '#!/usr/bin/env node' },
  outfile: 'dist/preflight.cjs',
  plugins: [lazyModules],
  logLevel: 'warning',
});
chmodSync('dist/preflight.cjs', 0o755);
console.log(`build: dist/preflight.cjs (${statSync('dist/preflight.cjs').size} bytes)`);
rmSync('dist/lib', { recursive: true, force: true });
step('library (tsc)', () => node(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']));
