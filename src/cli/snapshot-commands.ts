// `preflight snapshot`, `preflight diff` and `preflight inputs`, and reading a
// snapshot file for `check --snapshot`.
import { statSync } from 'node:fs';
import type { Argv } from 'yargs';
import { PreflightError } from '../errors.js';
import { adoptSnapshot, assertNodeRoot, collectSnapshot, remainingInputs } from '../collect/snapshot.js';
import { collectLive } from '../collect/live/index.js';
import { buildModel } from '../model/build.js';
import { checkKubernetesVersion, evaluate } from '../engine/evaluate.js';
import type { PreparedChecklist } from '../engine/checklist.js';
import { diffNodes, formatDiffText, type DiffSide } from '../diff/diff.js';
import { fleetOutliers, formatFleetText } from '../diff/fleet.js';
import { formatFleetHtml } from '../diff/fleet-html.js';
import { parseSnapshot, serializeSnapshot } from '../snapshot/serialize.js';
import type { Snapshot } from '../snapshot/types.js';
import type { Redactor } from '../parsers/redact.js';
import { checkOutputs, INPUT_CAPS, presentPaths, readInputFile, writeOutput } from './files.js';

/** Read and check a snapshot file (`check --snapshot`, `diff`, `fleet`, `inputs --snapshot`): a regular file under the size cap, its secrets replaced whatever it claims. */
export function readSnapshotFile(file: string, option: string, redactor?: Redactor): Snapshot {
  const text = readInputFile(file, option, INPUT_CAPS.snapshot).toString('utf8');
  return adoptSnapshot(parseSnapshot(text, file), redactor);
}

const KEY_OPTION = {
  type: 'string',
  describe: 'Key (16+ bytes) for redaction markers: nodes read with the same key compare their secrets (else PREFLIGHT_REDACTION_KEY)',
} as const;

/** Options of `preflight snapshot`. */
export interface SnapshotArgs {
  root: string;
  online: boolean;
  output?: string;
  kubernetesVersion?: string;
}

/** --kubernetes-version, where a command judges or probes for a version. */
const KUBERNETES_VERSION_OPTION = {
  type: 'string',
  describe: "Target Kubernetes version (1.Y); default: the checklist's, else the node's kubeadm or kubelet package, else the newest known",
} as const;

/** Add the options of `preflight snapshot`. */
export function addSnapshotOptions(y: Argv): Argv {
  return y
    .option('root', { type: 'string', default: '/', describe: 'Root of the node: / on the node itself, or a mounted image or copy' })
    .option('online', {
      type: 'boolean',
      default: false,
      describe: 'Add live probes of the running node (with --root / only); the checklist names the images and registries probed',
    })
    .option('checklist', {
      type: 'string',
      describe: "Checklist file (YAML or JSON); default: kubeadm's defaults. Its site checks and custom rules decide what else is read",
    })
    .option('output', { type: 'string', describe: 'Write the snapshot to this file (mode 0600) instead of stdout' })
    .option('kubernetes-version', {
      ...KUBERNETES_VERSION_OPTION,
      describe: 'With --online: the Kubernetes version whose sandbox image is probed (default as for check)',
    })
    .option('redaction-key-file', KEY_OPTION);
}

/**
 * `preflight snapshot`: everything the checks read, as versioned JSON. Secrets
 * are already a marker and a hash in the snapshot; the file is still written
 * 0600, as it holds the node's configuration.
 */
export async function runSnapshot(
  args: SnapshotArgs,
  prepared: PreparedChecklist,
  now: Date,
  stdout: (text: string) => void,
  redactor?: Redactor,
): Promise<void> {
  if (args.online && args.root !== '/') {
    throw new PreflightError('usage', `--online probes the running system, so it needs --root / (got --root ${args.root})`);
  }
  const { units, site } = prepared.modelOptions;
  const outputs = [{ option: '--output', file: args.output }];
  checkOutputs(args.root, outputs);
  if (args.kubernetesVersion !== undefined) checkKubernetesVersion(args.kubernetesVersion, prepared.checklist);
  const snapshot = collectSnapshot({ root: args.root, online: args.online, redactor, units, site });
  assertNodeRoot(snapshot);
  checkOutputs(args.root, outputs, presentPaths(snapshot));
  if (args.online)
    await collectLive(snapshot, {
      checklist: prepared.checklist,
      redactor,
      ...(args.kubernetesVersion !== undefined ? { kubernetesVersion: args.kubernetesVersion } : {}),
    });
  snapshot.collectedAt = now.toISOString();
  const text = serializeSnapshot(snapshot);
  if (args.output === undefined) return stdout(text);
  writeOutput(args.output, text, '--output', { private: true });
  stdout(`[preflight] Wrote the snapshot of ${args.root} (${Object.keys(snapshot.paths).length} paths) to ${args.output}.\n`);
}

