/**
 * A checklist's data without the yaml package, when its text keeps to what
 * checklists are written in: JSON, or block YAML (nested mappings and
 * sequences, plain and quoted one-line scalars, one-line flow collections,
 * comments). The yaml package takes longer to parse a 20 KiB checklist of
 * site checks than the checker takes to check the node (it is built for every
 * YAML feature and for exact error positions); this reads the same data in a
 * few milliseconds.
 *
 * Anything else (anchors, tags, block scalars, multi-line scalars or flow
 * collections, tabs, duplicate keys, a syntax error) returns undefined, and
 * the caller parses the text with the yaml package, which also reports
 * errors with their line. A differential test keeps the two in agreement.
 * Scalars resolve as the yaml package's core schema (YAML 1.2) resolves them.
 */

/** The data of a JSON or simple block-YAML text, or undefined when the yaml package must read it. */
export function readSimpleYaml(text: string, maxDepth = 100): { value: unknown } | undefined {
  // Tabs, carriage returns and a byte-order mark are legal in places; the yaml package knows which.
  if (/[\t\r\uFEFF]/.test(text)) return undefined;
  const first = /\S/.exec(text);
  try {
    if (first && (first[0] === '{' || first[0] === '[')) return { value: readJson(text, maxDepth) };
    return { value: new BlockReader(text, maxDepth).document() };
  } catch {
    // NotSimple, or anything this reader did not foresee: the yaml package reads it (and reports errors).
    return undefined;
  }
}

/** Thrown where the text leaves the simple subset. */
class NotSimple extends Error {}
const notSimple = (): never => {
  throw new NotSimple();
};

/** JSON, as JSON.parse reads it, but with duplicate keys and deep nesting left to the yaml package. */
function readJson(text: string, maxDepth: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return notSimple();
  }
  // JSON.parse keeps the last of duplicate keys; YAML refuses them. A key is a string right after `{` or `,`.
  const stack: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const keys = stack.at(-1);
      let k = j + 1;
      while (text[k] === ' ' || text[k] === '\n') k++;
      if (keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key) || key === '__proto__') notSimple();
        keys.add(key);
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push(c === '{' ? new Set() : null);
      if (stack.length > maxDepth) notSimple();
    } else if (c === '}' || c === ']') stack.pop();
  }
  return value;
}

