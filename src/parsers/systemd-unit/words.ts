/**
 * The words of a unit-file value: extract_first_word() with EXTRACT_UNQUOTE,
 * optionally EXTRACT_CUNESCAPE (systemd src/basic/extract-word.c and
 * src/basic/escape.c), as src/parsers/systemd-unit.ts documents.
 */

export const WHITESPACE = ' \t\n\r';
export const isBlank = (c: string): boolean => WHITESPACE.includes(c);

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
 * (with `cunescape`, a C escape; an unknown one is a syntax error, or, with
 * `relax` (EXTRACT_UNESCAPE_RELAX, as `ExecStart=` uses), kept as written).
 */
export function splitWords(value: string, cunescape: boolean, relax = false): WordSplit {
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
        const literal = next === undefined ? null : { bytes: encodePoint(next), used: next > 0xffff ? 2 : 1 };
        const esc = cunescape ? (cunescapeOne(value, i + 1) ?? (relax && literal ? { bytes: [92, ...literal.bytes], used: literal.used } : null)) : literal;
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
