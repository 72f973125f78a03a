/**
 * How a Go program picks a proxy: golang.org/x/net/http/httpproxy
 * (FromEnvironment, getEnvAny, parseProxy, proxyForURL, useProxy, config.init
 * and its matchers) as net/http.ProxyFromEnvironment uses it, with the URL
 * parsing of Go's net/url (Parse, getScheme, parseAuthority, parseHost,
 * unescape) that decides which values count. containerd pulls images and
 * kubelet talks to the API server through exactly this code.
 *
 * The current rules are implemented: any scheme is kept (x/net v0.23.0), and
 * NO_PROXY domain entries never match IP-literal targets (x/net v0.36.0,
 * Go 1.23.7/1.24.1, CVE-2025-22870).
 */
import { cidrContains, parseCidr, parseIp, isLoopback, type Cidr, type IpAddress } from '../parsers/ip.js';

/** A URL as Go's net/url parses it (the fields the proxy decision reads). */
export interface GoUrl {
  /** Lower-cased scheme, '' when there is none. */
  scheme: string;
  /** Host and port as written (brackets kept), '' when there is none. */
  host: string;
  /** Userinfo, when the authority has one. */
  user: { username: string; password: string | null } | null;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const CTL = /[\x00-\x1f\x7f]/;
const HEX = /^[0-9a-fA-F]{2}$/;

/** net/url's unescape(): check `%XX` escapes and, in hosts, the characters allowed. */
function unescape(s: string, mode: 'host' | 'zone' | 'other'): Parsed<string> {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      // In a host, %-encoding is only for non-ASCII bytes, except %25 (RFC 6874 zones).
      if (!HEX.test(hex) || (mode === 'host' && parseInt(hex[0]!, 16) < 8 && hex !== '25')) {
        return { ok: false, error: `invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}` };
      }
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (mode !== 'other' && c < '\x80' && !/[A-Za-z0-9\-_.~!$&'()*+,;=:[\]<>"]/.test(c)) {
      return { ok: false, error: `invalid character ${JSON.stringify(c)} in host name` };
    }
    bytes.push(...enc.encode(c));
  }
  return { ok: true, value: new TextDecoder().decode(Uint8Array.from(bytes)) };
}

/** validOptionalPort(): '' or ':' followed by digits only. */
const validOptionalPort = (port: string): boolean => /^(:[0-9]*)?$/.test(port);

function parseHost(host: string): Parsed<string> {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) return { ok: false, error: "missing ']' in host" };
    if (!validOptionalPort(host.slice(close + 1))) return { ok: false, error: `invalid port ${JSON.stringify(host.slice(close + 1))} after host` };
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      const parts = [unescape(host.slice(0, zone), 'host'), unescape(host.slice(zone, close), 'zone'), unescape(host.slice(close), 'host')];
      const bad = parts.find((p) => !p.ok);
      return bad ?? { ok: true, value: parts.map((p) => (p as { value: string }).value).join('') };
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) return { ok: false, error: `invalid port ${JSON.stringify(host.slice(colon))} after host` };
  }
  return unescape(host, 'host');
}

/** Characters validUserinfo() accepts (ASCII only). */
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): Parsed<Pick<GoUrl, 'host' | 'user'>> {
  const at = authority.lastIndexOf('@');
  const host = parseHost(authority.slice(at + 1));
  if (!host.ok) return host;
  if (at < 0) return { ok: true, value: { host: host.value, user: null } };
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) return { ok: false, error: 'net/url: invalid userinfo' };
  const colon = userinfo.indexOf(':');
  const username = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'other');
  const password = colon < 0 ? null : unescape(userinfo.slice(colon + 1), 'other');
  if (!username.ok) return username;
  if (password && !password.ok) return password;
  return { ok: true, value: { host: host.value, user: { username: username.value, password: password ? password.value : null } } };
}

/** getScheme(): letters, then letters, digits, `+-.`, up to the first `:`. */
function getScheme(raw: string): Parsed<{ scheme: string; rest: string }> {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c) && i > 0) continue;
    if (c === ':') return i === 0 ? { ok: false, error: 'missing protocol scheme' } : { ok: true, value: { scheme: raw.slice(0, i), rest: raw.slice(i + 1) } };
    break;
  }
  return { ok: true, value: { scheme: '', rest: raw } };
}

