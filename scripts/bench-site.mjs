#!/usr/bin/env node
// What 200 site checks add to a full node check: `preflight --root NODE` with a
// checklist of 200 site checks (80 files, 50 sysctls, 40 kernel modules, 30
// systemd units) against the same run with the checklist's other settings and
// no site checks, and against the plain run without a checklist. Target: under
// 20% more wall time than the run with the site-free checklist (the site checks'
// own cost), medians of interleaved runs in one process, as scripts/bench.mjs
// measures; the cost against the plain run is printed beside it.
//
//   npm run build && node scripts/bench-site.mjs [--pairs N] [--checks N] [--instructions]
//
// Wall time on a shared machine moves with its load; --instructions also counts
// the instructions each run executes under valgrind (callgrind), which the load
// does not change (about 40 s a run).
//
// The node is the clean fixture plus the files, settings and units the checks
// name, written to a temporary directory; half of the checks fail, so the report
// has real violations to word.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const PAIRS = Number(flag('--pairs', '21'));
const CHECKS = Number(flag('--checks', '200'));
const TARGET_RATIO = 1.2;
const BUNDLE = resolve('dist/preflight.cjs');
const CERT = resolve('test/fixtures/certs/v1-utctime.pem');

/**
 * The share of each kind: half files (as in kube-bench's and goss's node checks, most are a
 * file's presence, mode, owner or content), a quarter sysctls, 15% kernel modules, 10% units.
 * `--files N --sysctls N --modules N --units N` set the counts instead.
 */
const split = (n) => {
  const files = Number(flag('--files', Math.round(n * 0.5)));
  const sysctls = Number(flag('--sysctls', Math.round(n * 0.25)));
  const kernelModules = Number(flag('--modules', Math.round(n * 0.15)));
  return { files, sysctls, kernelModules, systemdUnits: Number(flag('--units', n - files - sysctls - kernelModules)) };
};

