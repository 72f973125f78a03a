/**
 * Secrets in systemd unit files, drop-ins and system.conf (`Environment=`,
 * `DefaultEnvironment=`, `UnsetEnvironment=`, and URL passwords in any other
 * setting's words), and in the `Environment=` line `systemctl show` prints.
 *
 * The text is read as systemd reads it (conf-parser.c: comments, continuation
 * lines whose backslash becomes a blank; extract_first_word() with
 * EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE: quotes anywhere in a word, C escapes such
 * as `\x40`), so a secret is found in the word systemd builds, whatever quoting
 * and escaping spelled it. Its raw characters are then replaced so systemd
 * builds the same word with the marker in its place:
 *
 * - a quote opened or closed inside the secret is opened or closed again
 *   after the marker, so the rest of the line splits as before;
 * - what made systemd drop the word or the rest of the line stays: an unknown
 *   `%` specifier (`p%40ss` in a password: `%4` is unknown, the word is
 *   dropped) or an invalid escape is written again after the marker;
 * - a continuation line inside the secret keeps its line break.
 *
 * `%` specifiers are not expanded here (the unit's name and the host decide
 * them); `%%` counts as the `%` it stands for.
 */
import { isSecretName, isProxyName, type SecretSpan } from './span.js';
import { passwordReplacement, urlPasswords } from './url.js';

const ENVIRONMENT_KEYS = new Set(['environment', 'defaultenvironment', 'unsetenvironment']);
const BLANKS = ' \t\n\r';
const SIMPLE: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39, s: 32 };

/** A logical line: its text, where each unit came from, and where continuation backslashes were. */
interface Logical {
  text: string;
  /** File offset of each unit of `text`: at[base + i] (one array for the whole file). */
  at: Int32Array;
  base: number;
  /** Units of `text` that stand for a continuation backslash, with the raw text from it to the next part. */
  breaks: Map<number, string>;
}

/** conf-parser.c's lines: comment lines (also inside a continuation) skipped, continued lines joined. */
function logicalLines(text: string): Logical[] {
  const out: Logical[] = [];
  const at = new Int32Array(text.length + 1);
  let n = 0;
  const offset = text.startsWith('\uFEFF') ? 1 : 0;
  const physical: { text: string; at: number }[] = [];
  for (const m of text.slice(offset).matchAll(/([^\r\n\0]*)(\r\n|\r|\n|\0|$)/g)) {
    if (m[0] === '' && m.index + offset >= text.length) break;
    physical.push({ text: m[1]!, at: offset + m.index });
  }
  let current: Logical | null = null;
  let pendingBreak: { unit: number; from: number } | null = null;
  for (const line of physical) {
    const trimmed = line.text.trimStart();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    current ??= { text: '', at, base: n, breaks: new Map() };
    if (pendingBreak) {
      current.breaks.set(pendingBreak.unit, text.slice(pendingBreak.from, line.at));
      pendingBreak = null;
    }
    let backslashes = 0;
    for (let i = line.text.length - 1; i >= 0 && line.text[i] === '\\'; i--) backslashes++;
    const continued = backslashes % 2 === 1;
    const keep = continued ? line.text.length - 1 : line.text.length;
    for (let i = 0; i < keep; i++) at[n++] = line.at + i;
    current.text += line.text.slice(0, keep);
    if (continued) {
      pendingBreak = { unit: current.text.length, from: line.at + keep };
      at[n++] = line.at + keep;
      current.text += ' ';
      continue;
    }
    out.push(current);
    current = null;
  }
  if (current) out.push(current);
  return out;
}

/** One word of a value: its decoded text, the value units each char came from, and the quote state before every unit. */
interface WordChar {
  c: string;
  from: number;
  to: number;
  /** Made from bytes that are not UTF-8 (systemd then drops the word). */
  bad?: true;
}

