// Runs the published-configuration cases (cases.ts) against a version of the
// checker given as its library functions, so the same cases measure the
// checker before and after a change (scripts/measure-published.ts).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BASES, FAULTS, QUIET, type Base, type Edit, type Overlay } from './cases.js';

// Relative to the repository root, where tap and scripts/run-ts.mjs run (a bundled copy has no source path).
const FIXTURES = resolve('test/fixtures');
const PUBLISHED = join(FIXTURES, 'published');
const CLEAN = join(FIXTURES, 'nodes/clean/root');
const CRICTL = join(FIXTURES, 'corpus/crictl/cri-tools-v1.36-docs-example-crictl.yaml');

/** Component files of the clean fixture that the published configurations replace. */
const COMPONENT_PATHS = ['etc/containerd', 'etc/crictl.yaml', 'etc/default/kubelet', 'usr/lib/systemd/system'];
/** Every binary any supported kubeadm looks for on PATH. */
const BINARIES = ['mount', 'losetup', 'cp', 'ip', 'iptables', 'nsenter', 'ebtables', 'ethtool', 'socat', 'tc', 'touch', 'conntrack'];

/** The library functions a version of the checker offers (the oldest API the measurement covers). */
export interface Lib {
  collectSnapshot(options: { root: string }): unknown;
  buildModel(snapshot: never, options: { containerdVersion?: string }): unknown;
  loadChecklist(input?: object): Promise<{ checklist: { containerdVersion?: string } }>;
  evaluate(
    model: never,
    prepared: never,
    options: { date: string },
  ): { results: { id: string; status: string; violations: { message: string; evidence: { file?: string } }[] }[] };
}

/** Deep-merge checklist keys: objects merge, anything else replaces, null removes. */
function merge(into: Record<string, unknown>, from: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...into };
  for (const [k, v] of Object.entries(from)) {
    if (v === null) delete out[k];
    else if (typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' && out[k] !== null)
      out[k] = merge(out[k] as Record<string, unknown>, v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/** Write a node root: the clean fixture's host files, PATH stubs, the published base, then the case's files and edits. */
export function writeCaseRoot(dir: string, base: Base, files: Overlay = {}, edits: Edit[] = []): string {
  rmSync(dir, { recursive: true, force: true });
  cpSync(CLEAN, dir, { recursive: true, verbatimSymlinks: true });
  for (const p of COMPONENT_PATHS) rmSync(join(dir, p), { recursive: true, force: true });
  mkdirSync(join(dir, 'usr/sbin'), { recursive: true });
  for (const b of BINARIES) {
    writeFileSync(join(dir, 'usr/sbin', b), '#!/bin/sh\n');
    chmodSync(join(dir, 'usr/sbin', b), 0o755);
  }
  cpSync(join(PUBLISHED, base.name, 'root'), dir, { recursive: true });
  if (!existsSync(join(dir, 'etc/crictl.yaml'))) cpSync(CRICTL, join(dir, 'etc/crictl.yaml'));
  for (const [path, text] of Object.entries(files)) {
    const host = join(dir, path);
    if (text === null) rmSync(host, { force: true });
    else {
      mkdirSync(dirname(host), { recursive: true });
      writeFileSync(host, text);
    }
  }
  for (const e of edits) {
    const host = join(dir, e.file);
    const text = readFileSync(host, 'utf8');
    if (!text.includes(e.find)) throw new Error(`${base.name}: ${e.file} has no ${JSON.stringify(e.find)}`);
    writeFileSync(host, text.replace(e.find, e.replace));
  }
  return dir;
}

/** Evaluate one node: the failing rules, with their violations. */
export async function evaluateCase(
  lib: Lib,
  dir: string,
  base: Base,
  files?: Overlay,
  edits?: Edit[],
  checklist?: Record<string, unknown>,
): Promise<Map<string, { message: string; evidence: { file?: string } }[]>> {
  const root = writeCaseRoot(dir, base, files, edits);
  const prepared = await lib.loadChecklist(merge({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...base.checklist }, checklist));
  const model = lib.buildModel(lib.collectSnapshot({ root }) as never, { containerdVersion: prepared.checklist.containerdVersion });
  const report = lib.evaluate(model as never, prepared as never, { date: '2026-06-01' });
  return new Map(report.results.filter((r) => r.status === 'fail').map((r) => [r.id, r.violations]));
}

/** The outcome of every case, for a test or a measurement. */
export interface Measurement {
  faults: { base: string; name: string; rule: string; caught: boolean; detail: string }[];
  /** One per base rule (and quiet-variant rule) that must not fail: whether it stayed quiet. */
  quiet: { base: string; name: string; rule: string; quiet: boolean; detail: string }[];
}

/** Run every case; `rules` are the rule ids the version under test has. */
export async function measure(lib: Lib, scratch: string, rules: readonly string[]): Promise<Measurement> {
  const out: Measurement = { faults: [], quiet: [] };
  const byName = new Map(BASES.map((b) => [b.name, b]));
  for (const base of BASES) {
    const failing = await evaluateCase(lib, join(scratch, base.name), base);
    for (const rule of rules.filter((r) => !(r in base.findings))) {
      const v = failing.get(rule);
      out.quiet.push({ base: base.name, name: 'as published', rule, quiet: !v, detail: v ? v.map((x) => x.message).join(' | ') : '' });
    }
    for (const rule of Object.keys(base.findings)) {
      // A finding judged true must be reported: it counts as a planted fault the project planted itself.
      const v = failing.get(rule);
      out.faults.push({ base: base.name, name: `as published: ${rule}`, rule, caught: !!v, detail: v ? v.map((x) => x.message).join(' | ') : 'not reported' });
    }
  }
  for (const f of FAULTS) {
    const failing = await evaluateCase(lib, join(scratch, `fault-${out.faults.length}`), byName.get(f.base)!, f.files, f.edits, f.checklist);
    const v = failing.get(f.rule) ?? [];
    const hit = v.find((x) => (!f.file || x.evidence.file === f.file || x.message.includes(f.file)) && (!f.message || f.message.test(x.message)));
    out.faults.push({
      base: f.base,
      name: f.name,
      rule: f.rule,
      caught: !!hit,
      detail: v.length ? v.map((x) => `${x.evidence.file ?? ''}: ${x.message}`).join(' | ') : 'not reported',
    });
  }
  for (const q of QUIET) {
    const failing = await evaluateCase(lib, join(scratch, `quiet-${out.quiet.length}`), byName.get(q.base)!, q.files, q.edits, q.checklist);
    for (const rule of q.quiet) {
      const v = failing.get(rule);
      out.quiet.push({ base: q.base, name: q.name, rule, quiet: !v, detail: v ? v.map((x) => x.message).join(' | ') : '' });
    }
  }
  return out;
}
