/**
 * Secrets are replaced at collection time, before anything else sees them:
 * the snapshot, the model, every report and error message only ever hold a
 * marker with a short hash (so two nodes with the same secret still compare
 * equal). The marker keeps the text parseable: a URL keeps a valid userinfo,
 * a TOML string stays a string, a PEM block keeps its armour lines.
 */

/** The marker that replaces a secret; `hash` identifies the value without revealing it. */
export const redactedMarker = (hash: string): string => `redacted-${hash}`;

/** Whether a value is a redaction marker (so rules can say "present" without a value). */
export const isRedacted = (value: string): boolean => /^redacted-[0-9a-f]{12}$/.test(value);

/** A function from a secret to a short, stable hash of it. */
export type SecretHasher = (secret: string) => string;

// scheme://user:password@ (the password is what is hidden; user names stay readable). The
// password runs to the last "@" of the authority (before any "/"), as Go's parseAuthority reads it.
// A scheme starts where no scheme character precedes it, so each run of text is tried once
// (`\b` would retry every word of "a.a.a…" against the rest of the line: quadratic).
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):([^\s/'"]*)@/gi;
// A proxy variable without a scheme (Go's httpproxy then assumes http://): NAME=user:password@host.
const PROXY_USERINFO = /(_proxy\s*=\s*["']?)([^\s:@/"'=]*):([^\s/'"]*)@/gi;
// The armour line of a PEM private key.
const PEM_PRIVATE_BEGIN = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/g;
// A TOML credential key (bare, quoted or the last part of a dotted key) up to its "=".
// containerd's TOML decoders match field names case-insensitively, so `Password` counts too.
const TOML_CREDENTIAL_KEY = /(?:^|[\s{,.])(["']?)(?:password|auth|identitytoken)\1\s*=[ \t]*/gim;

/**
 * Where the TOML string value at `start` ends (exclusive): basic, literal and
 * multi-line strings; -1 when no string starts there. An unterminated string
 * runs to the end of its line (of the text, for a multi-line one): it is
 * hidden all the same, since a parse error may quote the line.
 */
function tomlStringEnd(text: string, start: number): number {
  for (const delim of ['"""', "'''"]) {
    if (text.startsWith(delim, start)) {
      const close = text.indexOf(delim, start + 3);
      if (close < 0) return text.length;
      let end = close + 3;
      // A multi-line string may end with up to two more quotes of its own.
      while (end < text.length && end - close < 5 && text[end] === delim[0]) end++;
      return end;
    }
  }
  const q = text[start];
  if (q !== '"' && q !== "'") return -1;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return i;
    if (c === q) return i + 1;
    if (c === '\\' && q === '"') i++;
  }
  return text.length;
}

/**
 * Replace a TOML string (with its quotes) by a marker between the same quotes;
 * an empty string stays, and an unterminated one stays unterminated (so a file
 * that does not parse still does not parse).
 */
function replaceString(quoted: string, hash: SecretHasher): string {
  const delim = quoted.startsWith('"""') || quoted.startsWith("'''") ? quoted.slice(0, 3) : quoted[0]!;
  const closed = quoted.length >= 2 * delim.length && quoted.endsWith(delim);
  const inner = quoted.slice(delim.length, closed ? quoted.length - delim.length : quoted.length);
  return inner === '' ? quoted : `${delim}${redactedMarker(hash(inner))}${closed ? delim : ''}`;
}

/** Hide every string value that follows a match of `key` (a global regex ending at the value). */
function redactValuesAfter(text: string, key: RegExp, hash: SecretHasher): string {
  let out = '';
  let copied = 0;
  key.lastIndex = 0;
  for (let m = key.exec(text); m !== null; m = key.exec(text)) {
    const start = m.index + m[0].length;
    const end = tomlStringEnd(text, start);
    if (end < 0) continue;
    out += text.slice(copied, start) + replaceString(text.slice(start, end), hash);
    copied = end;
    key.lastIndex = end;
  }
  return out + text.slice(copied);
}

/** Every string of a TOML value (`"a"`, `["a", "b"]`, `{ k = "a" }`) from `start` to the end of its line. */
function redactStringsInLine(line: string, start: number, hash: SecretHasher): string {
  let out = line.slice(0, start);
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '#') break;
    const end = c === '"' || c === "'" ? tomlStringEnd(line, i) : -1;
    if (end < 0) {
      out += c;
      i++;
      continue;
    }
    out += replaceString(line.slice(i, end), hash);
    i = end;
  }
  return out + line.slice(i);
}

// A table header: `[a.b]` or `[[a.b]]`, an optional comment after it.
const TABLE_HEADER = /^\s*\[{1,2}([^\]]*)\]{1,2}\s*(?:#.*)?$/;
// An inline header table: `header = {` or `headers = {`, its values up to the closing brace.
const INLINE_HEADERS = /(?:^|[\s{,])headers?\s*=\s*\{/gi;

/**
 * Header tables (`[host."https://r".header]`, `[...registry.headers]`) carry
 * bearer tokens: every string value in them is hidden, in the table form
 * (arrays spread over several lines included) and in the inline form
 * `header = { Authorization = "…" }`.
 */
function redactTomlHeaders(text: string, hash: SecretHasher): string {
  let inHeaderTable = false;
  return text
    .split('\n')
    .map((line) => {
      const header = TABLE_HEADER.exec(line);
      if (header) {
        inHeaderTable = /(?:^|\.)\s*["']?headers?["']?$/i.test(header[1]!.trim());
        return line;
      }
      if (inHeaderTable) {
        if (line.trimStart().startsWith('#')) return line;
        // Continuation lines of a multi-line array have no "=": all their strings are values.
        return redactStringsInLine(line, line.indexOf('=') + 1, hash);
      }
      INLINE_HEADERS.lastIndex = 0;
      const inline = INLINE_HEADERS.exec(line);
      return inline ? redactStringsInLine(line, inline.index + inline[0].length, hash) : line;
    })
    .join('\n');
}

/** Hide PEM private keys: armour lines kept, body replaced; an unterminated key is hidden to the end. */
function redactPrivateKeys(text: string, hash: SecretHasher): string {
  let out = '';
  let copied = 0;
  PEM_PRIVATE_BEGIN.lastIndex = 0;
  for (let m = PEM_PRIVATE_BEGIN.exec(text); m !== null; m = PEM_PRIVATE_BEGIN.exec(text)) {
    const endLine = `-----END ${m[1]!}PRIVATE KEY-----`;
    const close = text.indexOf(endLine, m.index + m[0].length);
    const stop = close < 0 ? text.length : close + endLine.length;
    out += `${text.slice(copied, m.index)}${m[0]}\n${redactedMarker(hash(text.slice(m.index, stop)))}\n${close < 0 ? '' : endLine}`;
    copied = stop;
    PEM_PRIVATE_BEGIN.lastIndex = stop;
  }
  return out + text.slice(copied);
}

/**
 * Hide every secret in a file's text. `path` decides which formats apply
 * (TOML rules for *.toml; a *.key file that is not PEM, such as a DER key, is
 * hidden whole). Every step is linear in the text, whatever it holds.
 */
export function redactSecrets(text: string, path: string, hash: SecretHasher): string {
  let out = text.replace(URL_PASSWORD, (_m, prefix: string, password: string) => `${prefix}:${redactedMarker(hash(password))}@`);
  out = out.replace(PROXY_USERINFO, (_m, prefix: string, user: string, password: string) => `${prefix}${user}:${redactedMarker(hash(password))}@`);
  out = redactPrivateKeys(out, hash);
  if (path.endsWith('.key') && out === text && text.trim() !== '' && !text.includes('-----BEGIN ')) return redactedMarker(hash(text));
  if (path.endsWith('.toml')) {
    out = redactValuesAfter(out, TOML_CREDENTIAL_KEY, hash);
    out = redactTomlHeaders(out, hash);
  }
  return out;
}

/**
 * Keep secrets out of findings. Proxy URLs carry credentials as userinfo
 * (`http://user:password@host:port`, sent as Proxy-Authorization), and a value
 * systemd splits apart can leave a password fragment in a word of its own.
 */

/** A URL with the password of its userinfo replaced: `http://user:***@host:3128`. Other text is returned as is. */
export function redactUrl(value: string): string {
  const scheme = value.indexOf('//');
  const start = scheme < 0 ? 0 : scheme + 2;
  const rest = value.slice(start);
  // The last "@" ends the userinfo (Go's parseAuthority); a password may hold "/" or "#", so look no earlier.
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  if (at < 0 || colon < 0 || colon > at) return value;
  return `${value.slice(0, start)}${rest.slice(0, colon + 1)}***${rest.slice(at)}`;
}

/**
 * A word or line for a message: URLs with credentials are redacted, and text
 * before an `@` that is not a URL (a password split off by a blank) is hidden.
 */
export function redactText(text: string): string {
  if (!text.includes('@')) return text;
  const eq = text.indexOf('=');
  const name = eq >= 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, eq)) ? text.slice(0, eq + 1) : '';
  const value = text.slice(name.length);
  return name + (value.includes('//') || /^[^@]*:[^@]*@/.test(value) ? redactUrl(value) : `***${value.slice(value.lastIndexOf('@'))}`);
}

/** Redact every string inside a value (for model values echoed in evidence). */
export function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)]));
  return value;
}
