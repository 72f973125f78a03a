/**
 * Secrets in containerd's TOML (config.toml and every import, whatever its
 * name; hosts.toml; `containerd config dump`), found by position in the
 * parsed document:
 *
 * - the value of a key named `password`, `auth` or `identitytoken` (any case,
 *   as containerd's decoders match field names; bare, quoted, escaped such as
 *   `"pass\u0077ord"`, or dotted such as `auth.password`), string or not
 *   (`password = 12345` becomes `0`: still an integer, so a decoding error
 *   stays one); a table named `auth` is not itself a secret, its `password` is;
 * - every value under a `header` or `headers` table (`[host."…".header]`,
 *   `header.Authorization = …`, inline tables, multi-line arrays);
 * - the password of a URL in any string or quoted key (a mirror endpoint,
 *   `[host."https://user:pw@mirror"]`).
 *
 * The document is walked once by a scanner that keeps raw offsets. A file that
 * does not parse is scanned the same way, tolerantly, and its secrets are
 * masked character by character (length, quotes and backslashes kept), so the
 * parse error the report shows stays at the same line and column.
 */
import { locateTomlKeys, parseToml } from '../../parsers/toml.js';
import { DecodedBuilder, rawSpan, type Decoded, type SecretSpan } from './span.js';
import { passwordReplacement, urlPasswords } from './url.js';
import { textSecrets } from './structured.js';

const SECRET_KEYS = new Set(['password', 'auth', 'identitytoken']);
const SECRET_PARENTS = new Set(['password', 'identitytoken']);
const HEADER_KEYS = new Set(['header', 'headers']);

interface StringToken {
  /** Raw offsets of the whole token, delimiters included. */
  start: number;
  end: number;
  delim: string;
  decoded: Decoded;
}

type Found =
  | { kind: 'string'; path: string[]; token: StringToken }
  | { kind: 'scalar'; path: string[]; start: number; end: number; text: string }
  | { kind: 'key'; token: StringToken };

const SIMPLE: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
const BLANK = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** A tolerant TOML scanner: what a valid document holds, and for a broken one as much as can be read, line by line. */
class Scanner {
  pos = 0;
  readonly found: Found[] = [];
  constructor(readonly text: string) {}

  run(): Found[] {
    const t = this.text;
    let table: string[] = [];
    while (this.pos < t.length) {
      this.skipBlankLines();
      if (this.pos >= t.length) break;
      const c = t[this.pos];
      if (c === '[') {
        const double = t[this.pos + 1] === '[';
        this.pos += double ? 2 : 1;
        table = this.key();
        this.skipBlanks();
        this.pos += t.startsWith(']]', this.pos) && double ? 2 : t[this.pos] === ']' ? 1 : 0;
      } else {
        const keys = this.key();
        this.skipBlanks();
        if (keys.length > 0 && t[this.pos] === '=') {
          this.pos++;
          this.skipBlanks();
          this.value([...table, ...keys], 0);
        }
      }
      this.toLineEnd();
    }
    return this.found;
  }

