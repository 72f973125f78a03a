// `preflight snapshot`, `preflight diff` and `preflight inputs`, and reading a
// snapshot file for `check --snapshot`.
import { closeSync, fchmodSync, openSync, readFileSync, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { PreflightError } from '../errors.js';
import { adoptSnapshot, collectSnapshot, remainingInputs } from '../collect/snapshot.js';
import { collectLive } from '../collect/live/index.js';
import { buildModel } from '../model/build.js';
import { evaluate } from '../engine/evaluate.js';
import type { PreparedChecklist } from '../engine/checklist.js';
import { diffNodes, formatDiffText, type DiffSide } from '../diff/diff.js';
import { fleetOutliers, formatFleetText } from '../diff/fleet.js';
import { parseSnapshot, serializeSnapshot } from '../snapshot/serialize.js';
import type { Snapshot } from '../snapshot/types.js';
import { writeAll } from './fd-write.js';

/** Read and check a snapshot file (`check --snapshot`, `diff`, `inputs --snapshot`); secrets are replaced if its writer did not. */
export function readSnapshotFile(file: string, option: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PreflightError('usage', `${option} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a snapshot file' : (err as Error).message}`);
  }
  return adoptSnapshot(parseSnapshot(text, file));
}

/** Options of `preflight snapshot`. */
export interface SnapshotArgs {
  root: string;
  online: boolean;
  output?: string;
}

/** Add the options of `preflight snapshot`. */
export function addSnapshotOptions(y: Argv): Argv {
  return y
    .option('root', { type: 'string', default: '/', describe: 'Root of the node: / on the node itself, or a mounted image or copy' })
    .option('online', { type: 'boolean', default: false, describe: "Add live probes of the running node (with --root / only); the checklist names the images and registries probed" })
    .option('checklist', { type: 'string', describe: "Checklist file (YAML or JSON); default: kubeadm's defaults" })
    .option('output', { type: 'string', describe: 'Write the snapshot to this file (mode 0600) instead of stdout' });
}

/**
 * `preflight snapshot`: everything the checks read, as versioned JSON. Secrets
 * are already a marker and a hash in the snapshot; the file is still written
 * 0600, as it holds the node's configuration.
 */
export async function runSnapshot(args: SnapshotArgs, prepared: PreparedChecklist, now: Date, stdout: (text: string) => void): Promise<void> {
  if (args.online && args.root !== '/') {
    throw new PreflightError('usage', `--online probes the running system, so it needs --root / (got --root ${args.root})`);
  }
  const snapshot = collectSnapshot({ root: args.root, online: args.online });
  if (args.online) await collectLive(snapshot, { checklist: prepared.checklist });
  snapshot.collectedAt = now.toISOString();
  const text = serializeSnapshot(snapshot);
  if (args.output === undefined) return stdout(text);
  writePrivate(args.output, text);
  stdout(`[preflight] Wrote the snapshot of ${args.root} (${Object.keys(snapshot.paths).length} paths) to ${args.output}.\n`);
}

