import { createInterface } from 'node:readline';
import { isTerminal, writeAll } from './fd-write.js';
import type { Argv } from 'yargs';
import { PreflightError } from '../errors.js';
import { assertNodeRoot, collectSnapshot } from '../collect/snapshot.js';
import { collectLive } from '../collect/live/index.js';
import { buildModel } from '../model/build.js';
import { loadChecklist, type PreparedChecklist } from '../engine/checklist.js';
import { checkKubernetesVersion, evaluate } from '../engine/evaluate.js';
import type { Report } from '../engine/types.js';
import { formatText, TEXT_WIDTH, type TextOptions } from '../report/text.js';
import { formatJson } from '../report/json.js';
import { formatJunit } from '../report/junit.js';
import { formatSarif } from '../report/sarif.js';
import { TOOL_VERSION } from '../version.js';
import { formatRule, formatRuleList, findRule } from './rules-command.js';
import {
  addDiffOptions,
  addFleetOptions,
  addInputsOptions,
  addSnapshotOptions,
  readSnapshotFile,
  runDiff,
  runFleet,
  gatherSnapshot,
  runInputs,
  runSnapshot,
  type DiffArgs,
  type FleetArgs,
  type InputsArgs,
  type SnapshotArgs,
} from './snapshot-commands.js';
import { checkOutputs, INPUT_CAPS, presentPaths, readInputFile, redactorFor, writeOutput } from './files.js';
import { serializeSnapshot } from '../snapshot/serialize.js';
import { addCheckOptions, parseCheckFast, type CheckArgs, type Format } from './options.js';
import { addModelOptions, runModel, type ModelArgs } from './model-command.js';
import { load as loadYargs } from '../lazy/yargs.js';

/** Exit codes; the only place they are decided is this module. */
export const ExitCode = { Ready: 0, Blocking: 1, CouldNotEvaluate: 2 } as const;

/** What the CLI needs from its process; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (for colour, and the width the text report wraps at). */
  isTTY: boolean;
  /** The terminal's width, asked only when stdout is one. */
  columns?: () => number | undefined;
  env: Record<string, string | undefined>;
  now: () => Date;
  /** Lines of stdin, read only by `check --gather`. */
  stdinLines?: () => AsyncIterator<string>;
}

/** No stdin: `check --gather` then ends at its first question. */
const NO_INPUT: AsyncIterator<string> = { next: () => Promise.resolve({ done: true, value: undefined }) };

/** The real process's I/O. */
export function processIo(): CliIo {
  return {
    stdout: (t) => writeAll(1, t),
    stderr: (t) => writeAll(2, t),
    isTTY: isTerminal(1),
    // process.stdout is created on first use; only a terminal needs it (for its width).
    columns: () => process.stdout.columns,
    env: process.env,
    now: () => new Date(),
    stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity })[Symbol.asyncIterator](),
  };
}

const EPILOG = `Exit codes:
  0  ready: no blocking finding
  1  blocking findings: failed errors (and failed warnings with --strict)
  2  could not evaluate: bad usage, invalid checklist, unreadable root, internal error

Rule ids and kubeadm check names (e.g. Swap, FileExisting-socat) are accepted by --ignore;
\`preflight rules\` lists the catalogue, \`preflight rules ID\` explains one rule.
Colour is used only on a terminal and never when NO_COLOR is set.`;

/** The full CLI definition; yargs is loaded only when the fast path declines. Exported for its tests. */
export function buildParser(): Argv {
  return loadYargs()()
    .scriptName('preflight')
    .usage("$0 [check] [options]\n\nCheck a node's runtime, systemd, kubelet and host setup before kubeadm join.")
    .command(['check', '$0'], 'Check a node against the checklist (the default command)', addCheckOptions)
    .command('rules [id]', 'List the rule catalogue, or explain one rule (id or kubeadm name)', (y) =>
      y
        .positional('id', { type: 'string', describe: 'A rule id or kubeadm check name' })
        .option('format', { choices: ['text', 'json'] as const, default: 'text' }),
    )
    .command('snapshot', 'Record everything the checks read from a node, as JSON (secrets replaced)', addSnapshotOptions)
    .command('diff <a> <b>', 'Compare two nodes (snapshot files or root directories): settings and rule outcomes that differ', addDiffOptions)
    .command('fleet <nodes..>', 'Compare many nodes (snapshot files or root directories): the settings where a node differs from most', addFleetOptions)
    .command('inputs', 'List what the static checks read (paths to read, list and stat), for another gatherer', addInputsOptions)
    .command('model', "Print a node's model: every path custom rules can target, its value and where it came from (secrets redacted)", addModelOptions)
    .example('$0 --strict', 'Check this node; warnings block too')
    .example('$0 --root /mnt/image --format json', 'Check a mounted image, JSON report')
    .example('$0 --only containerd,crictl --ignore Swap', 'Some domains only, skipping a check')
    .example('$0 rules containerd/systemd-cgroup', 'Why a rule exists and how to fix it')
    .example('$0 snapshot --output node3.json', 'Record this node, to check or compare elsewhere')
    .example('$0 diff node2.json node3.json', 'What differs between a healthy and a broken node')
    .example('$0 model --path /containerd/cri', 'The values custom rules see, and their files')
    .epilog(EPILOG)
    .strict()
    .exitProcess(false)
    .help()
    .alias('help', 'h')
    .version(TOOL_VERSION)
    .wrap(110)
    .fail((message, err) => {
      throw err ?? new PreflightError('usage', message.replace(/\s*\n\s*/g, ' '));
    });
}

