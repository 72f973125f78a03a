import type { PathRecord } from '../../snapshot/types.js';
import { locateTomlKeys, parseToml, type TomlData, type TomlLocations } from '../../parsers/toml.js';
import type { ParseError } from '../../parsers/yaml.js';

export type ParsedToml = { ok: true; value: TomlData; locations: TomlLocations } | { ok: false; error: ParseError };

const cache = new WeakMap<PathRecord, ParsedToml>();
/** Large texts by content: one file reached through many links is one string, parsed once. A few entries only. */
const large = new Map<string, ParsedToml>();

/**
 * A collected TOML file parsed, with its key positions; once per snapshot
 * record, because the collector plans its rounds from models built on the
 * snapshot so far and would parse the same files again. Callers never mutate
 * the result.
 */
export function parsedToml(record: PathRecord, text: string): ParsedToml {
  let hit = cache.get(record) ?? (text.length > 64 * 1024 ? large.get(text) : undefined);
  if (!hit) {
    const parsed = parseToml(text);
    hit = parsed.ok ? { ok: true, value: parsed.value, locations: locateTomlKeys(text) } : parsed;
    if (text.length > 64 * 1024) {
      if (large.size >= 4) large.delete(large.keys().next().value!);
      large.set(text, hit);
    }
  }
  cache.set(record, hit);
  return hit;
}
