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

/** The schema family of a release: 1.6, 1.7, 2.0 … 2.3 (later 2.x releases read like 2.3). */
export function keySchemaFor(s: Pick<ContainerdSemantics, 'major' | 'minor'>): { release: string; schema: KeySchema } {
  const release = s.major === 1 ? (s.minor >= 7 ? '1.7' : '1.6') : `2.${Math.min(s.minor, 3)}`;
  return { release, schema: containerdKeySchema(release) as KeySchema };
}

/**
 * How the release's TOML decoder matches a written key to a Go field: 1.x
 * (go-toml v1) tries the name as given, in lower case, in upper case and with
 * its first letter lowered; 2.x (go-toml v2) ignores case.
 */
export function keyMatcher(major: 1 | 2): (written: string, field: string) => boolean {
  if (major === 2) return (written, field) => written.toLowerCase() === field.toLowerCase();
  return (written, field) => written === field || written === field.toLowerCase() || written === field.toUpperCase() || written === field[0]!.toLowerCase() + field.slice(1);
}

/** The field a written key decodes into, or undefined. An exact match wins. */
export function fieldFor(written: string, fields: readonly string[], matches: (written: string, field: string) => boolean): string | undefined {
  return fields.includes(written) ? written : fields.find((f) => matches(written, f));
}

const GO_TYPE: Record<string, string> = { string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a table' };

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