interface SplitValue {
  /** Each word's raw range in the value. */
  words: { start: number; end: number }[];
  /** Quote state before each unit of the value (0 outside quotes, else the quote's code), and after the last. */
  state: Uint16Array;
}

function cunescape(s: string, i: number): { bytes: number[]; used: number } | null {
  const c = s[i];
  if (c === undefined) return null;
  if (c in SIMPLE) return { bytes: [SIMPLE[c]!], used: 1 };
  if (c === 'x' || c === 'u' || c === 'U') {
    const width = c === 'x' ? 2 : c === 'u' ? 4 : 8;
    const digits = s.slice(i + 1, i + 1 + width);
    const v = digits.length === width && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : 0;
    if (v === 0 || v > 0x10ffff) return null;
    return { bytes: c === 'x' ? [v] : [...Buffer.from(String.fromCodePoint(v >= 0xd800 && v <= 0xdfff ? 0xfffd : v))], used: width + 1 };
  }
  const octal = s.slice(i, i + 3);
  const v = /^[0-7]{3}$/.test(octal) ? parseInt(octal, 8) : 0;
  return v === 0 || v > 255 ? null : { bytes: [v], used: 3 };
}

/** How many units an escape at `i` (its backslash) takes, leniently (an invalid one is its backslash and one character). */
function escapeWidth(value: string, i: number, unescape: boolean): number {
  const esc = unescape ? cunescape(value, i + 1) : null;
  if (esc) return 1 + esc.used;
  const next = value.codePointAt(i + 1);
  return next === undefined ? 1 : next > 0xffff ? 3 : 2;
}

/**
 * extract_first_word() over a whole value, leniently (an invalid escape is read
 * as its characters: systemd stops there, and what follows is still hidden):
 * where each word is, and the quote state at every unit. No word is decoded
 * here; most never need to be.
 */
function split(value: string, unescape: boolean): SplitValue {
  const words: { start: number; end: number }[] = [];
  const state = new Uint16Array(value.length + 1);
  let quote = '';
  let start = -1;
  for (let i = 0; i < value.length;) {
    state[i] = quote === '' ? 0 : quote.charCodeAt(0);
    const c = value[i]!;
    if (c === '\\') {
      if (start < 0) start = i;
      const used = escapeWidth(value, i, unescape);
      for (let k = i + 1; k < i + used && k < value.length; k++) state[k] = state[i]!;
      i += used;
      continue;
    }
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      if (start < 0) start = i;
      quote = c;
    } else if (BLANKS.includes(c)) {
      if (start >= 0) words.push({ start, end: i });
      start = -1;
    } else if (start < 0) start = i;
    i++;
  }
  state[value.length] = quote === '' ? 0 : quote.charCodeAt(0);
  if (start >= 0) words.push({ start, end: value.length });
  return { words, state };
}