const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar as the core schema resolves it (yaml's schema/core tags, in their order). */
export function resolvePlain(text: string): unknown {
  // Only these can start a null, a boolean or a number; most keys and values are words that start otherwise.
  if (text !== '' && !'~nNtTfF0123456789+-.'.includes(text[0]!)) return text;
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (INT_OCT.test(text)) return parseInt(text.slice(2), 8);
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_HEX.test(text)) return parseInt(text.slice(2), 16);
  if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

/** Characters that may not start a plain scalar (YAML 1.2 c-indicator), `-`, `?` and `:` only before a blank. */
const INDICATOR = /^(?:[[\]{},#&*!|>'"%@`]|[-?:](?: |$))/;
const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};

/** One meaningful line: its indentation and its content without the comment and trailing blanks. */
interface Line {
  indent: number;
  text: string;
}

/** Reads scalars and one-line flow collections from a position in a line. */
class Scanner {
  i = 0;
  constructor(
    readonly s: string,
    private readonly maxDepth: number,
  ) {}

  blanks(): void {
    while (this.s[this.i] === ' ') this.i++;
  }

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  /** A quoted scalar starting here. */
  quoted(): string {
    const q = this.s[this.i]!;
    let out = '';
    for (let j = this.i + 1; j < this.s.length; j++) {
      const c = this.s[j]!;
      if (c === q) {
        if (q === "'" && this.s[j + 1] === "'") {
          out += "'";
          j++;
          continue;
        }
        this.i = j + 1;
        return out;
      }
      if (c === '\\' && q === '"') {
        const e = this.s[++j];
        if (e !== undefined && ESCAPES[e] !== undefined) out += ESCAPES[e];
        else {
          const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
          const digits = this.s.slice(j + 1, j + 1 + hex);
          if (hex === 0 || !/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) notSimple();
          const code = parseInt(digits, 16);
          if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) notSimple();
          out += String.fromCodePoint(code);
          j += hex;
        }
        continue;
      }
      out += c;
    }
    return notSimple();
  }

  /** A plain scalar's text up to a stop: `: `, ` #`, and in flow context `,[]{}`. */
  plainText(flow: boolean): string {
    const start = this.i;
    if (INDICATOR.test(this.s.slice(start, start + 2))) notSimple();
    // Only `:`, `#` and, in flow context, `,[]{}` can end a plain scalar: jump from one to the next.
    const stops = flow ? /[:#,[\]{}]/g : /[:#]/g;
    stops.lastIndex = start;
    for (let m = stops.exec(this.s); m !== null; m = stops.exec(this.s)) {
      this.i = m.index;
      const c = m[0];
      const after = this.s[this.i + 1];
      // A comment the line reader took for text (after a quote it misread): let the yaml package decide.
      if (c === '#' && this.s[this.i - 1] === ' ') notSimple();
      if (c === ':' && (after === ' ' || after === undefined || (flow && ',[]{}'.includes(after)))) return this.s.slice(start, this.i).trimEnd();
      if (flow && c !== ':' && c !== '#') return this.s.slice(start, this.i).trimEnd();
    }
    this.i = this.s.length;
    return this.s.slice(start).trimEnd();
  }

  /** A value in flow context or after `key: `: a quoted or plain scalar, or a flow collection on this line. */
  value(flow: boolean, depth: number): unknown {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.quoted();
    if (c === '[' || c === '{') return this.collection(depth + 1);
    const text = this.plainText(flow);
    if (!flow && !this.atEnd()) notSimple();
    return resolvePlain(text);
  }

  /** A value that must be all that is left of the line. */
  lastValue(depth: number): unknown {
    const value = this.value(false, depth);
    this.blanks();
    if (!this.atEnd()) notSimple();
    return value;
  }

  /** A key: a quoted or plain scalar that resolves to a string, followed by `:`. */
  key(flow: boolean): string {
    const c = this.s[this.i];
    let key: string;
    if (c === '"' || c === "'") key = this.quoted();
    else {
      key = this.plainText(flow);
      // A key the core schema reads as a number, boolean or null becomes a string in JavaScript, its spelling lost.
      if (typeof resolvePlain(key) !== 'string' || key === '') notSimple();
    }
    if (key === '__proto__' || this.s[this.i] !== ':') notSimple();
    this.i++;
    return key;
  }

  private collection(depth: number): unknown {
    if (depth > this.maxDepth) notSimple();
    const close = this.s[this.i] === '[' ? ']' : '}';
    this.i++;
    const items: unknown[] = [];
    const map: Record<string, unknown> = {};
    for (;;) {
      this.blanks();
      if (this.s[this.i] === close) break;
      if (close === ']') items.push(this.value(true, depth));
      else {
        const key = this.key(true);
        // `{a:b}` and `{a: }` are legal YAML with meanings of their own.
        if (this.s[this.i] !== ' ' || Object.hasOwn(map, key)) notSimple();
        this.blanks();
        map[key] = this.value(true, depth);
      }
      this.blanks();
      if (this.s[this.i] === ',') {
        this.i++;
        this.blanks();
        if (this.s[this.i] === close) notSimple();
      } else if (this.s[this.i] !== close) notSimple();
    }
    this.i++;
    return close === ']' ? items : map;
  }
}

/** The content of a line without its comment, or undefined for a comment. Quotes and flow brackets are skipped. */
function withoutComment(content: string): string {
  // Most lines have neither a comment nor a quote: no need to walk them.
  if (!content.includes('#')) return content.trimEnd();
  let quote: string | null = null;
  for (let i = 0; i < content.length; i++) {
    const c = content[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if ((c === '"' || c === "'") && (i === 0 || /[ [{,:-]/.test(content[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || content[i - 1] === ' ')) return content.slice(0, i).trimEnd();
  }
  return content.trimEnd();
}

/** Block mappings and sequences, by indentation. */
class BlockReader {
  private readonly lines: Line[] = [];
  private at = 0;

  constructor(
    text: string,
    private readonly maxDepth: number,
  ) {
    for (const raw of text.split('\n')) {
      const indent = raw.length - raw.trimStart().length;
      const content = withoutComment(raw.slice(indent));
      if (content !== '') this.lines.push({ indent, text: content });
    }
    // One `---` may open the document; more documents, directives and `...` are the yaml package's.
    if (this.lines[0]?.text === '---' && this.lines[0].indent === 0) this.lines.shift();
    if (this.lines.some((l) => l.indent === 0 && (l.text.startsWith('---') || l.text.startsWith('...') || l.text.startsWith('%')))) notSimple();
  }

  document(): unknown {
    // An empty document is null; a document of one scalar is rare in a checklist and left to the yaml package.
    if (this.lines.length === 0 || this.lines[0]!.indent !== 0) return notSimple();
    const value = this.block(0, 1);
    if (this.at < this.lines.length) notSimple();
    return value;
  }

  private isItem(line: Line): boolean {
    return line.text === '-' || line.text.startsWith('- ');
  }

  /** The block collection whose first line is the next one, at `indent`. */
  private block(indent: number, depth: number): unknown {
    if (depth > this.maxDepth) notSimple();
    return this.isItem(this.lines[this.at]!) ? this.sequence(indent, depth) : this.mapping(indent, depth, this.lines[this.at]!.text);
  }

  /** The value after `key:` or `- ` when nothing follows on the line: a nested block, or null. */
  private nested(indent: number, depth: number, sequenceHere: boolean): unknown {
    const next = this.lines[this.at];
    if (next && next.indent > indent) return this.block(next.indent, depth + 1);
    // A mapping's value may be a sequence at the mapping's own indentation.
    if (next && sequenceHere && next.indent === indent && this.isItem(next)) return this.sequence(indent, depth + 1);
    return null;
  }

  private mapping(indent: number, depth: number, firstText: string): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let text = firstText;
    for (;;) {
      this.at++;
      const scanner: Scanner = new Scanner(text, this.maxDepth);
      const key = scanner.key(false);
      if (Object.hasOwn(map, key)) notSimple();
      if (scanner.atEnd()) map[key] = this.nested(indent, depth, true);
      else {
        if (scanner.s[scanner.i] !== ' ') notSimple();
        scanner.blanks();
        map[key] = scanner.lastValue(depth);
      }
      const next: Line | undefined = this.lines[this.at];
      if (!next || next.indent < indent) return map;
      if (next.indent > indent || this.isItem(next)) notSimple();
      text = next.text;
    }
  }

  private sequence(indent: number, depth: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.lines[this.at]!;
      const rest = line.text.slice(1);
      const gap = rest.length - rest.trimStart().length;
      const inner = rest.trimStart();
      if (inner === '') {
        this.at++;
        items.push(this.nested(indent, depth, false));
      } else if (inner.startsWith('- ') || inner === '-') {
        return notSimple();
      } else if (this.looksLikeKey(inner)) {
        // `- key: value`: a mapping whose keys line up after the dash.
        items.push(this.mapping(indent + 1 + gap, depth + 1, inner));
      } else {
        this.at++;
        items.push(new Scanner(inner, this.maxDepth).lastValue(depth));
      }
      const next = this.lines[this.at];
      // A line at this indentation that is not an item ends a sequence that is a mapping's value at the mapping's own indentation.
      if (!next || next.indent < indent || (next.indent === indent && !this.isItem(next))) return items;
      if (next.indent > indent) notSimple();
    }
  }

  /** Whether a line's content is a `key: value` or `key:` entry. */
  private looksLikeKey(text: string): boolean {
    const scanner = new Scanner(text, this.maxDepth);
    const c = text[0];
    if (c === '"' || c === "'") {
      try {
        scanner.quoted();
      } catch {
        return false;
      }
    } else if (c === '[' || c === '{') return false;
    else scanner.plainText(false);
    return scanner.s[scanner.i] === ':';
  }
}
