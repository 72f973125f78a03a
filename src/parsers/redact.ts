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

// scheme://user:password@ (the password is what is hidden; user names stay readable).
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*):([^\s/?#@'"]+)@/gi;
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
