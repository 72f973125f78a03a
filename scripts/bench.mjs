#!/usr/bin/env node
// npm run bench: the speed and size targets, measured against `node -e 0` in the
// same run. The cold start is a regression guard, not a target to chase: the
// bundle's load is the floor of a Node.js tool that reads ~150 files (measured
// 1.6-1.75x `node -e 0`, warm work 4-8 ms), so the old 1.3x target is withdrawn
// (issue 15) and the guard fails only above 2.0x. Machines here are noisy, so runs are interleaved in pairs and the
// verdict uses medians.
//
// Both commands are timed twice: in the environment the bench was started with
// (what an operator's shell gives node; on these machines NODE_EXTRA_CA_CERTS
// makes every node start load a CA bundle) and in a clean environment (PATH and
// HOME only), where node itself starts fastest and the checker's own cost weighs
// most. The verdict uses the operator's environment; the clean ratio is printed
// beside it.
//
// Then the Ansible role's benchmark, scripts/bench-role.mjs (the role against a
// bare play of the same checker run, 8 local hosts); the bench fails when either
// part misses its target.
//
//   node scripts/bench.mjs [--pairs N] [--node DIR] [--role-rounds N] [--skip-role | --role-only]
//
//   --pairs N          interleaved pairs per environment (31)
//   --node DIR         the node root the checker reads (the clean fixture)
//   --role-rounds N    rounds of the role benchmark, passed on to bench-role.mjs (3)
//   --skip-role        the CLI benchmark only: the role's takes minutes and needs ansible-core
//   --role-only        the role benchmark only
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const SKIP_ROLE = args.includes('--skip-role');
const ROLE_ONLY = args.includes('--role-only');
const PAIRS = Number(flag('--pairs', '31'));
const NODE_ROOT = resolve(flag('--node', 'test/fixtures/nodes/clean/root'));
const BUNDLE = resolve('dist/preflight.cjs');
// Median cold start of the checker over the median of `node -e 0`, same run.
const GUARD_RATIO = 2.0;
const TARGET_BUNDLE = 1024 * 1024;

const ENVS = {
  operator: { ...process.env, NO_COLOR: '1' },
  clean: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1' },
};
const baseline = [process.execPath, ['-e', '0']];
const check = [process.execPath, [BUNDLE, '--root', NODE_ROOT]];

function wallMs([cmd, argv], env) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** Peak RSS of one run, read by a preload that reports getrusage at exit (not used for timing). */
function peakRssKiB(cmd, env) {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-bench-'));
  const hook = join(dir, 'rss.cjs');
  const out = join(dir, 'rss.txt');
  writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
  spawnSync(cmd[0], ['--require', hook, ...cmd[1]], { env, stdio: 'ignore' });
  const kib = Number(readFileSync(out, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  return kib;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Interleaved pairs in one environment: medians of each command and of the per-pair ratios. */
function measure(env) {
  // Warm the file cache so the first pair is not an outlier.
  for (let i = 0; i < 3; i++) {
    wallMs(baseline, env);
    wallMs(check, env);
  }
  const base = [];
  const run = [];
  const ratios = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which command goes first, so drift hits both equally.
    let a;
    let b;
    if (i % 2 === 0) {
      a = wallMs(baseline, env);
      b = wallMs(check, env);
    } else {
      b = wallMs(check, env);
      a = wallMs(baseline, env);
    }
    base.push(a);
    run.push(b);
    ratios.push(b / a);
  }
  const medBase = median(base);
  const medRun = median(run);
  return { medBase, medRun, ratio: medRun / medBase, pairRatio: median(ratios), rssBase: peakRssKiB(baseline, env), rssRun: peakRssKiB(check, env) };
}

/** The CLI's cold start and the bundle's size, printed; true when both are within their guards. */
function benchCli() {
  const results = Object.fromEntries(Object.entries(ENVS).map(([name, env]) => [name, measure(env)]));
  const size = statSync(BUNDLE).size;
  const row = (k, v) => console.log(`${k.padEnd(40)} ${v}`);

  console.log(`kube-preflight benchmark: ${PAIRS} interleaved pairs per environment on ${process.version}`);
  console.log(`check: preflight --root ${NODE_ROOT.replace(process.cwd() + '/', '')}`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n${name === 'operator' ? "operator's environment (as started)" : 'clean environment (PATH and HOME only)'}`);
    row('  node -e 0, median wall', `${r.medBase.toFixed(1)} ms`);
    row('  preflight, median wall', `${r.medRun.toFixed(1)} ms`);
    row('  ratio of medians', `${r.ratio.toFixed(3)}${name === 'operator' ? ` (regression guard <= ${GUARD_RATIO})` : ''}`);
    row('  median of per-pair ratios', r.pairRatio.toFixed(3));
    row('  overhead over node -e 0', `${(r.medRun - r.medBase).toFixed(1)} ms`);
    row('  peak RSS node -e 0 / preflight', `${(r.rssBase / 1024).toFixed(1)} MiB / ${(r.rssRun / 1024).toFixed(1)} MiB`);
  }
  console.log('');
  row('bundle dist/preflight.cjs', `${(size / 1024).toFixed(1)} KiB (target < ${TARGET_BUNDLE / 1024} KiB)`);
  const ok = results.operator.ratio <= GUARD_RATIO && size < TARGET_BUNDLE;
  console.log(
    ok
      ? `cold start ${results.operator.ratio.toFixed(2)}x node -e 0 (guard <= ${GUARD_RATIO}x), bundle under ${TARGET_BUNDLE / 1024} KiB: ok`
      : 'REGRESSION: cold start or bundle size over its guard',
  );
  return ok;
}

let code = ROLE_ONLY ? 0 : benchCli() ? 0 : 1;
if (!SKIP_ROLE) {
  // A process of its own: the role bench runs alone too, and its exit code (2: ansible-core missing) carries over.
  const roleArgs = args.includes('--role-rounds') ? ['--role-rounds', flag('--role-rounds')] : [];
  const role = spawnSync(process.execPath, [fileURLToPath(new URL('bench-role.mjs', import.meta.url)), ...roleArgs], { stdio: 'inherit' });
  code = code || (role.status ?? 1);
}
process.exitCode = code;
