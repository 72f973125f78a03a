/**
 * Pure path helpers for absolute node paths (POSIX, `/`-separated).
 * They never touch the file system; `..` cannot climb above `/`.
 */

/** Normalise an absolute node path: collapse `//`, resolve `.` and `..` (clamped at `/`). */
export function normalizePath(path: string): string {
  // Most paths are already normal; lookups call this for every path, so skip the split for them.
  if (path.startsWith('/') && !path.includes('//') && !path.includes('/.') && (path.length === 1 || !path.endsWith('/'))) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/** Join path segments and normalise the result; a later absolute segment restarts at `/`. */
export function joinPath(...parts: string[]): string {
  let acc = '/';
  for (const p of parts) acc = p.startsWith('/') ? p : `${acc}/${p}`;
  return normalizePath(acc);
}

/** Directory part of a normalised absolute path (`/` for top-level entries). */
export function dirname(path: string): string {
  const n = normalizePath(path);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

/** Last component of a path (`''` for `/`). */
export function basename(path: string): string {
  const n = normalizePath(path);
  return n.slice(n.lastIndexOf('/') + 1);
}

/**
 * Compare two strings by their UTF-8 bytes, as C `strcmp` and Go's `sort.Strings`
 * do. systemd orders drop-ins and containerd orders glob matches this way.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 code-unit order equals UTF-8 byte order unless a surrogate pair is involved.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether a path segment contains a glob metacharacter. */
export function hasGlobMeta(segment: string): boolean {
  return /[*?[]/.test(segment);
}

/**
 * Match one path segment against a shell-style pattern (`*`, `?`, `[...]` with
 * ranges and `!`/`^` negation), the common subset of Go's `filepath.Match` and
 * glibc `fnmatch` without flags. `*` and `?` never match `/`.
 * Returns null when the pattern is malformed (an unclosed `[`), as Go reports
 * `ErrBadPattern`.
 */
export function matchSegment(pattern: string, name: string): boolean | null {
  const re = globToRegExp(pattern);
  return re === null ? null : re.test(name);
}

function globToRegExp(pattern: string): RegExp | null {
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      src += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      src += escapeRegExp(pattern[++i]!);
    } else src += escapeRegExp(c);
  }
  return new RegExp(src + '$', 'u');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
