// `preflight model`: a node's model, so a checklist author can see the paths
// custom rules target, the values on a real node and where each came from.
import type { Argv } from 'yargs';
import { PreflightError } from '../errors.js';
import { assertNodeRoot, collectSnapshot } from '../collect/snapshot.js';
import { buildModel } from '../model/build.js';
import { getAt } from '../model/pointer.js';
import type { PreparedChecklist } from '../engine/checklist.js';
import { checkModelPointer } from '../engine/model-paths.js';
import { redactDeep, type Redactor } from '../parsers/redact.js';
import { readSnapshotFile } from './snapshot-commands.js';

/** Options of `preflight model`. */
export interface ModelArgs {
  root: string;
  snapshot?: string;
  path?: string;
  format: 'text' | 'json';
}

/** Add the options of `preflight model`. */
export function addModelOptions(y: Argv): Argv {
  return y
    .option('root', { type: 'string', default: '/', describe: 'Root of the node: / on the node itself, or a mounted image or copy' })
    .option('snapshot', { type: 'string', describe: 'Model a file written by `preflight snapshot` instead of reading a root' })
    .option('checklist', { type: 'string', describe: 'Checklist file: its site checks and custom rules decide what else is read' })
    .option('path', { type: 'string', describe: 'Only the part under this model path (a JSON Pointer such as /containerd/cri)' })
    .option('format', {
      choices: ['text', 'json'] as const,
      default: 'text' as const,
      describe: 'text: one line per value with its source; json: the model itself',
    });
}

/** Longest value shown on one text line; the JSON format has everything. */
const MAX_TEXT = 160;

const escapeToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function where(v: Record<string, unknown>): string | undefined {
  const source = isObject(v.source) ? v.source : v;
  if (typeof source.file === 'string') return `${source.file}${typeof source.line === 'number' ? `:${source.line}` : ''}`;
  return typeof source.default === 'string' ? source.default : undefined;
}

function scalar(v: unknown): string {
  const text = JSON.stringify(v);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/**
 * The model as lines `PATH = VALUE`, one per value. A value with a source
 * (`{ value, source }`, an environment variable's `{ value, file, line }`)
 * is one line with `(from FILE:LINE)`.
 */
export function modelLines(value: unknown, pointer: string): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`${pointer} = []`] : value.flatMap((v, i) => modelLines(v, `${pointer}/${i}`));
  if (!isObject(value)) return [`${pointer} = ${scalar(value)}`];
  const keys = Object.keys(value);
  if (keys.length === 0) return [`${pointer} = {}`];
  const sourced = 'value' in value && (isObject(value.source) || typeof value.file === 'string');
  const from = sourced ? where(value) : undefined;
  return keys.flatMap((k) => {
    if (sourced && (k === 'source' || ((k === 'file' || k === 'line') && !isObject(value.source)))) return [];
    const lines = modelLines(value[k], `${pointer}/${escapeToken(k)}`);
    return sourced && k === 'value' && from !== undefined && lines.length === 1 ? [`${lines[0]!}  (from ${from})`] : lines;
  });
}

/** `preflight model`: collect (or read) a node and print its model, secrets redacted. */
export function runModel(args: ModelArgs, prepared: PreparedChecklist, stdout: (text: string) => void, redactor?: Redactor): void {
  if (args.path !== undefined) {
    const check = checkModelPointer(args.path);
    if (!check.ok) throw new PreflightError('usage', `--path ${args.path}: ${check.problem}${check.suggestion ? ` (did you mean ${check.suggestion}?)` : ''}`);
  }
  if (args.snapshot !== undefined && args.root !== '/')
    throw new PreflightError('usage', `--snapshot ${args.snapshot}: models what the snapshot recorded, so it takes no --root`);
  let snapshot;
  if (args.snapshot === undefined) {
    snapshot = collectSnapshot({ root: args.root, redactor, ...prepared.modelOptions });
    assertNodeRoot(snapshot);
  } else snapshot = readSnapshotFile(args.snapshot, '--snapshot', redactor);
  const model = buildModel(snapshot, prepared.modelOptions);
  const pointer = args.path ?? '';
  // Model values are raw (a proxy URL may hold a password); what is printed is redacted. JSON has no undefined.
  const found = getAt(model, pointer);
  const value = found === undefined ? undefined : redactDeep(JSON.parse(JSON.stringify(found)) as unknown);
  if (args.format === 'json') return stdout(`${JSON.stringify(value ?? null, null, 2)}\n`);
  if (value === undefined) return stdout(`# ${pointer} is a valid model path, but this node has nothing there.\n`);
  const header = `# The node model of ${snapshot.root}: PATH = VALUE (from where it was set). Custom rules target these paths; docs/node-model.md describes them.`;
  stdout(`${[header, ...modelLines(value, pointer)].join('\n')}\n`);
}