function render(report: Report, format: Format, text: TextOptions): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report);
    case 'sarif':
      return formatSarif(report);
    case 'text':
      return formatText(report, text);
  }
}

/** The checklist file given with --checklist (a regular file under the size cap), or the embedded default. */
async function readChecklist(file: string | undefined): Promise<PreparedChecklist> {
  const text = file === undefined ? undefined : readInputFile(file, '--checklist', INPUT_CAPS.checklist).toString('utf8');
  return loadChecklist(text, { source: file });
}

/** `{ kubernetesVersion }` when --kubernetes-version was given, for spreading into options. */
export const versionOption = (v: string | undefined): { kubernetesVersion?: string } => (v === undefined ? {} : { kubernetesVersion: v });

/** Whether a YYYY-MM-DD string names a day of the calendar (year 1 to 9999). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const last = new Date(Date.UTC(2000, mo, 0)).getUTCDate() - (mo === 2 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 1 : 0);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= last;
}

/** An empty --root would check the current directory; say so instead. */
export function checkRoot(root: string): void {
  if (root === '') throw new PreflightError('usage', "--root: an empty path; give the node's root directory (/ on the node itself)");
}

async function runCheck(args: CheckArgs, io: CliIo): Promise<number> {
  const started = io.now();
  if (args.pull && !args.online) throw new PreflightError('usage', '--pull pulls through the running containerd, so it needs --online');
  if (args.online && args.root !== '/') {
    throw new PreflightError('usage', `--online probes the running system, so it needs --root / (got --root ${args.root})`);
  }
  if (args.date !== undefined && !isCalendarDate(args.date)) {
    throw new PreflightError('usage', `--date ${args.date}: not a calendar date (expected YYYY-MM-DD)`);
  }
  if (args.snapshot !== undefined && (args.root !== '/' || args.online)) {
    throw new PreflightError('usage', `--snapshot ${args.snapshot}: evaluates what the snapshot recorded, so it takes no --root or --online`);
  }
  checkRoot(args.root);
  if (args.gather && args.snapshot === undefined) throw new PreflightError('usage', '--gather completes a --snapshot from stdin, so it needs --snapshot');
  const outputs = [
    { option: '--output', file: args.output },
    { option: '--save-snapshot', file: args.saveSnapshot },
  ];
  checkOutputs(args.snapshot === undefined ? args.root : undefined, outputs);
  const redactor = redactorFor(args.redactionKeyFile, io.env);
  const prepared = await readChecklist(args.checklist);
  if (args.kubernetesVersion !== undefined) checkKubernetesVersion(args.kubernetesVersion, prepared.checklist);
  const { units, site } = prepared.modelOptions;
  let snapshot;
  if (args.snapshot === undefined) {
    snapshot = collectSnapshot({ root: args.root, online: args.online, redactor, units, site });
    assertNodeRoot(snapshot);
    // On the node itself every path is inside the root: refuse only to replace a file the checks read.
    checkOutputs(args.root, outputs, presentPaths(snapshot));
  } else if (args.gather) snapshot = await gatherSnapshot(args.snapshot, prepared, io.stdinLines?.() ?? NO_INPUT, io.stdout, redactor);
  else snapshot = readSnapshotFile(args.snapshot, '--snapshot', redactor);
  if (args.online) await collectLive(snapshot, { checklist: prepared.checklist, pull: args.pull, redactor, ...versionOption(args.kubernetesVersion) });
  // The containerd release (in modelOptions) comes from the checklist, else the node's package, else the running daemon or binary (--online), else the config.
  const model = buildModel(snapshot, prepared.modelOptions);
  const report = evaluate(model, prepared, {
    strict: args.strict,
    ignore: args.ignore,
    only: args.only,
    date: args.date ?? started.toISOString().slice(0, 10),
    ...versionOption(args.kubernetesVersion),
  });
  report.timing = { startedAt: started.toISOString(), durationMs: io.now().getTime() - started.getTime() };
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const color = args.color === 'always' || (args.color === 'auto' && io.isTTY && !noColor && args.output === undefined);
  // A terminal is as wide as it says; anything else (a file, a pipe, a log) gets TEXT_WIDTH columns.
  const width = (io.isTTY && args.output === undefined && io.columns?.()) || TEXT_WIDTH;
  const text = render(report, args.format, { color: color && args.output === undefined, verbose: args.verbose, width });
  // Written only now that the run has a verdict: a run that exits 2 leaves no report and no snapshot behind.
  if (args.output !== undefined) writeOutput(args.output, text, '--output');
  if (args.saveSnapshot !== undefined) writeOutput(args.saveSnapshot, serializeSnapshot(snapshot), '--save-snapshot', { private: true });
  if (args.output !== undefined) {
    // The summary line, unwrapped: it is all that stdout gets.
    const lines = formatText(report, { color, width: Infinity }).trimEnd().split('\n');
    io.stdout(`${lines[lines.length - 1]}\n`);
  } else io.stdout(text);
  return report.summary.exitCode;
}