/** Options of `preflight diff`. */
export interface DiffArgs {
  a: string;
  b: string;
  format: 'text' | 'json';
  kubernetesVersion?: string;
}

/** Add the positionals and options of `preflight diff`. */
export function addDiffOptions(y: Argv): Argv {
  return y
    .positional('a', { type: 'string', describe: 'A snapshot file or a node root directory', demandOption: true })
    .positional('b', { type: 'string', describe: 'Another snapshot file or node root directory', demandOption: true })
    .option('checklist', { type: 'string', describe: "Checklist file (YAML or JSON); default: kubeadm's defaults" })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
    .option('kubernetes-version', KUBERNETES_VERSION_OPTION)
    .option('redaction-key-file', KEY_OPTION);
}

/** A node of `preflight diff` or `fleet`: a snapshot file, or a directory read as a node root; each gets its own redactor (made with the run's key). */
function loadModel(command: string, spec: string, prepared: PreparedChecklist, redactor: () => Redactor | undefined): DiffSide['model'] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(spec).isDirectory();
  } catch {
    throw new PreflightError('usage', `${command} ${spec}: no such file or directory`);
  }
  let snapshot: Snapshot;
  if (isDirectory) {
    snapshot = collectSnapshot({ root: spec, redactor: redactor(), ...prepared.modelOptions });
    assertNodeRoot(snapshot);
  } else snapshot = readSnapshotFile(spec, command, redactor());
  return buildModel(snapshot, prepared.modelOptions);
}

function loadSide(
  spec: string,
  prepared: PreparedChecklist,
  date: string,
  kubernetesVersion: string | undefined,
  redactor: () => Redactor | undefined,
): DiffSide {
  const model = loadModel('diff', spec, prepared, redactor);
  return { label: spec, model, report: evaluate(model, prepared, { date, ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}) }) };
}

/** Options of `preflight fleet`. */
export interface FleetArgs {
  nodes: string[];
  format: 'text' | 'json' | 'html';
  output?: string;
}

/** Add the positionals and options of `preflight fleet`. */
export function addFleetOptions(y: Argv): Argv {
  return y
    .positional('nodes', { type: 'string', array: true, describe: 'Snapshot files or node root directories', demandOption: true })
    .option('checklist', { type: 'string', describe: 'Checklist file (its containerdVersion decides how containerd configs are read)' })
    .option('format', {
      choices: ['text', 'json', 'html'] as const,
      default: 'text' as const,
      describe: 'Output format; html is one self-contained page: nodes × rules coloured by outcome, findings and fixes, the settings that differ',
    })
    .option('output', { type: 'string', describe: 'Write to this file instead of stdout (0600 when it holds a redaction marker)' })
    .option('redaction-key-file', KEY_OPTION)
    .epilog(FLEET_EPILOG);
}

const FLEET_EPILOG = `Exit codes:
  0  every compared setting has the same value on all nodes
  1  some setting differs: a node differs from the majority, or nodes differ with no majority
  2  could not evaluate: bad usage, invalid checklist, unreadable node, internal error`;

/**
 * `preflight fleet NODE...`: the settings that are not the same on all nodes:
 * the nodes that differ from a strict majority, and the settings without one.
 * Exit 0 when every setting agrees, 1 when one does not.
 */
export function runFleet(
  args: FleetArgs,
  prepared: PreparedChecklist,
  stdout: (text: string) => void,
  redactor: () => Redactor | undefined,
  now: Date,
): number {
  checkOutputs(undefined, [{ option: '--output', file: args.output }]);
  const nodes = args.nodes.map((spec) => ({ label: spec, model: loadModel('fleet', spec, prepared, redactor) }));
  const fleet = fleetOutliers(nodes);
  let text: string;
  if (args.format === 'html') {
    // The page shows every node's findings: each node is judged as `preflight check` judges it.
    const date = now.toISOString().slice(0, 10);
    text = formatFleetHtml(
      fleet,
      nodes.map(({ label, model }) => ({ label, report: evaluate(model, prepared, { date }) })),
    );
  } else text = args.format === 'json' ? `${JSON.stringify(fleet, null, 2)}\n` : formatFleetText(fleet);
  if (args.output === undefined) stdout(text);
  else {
    writeOutput(args.output, text, '--output');
    stdout(`[preflight] Wrote the fleet ${args.format === 'html' ? 'page' : 'comparison'} of ${nodes.length} nodes to ${args.output}.\n`);
  }
  return Object.keys(fleet.outliers).length === 0 && fleet.split.length === 0 ? 0 : 1;
}

