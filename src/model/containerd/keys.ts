import { containerdKeySchema } from '../../generated/containerd-schemas.js';
import type { TomlValue } from '../../parsers/toml.js';
import type { ContainerdSemantics } from './semantics.js';

/**
 * The part of JSON Schema the containerd key schemas use (schemas/containerd/):
 * a Go struct is an object with properties and no additional properties, a
 * Go map an object whose additionalProperties is the value's schema.
 */
export interface KeySchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  properties?: Record<string, KeySchema>;
  additionalProperties?: boolean | KeySchema;
  items?: KeySchema;
  pattern?: string;
  definitions?: Record<string, KeySchema>;
}

/** A key the release does not know, or a value it cannot decode. */
export interface KeyProblem {
  /** The path as written (after migration to the release's format), key by key. */
  path: string[];
  kind: 'unknown' | 'type';
  /** unknown: the keys known at that place. */
  known?: string[];
  /** type: what the release decodes there ("integer", "Go duration"…). */
  expected?: string;
}

/** A key that only some patch releases of a family decode: the first (`from`) or last (`until`) patch that has it. */
interface PatchKey {
  /** Schema path: property names, `*` for a map's values, `#name` for a definition. */
  path: string[];
  from?: number;
  until?: number;
}

const CRI_1X = 'io.containerd.grpc.v1.cri';
const CRI_RUNTIME_2X = 'io.containerd.cri.v1.runtime';

/**
 * Keys that appear in or disappear from a family between patch releases,
 * found by comparing the `toml` tags and runc `Options` fields of every tag
 * of the family (scripts/audit-containerd-keys.sh). A family's schema holds
 * every key any of its patches decodes; with a known patch release the keys
 * it lacks are taken out, with an unknown patch none is (no key is reported
 * unknown that the node's release may know).
 */
export const PATCH_KEYS: Readonly<Record<string, readonly PatchKey[]>> = {
  '1.6': [
    { path: ['plugins', CRI_1X, 'drain_exec_sync_io_timeout'], from: 29 },
    { path: ['plugins', CRI_1X, 'ignore_deprecation_warnings'], from: 29 },
    { path: ['proxy_plugins', '*', 'exports'], from: 32 },
    { path: ['proxy_plugins', '*', 'platform'], from: 32 },
  ],
  '1.7': [
    { path: ['plugins', CRI_1X, 'ignore_deprecation_warnings'], from: 14 },
    { path: ['plugins', CRI_1X, 'image_pull_with_sync_fs'], from: 14 },
    { path: ['proxy_plugins', '*', 'exports'], from: 16 },
    { path: ['proxy_plugins', '*', 'platform'], from: 16 },
    { path: ['proxy_plugins', '*', 'capabilities'], from: 23 },
    // 1.7.25 switched the CRI to the api module's runc Options (as 2.0 has them): CriuPath went, the task API fields came.
    { path: ['#runcOptions', 'CriuPath'], until: 24 },
    { path: ['#runcOptions', 'TaskApiAddress'], from: 25 },
    { path: ['#runcOptions', 'TaskApiVersion'], from: 25 },
  ],
  '2.2': [
    { path: ['plugins', CRI_RUNTIME_2X, 'enable_criu'], from: 7 },
    { path: ['plugins', CRI_RUNTIME_2X, 'enable_experimental_restore_via_create'], from: 7 },
  ],
  '2.3': [
    { path: ['plugins', CRI_RUNTIME_2X, 'enable_criu'], from: 4 },
    { path: ['plugins', CRI_RUNTIME_2X, 'enable_experimental_restore_via_create'], from: 4 },
  ],
};

/** The schema of one patch release: the family's schema without the keys that patch does not decode. */
function forPatch(schema: KeySchema, keys: readonly PatchKey[], patch: number): KeySchema {
  const absent = keys.filter((k) => (k.from !== undefined && patch < k.from) || (k.until !== undefined && patch > k.until));
  if (absent.length === 0) return schema;
  const copy = structuredClone(schema);
  for (const { path } of absent) {
    let node: KeySchema | undefined = path[0]!.startsWith('#') ? copy.definitions![path[0]!.slice(1)] : copy.properties![path[0]!];
    for (const step of path.slice(1, -1)) node = step === '*' ? (node!.additionalProperties as KeySchema) : node!.properties![step];
    delete node!.properties![path[path.length - 1]!];
  }
  return copy;
}

