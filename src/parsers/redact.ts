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
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):([^\s/'"]*)@/gi;
// A PEM private key: armour lines kept, body replaced.
const PEM_PRIVATE = /(-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----)[\s\S]*?(-----END \2PRIVATE KEY-----)/g;
// TOML credential assignments in containerd's registry configs (also inside inline tables).
const TOML_CREDENTIAL = /(^|[\s{,])(password|auth|identitytoken|"password"|"auth"|"identitytoken")(\s*=\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*')/gm;
// A TOML string value, for header tables.
const TOML_STRING = /("(?:[^"\\\n]|\\.)*"|'[^'\n]*')/g;

function replaceString(quoted: string, hash: SecretHasher): string {
  const q = quoted[0]!;
  const inner = quoted.slice(1, -1);
  return inner === '' ? quoted : `${q}${redactedMarker(hash(inner))}${q}`;
}

/**
 * Header tables (`[host."https://r".header]`, `[...registry.headers]`) carry
 * bearer tokens: every string value in them is hidden, in the table form and
 * in the inline form `header = { Authorization = "…" }`.
 */
function redactTomlHeaders(text: string, hash: SecretHasher): string {
  let inHeaderTable = false;
  return text
    .split('\n')
    .map((line) => {
      const header = /^\s*\[+([^\]]*)\]+\s*(#.*)?$/.exec(line);
      if (header) {
        inHeaderTable = /(^|\.)"?headers?"?\s*$/.test(header[1]!.trim());
        return line;
      }
      if (inHeaderTable && !line.trimStart().startsWith('#')) {
        const eq = line.indexOf('=');
        return eq < 0 ? line : line.slice(0, eq + 1) + line.slice(eq + 1).replace(TOML_STRING, (s) => replaceString(s, hash));
      }
      return line.replace(/(^|[\s{,])(headers?\s*=\s*\{)([^}]*)(\})/g, (_m, pre: string, open: string, body: string, close: string) => pre + open + body.replace(/(=\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*')/g, (_x, eq: string, s: string) => eq + replaceString(s, hash)) + close);
    })
    .join('\n');
}

/** Hide every secret in a file's text. `path` decides which formats apply (TOML rules for *.toml). */
export function redactSecrets(text: string, path: string, hash: SecretHasher): string {
  let out = text.replace(URL_PASSWORD, (_m, prefix: string, password: string) => `${prefix}:${redactedMarker(hash(password))}@`);
  out = out.replace(PEM_PRIVATE, (_m, begin: string, _kind: string, end: string) => `${begin}\n${redactedMarker(hash(_m))}\n${end}`);
  if (path.endsWith('.toml')) {
    out = out.replace(TOML_CREDENTIAL, (_m, pre: string, key: string, eq: string, value: string) => `${pre}${key}${eq}${replaceString(value, hash)}`);
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
