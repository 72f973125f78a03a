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
import { redactText } from './redact.js';
import { isBlank, WHITESPACE } from './systemd-unit/words.js';

// Words and the environment settings' values live in ./systemd-unit/; everything stays importable from here.
export { splitWords, type Word, type WordSplit } from './systemd-unit/words.js';
export {
  parseEnvironmentFileValue,
  parseEnvironmentValue,
  parseNameList,
  type EnvironmentFileLine,
  type EnvironmentLine,
  type EnvWord,
  type NameListLine,
} from './systemd-unit/environment.js';

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