  /** Skip blanks, newlines and comments. */
  private skipBlankLines(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '#') this.skipComment();
      else if (BLANK(c) || c === '\n' || c === '\r') this.pos++;
      else return;
    }
  }

  private skipBlanks(): void {
    while (BLANK(this.text[this.pos])) this.pos++;
  }

  private skipComment(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  /** After a statement: a comment, or (in a broken file) whatever else is on the line. */
  private toLineEnd(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl + 1;
  }

  /** A dotted key; each quoted segment is recorded (a URL in a key may hold a password). */
  private key(): string[] {
    const t = this.text;
    const segments: string[] = [];
    for (;;) {
      this.skipBlanks();
      const c = t[this.pos];
      if (c === '"' || c === "'") {
        const token = this.string();
        this.found.push({ kind: 'key', token });
        segments.push(token.decoded.text);
      } else {
        const start = this.pos;
        while (this.pos < t.length && /[A-Za-z0-9_-]/.test(t[this.pos]!)) this.pos++;
        if (this.pos === start) return segments;
        segments.push(t.slice(start, this.pos));
      }
      this.skipBlanks();
      if (t[this.pos] !== '.') return segments;
      this.pos++;
    }
  }

  private value(path: string[], depth: number): void {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"' || c === "'") {
      this.found.push({ kind: 'string', path, token: this.string() });
    } else if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      this.pos++;
      // Nesting is bounded where the document is parsed (MAX_TOML_DEPTH); a broken one stops here.
      while (this.pos < t.length && depth < 200) {
        this.skipBlankLines();
        if (t[this.pos] === close) {
          this.pos++;
          return;
        }
        const before = this.pos;
        if (close === ']') this.value([...path, '[]'], depth + 1);
        else {
          const keys = this.key();
          this.skipBlanks();
          if (t[this.pos] === '=') {
            this.pos++;
            this.skipBlanks();
            this.value([...path, ...keys], depth + 1);
          }
        }
        this.skipBlankLines();
        if (t[this.pos] === ',') this.pos++;
        else if (this.pos === before || (t[this.pos] !== close && close === '}')) return;
      }
    } else {
      const start = this.pos;
      while (this.pos < t.length && !/[\s,\]}#]/.test(t[this.pos]!)) this.pos++;
      // A date and a time separated by one blank are one value.
      if (/^\d{4}-\d{2}-\d{2}$/.test(t.slice(start, this.pos)) && t[this.pos] === ' ' && /\d/.test(t[this.pos + 1] ?? '')) {
        this.pos++;
        while (this.pos < t.length && !/[\s,\]}#]/.test(t[this.pos]!)) this.pos++;
      }
      if (this.pos > start) this.found.push({ kind: 'scalar', path, start, end: this.pos, text: t.slice(start, this.pos) });
    }
  }

  /** A string token at `pos`, decoded with the raw offsets of every unit. An unterminated one runs to its line's end (the text's, for a multi-line one). */
  private string(): StringToken {
    const t = this.text;
    const start = this.pos;
    const q = t[start]!;
    const multi = t.startsWith(q.repeat(3), start);
    const delim = multi ? q.repeat(3) : q;
    const out = new DecodedBuilder();
    let i = start + delim.length;
    if (multi && t[i] === '\n') i++;
    else if (multi && t.startsWith('\r\n', i)) i += 2;
    for (;;) {
      if (i >= t.length || (!multi && t[i] === '\n')) break;
      if (t.startsWith(delim, i)) {
        // Up to two more quotes before the closing three belong to the string.
        let run = delim.length;
        while (multi && t[i + run] === q && run < 5) run++;
        for (let k = 0; k < run - delim.length; k++) out.push(q, i + k, i + k + 1);
        i += run;
        break;
      }
      const c = t[i]!;
      if (c === '\\' && q === '"') {
        const e = t[i + 1] ?? '';
        if (e in SIMPLE) {
          out.push(SIMPLE[e]!, i, i + 2);
          i += 2;
        } else if (e === 'u' || e === 'U' || e === 'x') {
          const width = e === 'u' ? 4 : e === 'U' ? 8 : 2;
          const hex = t.slice(i + 2, i + 2 + width);
          const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === width ? parseInt(hex, 16) : NaN;
          out.push(cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '\uFFFD', i, i + 2 + width);
          i += 2 + width;
        } else if (multi && /^\\[ \t]*\r?\n/.test(t.slice(i, i + 80))) {
          // A line-ending backslash: the newline and the blanks after it are not part of the value.
          i++;
          while (i < t.length && /[ \t\r\n]/.test(t[i]!)) i++;
        } else {
          out.push(e, i, i + 2);
          i += 2;
        }
        continue;
      }
      out.push(c, i, i + 1);
      i++;
    }
    this.pos = Math.min(i, t.length);
    return { start, end: this.pos, delim, decoded: out.build() };
  }
}

