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
 * kubelet's boolean flags (kubelet --help, 1.27-1.37, and the removed ones
 * no-removed-flags names): pflag gives them no separate value, so
 * `--fail-swap-on false` is the flag and a stray word, not false.
 */
export const KUBELET_BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  'add-dir-header',
  'alsologtostderr',
  'anonymous-auth',
  'cgroups-per-qos',
  'enable-cadvisor-json-endpoints',
  'enable-controller-attach-detach',
  'enable-debugging-handlers',
  'enable-load-reader',
  'enable-server',
  'exit-on-lock-contention',
  'experimental-check-node-capabilities-before-mount',
  'experimental-kernel-memcg-notification',
  'fail-cgroupv1',
  'fail-swap-on',
  'help',
  'keep-terminated-pod-volumes',
  'kernel-memcg-notification',
  'local-storage-capacity-isolation',
  'logtostderr',
  'make-iptables-util-chains',
  'one-output',
  'protect-kernel-defaults',
  'really-crash-for-testing',
  'register-node',
  'register-schedulable',
  'rotate-certificates',
  'rotate-server-certificates',
  'runonce',
  'seccomp-default',
  'serialize-image-pulls',
  'skip-headers',
  'skip-log-headers',
]);

/**
 * Read kubelet's argument words as pflag does: `--name=value`, or
 * `--name value` for a flag that takes a value (a boolean flag takes none);
 * `--` ends the flags. kubelet's flag set folds `_` into `-` in names
 * (`--pod_infra_container_image` is `--pod-infra-container-image`). `index`
 * is the word the flag starts at.
 */
export function parseKubeletArgv(words: readonly string[]): (KubeletFlag & { index: number })[] {
  const flags: (KubeletFlag & { index: number })[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    if (!word.startsWith('--')) continue;
    const eq = word.indexOf('=');
    if (eq >= 0) {
      flags.push({ name: flagName(word.slice(2, eq)), value: word.slice(eq + 1), index: i });
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('-') && !KUBELET_BOOLEAN_FLAGS.has(flagName(word.slice(2)))) {
      flags.push({ name: flagName(word.slice(2)), value: next, index: i });
      i++;
    } else flags.push({ name: flagName(word.slice(2)), value: null, index: i });
  }
  return flags;
}

function flagName(raw: string): string {
  return raw.replaceAll('_', '-');
}
