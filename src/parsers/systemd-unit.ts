/**
 * systemd's unit-file syntax (man systemd.syntax(7)), reproduced from
 * src/shared/conf-parser.c (config_parse, parse_line) and, for the values of
 * the environment settings, src/core/load-fragment.c (config_parse_environ,
 * config_parse_unit_env_file, config_parse_pass_environ,
 * config_parse_unset_environ), src/basic/extract-word.c and src/basic/escape.c.
 * Checked against systemd 252's own parser (`systemd --test`).
 *
 * Why not the `ini` package: it keeps only the last value of a repeated key
 * (systemd accumulates list settings and resets them on an empty value), it
 * treats `;`/`#` after a value as a comment (systemd passes them on), and it
 * knows neither backslash continuation (with comment lines inside), nor
 * case-sensitive section handling, nor the quoting, escapes and `%` specifiers
 * of the values. No file this project reads from systemd has `ini`'s
 * semantics, so it is not used here.
 */
import { isValidEnvName } from './env-file.js';
import { redactText } from './redact.js';
import { expandSpecifiers, type SpecifierTable } from './systemd-specifiers.js';

/** One `Key=value` line kept by the parser, after continuation lines are joined. */
export interface UnitAssignment {
  section: string;
  key: string;
  /** The value with surrounding blanks removed. */
  value: string;
  /** 1-based line where the assignment starts (systemd's own log names the last line of a continuation). */
  line: number;
}

/** A line systemd ignores or rejects, with the reason it logs. */
export interface UnitProblem {
  line: number;
  message: string;
}

/** A unit file, drop-in or system.conf as systemd parses it. */
export interface UnitFile {
  assignments: UnitAssignment[];
  problems: UnitProblem[];
  /**
   * The parse stopped at a fatal error (an invalid section header, a line over
   * 1 MiB): a main unit file then fails to load; for a drop-in the lines
   * before it stay applied.
   */
  aborted: boolean;
}

/** What a file's type allows. */
export interface UnitSyntax {
  /** Section names the file type knows (case-sensitive). */
  sections: readonly string[];
  /**
   * Keys this checker interprets, per section. A key that differs from one of
   * them only in case is reported as the unknown key systemd sees; a key listed
   * for another section is reported as unknown here. Other keys pass through:
   * the checker does not carry systemd's full table.
   */
  keys: Readonly<Record<string, readonly string[]>>;
  /** Keys that belong to other sections or file types: reported as unknown wherever `keys` does not list them. */
  elsewhere?: readonly string[];
}

/** systemd's LONG_LINE_MAX: a longer line or joined continuation stops the parse. */
const LONG_LINE_MAX = 1024 * 1024;

const WHITESPACE = ' \t\n\r';
const isBlank = (c: string): boolean => WHITESPACE.includes(c);

function strip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && WHITESPACE.includes(s[start]!)) start++;
  while (end > start && WHITESPACE.includes(s[end - 1]!)) end--;
  return s.slice(start, end);
}

