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

/** Whether a path segment contains a glob metacharacter (Go's hasMeta on Unix: `*?[\`). */
export function hasGlobMeta(segment: string): boolean {
  return /[*?[\\]/.test(segment);
}

/**
 * The glob dialects the node's components use: `go` is Go's
 * path/filepath.Match (containerd's `imports`), `fnmatch` is glibc's fnmatch()
 * as glob() calls it for systemd (EnvironmentFile=): escapes on, and
 * FNM_PERIOD (`period`, glob() without GLOB_PERIOD) unless told otherwise.
 */
export type GlobDialect = 'go' | 'fnmatch';

/**
 * Match one path segment against a pattern in a dialect. Returns null when Go
 * reports ErrBadPattern (an unclosed `[`, a range with a missing end, a
 * trailing backslash); glibc has no bad patterns (an unclosed `[` is a
 * literal `[`). Both match a range such as `[z-a]` against nothing. Linear in
 * the name for each `*` (no backtracking blow-up).
 */
export function matchSegment(pattern: string, name: string, dialect: GlobDialect = 'go', period = true): boolean | null {
  return dialect === 'go' ? goMatch([...pattern], [...name]) : fnmatch([...pattern], [...name], period);
}

/**
 * Whether Go accepts a whole pattern (filepath.Glob checks it with Match(pattern, "") first, and Match
 * checks the rest of a pattern after a mismatch). Go 1.19 (containerd 1.6's Debian build) still stopped
 * at the first mismatch, so a malformed tail after one matched nothing there; current Go, which
 * containerd 2.x is built with, reports ErrBadPattern, as this does.
 */
export function goPatternValid(pattern: string): boolean {
  return goMatch([...pattern], []) !== null;
}

// --- Go: path/filepath/match.go (Match, scanChunk, matchChunk, getEsc), Unix rules.

function scanChunk(p: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let star = false;
  let k = 0;
  while (k < p.length && p[k] === '*') {
    k++;
    star = true;
  }
  const q = p.slice(k);
  let inrange = false;
  let i = 0;
  for (; i < q.length; i++) {
    if (q[i] === '\\') {
      if (i + 1 < q.length) i++;
    } else if (q[i] === '[') inrange = true;
    else if (q[i] === ']') inrange = false;
    else if (q[i] === '*' && !inrange) break;
  }
  return { star, chunk: q.slice(0, i), rest: q.slice(i) };
}

class BadPattern extends Error {}

function getEsc(chunk: string[], i: number): { r: string; next: number } {
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') throw new BadPattern();
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) throw new BadPattern();
  }
  const r = chunk[i]!;
  if (i + 1 >= chunk.length) throw new BadPattern();
  return { r, next: i + 1 };
}

/** matchChunk: the rest of `s` after `chunk` matched its start, or null; throws BadPattern. */
function matchChunk(chunk: string[], s: string[]): string[] | null {
  let failed = false;
  let si = 0;
  for (let i = 0; i < chunk.length;) {
    if (!failed && si >= s.length) failed = true;
    const c = chunk[i]!;
    if (c === '[') {
      const r = failed ? '' : s[si++]!;
      i++;
      const negated = chunk[i] === '^';
      if (negated) i++;
      let match = false;
      for (let n = 0; ; n++) {
        if (i < chunk.length && chunk[i] === ']' && n > 0) {
          i++;
          break;
        }
        const lo = getEsc(chunk, i);
        let hi = lo;
        i = lo.next;
        if (chunk[i] === '-') {
          hi = getEsc(chunk, i + 1);
          i = hi.next;
        }
        if (!failed && lo.r.codePointAt(0)! <= r.codePointAt(0)! && r.codePointAt(0)! <= hi.r.codePointAt(0)!) match = true;
      }
      if (match === negated) failed = true;
    } else if (c === '?') {
      if (!failed) {
        if (s[si] === '/') failed = true;
        si++;
      }
      i++;
    } else {
      if (c === '\\') {
        i++;
        if (i >= chunk.length) throw new BadPattern();
      }
      if (!failed) {
        if (chunk[i] !== s[si]) failed = true;
        si++;
      }
      i++;
    }
  }
  return failed ? null : s.slice(si);
}

