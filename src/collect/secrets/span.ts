/**
 * What every format's secret finder returns, and how the spans are applied.
 * A finder parses the raw text the way the component does, decides which
 * values are secrets by where they sit (a TOML path, an `Environment=` word,
 * an env-file name, a URL's userinfo), and maps each back to the raw
 * characters that produced it. The replacement is written so that the format
 * reads it back as the marker in the same place: quotes and escapes around it
 * are kept, a quote opened or closed inside the span is opened or closed
 * again, and line breaks inside it are kept so every later line keeps its
 * number.
 */

/** One secret in a text. */
export interface SecretSpan {
  /** Raw offsets (UTF-16 units) of the characters that spell the secret. */
  start: number;
  end: number;
  /** The secret as the component reads it (after unquoting and escapes). */
  value: string;
  /** The raw text to put in place of [start, end) for a given marker. */
  replacement: (marker: string) => string;
  /** Set when the secret is masked in place rather than replaced by a marker (a file that does not parse). */
  masked?: boolean;
  /** Set for a value that is not a string (a bare TOML number), which masking keeps a number. */
  bare?: boolean;
}

/** A text with its secrets replaced, and the markers put in, in text order. */
export interface Redacted {
  text: string;
  markers: string[];
  /** How many secrets were masked in place. */
  masked: number;
}

/**
 * Replace the spans (outer spans win over spans inside them; partly
 * overlapping later spans are dropped, the earlier one already covers the
 * secret's start).
 */
export function applySpans(text: string, spans: readonly SecretSpan[], marker: (value: string) => string): Redacted {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let copied = 0;
  const markers: string[] = [];
  let masked = 0;
  for (const s of sorted) {
    if (s.start < copied || s.value === '') continue;
    const m = s.masked ? '' : marker(s.value);
    out += text.slice(copied, s.start) + s.replacement(m);
    if (s.masked) masked++;
    else markers.push(m);
    copied = s.end;
  }
  return { text: out + text.slice(copied), markers, masked };
}

/**
 * A value decoded from raw text, with where each of its UTF-16 units came
 * from: `from[i]`..`to[i]` are the raw offsets of the characters that produced
 * unit i (an escape such as `\x40` spans several).
 */
export interface Decoded {
  text: string;
  from: number[];
  to: number[];
}

/** A decoded value built unit by unit. */
export class DecodedBuilder {
  text = '';
  readonly from: number[] = [];
  readonly to: number[] = [];

  /** Append decoded text that came from raw [from, to). */
  push(decoded: string, from: number, to: number): void {
    for (let i = 0; i < decoded.length; i++) {
      this.from.push(from);
      this.to.push(to);
    }
    this.text += decoded;
  }

  build(): Decoded {
    return { text: this.text, from: this.from, to: this.to };
  }
}

/** The raw span of decoded units [a, b) (b > a). */
export function rawSpan(d: Decoded, a: number, b: number): { start: number; end: number } {
  return { start: d.from[a]!, end: d.to[b - 1]! };
}

/** Names of environment variables whose value is a credential whatever it looks like. */
const SECRET_NAME = /(?:^|_)SECRET|PASSWORD|PASSWD|PASSPHRASE|(?:^|_)TOKEN$|(?:^|_)(?:API|ACCESS|PRIVATE)_?KEY$|(?:^|_)CREDENTIALS?$|(?:^|_)AUTH$/i;

/** Whether an environment variable's name says its value is a secret (`*_TOKEN`, `*_SECRET*`, `AWS_SECRET_ACCESS_KEY`, `*PASSWORD*`, …). */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/** Whether a variable is one Go's httpproxy reads, which accepts a value without a scheme. */
export const isProxyName = (name: string): boolean => /_proxy$/i.test(name) && !/^no_proxy$/i.test(name);
