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