function goMatch(pattern: string[], name: string[]): boolean | null {
  try {
    let p = pattern;
    let s = name;
    outer: while (p.length > 0) {
      const { star, chunk, rest } = scanChunk(p);
      p = rest;
      if (star && chunk.length === 0) return !s.includes('/');
      const t = matchChunk(chunk, s);
      if (t !== null && (t.length === 0 || p.length > 0)) {
        s = t;
        continue;
      }
      if (star) {
        for (let i = 0; i < s.length && s[i] !== '/'; i++) {
          const u = matchChunk(chunk, s.slice(i + 1));
          if (u !== null) {
            if (p.length === 0 && u.length > 0) continue;
            s = u;
            continue outer;
          }
        }
      }
      // Before answering no, Go checks that the rest of the pattern is well formed.
      while (p.length > 0) {
        const next = scanChunk(p);
        p = next.rest;
        matchChunk(next.chunk, []);
      }
      return false;
    }
    return s.length === 0;
  } catch {
    // Only BadPattern is thrown above.
    return null;
  }
}

// --- glibc: posix/fnmatch_loop.c with FNM_PERIOD (glob() without GLOB_PERIOD), in the C locale.

const CLASSES: Record<string, RegExp> = {
  alnum: /[A-Za-z0-9]/,
  alpha: /[A-Za-z]/,
  blank: /[ \t]/,
  cntrl: /[\x00-\x1f\x7f]/,
  digit: /[0-9]/,
  graph: /[\x21-\x7e]/,
  lower: /[a-z]/,
  print: /[\x20-\x7e]/,
  punct: /[!-/:-@[-`{-~]/,
  space: /[ \t\n\v\f\r]/,
  upper: /[A-Z]/,
  xdigit: /[0-9A-Fa-f]/,
};

/** A bracket expression at `p[i]` ('['): its test and where it ends, or null when it is not closed (then `[` is literal). */
function bracket(p: string[], i: number): { test: (c: string) => boolean; end: number } | null {
  let j = i + 1;
  const negate = p[j] === '!' || p[j] === '^';
  if (negate) j++;
  const tests: ((c: string) => boolean)[] = [];
  for (let first = true; ; first = false) {
    if (j >= p.length) return null;
    if (p[j] === ']' && !first) break;
    if (p[j] === '[' && p[j + 1] === ':') {
      const close = p.indexOf(':', j + 2);
      const re = close < 0 || p[close + 1] !== ']' ? undefined : CLASSES[p.slice(j + 2, close).join('')];
      if (re) {
        tests.push((c) => re.test(c));
        j = close + 2;
        continue;
      }
    }
    let lo = p[j]!;
    if (lo === '\\' && j + 1 < p.length) lo = p[++j]!;
    j++;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      let hi = p[j + 1]!;
      j += 2;
      if (hi === '\\' && j < p.length) hi = p[j++]!;
      const a = lo.codePointAt(0)!;
      const b = hi.codePointAt(0)!;
      tests.push((c) => a <= c.codePointAt(0)! && c.codePointAt(0)! <= b);
    } else tests.push((c) => c === lo);
  }
  return { test: (c) => tests.some((t) => t(c)) !== negate, end: j + 1 };
}

function fnmatch(p: string[], s: string[], period: boolean): boolean {
  // Iterative, with one backtracking point (the last `*`): linear per star.
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const c = p[pi];
    const leadingDot = period && si === 0 && s[0] === '.';
    let step = 0;
    if (c === '*' && !leadingDot) {
      starP = pi++;
      starS = si;
      continue;
    }
    if (c === '?' && !leadingDot) step = 1;
    else if (c === '[') {
      const b = bracket(p, pi);
      if (b === null) step = s[si] === '[' ? 1 : 0;
      else if (!leadingDot && b.test(s[si]!)) {
        pi = b.end - 1;
        step = 1;
      }
    } else if (c === '\\') {
      // An escaped character matches itself; a trailing backslash matches nothing.
      if (pi + 1 < p.length && p[pi + 1] === s[si]) {
        pi++;
        step = 1;
      }
    } else if (c !== undefined && c !== '*' && c !== '?' && c === s[si]) step = 1;
    if (step === 1) {
      pi++;
      si++;
      continue;
    }
    if (starP < 0) return false;
    pi = starP + 1;
    si = ++starS;
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}