/** One word decoded: its characters, each with the raw range that made it (quotes dropped, escapes applied). */
function decodeWord(value: string, start: number, end: number, unescape: boolean): WordChar[] {
  const bytes: { b: number; from: number; to: number }[] = [];
  let quote = '';
  for (let i = start; i < end;) {
    const c = value[i]!;
    if (c === '\\') {
      const esc = unescape ? cunescape(value, i + 1) : null;
      const used = escapeWidth(value, i, unescape);
      // A valid escape stands for its bytes; without C escapes (or an invalid one) the next character stands for itself.
      const raw = esc ? esc.bytes : [...Buffer.from(value.slice(i + 1, i + used))];
      for (const b of raw) bytes.push({ b, from: i, to: i + used });
      i += used;
      continue;
    }
    const code = value.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < end ? 2 : 1;
    if (quote === '' && (c === '"' || c === "'")) quote = c;
    else if (quote !== '' && c === quote) quote = '';
    else if (code < 0x80) bytes.push({ b: code, from: i, to: i + 1 });
    else for (const b of Buffer.from(value.slice(i, i + width))) bytes.push({ b, from: i, to: i + width });
    i += width;
  }
  return decode(bytes);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes back to characters, each with the raw range of its bytes (a bad sequence is U+FFFD per byte, marked bad). */
function decode(bytes: { b: number; from: number; to: number }[]): WordChar[] {
  const out: WordChar[] = [];
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!.b;
    if (b < 0x80) {
      out.push({ c: String.fromCharCode(b), from: bytes[i]!.from, to: bytes[i]!.to });
      i++;
      continue;
    }
    const len = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    const chunk = bytes.slice(i, i + len);
    let text: string | null = null;
    if (len > 1 && chunk.length === len) {
      try {
        text = STRICT_UTF8.decode(Uint8Array.from(chunk.map((x) => x.b)));
      } catch {
        // A byte that does not start a valid sequence stands for itself.
      }
    }
    const used = text === null ? 1 : len;
    const chars = text ?? '\uFFFD';
    for (let k = 0; k < chars.length; k++)
      out.push({ c: chars[k]!, from: bytes[i]!.from, to: bytes[i + used - 1]!.to, ...(text === null ? { bad: true as const } : {}) });
    i += used;
  }
  return out;
}

/** How the word text is written inside a unit's value (any quote state): `%` doubled, quotes, backslashes, blanks and controls as C escapes. */
const WORD_ESCAPES: Readonly<Record<string, string>> = { '%': '%%', '\\': '\\\\', '"': '\\"', "'": "\\'" };
function encodeWord(text: string): string {
  return text.replace(/[%\\"'\x00-\x20\x7f]/g, (c) => WORD_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * What decides whether systemd keeps the word or the rest of its line, in the
 * raw text of a secret: written again after the marker. Every `%` specifier
 * is kept (which ones are unknown depends on the unit and the file: an
 * unknown one drops the word, `%n` is unknown in system.conf), and every
 * escape systemd rejects (it drops the rest of the line).
 */
function poisonIn(raw: string, unescape: boolean): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%') {
      const s = raw[i + 1];
      if (s !== undefined && /[A-Za-z0-9]/.test(s)) {
        out += `%${s}`;
        // Where the specifier stays unexpanded, the hex digits after it decide whether Go reads a valid
        // %XX escape: their count is kept (as zeros), never their value.
        for (let k = i + 2; k < i + 4 && /[0-9A-Fa-f]/.test(raw[k] ?? ''); k++) out += '0';
      }
      i++;
    } else if (raw[i] === '\\') {
      if (unescape && cunescape(raw, i + 1) === null) out += raw.slice(i, i + 2);
      i++;
    }
  }
  return out;
}

/**
 * Bytes that are not UTF-8 inside a secret make systemd drop its word (or, read
 * raw from a file that is not UTF-8, its line): keep one such byte after the
 * marker, as the escape or the character that stood for it.
 */
function invalidIn(chars: readonly WordChar[], unescape: boolean): string {
  if (chars.some((c) => c.c === '\uFFFD' && !c.bad)) return '\uFFFD';
  return unescape && chars.some((c) => c.bad) ? '\\xff' : '';
}

/**
 * The secrets in one value: `NAME=VALUE` words (a secret-named variable's
 * whole value, a URL's password), or with `assignments` false any word's URL
 * passwords. `value` is in logical-line units; `at` maps them to file offsets.
 */