/**
 * `preflight diff A B`: the settings that differ between two nodes, with their
 * sources, and the rules whose outcome differs. Exit 0 when nothing differs, 1
 * when something does.
 */
export function runDiff(args: DiffArgs, prepared: PreparedChecklist, now: Date, stdout: (text: string) => void, redactor: () => Redactor | undefined): number {
  const date = now.toISOString().slice(0, 10);
  if (args.kubernetesVersion !== undefined) checkKubernetesVersion(args.kubernetesVersion, prepared.checklist);
  const diff = diffNodes(
    loadSide(args.a, prepared, date, args.kubernetesVersion, redactor),
    loadSide(args.b, prepared, date, args.kubernetesVersion, redactor),
  );
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
    .option('checklist', { type: 'string', describe: 'Checklist file: also list what its site checks and custom rules read' })
    .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' });
}

/**
 * `preflight inputs`: the paths the static collector reads (file contents),
 * lists (directories; glob patterns are matched against listings) and stats.
 * What it needs depends on what it finds (imports, drop-ins, environment
 * files), so a gatherer repeats with `--snapshot` until nothing is left.
 */
export function runInputs(args: InputsArgs, prepared: PreparedChecklist, stdout: (text: string) => void): void {
  const remaining = inputsStillNeeded(args.snapshot === undefined ? undefined : readSnapshotFile(args.snapshot, '--snapshot'), prepared);
  if (args.format === 'json') return stdout(`${JSON.stringify(remaining, null, 2)}\n`);
  const lines = (['read', 'list', 'stat'] as const).flatMap((kind) => remaining[kind].map((p) => `${kind} ${p}`));
  stdout(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
}

/**
 * `check --snapshot FILE --gather`: a gatherer's rounds in one run. While the snapshot lacks what the
 * checks read, one JSON line on stdout says what (as `inputs --format json`) and one JSON line on stdin,
 * `{"paths": {...}}`, brings those records; after a `{"complete": true, ...}` line the check goes on. The
 * records go through the same checks and redaction as a snapshot file's.
 */
export async function gatherSnapshot(
  file: string,
  prepared: PreparedChecklist,
  lines: AsyncIterator<string>,
  stdout: (text: string) => void,
  redactor?: Redactor,
): Promise<Snapshot> {
  const raw = parseSnapshot(readInputFile(file, '--snapshot', INPUT_CAPS.snapshot).toString('utf8'), file);
  let snapshot = adoptSnapshot(raw, redactor);
  let needed = inputsStillNeeded(snapshot, prepared);
  stdout(`${JSON.stringify(needed)}\n`);
  for (let round = 1; !needed.complete; round++) {
    const line = await lines.next();
    const where = `--gather: line ${round} of stdin`;
    if (line.done === true) {
      const missing = needed.read.length + needed.list.length + needed.stat.length;
      throw new PreflightError('snapshot-invalid', `--gather: stdin ended while ${file} still lacks ${missing} path(s) the checks read`);
    }
    let more: unknown;
    try {
      more = JSON.parse(line.value);
    } catch {
      throw new PreflightError('snapshot-invalid', `${where}: not JSON`);
    }
    // The records are checked as a snapshot's are, and the whole is redacted again from the raw text.
    raw.paths = { ...raw.paths, ...parseSnapshot(JSON.stringify({ ...raw, paths: (more as { paths?: unknown } | null)?.paths ?? null }), where).paths };
    snapshot = adoptSnapshot(raw, redactor);
    needed = inputsStillNeeded(snapshot, prepared);
    stdout(`${JSON.stringify(needed)}\n`);
  }
  return snapshot;
}

/** What the static checks (and the checklist's site checks and custom rules) still need beyond a snapshot: `inputs --format json`. */
export function inputsStillNeeded(
  gathered: Snapshot | undefined,
  prepared: PreparedChecklist,
): { complete: boolean; read: string[]; list: string[]; stat: string[] } {
  const { units, site } = prepared.modelOptions;
  const remaining = remainingInputs(gathered, { units, site });
  return { complete: remaining.read.length + remaining.list.length + remaining.stat.length === 0, ...remaining };
}