/** An odd number of trailing backslashes: the line continues (conf-parser.c counts escapes). */
function endsEscaped(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** UTF-8 length of a string (a lone surrogate counts 3, as the encoder writes U+FFFD). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Parse a unit file, drop-in or system.conf. `invalidUtf8` says the file held
 * bytes that are not UTF-8 (the snapshot's text then has U+FFFD in their place):
 * systemd ignores such lines.
 */
export function parseUnitFile(text: string, syntax: UnitSyntax, invalidUtf8 = false): UnitFile {
  const out: UnitFile = { assignments: [], problems: [], aborted: false };
  const foreign = new Set([...Object.values(syntax.keys).flat(), ...(syntax.elsewhere ?? [])]);
  let section: string | null = null;
  let sectionIgnored = false;
  let continuation: string[] | null = null;
  let startLine = 0;

  const parseLine = (raw: string, line: number): boolean => {
    const l = strip(raw);
    if (l === '') return true;
    if (invalidUtf8 && l.includes('\uFFFD')) {
      out.problems.push({ line, message: 'the line is not valid UTF-8; systemd ignores it' });
      return true;
    }
    if (l.startsWith('[')) {
      if (!l.endsWith(']')) {
        out.problems.push({ line, message: `invalid section header ${JSON.stringify(l)}; systemd stops reading the file here` });
        return false;
      }
      const name = l.slice(1, -1);
      if (/[\x00-\x1f\x7f\\"']/.test(name)) {
        out.problems.push({ line, message: `bad characters in section header ${JSON.stringify(l)}; systemd stops reading the file here` });
        return false;
      }
      if (syntax.sections.includes(name)) {
        section = name;
        sectionIgnored = false;
      } else {
        // Sections are case-sensitive: [service] is unknown and everything in it is dropped.
        if (!name.startsWith('X-')) out.problems.push({ line, message: `unknown section [${name}]; systemd ignores it and every assignment in it` });
        section = null;
        sectionIgnored = true;
      }
      return true;
    }
    if (section === null) {
      if (!sectionIgnored) out.problems.push({ line, message: 'assignment outside of a section; systemd ignores it' });
      return true;
    }
    const eq = l.indexOf('=');
    if (eq < 0) {
      out.problems.push({ line, message: `missing "=" in ${JSON.stringify(redactText(l))}; systemd ignores the line` });
      return true;
    }
    if (eq === 0) {
      out.problems.push({ line, message: 'missing key name before "="; systemd ignores the line' });
      return true;
    }
    const key = strip(l.slice(0, eq));
    const value = strip(l.slice(eq + 1));
    if (key.startsWith('X-')) return true;
    const known = syntax.keys[section] ?? [];
    const sameButCase = known.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
    if (sameButCase || (foreign.has(key) && !known.includes(key))) {
      const hint = sameButCase ? ` (keys are case-sensitive: ${sameButCase}=)` : '';
      out.problems.push({ line, message: `unknown key ${key}= in section [${section}]${hint}; systemd ignores it` });
      return true;
    }
    out.assignments.push({ section, key, value, line });
    return true;
  };

  const lines = (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n|\0/);
  if (lines[lines.length - 1] === '') lines.pop();
  // The continuation is kept as parts with a running byte count: joining and
  // measuring it again on every line would be quadratic in a file of "\\" lines.
  let bytes = 0;
  for (const [index, buf] of lines.entries()) {
    const line = index + 1;
    // A comment is a line whose first non-blank is # or ;, also inside a continuation.
    let k = 0;
    while (k < buf.length && isBlank(buf[k]!)) k++;
    if (buf[k] === '#' || buf[k] === ';') continue;
    bytes = (continuation === null ? 0 : bytes) + utf8Length(buf);
    if (bytes > LONG_LINE_MAX) {
      out.problems.push({ line, message: 'line longer than 1 MiB; systemd stops reading the file here' });
      out.aborted = true;
      return out;
    }
    if (continuation === null) {
      startLine = line;
      continuation = [];
    }
    // The previous part ended in a blank (the backslash replaced), so only this line's backslashes count.
    if (endsEscaped(buf)) {
      continuation.push(buf.slice(0, -1) + ' ');
      continue;
    }
    continuation.push(buf);
    const joined = continuation.join('');
    continuation = null;
    if (!parseLine(joined, startLine)) {
      out.aborted = true;
      return out;
    }
  }
  // A file that ends inside a continuation: systemd parses what it has.
  if (continuation !== null && !parseLine(continuation.join(''), startLine)) out.aborted = true;
  return out;
}

// ---------------------------------------------------------------------------
// Words: extract_first_word() with EXTRACT_UNQUOTE, optionally EXTRACT_CUNESCAPE.

/** One word of a value: its text, and whether its bytes were valid UTF-8. */
export interface Word {
  text: string;
  validUtf8: boolean;
}

/** The words of a value, and the syntax error that ended the split early, if any. */
export interface WordSplit {
  words: Word[];
  /** Set when an escape or quote was invalid: systemd drops everything from that word on. */
  error?: string;
}


/** UTF-8 bytes of a code point, surrogates included (systemd encodes them; validation then rejects them). */
function encodePoint(cp: number): number[] {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)];
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, s: 32 };

/** systemd's unichar_is_valid(): no surrogates, non-characters or values past U+10FFFF. */
function validUnichar(cp: number): boolean {
  return cp < 0x110000 && (cp & 0xfffff800) !== 0xd800 && !(cp >= 0xfdd0 && cp <= 0xfdef) && (cp & 0xfffe) !== 0xfffe;
}

/**
 * cunescape_one(): the escape after a backslash at `s[i]`. Returns the bytes it
 * stands for and how many characters it used, or null when systemd rejects it.
 */
function cunescapeOne(s: string, i: number): { bytes: number[]; used: number } | null {
  const c = s[i];
  if (c === undefined) return null;
  if (c in SIMPLE_ESCAPES) return { bytes: [SIMPLE_ESCAPES[c]!], used: 1 };
  if (c === 'x' || c === 'u' || c === 'U') {
    const width = c === 'x' ? 2 : c === 'u' ? 4 : 8;
    const digits = s.slice(i + 1, i + 1 + width);
    const v = digits.length === width && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : 0;
    // NUL is never allowed; \U must be a valid character; \x is a raw byte.
    if (v === 0 || (c === 'U' && !validUnichar(v))) return null;
    return { bytes: c === 'x' ? [v] : encodePoint(v), used: width + 1 };
  }
  const octal = s.slice(i, i + 3);
  const v = /^[0-7]{3}$/.test(octal) ? parseInt(octal, 8) : 0;
  return v === 0 || v > 255 ? null : { bytes: [v], used: 3 };
}

/** Append a code point's UTF-8 bytes. */
function pushPoint(bytes: number[], cp: number): void {
  if (cp < 0x80) bytes.push(cp);
  else bytes.push(...encodePoint(cp));
}

/**
 * Split a value into words the way systemd's extract_first_word() does with
 * EXTRACT_UNQUOTE: blanks separate words, `"` and `'` quote spans anywhere in
 * a word (the quotes are removed), and a backslash escapes the next character
 * (with `cunescape`, a C escape; an unknown one is a syntax error).
 */
export function splitWords(value: string, cunescape: boolean): WordSplit {
  const words: Word[] = [];
  const n = value.length;
  let i = 0;
  for (;;) {
    while (i < n && isBlank(value[i]!)) i++;
    if (i >= n) return { words };
    const bytes: number[] = [];
    let quote: string | null = null;
    while (i < n) {
      const cp = value.codePointAt(i)!;
      const c = value[i]!;
      if (c === '\\') {
        const next = value.codePointAt(i + 1);
        const esc = cunescape ? cunescapeOne(value, i + 1) : next === undefined ? null : { bytes: encodePoint(next), used: next > 0xffff ? 2 : 1 };
        if (!esc) return { words, error: `an invalid escape "\\${String.fromCodePoint(next ?? 0x20).trim()}"` };
        bytes.push(...esc.bytes);
        i += 1 + esc.used;
        continue;
      }
      i += cp > 0xffff ? 2 : 1;
      if (quote !== null) {
        if (c === quote) quote = null;
        else pushPoint(bytes, cp);
      } else if (c === '"' || c === "'") quote = c;
      else if (isBlank(c)) break;
      else pushPoint(bytes, cp);
    }
    if (quote !== null) return { words, error: `an unterminated ${quote} quote` };
    words.push(decodeWord(bytes));
  }
}

function decodeWord(bytes: number[]): Word {
  // Short ASCII words (nearly all) skip the decoder; long ones would overflow fromCharCode's arguments.
  if (bytes.length <= 1024 && bytes.every((b) => b < 0x80)) return { text: String.fromCharCode(...bytes), validUtf8: true };
  const raw = Uint8Array.from(bytes);
  try {
    // Decoders are made here, not at load: most words are short ASCII and never get here.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(raw), validUtf8: true };
  } catch {
    return { text: new TextDecoder('utf-8').decode(raw), validUtf8: false };
  }
}

// ---------------------------------------------------------------------------
// The environment settings.

/** One variable set by `Environment=` (or `DefaultEnvironment=`). */
export interface EnvWord {
  name: string;
  value: string;
  /** Specifiers whose value is not known offline; they stay literal in `value`. */
  unresolved?: string[];
}

/** What one `Environment=` line does. */
export interface EnvironmentLine {
  /** An empty value: the list is cleared. */
  reset: boolean;
  assignments: EnvWord[];
  /** Words systemd drops, with the reason. */
  problems: string[];
}

function specifierProblem(word: string, unknown: string): string {
  return `${JSON.stringify(redactText(word))} uses the unknown specifier %${unknown}, so systemd drops the word (write %% for a literal %)`;
}

/**
 * Parse the value of `Environment=`: split into words with quotes and C
 * escapes, expand specifiers per word, and keep the words that are valid
 * `NAME=VALUE` assignments. An invalid escape or open quote drops the rest of
 * the line; every other problem drops only its word.
 */
export function parseEnvironmentValue(value: string, specifiers: SpecifierTable): EnvironmentLine {
  const out: EnvironmentLine = { reset: value === '', assignments: [], problems: [] };
  const split = splitWords(value, true);
  for (const word of split.words) {
    const expanded = expandSpecifiers(word.text, specifiers);
    if ('unknown' in expanded) {
      out.problems.push(specifierProblem(word.text, expanded.unknown));
      continue;
    }
    const eq = expanded.text.indexOf('=');
    const name = eq < 0 ? '' : expanded.text.slice(0, eq);
    // env_assignment_is_valid() also bounds the length by ARG_MAX (2 MiB), which the 1 MiB line limit keeps out of reach.
    if (!isValidEnvName(name) || !word.validUtf8) {
      out.problems.push(`${JSON.stringify(redactText(expanded.text))} is not a valid NAME=VALUE assignment, so systemd drops it (quote values that contain blanks)`);
      continue;
    }
    const assignment: EnvWord = { name, value: expanded.text.slice(eq + 1) };
    if (expanded.unresolved.length > 0) assignment.unresolved = expanded.unresolved;
    out.assignments.push(assignment);
  }
  if (split.error) out.problems.push(`${split.error}; systemd drops the rest of the line`);
  return out;
}

/** What one `PassEnvironment=` or `UnsetEnvironment=` line does. */
export interface NameListLine {
  reset: boolean;
  /** Variable names (or, for UnsetEnvironment=, NAME=VALUE assignments). */
  items: string[];
  problems: string[];
}

/**
 * Parse `PassEnvironment=` (names; quotes but no C escapes) or
 * `UnsetEnvironment=` (names or NAME=VALUE; quotes and C escapes).
 */
export function parseNameList(value: string, kind: 'PassEnvironment' | 'UnsetEnvironment', specifiers: SpecifierTable): NameListLine {
  const out: NameListLine = { reset: value === '', items: [], problems: [] };
  const split = splitWords(value, kind === 'UnsetEnvironment');
  for (const word of split.words) {
    const expanded = expandSpecifiers(word.text, specifiers);
    if ('unknown' in expanded) {
      out.problems.push(specifierProblem(word.text, expanded.unknown));
      continue;
    }
    const text = expanded.text;
    const eq = text.indexOf('=');
    const valid = kind === 'UnsetEnvironment' && eq >= 0 ? isValidEnvName(text.slice(0, eq)) && word.validUtf8 : isValidEnvName(text);
    if (!valid) {
      out.problems.push(`${JSON.stringify(redactText(text))} is not a valid variable name${kind === 'UnsetEnvironment' ? ' or assignment' : ''}, so systemd drops it`);
      continue;
    }
    out.items.push(text);
  }
  if (split.error) out.problems.push(`${split.error}; systemd drops the rest of the line`);
  return out;
}

/** What one `EnvironmentFile=` line does. */
export interface EnvironmentFileLine {
  reset: boolean;
  /** The normalised absolute path (a glob pattern), or null when systemd ignores the line. */
  path: string | null;
  /** A leading `-`: a missing file is not an error. */
  optional: boolean;
  unresolved?: string[];
  problem?: string;
}

/**
 * Parse `EnvironmentFile=`: the whole value is one path (blanks included),
 * specifiers expanded, an optional leading `-`, then it must be absolute and
 * normalised (`//` and `.` collapse; `..` makes systemd ignore the line).
 */
export function parseEnvironmentFileValue(value: string, specifiers: SpecifierTable): EnvironmentFileLine {
  if (value === '') return { reset: true, path: null, optional: false };
  const expanded = expandSpecifiers(value, specifiers);
  if ('unknown' in expanded) return { reset: false, path: null, optional: false, problem: specifierProblem(value, expanded.unknown) };
  const optional = expanded.text.startsWith('-');
  const path = optional ? expanded.text.slice(1) : expanded.text;
  const base = { reset: false, optional, ...(expanded.unresolved.length > 0 ? { unresolved: expanded.unresolved } : {}) };
  if (!path.startsWith('/')) return { ...base, path: null, problem: `the path ${JSON.stringify(path)} is not absolute; systemd ignores the line` };
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { ...base, path: null, problem: `the path ${JSON.stringify(path)} is not normalized (it has ".."); systemd ignores the line` };
  return { ...base, path: '/' + parts.join('/') };
}