const patched = new Map<string, KeySchema>();

/**
 * The schema family of a release: 1.6, 1.7, 2.0 … 2.3 (later 2.x releases
 * read like 2.3), narrowed to the patch release when it is known.
 */
export function keySchemaFor(s: Pick<ContainerdSemantics, 'major' | 'minor'> & { patch?: number | null }): { release: string; schema: KeySchema } {
  const release = s.major === 1 ? (s.minor >= 7 ? '1.7' : '1.6') : `2.${Math.min(s.minor, 3)}`;
  const schema = containerdKeySchema(release) as KeySchema;
  // A later minor than the family's (2.4 read as 2.3) has every key the family's last patch has.
  const exact = s.major === 1 ? s.minor === 6 || s.minor === 7 : s.minor <= 3;
  const keys = PATCH_KEYS[release];
  if (!keys || s.patch === null || s.patch === undefined || !exact) return { release, schema };
  const key = `${release}.${s.patch}`;
  let narrowed = patched.get(key);
  if (!narrowed) patched.set(key, (narrowed = forPatch(schema, keys, s.patch)));
  return { release, schema: narrowed };
}

/**
 * How the release's TOML decoder matches a written key to a Go field: 1.x
 * (go-toml v1) tries the name as given, in lower case, in upper case and with
 * its first letter lowered; 2.x (go-toml v2) ignores case.
 */
export function keyMatcher(major: 1 | 2): (written: string, field: string) => boolean {
  if (major === 2) return (written, field) => written.toLowerCase() === field.toLowerCase();
  return (written, field) =>
    written === field || written === field.toLowerCase() || written === field.toUpperCase() || written === field[0]!.toLowerCase() + field.slice(1);
}

/** The field a written key decodes into, or undefined. An exact match wins. */
export function fieldFor(written: string, fields: readonly string[], matches: (written: string, field: string) => boolean): string | undefined {
  return fields.includes(written) ? written : fields.find((f) => matches(written, f));
}

const GO_TYPE: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a table',
};

function typeOk(value: TomlValue, type: NonNullable<KeySchema['type']>): boolean {
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'integer') return Number.isInteger(value);
  return typeof value === type;
}

/**
 * Check a value against a key schema the way the release decodes it: keys
 * matched to fields by the release's rule, unknown keys and undecodable values
 * collected (never thrown). The differential test runs ajv on the same schemas.
 */
export function checkKeys(value: TomlValue, schema: KeySchema, major: 1 | 2, path: string[] = [], out: KeyProblem[] = []): KeyProblem[] {
  if (schema.type && !typeOk(value, schema.type)) {
    out.push({ path, kind: 'type', expected: GO_TYPE[schema.type]! });
    return out;
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value as string)) {
    out.push({ path, kind: 'type', expected: 'a Go duration such as "30s" or "1h30m"' });
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkKeys(item, schema.items!, major, [...path, String(i)], out));
    return out;
  }
  if (schema.type !== 'object') return out;
  const table = value as Record<string, TomlValue>;
  const fields = Object.keys(schema.properties ?? {});
  // A Go struct (no additional properties) matches keys by the decoder's rule; a Go map's keys are exact.
  const matches = schema.additionalProperties === false ? keyMatcher(major) : (a: string, b: string) => a === b;
  for (const [key, child] of Object.entries(table)) {
    const field = fieldFor(key, fields, matches);
    const sub = field !== undefined ? schema.properties![field]! : schema.additionalProperties;
    if (sub === false) out.push({ path: [...path, key], kind: 'unknown', known: fields });
    else if (typeof sub === 'object') checkKeys(child, sub, major, [...path, key], out);
  }
  return out;
}
