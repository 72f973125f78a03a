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
 * Parse the first YAML document of a text. Later documents are ignored, as
 * Go's `yaml.Unmarshal` ignores them. Errors are returned, never thrown.
 */
export function parseYamlDocument(text: string, options: YamlOptions = {}): { ok: true; value: YamlDocument } | { ok: false; error: ParseError } {
  const yaml = loadYaml();
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
  return { ok: true, value: { doc: doc as Document.Parsed, lines } };
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
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '').trim();
}
