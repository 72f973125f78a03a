/**
 * Redaction markers. The collector finds secrets by their meaning (where a
 * parsed file puts them) and replaces each with a marker; this module makes
 * the markers and tells them apart. What a marker reveals:
 *
 * - without a key, `redacted-<n>`: only that a secret is there, and which
 *   secrets of the same snapshot are equal (n counts distinct values in the
 *   order they were met), so the rules still see two equal passwords as equal.
 *   No digest of the secret: nothing to test guesses against. Two snapshots'
 *   markers are not comparable.
 * - with a key the user controls (`--redaction-key-file`,
 *   `PREFLIGHT_REDACTION_KEY`), `redacted-k<id>-<mac>`: `<id>` names the key
 *   (6 hex of an HMAC of a constant), `<mac>` is 16 hex of HMAC-SHA-256(key,
 *   secret), so snapshots made with the same key compare equal exactly when
 *   their secrets are equal, and without the key a guess cannot be checked.
 */

/** Any marker, keyed or not, anywhere in a text. */
export const MARKER_PATTERN = /redacted-(?:k[0-9a-f]{6}-[0-9a-f]{16}|[1-9][0-9]{0,8})(?![0-9a-f])/g;

const WHOLE_MARKER = new RegExp(`^${MARKER_PATTERN.source}$`);
const LEADING_MARKER = new RegExp(`^${MARKER_PATTERN.source}`);

/** Whether a value is exactly a redaction marker (so rules can say "present" without a value). */
export const isRedacted = (value: string): boolean => WHOLE_MARKER.test(value);

/** Whether a text holds a marker anywhere. */
export function hasMarker(text: string): boolean {
  MARKER_PATTERN.lastIndex = 0;
  return MARKER_PATTERN.test(text);
}

/** The smallest key accepted, in bytes: a shorter one could be guessed. */
export const MIN_KEY_BYTES = 16;

/**
 * Makes markers for one snapshot. The same secret always gets the same
 * marker; a value that already starts with a marker keeps it (redacting a
 * redacted snapshot again changes nothing).
 */
export class Redactor {
  /** The key's public name, or null without a key. */
  readonly keyId: string | null;
  private readonly key: Uint8Array | null;
  private readonly markers = new Map<string, string>();
  private next = 1;

  constructor(key?: Uint8Array | null) {
    this.key = key ?? null;
    this.keyId = this.key === null ? null : this.mac('kube-preflight redaction key id').slice(0, 6);
  }

  /** Number the next unkeyed markers after those already in `text` (a snapshot being redacted again). */
  skipPast(text: string): void {
    for (const m of text.matchAll(MARKER_PATTERN)) {
      if (m[0][9] !== 'k') this.next = Math.max(this.next, Number(m[0].slice(9)) + 1);
    }
  }

  /** The marker of a secret. */
  marker(secret: string): string {
    const existing = LEADING_MARKER.exec(secret);
    if (existing) return existing[0];
    let m = this.markers.get(secret);
    if (m === undefined) {
      m = this.keyId === null ? `redacted-${this.next++}` : `redacted-k${this.keyId}-${this.mac(secret).slice(0, 16)}`;
      this.markers.set(secret, m);
    }
    return m;
  }

  /** Every secret met so far with its marker (for tests that compare a raw run with a redacted one). */
  secrets(): ReadonlyMap<string, string> {
    return this.markers;
  }

  private mac(text: string): string {
    // Loaded only when a key is given or a secret is found: most runs never need crypto.
    const { createHmac } = process.getBuiltinModule('node:crypto');
    return createHmac('sha256', this.key!).update(text).digest('hex');
  }
}

/**
 * Whether two values that hold markers can be compared: `equal`/`different`
 * when they differ outside their markers or every marker pair was made with
 * the same key; `not-comparable` when equality hangs on markers without a key
 * (or made with different keys).
 */
export function compareMarked(a: string, b: string): 'equal' | 'different' | 'not-comparable' {
  if (a === b && !hasMarker(a)) return 'equal';
  const shape = (s: string): string => s.replace(MARKER_PATTERN, 'redacted');
  if (shape(a) !== shape(b)) return 'different';
  // Different texts with the same shape differ in their markers, so both have some.
  const ma = a.match(MARKER_PATTERN)!;
  const mb = b.match(MARKER_PATTERN)!;
  const keyed = (x: string, y: string): boolean => x[9] === 'k' && x.slice(0, 17) === y.slice(0, 17);
  if (ma.every((x, i) => keyed(x, mb[i]!))) return a === b ? 'equal' : 'different';
  return 'not-comparable';
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