/** Write a file only its owner can read, whether or not it existed before. */
export function writePrivate(file: string, text: string, option = '--output'): void {
  let fd: number;
  try {
    fd = openSync(file, 'w', 0o600);
  } catch (err) {
    throw new PreflightError('output-failed', `${option} ${file}: ${(err as Error).message}`);
  }
  try {
    fchmodSync(fd, 0o600);
    writeAll(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Options of `preflight diff`. */
export interface DiffArgs {
  a: string;
  b: string;
  format: 'text' | 'json';
}

/** Add the positionals and options of `preflight diff`. */
export function addDiffOptions(y: Argv): Argv {
  return y
    .positional('a', { type: 'string', describe: 'A snapshot file or a node root directory', demandOption: true })
    .positional('b', { type: 'string', describe: 'Another snapshot file or node root directory', demandOption: true })
    .option('checklist', { type: 'string', describe: "Checklist file (YAML or JSON); default: kubeadm's defaults" })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' });
}

/** A node of `preflight diff` or `fleet`: a snapshot file, or a directory read as a node root. */
function loadModel(command: string, spec: string, prepared: PreparedChecklist): DiffSide['model'] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(spec).isDirectory();
  } catch {
    throw new PreflightError('usage', `${command} ${spec}: no such file or directory`);
  }
  const snapshot = isDirectory ? collectSnapshot({ root: spec }) : readSnapshotFile(spec, command);
  return buildModel(snapshot, { containerdVersion: prepared.checklist.containerdVersion });
}

function loadSide(spec: string, prepared: PreparedChecklist, date: string): DiffSide {
  const model = loadModel('diff', spec, prepared);
  return { label: spec, model, report: evaluate(model, prepared, { date }) };
}

/** Options of `preflight fleet`. */
export interface FleetArgs {
  nodes: string[];
  format: 'text' | 'json';
}

/** Add the positionals and options of `preflight fleet`. */
export function addFleetOptions(y: Argv): Argv {
  return y
    .positional('nodes', { type: 'string', array: true, describe: 'Snapshot files or node root directories', demandOption: true })
    .option('checklist', { type: 'string', describe: 'Checklist file (its containerdVersion decides how containerd configs are read)' })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' });
}

/**
 * `preflight fleet NODE...`: the nodes whose settings differ from what a
 * strict majority of the nodes has. Exit 0 when none does, 1 when some do.
 */
export function runFleet(args: FleetArgs, prepared: PreparedChecklist, stdout: (text: string) => void): number {
  const fleet = fleetOutliers(args.nodes.map((spec) => ({ label: spec, model: loadModel('fleet', spec, prepared) })));
  stdout(args.format === 'json' ? `${JSON.stringify(fleet, null, 2)}\n` : formatFleetText(fleet));
  return Object.keys(fleet.outliers).length === 0 ? 0 : 1;
}

/**
 * `preflight diff A B`: the settings that differ between two nodes, with their
 * sources, and the rules whose outcome differs. Exit 0 when nothing differs, 1
 * when something does.
 */
export function runDiff(args: DiffArgs, prepared: PreparedChecklist, now: Date, stdout: (text: string) => void): number {
  const date = now.toISOString().slice(0, 10);
  const diff = diffNodes(loadSide(args.a, prepared, date), loadSide(args.b, prepared, date));
  stdout(args.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : formatDiffText(diff));
  return diff.settings.length === 0 && diff.rules.length === 0 ? 0 : 1;
}

/** Options of `preflight inputs`. */
export interface InputsArgs {
  snapshot?: string;
  format: 'text' | 'json';
}

/** Add the options of `preflight inputs`. */
export function addInputsOptions(y: Argv): Argv {
  return y
    .option('snapshot', { type: 'string', describe: 'What has been gathered so far: list only what is still needed' })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' });
}

/**
 * `preflight inputs`: the paths the static collector reads (file contents),
 * lists (directories; glob patterns are matched against listings) and stats.
 * What it needs depends on what it finds (imports, drop-ins, environment
 * files), so a gatherer repeats with `--snapshot` until nothing is left.
 */
export function runInputs(args: InputsArgs, stdout: (text: string) => void): void {
  const gathered = args.snapshot === undefined ? undefined : readSnapshotFile(args.snapshot, '--snapshot');
  const remaining = remainingInputs(gathered);
  if (args.format === 'json') return stdout(`${JSON.stringify({ complete: isEmpty(remaining), ...remaining }, null, 2)}\n`);
  const lines = (['read', 'list', 'stat'] as const).flatMap((kind) => remaining[kind].map((p) => `${kind} ${p}`));
  stdout(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

function isEmpty(r: { read: string[]; list: string[]; stat: string[] }): boolean {
  return r.read.length + r.list.length + r.stat.length === 0;
}
