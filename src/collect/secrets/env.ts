/**
 * Secrets in environment files: systemd's env-file syntax (EnvironmentFile=,
 * /etc/default/kubelet, kubeadm-flags.env; the state machine of
 * src/basic/env-file.c, as src/parsers/env-file.ts reads it), /etc/environment
 * as pam_env reads it, and the simple assignments of /etc/profile.d scripts.
 * A variable whose name says it holds a credential (`*_TOKEN`, `*_SECRET*`,
 * `AWS_SECRET_ACCESS_KEY`, `*PASSWORD*`, …) is hidden whole; any other value is
 * searched for URL passwords (a proxy variable also without a scheme).
 */
import { isValidEnvName } from '../../parsers/env-file.js';
import { isProxyName, isSecretName, type SecretSpan } from './span.js';
import { passwordReplacement, urlPasswords } from './url.js';

/**
 * One assignment: its name and its value, with for every unit of the value the
 * raw offsets that produced it and the quote state it was read in (typed
 * arrays shared by a whole file: a file may hold a value of megabytes).
 */
interface Assignment {
  name: string;
  value: string;
  from: Int32Array;
  to: Int32Array;
  /** 0 outside quotes, else the quote's code. */
  quote: Uint16Array;
  /** The quote state before each raw offset is read ('' outside quotes), when the format has quotes that span words. */
  quoteAt?: Uint16Array;
}

const UTF16 = new TextDecoder('utf-16le');

/** The values of one text, unit by unit, in typed arrays as long as the text (no value is longer). */
class Values {
  private n = 0;
  private start = 0;
  private readonly codes: Uint16Array;
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly quote: Uint16Array;

  constructor(size: number) {
    this.codes = new Uint16Array(size);
    this.from = new Int32Array(size);
    this.to = new Int32Array(size);
    this.quote = new Uint16Array(size);
  }

  /** Units of the value being built. */
  get length(): number {
    return this.n - this.start;
  }

  add(c: string, from: number, to: number, quote: string): void {
    for (let k = 0; k < c.length; k++) {
      this.codes[this.n] = c.charCodeAt(k);
      this.from[this.n] = from;
      this.to[this.n] = to;
      this.quote[this.n] = quote === '' ? 0 : quote.charCodeAt(0);
      this.n++;
    }
  }

  /** Keep the value's first `length` units. */
  truncate(length: number): void {
    this.n = this.start + length;
  }

  /** The value built since the last one, as an assignment. */
  done(name: string, quoteAt?: Uint16Array): Assignment {
    const [a, b] = [this.start, this.n];
    this.start = this.n;
    return {
      name,
      value: UTF16.decode(this.codes.subarray(a, b)),
      from: this.from.subarray(a, b),
      to: this.to.subarray(a, b),
      quote: this.quote.subarray(a, b),
      ...(quoteAt ? { quoteAt } : {}),
    };
  }

  /** Drop the value being built (a line that was not an assignment). */
  drop(): void {
    this.n = this.start;
  }
}

const NEWLINE = '\n\r';
const WHITESPACE = ' \t\n\r';
const SHELL_NEED_ESCAPE = '"\\`$';

/** env-file.c's parser, keeping offsets. */
function envFileAssignments(text: string): Assignment[] {
  const out: Assignment[] = [];
  let state = 'preKey';
  let key = '';
  const value = new Values(text.length + 1);
  let trim = 0;
  let escapeAt = 0;
  const quoteAt = new Uint16Array(text.length + 1);
  const push = (): void => {
    out.push(value.done(key.trim().split(/\s+/).pop()!, quoteAt));
    key = '';
  };
  const quoteOf = (): number => (state === 'single' ? 39 : state === 'double' || state === 'doubleEscape' ? 34 : 0);
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  for (; i < text.length;) {
    quoteAt[i] = quoteOf();
    const code = text.charCodeAt(i);
    const c = code >= 0xd800 && code <= 0xdbff ? text.slice(i, i + 2) : text[i]!;
    const next = i + c.length;
    const newline = NEWLINE.includes(c);
    switch (state) {
      case 'preKey':
        if (c === '#' || c === ';') state = 'comment';
        else if (!WHITESPACE.includes(c)) {
          state = 'key';
          key = c;
        }
        break;
      case 'key':
        if (newline) {
          state = 'preKey';
          key = '';
        } else if (c === '=') {
          state = 'preValue';
          value.drop();
          trim = 0;
        } else key += c;
        break;
      case 'preValue':
        if (newline) {
          state = 'preKey';
          push();
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') {
          state = 'valueEscape';
          escapeAt = i;
        } else if (!WHITESPACE.includes(c)) {
          state = 'value';
          value.add(c, i, next, '');
          trim = value.length;
        }
        break;
      case 'value':
        if (newline) {
          value.truncate(trim);
          state = 'preKey';
          push();
        } else if (c === '\\') {
          state = 'valueEscape';
          escapeAt = i;
        } else {
          value.add(c, i, next, '');
          if (!WHITESPACE.includes(c)) trim = value.length;
        }
        break;
      case 'valueEscape':
        state = 'value';
        if (!newline) {
          value.add(c, escapeAt, next, '');
          trim = value.length;
        }
        break;
      case 'single':
        if (c === "'") state = 'preValue';
        else value.add(c, i, next, "'");
        break;
      case 'double':
        if (c === '"') state = 'preValue';
        else if (c === '\\') {
          state = 'doubleEscape';
          escapeAt = i;
        } else value.add(c, i, next, '"');
        break;
      case 'doubleEscape':
        state = 'double';
        if (SHELL_NEED_ESCAPE.includes(c)) value.add(c, escapeAt, next, '"');
        else if (c !== '\n') {
          value.add('\\', escapeAt, escapeAt + 1, '"');
          value.add(c, i, next, '"');
        }
        break;
      case 'comment':
        if (newline) state = 'preKey';
        break;
    }
    i = next;
  }
  quoteAt[text.length] = quoteOf();
  if (state === 'value') value.truncate(trim);
  if (['preValue', 'value', 'valueEscape', 'single', 'double', 'doubleEscape'].includes(state)) push();
  return out;
}

