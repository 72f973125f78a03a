import type { Node } from 'yaml';
import { load as loadYaml } from '../lazy/yaml.js';
import { parseFlatYaml } from './flat-yaml.js';
import { parseYamlDocument, type ParseError, type Position } from './yaml.js';

/**
 * `/etc/crictl.yaml` as crictl (cri-tools pkg/common/file.go) reads it: only the
 * first document's top-level mapping, each value taken as its raw scalar text
 * (a non-scalar value reads as ""), `timeout` through Go's `strconv.Atoi`, the
 * booleans through `strconv.ParseBool`, and any other key rejected with
 * "Config option '<key>' is not valid". A repeated key is not an error; the last
 * one wins.
 */

/** Keys every released crictl (up to v1.36) accepts. */
export const CRICTL_KEYS = ['runtime-endpoint', 'image-endpoint', 'timeout', 'debug', 'pull-image-on-create', 'disable-pull-on-run'] as const;

/**
 * Keys only cri-tools master after v1.36.0 accepts; released crictl rejects
 * them and, reading the default file, then ignores the whole file.
 */
export const CRICTL_UNRELEASED_KEYS = ['max-retries', 'enable-streaming'] as const;

/** One top-level entry of crictl.yaml. */
export interface CrictlEntry extends Position {
  key: string;
  /** The raw scalar text, as Go's yaml.Node `.Value` gives it. */
  value: string;
}

/** A value crictl rejects. */
export interface CrictlProblem extends Position {
  key: string;
  message: string;
}

/** The effective settings crictl derives from its file. */
export interface CrictlSettings {
  runtimeEndpoint: string | null;
  imageEndpoint: string | null;
  timeoutSeconds: number | null;
  debug: boolean | null;
}

/** Result of parsing crictl.yaml. */
export type CrictlParse = { ok: true; entries: CrictlEntry[]; problems: CrictlProblem[]; settings: CrictlSettings } | { ok: false; error: ParseError };

const GO_BOOL: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

/** Go's `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, int64 range. */
export function goAtoi(text: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const n = BigInt(text);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
  return Number(n);
}

/** Go's `strconv.ParseBool`. */
export function goParseBool(text: string): boolean | null {
  return Object.hasOwn(GO_BOOL, text) ? GO_BOOL[text]! : null;
}

/** Parse crictl.yaml text with crictl's semantics. */
export function parseCrictl(text: string): CrictlParse {
  const entries = parseFlatYaml(text)?.map((e) => ({ ...e, column: 1 })) ?? parseWithYaml(text);
  if (!Array.isArray(entries)) return entries;
  const problems: CrictlProblem[] = [];
  const settings: CrictlSettings = { runtimeEndpoint: null, imageEndpoint: null, timeoutSeconds: null, debug: null };
  for (const entry of entries) {
    const problem = applyEntry(settings, entry);
    if (problem) problems.push({ key: entry.key, message: problem, line: entry.line, column: entry.column });
  }
  return { ok: true, entries, problems, settings };
}

/** The top-level entries through the full YAML parser (failsafe: every scalar is its text). */
function parseWithYaml(text: string): CrictlEntry[] | { ok: false; error: ParseError } {
  const parsed = parseYamlDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (!parsed.ok) return parsed;
  const { doc, lines } = parsed.value;
  const { isMap, isScalar } = loadYaml();
  // crictl reads nothing when the document root is not a mapping (an empty or scalar document).
  if (!isMap(doc.contents)) return [];
  return doc.contents.items.map((pair) => {
    // yaml gives every key a node (an empty key is a null scalar); a complex key reads as "".
    const keyNode = pair.key as Node;
    const key = isScalar(keyNode) && keyNode.value !== null ? keyNode.toString() : '';
    // In the failsafe schema an empty scalar is ""; a collection reads as "" in Go's yaml.Node too.
    const value = isScalar(pair.value) ? String(pair.value.value) : '';
    const { line, col } = lines.linePos(keyNode.range![0]);
    return { key, value, line, column: col };
  });
}

function applyEntry(settings: CrictlSettings, { key, value }: CrictlEntry): string | undefined {
  switch (key) {
    case 'runtime-endpoint':
      settings.runtimeEndpoint = value;
      return undefined;
    case 'image-endpoint':
      settings.imageEndpoint = value;
      return undefined;
    case 'timeout': {
      const n = goAtoi(value);
      if (n === null) return `timeout "${value}" is not an integer number of seconds (crictl parses it with strconv.Atoi)`;
      settings.timeoutSeconds = n;
      return undefined;
    }
    case 'debug':
    case 'pull-image-on-create':
    case 'disable-pull-on-run': {
      const b = goParseBool(value);
      if (b === null) return `${key} "${value}" is not a boolean crictl accepts (true, false, 1, 0, t, f)`;
      if (key === 'debug') settings.debug = b;
      return undefined;
    }
    default:
      if ((CRICTL_UNRELEASED_KEYS as readonly string[]).includes(key)) {
        return `Config option '${key}' is not valid for any released crictl (only cri-tools after v1.36.0 knows it)`;
      }
      return `Config option '${key}' is not valid`;
  }
}
