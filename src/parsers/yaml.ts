import type { Document, LineCounter, Node } from 'yaml';
import { load as loadYaml } from '../lazy/yaml.js';

/** A position in a text file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

/** A parse error with the place it was found. */
export interface ParseError extends Partial<Position> {
  message: string;
}

/** A parsed YAML document with what is needed to point back into the text. */
export interface YamlDocument {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Options for {@link parseYamlDocument}. */
export interface YamlOptions {
  /** `failsafe` keeps every scalar as its raw string, as Go's yaml.Node `.Value` does. */
  schema?: 'core' | 'failsafe';
  /** Reject duplicate mapping keys (the default). */
  uniqueKeys?: boolean;
}

/**
 * Alias expansions allowed per document; a larger count is reported as an
 * error instead of expanding (the "billion laughs" shape).
 */
const MAX_ALIAS_COUNT = 100;

/**
 * Deepest nesting read. The yaml package composes nodes recursively: a few
 * hundred levels exhaust the stack, and V8 aborts the whole process (not a
 * catchable RangeError) when a regular expression is compiled at that moment.
 * Real kubelet and crictl files nest fewer than ten levels.
 */
export const MAX_YAML_DEPTH = 100;

/**
 * Largest YAML text parsed, in UTF-16 units. The yaml package slows down
 * quadratically on texts full of errors (a file of 128 Ki `"` takes seconds);
 * crictl.yaml and kubelet's configuration are a few KiB.
 */
export const MAX_YAML_LENGTH = 64 * 1024;

/**
 * An upper bound of a YAML text's nesting, from yaml's own lexer (iterative,
 * so any depth is safe): open flow collections, plus the column where a line's
 * content starts, since each nested block collection is indented further (or
 * opened by one more `- `, `? ` or `: ` on the line). Returns the 1-based line
 * where the bound first passes `limit`, or 0.
 */
function tooDeepAt(text: string, limit: number): number {
  let line = 1;
  let flow = 0;
  let column = 0;
  let prefix = true;
  for (const lexeme of new (loadYaml().Lexer)().lex(text)) {
    if (lexeme === '[' || lexeme === '{') flow++;
    else if (lexeme === ']' || lexeme === '}') flow = Math.max(0, flow - 1);
    // Single control characters are the lexer's own markers (document start, scalar), not text.
    if (prefix && /^[ \t]*$|^[-?:]$/.test(lexeme)) column += lexeme.length;
    else if (!/^[\x00-\x08\x0e-\x1f]$/.test(lexeme)) prefix = false;
    if (flow + column > limit) return line;
    for (let i = lexeme.indexOf('\n'); i >= 0; i = lexeme.indexOf('\n', i + 1)) line++;
    if (lexeme.endsWith('\n')) {
      column = 0;
      prefix = true;
    }
  }
  return 0;
}

/**
 * Parse the first YAML document of a text. Later documents are ignored, as
 * Go's `yaml.Unmarshal` ignores them. Errors are returned, never thrown.
 */
export function parseYamlDocument(text: string, options: YamlOptions = {}): { ok: true; value: YamlDocument } | { ok: false; error: ParseError } {
  const yaml = loadYaml();
  if (text.length > MAX_YAML_LENGTH)
    return { ok: false, error: { message: `longer than ${MAX_YAML_LENGTH} characters; not read (a bound on parsing time)`, line: 1, column: 1 } };
  const deep = tooDeepAt(text, MAX_YAML_DEPTH);
  if (deep > 0)
    return {
      ok: false,
      error: { message: `nested more than ${MAX_YAML_DEPTH} levels deep; not read (a bound against stack exhaustion)`, line: deep, column: 1 },
    };
  const lines = new yaml.LineCounter();
  const docs = yaml.parseAllDocuments(text, {
    lineCounter: lines,
    schema: options.schema ?? 'core',
    uniqueKeys: options.uniqueKeys ?? true,
    prettyErrors: false,
    strict: true,
  });
  // parseAllDocuments returns an EmptyStream (an array with no documents) for an empty text.
  const doc = (docs as Document.Parsed[])[0] ?? yaml.parseAllDocuments('{}', { lineCounter: new yaml.LineCounter() })[0]!;
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { ok: false, error: { message: cleanMessage(e.message), ...toPosition(lines, e.pos[0]) } };
  }
  return { ok: true, value: { doc, lines } };
}

/** Convert a YAML document to plain data; alias bombs become an error, not a hang. */
export function yamlToData(yaml: YamlDocument): { ok: true; value: unknown } | { ok: false; error: ParseError } {
  try {
    return { ok: true, value: yaml.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    return { ok: false, error: { message: cleanMessage((err as Error).message) } };
  }
}

/**
 * The position of the node at a key path (the key's position for mapping
 * entries), or of the nearest existing node on the way. The yaml package gives
 * every document's contents a range, even an empty one.
 */
export function positionAt(yaml: YamlDocument, path: readonly (string | number)[]): Position {
  const { isMap, isScalar, isSeq } = loadYaml();
  let node: unknown = yaml.doc.contents;
  let pos = (node as Node).range![0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      pos = (pair.key as Node).range![0];
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      node = node.items[step];
      pos = (node as Node).range![0];
    } else break;
  }
  return toPosition(yaml.lines, pos);
}

function toPosition(lines: LineCounter, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function cleanMessage(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+.*$/, '')
    .trim();
}
