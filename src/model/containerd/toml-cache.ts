import type { PathRecord } from '../../snapshot/types.js';
import { locateTomlKeys, parseToml, type TomlData, type TomlLocations } from '../../parsers/toml.js';
import type { ParseError } from '../../parsers/yaml.js';

export type ParsedToml = { ok: true; value: TomlData; locations: TomlLocations } | { ok: false; error: ParseError };

const cache = new WeakMap<PathRecord, ParsedToml>();

/**
 * A collected TOML file parsed, with its key positions; once per snapshot
 * record, because the collector plans its rounds from models built on the
 * snapshot so far and would parse the same files again. Callers never mutate
 * the result.
 */
export function parsedToml(record: PathRecord, text: string): ParsedToml {
  let hit = cache.get(record);
  if (!hit) {
    const parsed = parseToml(text);
    hit = parsed.ok ? { ok: true, value: parsed.value, locations: locateTomlKeys(text) } : parsed;
    cache.set(record, hit);
  }
  return hit;
}