/**
 * How text is written in a value read in a quote state. What is written is a
 * marker and what followed it to keep Go's verdict (a control character, `^`,
 * a `%` escape): never a quote, so single quotes take it as it is.
 */
function encodeEnv(text: string, quote: string): string {
  if (quote === "'") return text;
  if (quote === '"') return text.replace(/["\\`$]/g, '\\$&');
  return text.replace(/[\\'"\s]/g, '\\$&');
}

/** Spans of the secrets in assignments whose characters carry raw offsets. */
function assignmentSpans(assignments: Assignment[], encode: (text: string, quote: string) => string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const a of assignments) {
    const v = a.value;
    const regions = isSecretName(a.name)
      ? [{ start: 0, end: v.length, url: null }]
      : urlPasswords(v, isProxyName(a.name)).map((p) => ({ start: p.start, end: p.end, url: p }));
    for (const r of regions) {
      if (r.end <= r.start) continue;
      const [from, to] = [a.from[r.start]!, a.to[r.end - 1]!];
      const quote = a.quote[r.start] === 0 ? '' : String.fromCharCode(a.quote[r.start]!);
      // A quote closed inside the secret is closed after the marker (and the next one opened), so the rest reads as before.
      const [before, after] = [a.quoteAt?.[from] ?? 0, a.quoteAt?.[to] ?? 0].map((q) => (q === 0 ? '' : String.fromCharCode(q)));
      const reopen = before === after ? '' : `${before}${after}`;
      spans.push({
        start: from,
        end: to,
        value: v.slice(r.start, r.end),
        replacement: (m) => `${r.url ? encode(passwordReplacement(v, r.url, m), quote) : m}${reopen}`,
      });
    }
  }
  return spans;
}

/** The secrets of a file in systemd's env-file syntax. */
export function envFileSecrets(text: string): SecretSpan[] {
  if (!/@|=|\\/.test(text)) return [];
  return assignmentSpans(envFileAssignments(text), encodeEnv);
}

/** Lines of a text with their offsets. */
function* lines(text: string): Generator<{ line: string; at: number }> {
  let at = 0;
  for (const line of text.split('\n')) {
    yield { line, at };
    at += line.length + 1;
  }
}

/** The secrets of /etc/environment, read as src/parsers/shell-env.ts reads it (one pair of quotes around a value removed, nothing else). */
export function etcEnvironmentSecrets(text: string): SecretSpan[] {
  const assignments: Assignment[] = [];
  for (const { line, at } of lines(text)) {
    const m = /^(\s*(?:export\s+)?)([^=]*)=(\s*)(.*?)\s*$/.exec(line);
    if (!m || !isValidEnvName(m[2]!)) continue;
    let from = at + m[1]!.length + m[2]!.length + 1 + m[3]!.length;
    let raw = m[4]!;
    const q = raw[0];
    if (raw.length >= 2 && (q === '"' || q === "'") && raw.endsWith(q)) {
      raw = raw.slice(1, -1);
      from++;
    }
    const value = new Values(raw.length);
    for (let k = 0; k < raw.length; k++) value.add(raw[k]!, from + k, from + k + 1, '');
    assignments.push(value.done(m[2]!));
  }
  // pam_env takes the value as it is: nothing to escape.
  return assignmentSpans(fixWide(assignments), (t) => t);
}

/** The secrets of a profile script's simple assignments (NAME=word, export NAME=word), read as src/parsers/shell-env.ts reads them. */
export function profileSecrets(text: string): SecretSpan[] {
  const assignments: Assignment[] = [];
  const assign = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s'"#;]*)\s*(?:[;#].*)?$/;
  for (const { line, at } of lines(text)) {
    const m = assign.exec(line.replace(/\s+$/, ''));
    if (!m) continue;
    const word = m[3]!;
    const base = at + m[1]!.length + m[2]!.length + 1;
    const value = new Values(word.length);
    if (word.startsWith('"')) {
      for (let k = 1; k < word.length - 1; k++) {
        const escaped = word[k] === '\\';
        value.add(word[escaped ? k + 1 : k]!, base + k, base + k + (escaped ? 2 : 1), '"');
        if (escaped) k++;
      }
    } else {
      const quoted = word.startsWith("'") && word.length >= 2;
      const inner = quoted ? word.slice(1, -1) : word;
      for (let k = 0; k < inner.length; k++) value.add(inner[k]!, base + k + (quoted ? 1 : 0), base + k + (quoted ? 2 : 1), quoted ? "'" : '');
    }
    assignments.push(value.done(m[2]!));
  }
  // Only double quotes have escapes; what a marker is followed by is never a blank, quote, # or ;.
  return assignmentSpans(fixWide(assignments), (t, q) => (q === '"' ? t.replace(/["\\]/g, '\\$&') : t));
}

/** Characters outside the BMP were split into two units above; give both the pair's whole range. */
function fixWide(assignments: Assignment[]): Assignment[] {
  for (const a of assignments) {
    for (let k = 0; k + 1 < a.value.length; k++) {
      const code = a.value.charCodeAt(k);
      if (code >= 0xd800 && code <= 0xdbff) {
        a.to[k] = a.to[k + 1]!;
        a.from[k + 1] = a.from[k]!;
      }
    }
  }
  return assignments;
}
