import { parseYamlDocument, positionAt, yamlToData, type ParseError, type Position } from './yaml.js';

/** A field read from a KubeletConfiguration file, with where it was written. */
export interface KubeletField<T> extends Partial<Position> {
  value: T;
}

/** The KubeletConfiguration fields the checklist reads. */
export interface KubeletConfigFields {
  kind?: KubeletField<string>;
  apiVersion?: KubeletField<string>;
  cgroupDriver?: KubeletField<string>;
  containerRuntimeEndpoint?: KubeletField<string>;
  imageServiceEndpoint?: KubeletField<string>;
  resolvConf?: KubeletField<string>;
  failSwapOn?: KubeletField<boolean>;
  swapBehavior?: KubeletField<string>;
}

/** Result of parsing a KubeletConfiguration (config.yaml or instance-config.yaml). */
export type KubeletConfigParse = { ok: true; fields: KubeletConfigFields } | { ok: false; error: ParseError };

const STRING_FIELDS = ['kind', 'apiVersion', 'cgroupDriver', 'containerRuntimeEndpoint', 'imageServiceEndpoint', 'resolvConf'] as const;

/** Parse a KubeletConfiguration YAML file and pick out the fields the checks use. */
export function parseKubeletConfig(text: string): KubeletConfigParse {
  const parsed = parseYamlDocument(text);
  if (!parsed.ok) return parsed;
  const data = yamlToData(parsed.value);
  if (!data.ok) return data;
  const obj = data.value;
  if (obj === null || obj === undefined) return { ok: true, fields: {} };
  if (typeof obj !== 'object' || Array.isArray(obj)) {
    return { ok: false, error: { message: 'the document is not a mapping', line: 1, column: 1 } };
  }
  const record = obj as Record<string, unknown>;
  const fields: KubeletConfigFields = {};
  for (const name of STRING_FIELDS) {
    const v = record[name];
    if (typeof v === 'string') fields[name] = { value: v, ...positionAt(parsed.value, [name]) };
  }
  if (typeof record.failSwapOn === 'boolean') fields.failSwapOn = { value: record.failSwapOn, ...positionAt(parsed.value, ['failSwapOn']) };
  const memorySwap = record.memorySwap as Record<string, unknown> | undefined;
  if (memorySwap && typeof memorySwap.swapBehavior === 'string') {
    fields.swapBehavior = { value: memorySwap.swapBehavior, ...positionAt(parsed.value, ['memorySwap', 'swapBehavior']) };
  }
  return { ok: true, fields };
}

/** One kubelet command-line flag. */
export interface KubeletFlag {
  /** Flag name without dashes, e.g. `container-runtime-endpoint`. */
  name: string;
  /** Value given with `=` or as the next argument; null for a bare flag. */
  value: string | null;
}

/**
 * Split kubelet arguments the way systemd expands an unbraced `$VAR` in
 * `ExecStart=` (at whitespace, no quote processing), then read them as pflag
 * does (see {@link parseKubeletArgv}).
 */
export function parseKubeletArgs(args: string): KubeletFlag[] {
  return parseKubeletArgv(args.split(/\s+/).filter(Boolean)).map(({ name, value }) => ({ name, value }));
}

/**
 * Read kubelet's argument words as pflag does: `--name=value`, or
 * `--name value` when the next word is not a flag. kubelet's flag set folds
 * `_` into `-` in names (`--pod_infra_container_image` is
 * `--pod-infra-container-image`). `index` is the word the flag starts at.
 */
export function parseKubeletArgv(words: readonly string[]): (KubeletFlag & { index: number })[] {
  const flags: (KubeletFlag & { index: number })[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--') || word === '--') continue;
    const eq = word.indexOf('=');
    if (eq >= 0) {
      flags.push({ name: flagName(word.slice(2, eq)), value: word.slice(eq + 1), index: i });
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      flags.push({ name: flagName(word.slice(2)), value: next, index: i });
      i++;
    } else flags.push({ name: flagName(word.slice(2)), value: null, index: i });
  }
  return flags;
}

function flagName(raw: string): string {
  return raw.replaceAll('_', '-');
}