function write(root, path, content) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** The node and the checklists, in a temporary directory. */
function setUp(dir) {
  const root = join(dir, 'root');
  cpSync(resolve('test/fixtures/nodes/clean/root'), root, { recursive: true, verbatimSymlinks: true });
  const counts = split(CHECKS);
  const site = { files: [], sysctls: [], kernelModules: [], systemdUnits: [] };
  const cert = spawnSync('cat', [CERT], { encoding: 'utf8' }).stdout;
  for (let i = 0; i < counts.files; i++) {
    const path = `/etc/site/file-${i}.conf`;
    const kind = i % 4;
    // Every other file exists; checks look at mode, text, certificates, or only that it is there.
    if (i % 2 === 0) write(root, path, kind === 3 ? cert : `# site file ${i}\nserver ntp${i}.example.net iburst\noption = ${i}\n`);
    const check = { id: `site/file-${i}`, path };
    if (kind === 0) check.mode = '0644';
    if (kind === 1) Object.assign(check, { contains: `^server ntp${i}\\.example\\.net`, notContains: '^pool ' });
    if (kind === 2) check.owner = 'root';
    if (kind === 3) check.certificate = { validForDays: 30 };
    site.files.push(check);
  }
  const persisted = [];
  const SYSCTL_DIRS = ['net.ipv4.conf.all', 'net.ipv4', 'net.core', 'vm', 'kernel', 'fs'];
  for (let i = 0; i < counts.sysctls; i++) {
    const key = `${SYSCTL_DIRS[i % SYSCTL_DIRS.length]}.site_setting_${i}`;
    write(root, `/proc/sys/${key.replaceAll('.', '/')}`, `${i % 2}\n`);
    persisted.push(`${key} = 1`);
    site.sysctls.push({ id: `site/sysctl-${i}`, key, value: 1 });
  }
  write(root, '/etc/sysctl.d/90-site.conf', `${persisted.join('\n')}\n`);
  const loaded = [];
  for (let i = 0; i < counts.kernelModules; i++) {
    if (i % 2 === 0) loaded.push(`site_mod${i} 16384 0 - Live 0x0`);
    site.kernelModules.push({ id: `site/module-${i}`, name: `site_mod${i}` });
  }
  write(root, '/proc/modules', `br_netfilter 32768 0 - Live 0x0\noverlay 151552 0 - Live 0x0\n${loaded.join('\n')}\n`);
  write(root, '/etc/modules-load.d/site.conf', `${loaded.map((l) => l.split(' ')[0]).join('\n')}\n`);
  for (let i = 0; i < counts.systemdUnits; i++) {
    const unit = `site-agent-${i}.service`;
    write(
      root,
      `/usr/lib/systemd/system/${unit}`,
      `[Unit]\nDescription=site agent ${i}\n[Service]\nExecStart=/usr/bin/agent\n[Install]\nWantedBy=multi-user.target\n`,
    );
    if (i % 2 === 0) {
      mkdirSync(join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
      symlinkSync(`/usr/lib/systemd/system/${unit}`, join(root, `etc/systemd/system/multi-user.target.wants/${unit}`));
    }
    if (i % 3 === 0) write(root, `/etc/systemd/system/${unit}.d/proxy.conf`, '[Service]\nEnvironment=HTTPS_PROXY=http://proxy.example.net:3128\n');
    site.systemdUnits.push({ id: `site/unit-${i}`, unit, enabled: true, environment: { lacks: ['HTTPS_PROXY'] } });
  }
  // Checklists are YAML, as operators write them.
  const base = { apiVersion: 'kube-preflight/v1', kind: 'Checklist', kubernetesVersion: '1.33' };
  const withSite = join(dir, 'site.yaml');
  const without = join(dir, 'plain.yaml');
  writeFileSync(withSite, stringify({ ...base, site }));
  writeFileSync(without, stringify(base));
  return { root, withSite, without, counts };
}

function wallMs(argv) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout.toString() };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// BENCH_SITE_DIR=DIR writes the node and checklists there and keeps them (to profile a run).
const keep = process.env.BENCH_SITE_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'preflight-bench-site-'));
if (keep) mkdirSync(dir, { recursive: true });
try {
  const { root, withSite, without, counts } = setUp(dir);
  const runs = {
    plain: [BUNDLE, '--root', root],
    checklist: [BUNDLE, '--root', root, '--checklist', without],
    site: [BUNDLE, '--root', root, '--checklist', withSite],
  };
  const report = JSON.parse(wallMs([...runs.site, '--format', 'json']).stdout);
  const site = report.results.filter((r) => r.id.startsWith('site/'));
  const total = counts.files + counts.sysctls + counts.kernelModules + counts.systemdUnits;
  if (site.length !== total) throw new Error(`expected ${total} site results, got ${site.length}`);
  const failed = site.filter((r) => r.status === 'fail').length;
  for (let i = 0; i < 3; i++) for (const argv of Object.values(runs)) wallMs(argv);
  const times = { plain: [], checklist: [], site: [] };
  const ratios = { checklist: [], plain: [] };
  const order = Object.keys(runs);
  for (let i = 0; i < PAIRS; i++) {
    // Rotate which run goes first, so drift hits all of them alike.
    const turn = order.map((_, k) => order[(i + k) % order.length]);
    const got = {};
    for (const name of turn) got[name] = wallMs(runs[name]).ms;
    for (const name of order) times[name].push(got[name]);
    ratios.checklist.push(got.site / got.checklist);
    ratios.plain.push(got.site / got.plain);
  }
  const ms = (name) => median(times[name]).toFixed(1);
  const ratio = median(ratios.checklist);
  console.log(
    `site checks: ${site.length} (${counts.files} files, ${counts.sysctls} sysctls, ${counts.kernelModules} kernel modules, ${counts.systemdUnits} units; ${failed} fail), ${PAIRS} interleaved rounds`,
  );
  console.log(`  full check, no checklist:                 ${ms('plain')} ms (median)`);
  console.log(`  full check, checklist without site checks: ${ms('checklist')} ms`);
  console.log(`  full check, checklist with the site checks: ${ms('site')} ms`);
  console.log(
    `  site checks add ${((ratio - 1) * 100).toFixed(1)}% to the run with the same checklist (median of per-round ratios; target < ${Math.round((TARGET_RATIO - 1) * 100)}%), ${((median(ratios.plain) - 1) * 100).toFixed(1)}% to the run without a checklist`,
  );
  if (args.includes('--instructions')) {
    const count = (argv) => {
      const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, ...argv], {
        encoding: 'utf8',
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      if (r.error) throw new Error(`--instructions needs valgrind: ${r.error.message}`);
      return Number(/Collected : (\d+)/.exec(r.stderr)[1]);
    };
    const [base, withSite] = [count(runs.checklist), count(runs.site)];
    console.log(
      `  instructions (callgrind): ${(base / 1e6).toFixed(0)} M without the site checks, ${(withSite / 1e6).toFixed(0)} M with them: +${((withSite / base - 1) * 100).toFixed(1)}%`,
    );
  }
  const ok = ratio < TARGET_RATIO;
  console.log(ok ? 'bench-site: OK' : 'bench-site: FAILED: the site checks cost too much');
  process.exitCode = ok ? 0 : 1;
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