/** url.Parse(): the fragment is cut off first, then scheme, query, authority and path are checked. */
export function parseGoUrl(raw: string): Parsed<GoUrl> {
  const hash = raw.indexOf('#');
  const main = hash < 0 ? raw : raw.slice(0, hash);
  if (CTL.test(main)) return { ok: false, error: 'net/url: invalid control character in URL' };
  const url: GoUrl = { scheme: '', host: '', user: null };
  if (main === '*') return { ok: true, value: url };
  const scheme = getScheme(main);
  if (!scheme.ok) return scheme;
  url.scheme = scheme.value.scheme.toLowerCase();
  let rest = scheme.value.rest.split('?')[0]!;
  if (!rest.startsWith('/')) {
    // `scheme:rest` without `//` is an opaque URL: no host.
    if (url.scheme !== '') return { ok: true, value: url };
    if (rest.split('/')[0]!.includes(':')) return { ok: false, error: 'first path segment in URL cannot contain colon' };
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = parseAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    if (!authority.ok) return authority;
    Object.assign(url, authority.value);
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  const path = unescape(rest, 'other');
  if (!path.ok) return path;
  if (hash >= 0) {
    const fragment = unescape(raw.slice(hash + 1), 'other');
    if (!fragment.ok) return fragment;
  }
  return { ok: true, value: url };
}

/** splitHostPort() of net/url: the port after the last colon when it is all digits; brackets removed. */
function hostAndPort(hostport: string): { host: string; port: string } {
  let host = hostport;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) {
    port = host.slice(colon + 1);
    host = host.slice(0, colon);
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/**
 * Go's idnaASCII(): only names with non-ASCII characters are converted, and a
 * name the conversion rejects is kept. WHATWG URL host parsing does the IDNA
 * mapping (the global URL, so no module is loaded at start-up); characters that
 * would end a URL host make the conversion fail, as Go's idna would.
 */
function idnaAscii(host: string): string {
  if (!/[^\x00-\x7f]/.test(host) || /[\s/?#@:\\[\]]/.test(host)) return host;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return host;
  }
}

/** net.JoinHostPort(). */
const joinHostPort = (host: string, port: string): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Default ports of canonicalAddr(). */
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', socks5: '1080', socks5h: '1080' };

/** `scheme://host:port` as net/http dials it (canonicalAddr), without userinfo. */
function canonical(url: GoUrl): { address: string; host: string; port: string } {
  const hp = hostAndPort(url.host);
  const host = idnaAscii(hp.host);
  const port = hp.port || (DEFAULT_PORTS[url.scheme] ?? '');
  return { address: `${url.scheme}://${joinHostPort(host, port)}`, host, port };
}

/**
 * parseProxy(): parse the value; when that fails or gives no scheme or host,
 * parse it again with `http://` in front. A value neither parse accepts is
 * ignored (spec §6.4: treated as unset). (x/net itself keeps a first parse
 * that succeeded without a host, e.g. `foo bar`; requests through such a value
 * fail instead of going direct. Both mean the value is unusable.)
 */
export function parseProxyValue(value: string): Parsed<string> {
  const first = parseGoUrl(value);
  if (first.ok && first.value.scheme !== '' && first.value.host !== '') return { ok: true, value: canonical(first.value).address };
  const again = parseGoUrl(`http://${value}`);
  if (again.ok) return { ok: true, value: canonical(again.value).address };
  return { ok: false, error: `invalid proxy address: ${first.ok ? 'it has no scheme or no host' : first.error}` };
}

/** One NO_PROXY entry as config.init() reads it. */
export type NoProxyEntry =
  | { kind: 'all'; text: string }
  | { kind: 'cidr'; text: string; cidr: Cidr }
  | { kind: 'ip'; text: string; ip: IpAddress; port: string }
  | { kind: 'domain'; text: string; suffix: string; matchHost: boolean; port: string };

/** Split NO_PROXY into entries as config.init() does; malformed entries are dropped, `*` wins outright. */
export function parseNoProxy(value: string): NoProxyEntry[] {
  const entries: NoProxyEntry[] = [];
  for (const raw of value.split(',')) {
    const text = raw.trim().toLowerCase();
    if (text === '') continue;
    if (text === '*') return [{ kind: 'all', text }];
    const cidr = parseCidr(text);
    if (cidr) {
      entries.push({ kind: 'cidr', text, cidr });
      continue;
    }
    const split = splitHostPort(text);
    let host = text;
    let port = '';
    if (split) {
      // An entry with an empty host (":80") is malformed and ignored.
      if (split.host === '') continue;
      ({ host, port } = split);
    }
    const ip = parseIp(host);
    if (ip) {
      entries.push({ kind: 'ip', text, ip, port });
      continue;
    }
    // `*.example.com` is `.example.com`; a leading dot matches only subdomains.
    if (host.startsWith('*.')) host = host.slice(1);
    const matchHost = !host.startsWith('.');
    entries.push({ kind: 'domain', text, suffix: idnaAscii(matchHost ? `.${host}` : host), matchHost, port });
  }
  return entries;
}

/** net.SplitHostPort(), or null where Go returns an error. */
function splitHostPort(hostport: string): { host: string; port: string } | null {
  const colon = hostport.lastIndexOf(':');
  if (colon < 0) return null;
  let host = hostport.slice(0, colon);
  // No '[' after position j and no ']' after position k: inside brackets only the host may stand.
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    const end = hostport.indexOf(']');
    if (end < 0 || end + 1 !== colon) return null;
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else if (host.includes(':')) return null;
  if (hostport.includes('[', j) || hostport.includes(']', k)) return null;
  return { host, port: hostport.slice(colon + 1) };
}

/** IP.To4() != nil: an IPv4 address, or IPv6 written with the IPv4-mapped prefix. */
const v4Like = (bytes: Uint8Array): boolean => bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

function entryMatches(entry: NoProxyEntry, host: string, port: string, ip: IpAddress | null): boolean {
  switch (entry.kind) {
    case 'all':
      return true;
    case 'cidr':
      // IPNet.Contains compares only addresses of the same length: IPv4 (and IPv4-mapped) with IPv4 networks.
      return ip !== null && v4Like(entry.cidr.network) === v4Like(ip.bytes) && cidrContains(entry.cidr, ip);
    case 'ip':
      return ip !== null && entry.ip.bytes.every((b, i) => b === ip.bytes[i]) && (entry.port === '' || entry.port === port);
    case 'domain':
      // Domain entries never match IP literals (CVE-2025-22870 fix).
      return ip === null && (host.endsWith(entry.suffix) || (entry.matchHost && host === entry.suffix.slice(1))) && (entry.port === '' || entry.port === port);
  }
}

/** A variable as Go reads it: the first non-empty of the upper- and lower-case names. */
export interface GoVariable {
  name: string;
  value: string;
}

/** An environment: name → value, or name → an object carrying `value` (the model's entries). */
export type EnvironmentInput = Readonly<Record<string, string | { value: string }>>;

const valueOf = (env: EnvironmentInput, name: string): string => {
  const v = env[name];
  return typeof v === 'string' ? v : (v?.value ?? '');
};

/** getEnvAny(): the first of the names with a non-empty value. */
export function getEnvAny(env: EnvironmentInput, ...names: string[]): GoVariable | null {
  for (const name of names) {
    const value = valueOf(env, name);
    if (value !== '') return { name, value };
  }
  return null;
}

/** httpproxy.FromEnvironment(): the three settings (upper case first), and the CGI guard. */
export function goProxySettings(env: EnvironmentInput): { http: GoVariable | null; https: GoVariable | null; noProxy: GoVariable | null; cgi: boolean } {
  return {
    http: getEnvAny(env, 'HTTP_PROXY', 'http_proxy'),
    https: getEnvAny(env, 'HTTPS_PROXY', 'https_proxy'),
    noProxy: getEnvAny(env, 'NO_PROXY', 'no_proxy'),
    cgi: valueOf(env, 'REQUEST_METHOD') !== '',
  };
}

/** Why a request goes direct. */
export type DirectReason = 'scheme' | 'unset' | 'invalid' | 'localhost' | 'loopback' | 'no-proxy' | 'cgi';

/** The full proxy decision for one target. */
export interface ProxyDecision {
  /** `scheme://host:port` of the proxy the request goes through, or null for a direct connection. */
  proxy: string | null;
  /** Why a value was not used, or why the request fails. */
  error?: string;
  /** The variable the proxy value came from (or would have, when it was invalid). */
  variable?: string;
  /** Why the request goes direct, when it does. */
  direct?: DirectReason;
  /** The NO_PROXY entry that sent it direct. */
  matched?: string;
  /** The target as Go dials it: host (IDNA, no brackets) and port. */
  target?: { host: string; port: string };
}

/**
 * Decide, as Go's net/http does, which proxy a request to `target` uses in
 * `env`. A target without a scheme is taken as https (registries and the API
 * server are https).
 */
export function goProxyDecision(env: EnvironmentInput, target: string): ProxyDecision {
  const settings = goProxySettings(env);
  // Without a proxy variable every request goes direct, whatever the target (the common case, kept cheap).
  if (settings.http === null && settings.https === null) return { proxy: null, direct: 'unset' };
  const parsedTarget = parseGoUrl(target.includes('://') ? target : `https://${target}`);
  if (!parsedTarget.ok) return { proxy: null, error: `invalid target URL ${JSON.stringify(target)}: ${parsedTarget.error}` };
  const url = parsedTarget.value;
  const { host, port } = canonical(url);
  const decision: ProxyDecision = { proxy: null, target: { host, port } };
  // https never falls back to HTTP_PROXY; other schemes are never proxied.
  const variable = url.scheme === 'https' ? settings.https : url.scheme === 'http' ? settings.http : undefined;
  if (variable === undefined) return { ...decision, direct: 'scheme' };
  if (variable === null) return { ...decision, direct: 'unset' };
  const proxy = parseProxyValue(variable.value);
  if (!proxy.ok) return { ...decision, variable: variable.name, direct: 'invalid', error: `${variable.name}: ${proxy.error}; Go ignores the value` };
  if (url.scheme === 'http' && settings.cgi) {
    return { ...decision, variable: variable.name, direct: 'cgi', error: 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy' };
  }
  // localhost (exactly, case-sensitive) and loopback addresses are never proxied.
  if (host === 'localhost') return { ...decision, variable: variable.name, direct: 'localhost' };
  const ip = parseIp(host.includes(':') ? host.replace(/%.*$/, '') : host);
  if (ip && isLoopback(ip)) return { ...decision, variable: variable.name, direct: 'loopback' };
  const lower = host.trim().toLowerCase();
  const entry = parseNoProxy(settings.noProxy?.value ?? '').find((e) => entryMatches(e, lower, port, ip));
  if (entry) return { ...decision, variable: variable.name, direct: 'no-proxy', matched: entry.text };
  return { ...decision, proxy: proxy.value, variable: variable.name };
}

/**
 * The proxy a Go program (containerd, kubelet) uses for `targetUrl` in
 * `environment`, following golang.org/x/net/http/httpproxy: `HTTPS_PROXY`
 * (else `https_proxy`) for https, `HTTP_PROXY` (else `http_proxy`) for http,
 * no fallback from https to HTTP_PROXY, localhost and loopback never proxied,
 * NO_PROXY (else `no_proxy`) with domains, leading dots, `*.`, ports, `*`, IPs
 * and CIDRs. A target without a scheme is taken as https.
 *
 * @param environment - variable name → value (or → `{ value }`, as in a resolved unit's environment)
 * @param targetUrl - e.g. `https://registry-1.docker.io` or `10.96.0.1`
 * @returns `proxy` as `scheme://host:port` (the default port filled in) or null
 *   for a direct connection; `error` when the proxy value is malformed (Go then
 *   ignores it) or the request would be refused.
 */
export function proxyFor(environment: EnvironmentInput, targetUrl: string): { proxy: string | null; error?: string } {
  const d = goProxyDecision(environment, targetUrl);
  return d.error === undefined ? { proxy: d.proxy } : { proxy: d.proxy, error: d.error };
}