/** Whether a value at this path is a secret whatever it says. */
function secretPath(path: readonly string[]): boolean {
  const keys = path.filter((p) => p !== '[]').map((p) => p.toLowerCase());
  return SECRET_KEYS.has(keys[keys.length - 1]!) || keys.slice(0, -1).some((k) => SECRET_PARENTS.has(k)) || keys.some((k) => HEADER_KEYS.has(k));
}

/**
 * Text as it must be written inside a string with this delimiter. A literal
 * string has no escapes, and what follows a marker there came from the same
 * literal string (at most a tab among the control characters), so it is
 * written as it is.
 */
function encodeIn(delim: string, text: string): string {
  if (delim[0] === "'") return text;
  return text.replace(/["\\\x00-\x08\x0a-\x1f\x7f]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** The newlines in a raw range, as written. */
const newlinesIn = (text: string): string => (text.match(/\r?\n/g) ?? []).join('');

function stringSpans(text: string, token: StringToken, whole: boolean, spans: SecretSpan[]): void {
  const d = token.decoded;
  if (whole) {
    if (d.text === '') return;
    const inner = {
      start: token.start + token.delim.length,
      end: token.end - (text.startsWith(token.delim, token.end - token.delim.length) && token.end - token.delim.length > token.start ? token.delim.length : 0),
    };
    const breaks = newlinesIn(text.slice(inner.start, inner.end));
    if (breaks === '') spans.push({ start: inner.start, end: inner.end, value: d.text, replacement: (m) => m });
    // A multi-line value becomes a basic multi-line string whose line-ending backslash keeps the lines and adds nothing to the value.
    else spans.push({ start: token.start, end: token.end, value: d.text, replacement: (m) => `"""${m}\\${breaks}"""` });
    return;
  }
  for (const p of urlPasswords(d.text, false)) {
    const raw = rawSpan(d, p.start, p.end);
    const breaks = newlinesIn(text.slice(raw.start, raw.end));
    spans.push({
      start: raw.start,
      end: raw.end,
      value: d.text.slice(p.start, p.end),
      replacement: (m) => {
        const encoded = encodeIn(token.delim, passwordReplacement(d.text, p, m));
        return breaks === '' ? encoded : `\\${breaks}${encoded}`;
      },
    });
  }
}

/** A number that keeps its type: the secret is gone, a decoding error for a non-string stays. */
function scalarStandIn(token: string): string | null {
  if (/^[+-]?(?:0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|[0-9_]+)$/.test(token)) return '0';
  if (/^[+-]?[0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?$/.test(token)) return '0.0';
  return null;
}

/**
 * Mask a raw range so that a parser reads the same tokens: in a string every
 * character but quotes, line breaks and escapes (a backslash, its letter and
 * a \\u escape's digits, whose validity decides the error) becomes `x`; a
 * number keeps its shape with every digit a 1; another bare value stays.
 */
function mask(raw: string, bare: boolean): string {
  if (bare) return /^[+-]?[0-9][0-9_.eE+-]*$/.test(raw) ? raw.replace(/[0-9]/g, '1') : raw;
  // An escape keeps its hex digits, also the valid start of a broken one, so the parse error stays on its column.
  return raw.replace(/\\(?:u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|x[0-9A-Fa-f]{0,2}|[^])?|[^"'\r\n\\]/g, (m) => (m[0] === '\\' ? m : 'x'));
}

/**
 * The secrets of a TOML text. `parses` says whether the text is valid TOML
 * (the collector passes what the model's cached parse found, so nothing is
 * parsed twice).
 */
export function tomlSecrets(text: string, parses: () => boolean = () => parseToml(text).ok): SecretSpan[] {
  // Nothing can be a secret without one of these (an escaped key name needs a backslash).
  if (!/password|auth|identitytoken|header|@|\\/i.test(text)) return [];
  const spans: SecretSpan[] = [];
  for (const f of new Scanner(text).run()) {
    if (f.kind === 'key') stringSpans(text, f.token, false, spans);
    else if (f.kind === 'string') stringSpans(text, f.token, secretPath(f.path), spans);
    else if (secretPath(f.path)) {
      const standIn = scalarStandIn(f.text);
      if (standIn !== null && standIn !== f.text) spans.push({ start: f.start, end: f.end, value: f.text, replacement: () => standIn, bare: true });
    }
  }
  const masked = (list: SecretSpan[]): SecretSpan[] => {
    // In place: a broken file may hold tens of thousands of candidates.
    for (const s of list) {
      if (s.masked === true) continue;
      const bare = s.bare === true;
      s.masked = true;
      s.replacement = () => mask(text.slice(s.start, s.end), bare);
    }
    return list;
  };
  if (parses()) return spans.length === 0 || checkRedaction(text, spans) ? spans : masked(spans);
  // A file that does not parse: its structure is uncertain, so every value a credential key or a header
  // table seems to hold is masked too, in place, so the parse error stays where it was.
  return masked([...spans, ...lexicalSpans(text)]);
}

/**
 * Whether markers in place of the spans leave the document as the original
 * reads: it still parses, with its keys on the same lines.
 */
function checkRedaction(text: string, spans: SecretSpan[]): boolean {
  let out = '';
  let copied = 0;
  // The scanner's spans never overlap: one per string, scalar or URL password in a string.
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(copied, s.start) + s.replacement('redacted-1');
    copied = s.end;
  }
  out += text.slice(copied);
  if (!parseToml(out).ok) return false;
  const lines = (t: string): string =>
    [...locateTomlKeys(t).values()]
      .map((p) => p.line)
      .sort((a, b) => a - b)
      .join(',');
  return lines(out) === lines(text);
}

/** Where a string or scalar that starts at `i` ends: to its closing quote, or (unterminated) its line's end, the text's for a multi-line one. */
function valueEnd(text: string, i: number): number {
  for (const d of ['"""', "'''"]) {
    if (text.startsWith(d, i)) {
      const close = text.indexOf(d, i + 3);
      return close < 0 ? text.length : close + 3;
    }
  }
  const q = text[i];
  if (q === '"' || q === "'") {
    for (let k = i + 1; k < text.length; k++) {
      if (text[k] === '\n') return k;
      if (text[k] === q) return k + 1;
      if (text[k] === '\\' && q === '"') k++;
    }
    return text.length;
  }
  const m = /[\s,}\]#]/.exec(text.slice(i, i + 4096));
  return m ? i + m.index : Math.min(text.length, i + 4096);
}

/** Credential values and header tables found by their shape, for text that does not parse. Linear. */
function lexicalSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const add = (start: number, end: number): void => {
    // The value is never given a marker (the span is masked), so it is not copied out.
    const bare = text[start] !== '"' && text[start] !== "'";
    if (end > start) spans.push({ start, end, value: 'masked', masked: true, bare, replacement: () => mask(text.slice(start, end), bare) });
  };
  for (const m of text.matchAll(/(?:^|[\s{,.])(["']?)(?:password|auth|identitytoken)\1[ \t]*=[ \t]*/gim)) {
    const start = m.index + m[0].length;
    // A table or an array: the secrets in it are found as values of their own.
    if (text[start] !== '{' && text[start] !== '[') add(start, valueEnd(text, start));
  }
  let inHeaders = false;
  let at = 0;
  for (const line of text.split('\n')) {
    const header = /^\s*\[{1,2}([^\]]*)\]{1,2}\s*(?:#.*)?$/.exec(line);
    if (header) inHeaders = /(?:^|\.)\s*["']?headers?["']?\s*$/i.test(header[1]!);
    const inline = /(?:^|[\s{,.])headers?\s*=\s*/i.exec(line);
    const from = inHeaders && !header ? line.indexOf('=') + 1 : inline ? inline.index + inline[0].length : -1;
    if (from > 0 || (inHeaders && !header && !line.trimStart().startsWith('#'))) {
      for (const q of line.slice(Math.max(from, 0)).matchAll(/"(?:[^"\\]|\\.)*"?|'[^']*'?/g))
        add(at + Math.max(from, 0) + q.index, at + Math.max(from, 0) + q.index + q[0].length);
    }
    at += line.length + 1;
  }
  return [...spans, ...textSecrets(text)];
}