function valueSecrets(
  value: string,
  place: (from: number, to: number) => { start: number; end: number; breaks: string },
  assignments: boolean,
  unescape: boolean,
): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const { words, state } = split(value, unescape);
  for (const range of words) {
    // Only a word with an @ (a URL's userinfo), an escape (which may spell one, or a name) or a
    // credential's name can hold a secret: the rest are never decoded.
    const rawWord = value.slice(range.start, range.end);
    if (!/[@\\]/.test(rawWord) && !(assignments && isSecretName(rawWord.replace(/["']/g, '').split('=')[0]!))) continue;
    const word = decodeWord(value, range.start, range.end, unescape);
    const text = word.map((w) => w.c).join('');
    const eq = assignments ? text.indexOf('=') : -1;
    if (assignments && eq <= 0) continue;
    const name = text.slice(0, Math.max(eq, 0));
    // `%%` stands for one `%`: the value as it is after expansion, specifiers aside.
    const chars: WordChar[] = [];
    for (let k = eq + 1; k < word.length; k++) {
      if (word[k]!.c === '%' && word[k + 1]?.c === '%') {
        chars.push({ c: '%', from: word[k]!.from, to: word[k + 1]!.to });
        k++;
      } else chars.push(word[k]!);
    }
    const v = chars.map((w) => w.c).join('');
    const regions =
      assignments && isSecretName(name)
        ? [{ start: 0, end: v.length, url: null }]
        : urlPasswords(v, isProxyName(name)).map((p) => ({ start: p.start, end: p.end, url: p }));
    for (const r of regions) {
      if (r.end <= r.start) continue;
      const from = chars[r.start]!.from;
      const to = chars[r.end - 1]!.to;
      const raw = value.slice(from, to);
      const [before, after] = [state[from]!, state[to]!].map((q) => (q === 0 ? '' : String.fromCharCode(q)));
      const reopen = before === after ? '' : `${before}${after}`;
      const { start, end, breaks } = place(from, to);
      spans.push({
        start,
        end,
        value: v.slice(r.start, r.end),
        replacement: (m) =>
          `${encodeWord(r.url ? passwordReplacement(v, r.url, m) : m)}${poisonIn(raw, unescape)}${invalidIn(chars.slice(r.start, r.end), unescape)}${breaks}${reopen}`,
      });
    }
  }
  return spans;
}

/** The secrets of a unit file, drop-in or system.conf. */
export function unitSecrets(text: string): SecretSpan[] {
  // A secret needs a URL's "@" or a credential's name, which escapes may spell.
  if (!/@|\\|SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|KEY|CREDENTIAL|AUTH/i.test(text)) return [];
  const spans: SecretSpan[] = [];
  for (const line of logicalLines(text)) {
    const l = line.text;
    let start = 0;
    while (start < l.length && BLANKS.includes(l[start]!)) start++;
    const eq = l.indexOf('=');
    if (l[start] === '[' || eq < 0) continue;
    const key = l.slice(start, eq).trim().toLowerCase();
    let vs = eq + 1;
    while (vs < l.length && BLANKS.includes(l[vs]!)) vs++;
    let ve = l.length;
    while (ve > vs && BLANKS.includes(l[ve - 1]!)) ve--;
    const env = ENVIRONMENT_KEYS.has(key);
    // A continuation inside a secret keeps its line break (and the comment lines in it), written after the marker.
    const at = (u: number): number => line.at[line.base + u]!;
    const place = (from: number, to: number): { start: number; end: number; breaks: string } => {
      let breaks = '';
      let end = at(vs + to - 1) + 1;
      for (let u = vs + from; u < vs + to; u++) {
        const b = line.breaks.get(u);
        if (b === undefined) continue;
        breaks += b;
        if (u === vs + to - 1) end = at(u) + b.length;
      }
      return { start: at(vs + from), end, breaks };
    };
    spans.push(...valueSecrets(l.slice(vs, ve), place, env, key !== 'passenvironment'));
  }
  return spans;
}

/** The secrets in `systemctl show` output: its `Environment=` line, quoted and escaped as Environment= is written. */
export function showSecrets(text: string): SecretSpan[] {
  const m = /^Environment=(.*)$/m.exec(text);
  if (!m) return [];
  const start = m.index + 'Environment='.length;
  return valueSecrets(m[1]!, (from, to) => ({ start: start + from, end: start + to, breaks: '' }), true, true);
}
