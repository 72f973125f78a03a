import { parseArgs } from 'node:util';
import type { Argv, Options } from 'yargs';

/** Report formats of `preflight check`. */
export const FORMATS = ['text', 'json', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** The parsed options of `preflight check`. */
export interface CheckArgs {
  root: string;
  checklist?: string;
  strict: boolean;
  online: boolean;
  pull: boolean;
  format: Format;
  output?: string;
  ignore: string[];
  only: string[];
  verbose: boolean;
  color: 'auto' | 'always' | 'never';
  date?: string;
  snapshot?: string;
  saveSnapshot?: string;
  gather: boolean;
  kubernetesVersion?: string;
  redactionKeyFile?: string;
}

interface OptionSpec {
  type: 'string' | 'boolean';
  describe: string;
  default?: string | boolean | string[];
  choices?: readonly string[];
  array?: boolean;
}

/**
 * The options of `preflight check`, in one table: yargs is configured from it,
 * and so is the fast path that parses plain invocations without loading yargs.
 */
export const CHECK_OPTIONS: Readonly<Record<keyof CheckArgs, OptionSpec>> = {
  root: { type: 'string', default: '/', describe: 'Root of the node: / on the node itself, or a mounted image or copy' },
  checklist: { type: 'string', describe: "Checklist file (YAML or JSON); default: kubeadm's defaults" },
  strict: { type: 'boolean', default: false, describe: 'Failed warnings block too (exit 1)' },
  online: { type: 'boolean', default: false, describe: 'Add live probes of the running node (with --root / only)' },
  pull: { type: 'boolean', default: false, describe: 'With --online: pull missing critical images through the CRI (writes to the image store)' },
  format: { type: 'string', choices: FORMATS, default: 'text', describe: 'Report format' },
  output: { type: 'string', describe: 'Write the report to a file; stdout gets only the summary' },
  ignore: { type: 'string', array: true, default: [], describe: 'Skip rules by id or kubeadm check name (repeat or comma-separate)' },
  only: { type: 'string', array: true, default: [], describe: 'Evaluate only these rule ids or domains (e.g. containerd,crictl)' },
  verbose: { type: 'boolean', default: false, describe: 'Text: also list passed, not applicable and skipped rules' },
  color: { type: 'string', choices: ['auto', 'always', 'never'], default: 'auto', describe: 'Colour in text output' },
  date: { type: 'string', describe: 'Judge waiver expiry as of this day (YYYY-MM-DD)' },
  snapshot: { type: 'string', describe: 'Evaluate a file written by `preflight snapshot` instead of reading a root' },
  saveSnapshot: { type: 'string', describe: 'Also write the snapshot that was checked to this file (mode 0600)' },
  gather: {
    type: 'boolean',
    default: false,
    describe:
      'With --snapshot: while it lacks what the checks read, print what is missing as one JSON line (as preflight inputs --format json) and read one line {"paths": {...}} of records from stdin; then check',
  },
  kubernetesVersion: {
    type: 'string',
    describe: "Target Kubernetes version (1.Y); default: the checklist's, else the node's kubeadm or kubelet package, else the newest known",
  },
  redactionKeyFile: {
    type: 'string',
    describe:
      'Key (16+ bytes) for redaction markers: nodes checked with the same key compare their secrets without showing them (else PREFLIGHT_REDACTION_KEY)',
  },
};

/** The command-line spelling of an option: saveSnapshot is --save-snapshot (yargs also sets the camelCase key). */
const flag = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Add the check options to a yargs builder. */
export function addCheckOptions(y: Argv): Argv {
  for (const [name, spec] of Object.entries(CHECK_OPTIONS)) {
    const o: Options = { type: spec.type, describe: spec.describe };
    if (spec.default !== undefined) o.default = spec.default;
    if (spec.choices) o.choices = [...spec.choices];
    if (spec.array) o.array = true;
    // yargs turns a repeated scalar option into an array; keep the last value, as node's parseArgs does.
    else o.coerce = (v: unknown): unknown => (Array.isArray(v) ? (v as unknown[]).at(-1) : v);
    y.option(flag(name), o);
  }
  return y;
}

/**
 * Parse a plain `preflight [check] [--option value ...]` invocation with Node's
 * own parser, so the common run does not load yargs. Anything else (help,
 * version, other commands, unknown options, invalid choices, `--no-`
 * negation, missing values, several values after one array option) returns
 * undefined, and yargs parses the arguments and produces its usual help and
 * error messages. A differential test keeps the two parsers in agreement.
 */
export function parseCheckFast(argv: readonly string[]): CheckArgs | undefined {
  const options = Object.fromEntries(
    Object.entries(CHECK_OPTIONS).map(([name, spec]) => [flag(name), { type: spec.type, multiple: spec.array === true }]),
  ) as Parameters<typeof parseArgs>[0] extends infer P ? (P extends { options?: infer O } ? O : never) : never;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch {
    return undefined;
  }
  if (parsed.positionals.length > 1 || (parsed.positionals.length === 1 && parsed.positionals[0] !== 'check')) return undefined;
  const args: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CHECK_OPTIONS)) {
    const value = parsed.values[flag(name)] ?? spec.default;
    if (spec.choices && !spec.choices.includes(value as string)) return undefined;
    if (value !== undefined) args[name] = Array.isArray(value) ? [...value] : value;
  }
  return args as unknown as CheckArgs;
}