/**
 * Run the CLI with the given arguments (without `node` and the script) and
 * return the exit code. Errors become one line on stderr and exit code 2.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    const fast = parseCheckFast(argv);
    if (fast) return await runCheck(fast, io);
    let helpText: string | undefined;
    const args = (await buildParser().parseAsync([...argv], {}, (_err, _argv, output) => {
      if (output) helpText = output;
    })) as unknown as Record<string, unknown> & { _: (string | number)[] };
    if (helpText !== undefined) {
      io.stdout(`${helpText.trimEnd()}\n`);
      return ExitCode.Ready;
    }
    if (args._[0] === 'rules') {
      const id = args.id as string | undefined;
      const format = args.format as 'text' | 'json';
      if (id === undefined) {
        io.stdout(formatRuleList(format));
        return ExitCode.Ready;
      }
      io.stdout(formatRule(findRule(id), format));
      return ExitCode.Ready;
    }
    const redactor = (): ReturnType<typeof redactorFor> => redactorFor(args.redactionKeyFile as string | undefined, io.env);
    if (args._[0] === 'snapshot') {
      checkRoot(args.root as string);
      await runSnapshot(args as unknown as SnapshotArgs, await readChecklist(args.checklist as string | undefined), io.now(), io.stdout, redactor());
      return ExitCode.Ready;
    }
    if (args._[0] === 'diff')
      return runDiff(args as unknown as DiffArgs, await readChecklist(args.checklist as string | undefined), io.now(), io.stdout, redactor);
    if (args._[0] === 'fleet')
      return runFleet(args as unknown as FleetArgs, await readChecklist(args.checklist as string | undefined), io.stdout, redactor, io.now());
    if (args._[0] === 'inputs') {
      runInputs(args as unknown as InputsArgs, await readChecklist(args.checklist as string | undefined), io.stdout);
      return ExitCode.Ready;
    }
    if (args._[0] === 'model') {
      checkRoot(args.root as string);
      runModel(args as unknown as ModelArgs, await readChecklist(args.checklist as string | undefined), io.stdout, redactor());
      return ExitCode.Ready;
    }
    return await runCheck(args as unknown as CheckArgs, io);
  } catch (err) {
    io.stderr(describeFailure(err, io.env));
    return ExitCode.CouldNotEvaluate;
  }
}

/** One line per problem; a stack trace only when PREFLIGHT_DEBUG is set. */
function describeFailure(err: unknown, env: Record<string, string | undefined>): string {
  if (err instanceof PreflightError) {
    const lines = err.problems.length > 0 ? err.problems : [err.message];
    // With PREFLIGHT_DEBUG, the stack of what went wrong underneath (or of the error itself).
    const debug = env.PREFLIGHT_DEBUG ? `${((err.cause as Error | undefined) ?? err).stack}\n` : '';
    return lines.map((l) => `preflight: ${l}\n`).join('') + debug;
  }
  const e = err as Error;
  const debug = env.PREFLIGHT_DEBUG ? `${e.stack}\n` : '';
  return `preflight: internal error: ${e.message} (kube-preflight ${TOOL_VERSION}; set PREFLIGHT_DEBUG=1 for a stack trace)\n${debug}`;
}
