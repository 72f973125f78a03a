import { parse, TomlDate } from 'smol-toml';
import type { ParseError, Position } from './yaml.js';

/** A TOML table as plain data: strings, numbers, booleans, arrays and tables (dates become ISO strings). */
export type TomlData = { [key: string]: TomlValue };
export type TomlValue = string | number | boolean | TomlValue[] | TomlData;

/** Key paths of a TOML document mapped to where each key is written. */
export type TomlLocations = Map<string, Position>;

/** The separator of key segments in {@link TomlLocations}; no TOML key can contain NUL unescaped. */
const SEP = '\u0000';

/** The lookup key of a key path. */
export const tomlPathKey = (segments: readonly string[]): string => segments.join(SEP);

/**
 * Deepest nesting read (tables, arrays, inline tables, dotted keys). Deeper
 * documents exhaust the stack of recursive code (the parser's, the merges');
 * real containerd files nest fewer than ten levels.
 */
export const MAX_TOML_DEPTH = 100;

class TooDeep extends Error {}

function plain(value: unknown, depth = 0): TomlValue {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof TomlDate) return value.toISOString();
  if (value === null || typeof value !== 'object') return value as string | number | boolean;
  if (depth >= MAX_TOML_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  const out: TomlData = {};
  // defineProperty: a key named __proto__ must stay an ordinary key, as it is in Go.
  for (const [k, v] of Object.entries(value))
    Object.defineProperty(out, k, { value: plain(v, depth + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Parse TOML 1.0. Errors come back with their line and column, never thrown.
 * Integers beyond 2^53 (valid int64 in Go) are accepted and kept as numbers.
 */
export function parseToml(text: string): { ok: true; value: TomlData } | { ok: false; error: ParseError } {
  try {
    return { ok: true, value: plain(parse(text, { integersAsBigInt: 'asNeeded', maxDepth: MAX_TOML_DEPTH })) as TomlData };
  } catch (err) {
    // A stack overflow (dotted keys thousands deep) says the same as the depth bound.
    if (err instanceof TooDeep || err instanceof RangeError)
      return { ok: false, error: { message: `nested more than ${MAX_TOML_DEPTH} levels deep; not read (a bound against stack exhaustion)` } };
    const e = err as Error & { line?: number; column?: number };
    return { ok: false, error: { message: e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, ''), line: e.line, column: e.column } };
  }
}

/**
 * Where every key of a TOML document is written: table headers (`[a."b.c"]`)
 * and assignments (`x.y = 1`) under their table. Keys inside inline tables and
 * arrays are not listed; callers fall back to the nearest listed ancestor.
 * Assumes the text parses (run {@link parseToml} first).
 */
export function locateTomlKeys(text: string): TomlLocations {
  const found: TomlLocations = new Map();
  let table: string[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const pos = (): Position => ({ line, column: i - lineStart + 1 });
  const newline = (): void => {
    line++;
    lineStart = i + 1;
  };
  // A key also defines its parent tables where they first appear (`[a.b.c]` defines a and a.b).
  const record = (segments: readonly string[], at: Position): void => {
    for (let len = 1; len <= segments.length; len++) {
      const key = tomlPathKey(segments.slice(0, len));
      if (!found.has(key)) found.set(key, at);
    }
  };
  const skipBlanks = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };

  /** Read one key segment at `i` (bare, "basic" or 'literal'). */
  const readSegment = (): string => {
    const c = text[i];
    if (c === '"') {
      let s = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') {
          const e = text[i + 1]!;
          if (e === 'u' || e === 'U') {
            const len = e === 'u' ? 4 : 8;
            s += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + len), 16));
            i += 2 + len;
            continue;
          }
          s += ({ b: '\b', t: '\t', n: '\n', f: '\f', r: '\r' } as Record<string, string>)[e] ?? e;
          i += 2;
          continue;
        }
        s += text[i++];
      }
      i++;
      return s;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const start = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };

  /** Read a dotted key (`a."b".c`) up to `=` or `]`. */
  const readKey = (): string[] => {
    const segments: string[] = [];
    for (;;) {
      skipBlanks();
      segments.push(readSegment());
      skipBlanks();
      if (text[i] !== '.') return segments;
      i++;
    }
  };

  /** Skip a value, which may span lines inside strings, arrays and inline tables. */
  const skipValue = (): void => {
    let depth = 0;
    while (i < n) {
      const c = text[i]!;
      if (c === '\n') {
        if (depth === 0) return;
        newline();
        i++;
      } else if (c === '#') {
        while (i < n && text[i] !== '\n') i++;
      } else if (c === '"' || c === "'") {
        const triple = text.startsWith(c.repeat(3), i);
        const close = triple ? c.repeat(3) : c;
        i += close.length;
        while (i < n && !text.startsWith(close, i)) {
          if (text[i] === '\\' && c === '"') i++;
          if (text[i] === '\n') newline();
          i++;
        }
        i += close.length;
        // A multi-line string may end with up to two more quotes of its own.
        while (triple && text[i] === c) i++;
      } else {
        if (c === '[' || c === '{') depth++;
        else if (c === ']' || c === '}') depth--;
        i++;
      }
    }
  };

  while (i < n) {
    skipBlanks();
    const c = text[i];
    if (c === '\n') {
      newline();
      i++;
    } else if (c === '\r') i++;
    else if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '[') {
      const at = pos();
      const arrayTable = text[i + 1] === '[';
      i += arrayTable ? 2 : 1;
      table = readKey();
      i += arrayTable ? 2 : 1;
      record(table, at);
    } else if (c === undefined) break;
    else {
      const at = pos();
      record([...table, ...readKey()], at);
      i++; // the '='
      skipBlanks();
      skipValue();
    }
  }
  return found;
}

/** The position of a key path, or of its nearest written ancestor. */
export function positionOf(locations: TomlLocations, segments: readonly string[]): Position | undefined {
  for (let len = segments.length; len > 0; len--) {
    const hit = locations.get(tomlPathKey(segments.slice(0, len)));
    if (hit) return hit;
  }
  return undefined;
}
