/**
 * Passwords in URLs, found by Go's net/url rules (url.Parse: the fragment is
 * cut first, then the query; the authority runs to the next `/`; its userinfo
 * ends at the LAST `@`, so a user name may hold an `@`; the password starts
 * after the first `:`), and by httpproxy's rule that a proxy value without a
 * scheme is read again as `http://` + value.
 *
 * A password is replaced so that Go's verdict on the whole URL stays what it
 * was: a URL Go rejects (a blank or a non-ASCII character in the userinfo, a
 * bad `%` escape in the password) must still be rejected, with the same
 * message, or the report would say a proxy works that containerd ignores.
 */

/** A password inside a value: its units [start, end), and the URL it belongs to [urlStart, urlEnd). */
export interface UrlPassword {
  start: number;
  end: number;
  urlStart: number;
  urlEnd: number;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The password of a `scheme://` URL that starts at `offset` of `value` and runs to `end`. */
function passwordOf(value: string, offset: number, end: number): UrlPassword | null {
  const url = value.slice(offset, end);
  // Callers found a scheme and `//` at `offset`.
  const scheme = SCHEME.exec(url)!;
  const hash = url.indexOf('#');
  const main = hash < 0 ? url : url.slice(0, hash);
  const authStart = scheme[0].length;
  let authEnd = main.length;
  for (const stop of ['/', '?']) {
    const i = main.indexOf(stop, authStart);
    if (i >= 0 && i < authEnd) authEnd = i;
  }
  const authority = main.slice(authStart, authEnd);
  const at = authority.lastIndexOf('@');
  const colon = authority.indexOf(':');
  if (at < 0 || colon < 0 || colon > at || colon + 1 === at) return null;
  return { start: offset + authStart + colon + 1, end: offset + authStart + at, urlStart: offset, urlEnd: end };
}

/**
 * Every URL password in a decoded value: the value itself as a URL (with
 * `proxy`, also as httpproxy reads a value without a scheme), else each
 * `scheme://` URL inside it (a flag's value, one word of several).
 */
export function urlPasswords(value: string, proxy: boolean): UrlPassword[] {
  if (!value.includes('@')) return [];
  if (SCHEME.test(value)) {
    const whole = passwordOf(value, 0, value.length);
    if (whole) return [whole];
  } else if (proxy) {
    // parseProxyValue: a value whose own parse has no scheme and host is read again with http:// in front.
    // Without `scheme://` the first parse never has both a scheme and a host, so the second one counts.
    const again = passwordOf(`http://${value}`, 0, value.length + 7);
    if (again) return [{ start: again.start - 7, end: again.end - 7, urlStart: 0, urlEnd: value.length }];
  }
  const out: UrlPassword[] = [];
  for (const word of value.matchAll(/[^\s]+/g)) {
    for (const m of word[0].matchAll(/(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\//g)) {
      const found = passwordOf(value, word.index + m.index, word.index + word[0].length);
      if (found) out.push(found);
      break;
    }
  }
  return out;
}

/**
 * The text to put in place of a URL password so that Go judges the URL as it
 * judged the original. url.Parse looks at a password in this order: a control
 * character anywhere fails the URL first, then userinfo characters
 * (validUserinfo: a blank, a `^`, anything not ASCII fails it), then `%`
 * escapes (the first bad one is quoted in the error). So the marker is
 * followed by what failed first in the original, if anything: that control
 * character, a `^`, or the bad escape as Go quotes it. Linear in the password.
 */
export function passwordReplacement(value: string, p: UrlPassword, marker: string): string {
  const password = value.slice(p.start, p.end);
  const ctl = /[\x00-\x1f\x7f]/.exec(password);
  if (ctl) return `${marker}${ctl[0]}`;
  if (/[^A-Za-z0-9\-._:~!$&'()*+,;=%@]/u.test(password)) return `${marker}^`;
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(password);
  return bad ? `${marker}${password.slice(bad.index, bad.index + 3)}` : marker;
}
