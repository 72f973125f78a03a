import t from 'tap';
import { goProxyDecision, parseGoUrl, parseNoProxy, parseProxyValue, proxyFor } from '../../src/model/go-proxy.js';
import { curlProxyFor } from '../../src/model/curl-proxy.js';

const P = 'http://10.0.0.1:7897';

t.test('§6.2 upper case wins per variable; an empty upper-case value falls through; ALL_PROXY is not read', async (t) => {
  t.same(proxyFor({ HTTPS_PROXY: P, https_proxy: 'http://lower:1' }, 'https://quay.io'), { proxy: P });
  t.same(proxyFor({ HTTPS_PROXY: '', https_proxy: 'http://lower:1' }, 'https://quay.io'), { proxy: 'http://lower:1' }, 'vectors E01/B10');
  t.same(proxyFor({ ALL_PROXY: P, all_proxy: P }, 'https://quay.io'), { proxy: null });
  t.same(proxyFor({ HTTPS_PROXY: { value: P } }, 'quay.io'), { proxy: P }, 'a resolved unit environment works as well');
  t.same(goProxyDecision({ HTTPS_PROXY: P, NO_PROXY: '', no_proxy: 'quay.io' }, 'quay.io'), {
    proxy: null,
    target: { host: 'quay.io', port: '443' },
    variable: 'HTTPS_PROXY',
    direct: 'no-proxy',
    matched: 'quay.io',
  });
});

t.test('§6.3 https never falls back to HTTP_PROXY; other schemes are never proxied; CGI', async (t) => {
  t.same(goProxyDecision({ HTTP_PROXY: P }, 'https://registry-1.docker.io'), {
    proxy: null,
    target: { host: 'registry-1.docker.io', port: '443' },
    direct: 'unset',
  });
  t.same(proxyFor({ HTTP_PROXY: P }, 'http://registry.local'), { proxy: P });
  t.match(goProxyDecision({ HTTP_PROXY: P, HTTPS_PROXY: P }, 'ftp://x'), { proxy: null, direct: 'scheme' });
  t.same(proxyFor({ HTTP_PROXY: P, REQUEST_METHOD: 'GET' }, 'http://x'), {
    proxy: null,
    error: 'refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy',
  });
  t.same(proxyFor({ HTTPS_PROXY: P, REQUEST_METHOD: 'GET' }, 'https://x'), { proxy: P }, 'https is unaffected by CGI');
  t.match(proxyFor({ HTTPS_PROXY: P }, 'https://[fd00::1'), { proxy: null, error: /invalid target URL/ });
});

t.test('§6.4 parsing the proxy value: http:// re-parse, any scheme kept, default ports', async (t) => {
  const cases: [string, string | null][] = [
    ['10.0.0.1:7897', 'http://10.0.0.1:7897'],
    ['proxy.corp.example:3128', 'http://proxy.corp.example:3128'],
    ['http://proxy', 'http://proxy:80'],
    ['HTTPS://proxy', 'https://proxy:443'],
    ['socks5://10.0.0.1', 'socks5://10.0.0.1:1080'],
    ['socks5h://10.0.0.1', 'socks5h://10.0.0.1:1080'],
    ['ftp://proxy', 'ftp://proxy:'],
    ['http://user:secret@[fd00::1]:3128/', 'http://[fd00::1]:3128'],
    ['http://[fe80::1%25eth0]:3128', 'http://[fe80::1%eth0]:3128'],
    ['http://10.0.0.1:7897# corp proxy', 'http://10.0.0.1:7897'],
    ['http://[fd00::1', 'http://http:80'],
    ['http://10.0.0.1:port', 'http://http:80'],
    ['http://http://x', 'http://http:80'],
    ['http://b%C3%BCcher.de:1', 'http://xn--bcher-kva.de:1'],
    ['http://proxy:3128?x=1', 'http://proxy:3128'],
    ['*', 'http://*:80'],
    ['http://pro xy', 'http://http:80'],
    ['foo bar', null],
    ['http://proxy\t', null],
    ['http://user:p%zz@proxy', null],
    ['http://u%zz@proxy', null],
    ['http://proxy/%zz', null],
    ['http://proxy#%zz', null],
    [':3128', 'http://:3128'],
    [':a b', null],
    ['a{b', null],
  ];
  for (const [value, expected] of cases) {
    const parsed = parseProxyValue(value);
    t.same(parsed.ok ? parsed.value : null, expected, value);
  }
  t.same(proxyFor({ HTTPS_PROXY: 'foo bar' }, 'https://x'), {
    proxy: null,
    error: 'HTTPS_PROXY: invalid proxy address: it has no scheme or no host; Go ignores the value',
  });
  t.match(proxyFor({ HTTPS_PROXY: ':a b' }, 'https://x'), { proxy: null, error: /missing protocol scheme/ });
  t.match(parseGoUrl('http://host:1/p?q#f'), { ok: true, value: { scheme: 'http', host: 'host:1', user: null } });
  t.match(parseGoUrl('http://u@h'), { ok: true, value: { user: { username: 'u', password: null } } });
  t.match(parseGoUrl('http://u:p%41@h'), { ok: true, value: { user: { username: 'u', password: 'pA' } } });
  t.match(parseGoUrl('mailto:x'), { ok: true, value: { scheme: 'mailto', host: '' } });
  t.match(parseGoUrl('/just/a/path'), { ok: true, value: { scheme: '', host: '' } });
  t.match(parseGoUrl('///three'), { ok: true, value: { host: '' } });
  t.match(parseGoUrl('1http://x'), { ok: false });
  for (const [url, error] of [
    ['http://pro xy', /invalid character " " in host name/],
    ['http://us er:p@proxy', /invalid userinfo/],
    ['http://%41proxy', /invalid URL escape "%41"/],
    ['http://[fe80::1%25e{]', /invalid character "\{"/],
    ['http://[fe80::1%25e]{', /invalid port "\{" after host/],
    ['http://[fe%zz::1%25e]', /invalid URL escape/],
    ['http://[fd00::1]x', /invalid port "x" after host/],
    ['http://proxy:x', /invalid port ":x" after host/],
    ['http://[fd00::1', /missing '\]' in host/],
  ] as const)
    t.match(parseGoUrl(url), { ok: false, error }, url);
});

t.test('§6.5 localhost and loopback are never proxied', async (t) => {
  const env = { HTTPS_PROXY: P };
  t.match(goProxyDecision(env, 'https://localhost:6443'), { proxy: null, direct: 'localhost' });
  t.same(proxyFor(env, 'https://LOCALHOST'), { proxy: P }, 'case-sensitive');
  t.same(proxyFor(env, 'https://localhost.localdomain'), { proxy: P });
  for (const host of ['127.0.0.1', '127.1.2.3', '[::1]', '[::ffff:127.0.0.1]'])
    t.match(goProxyDecision(env, `https://${host}`), { proxy: null, direct: 'loopback' }, host);
  t.same(proxyFor(env, 'https://0.0.0.0'), { proxy: P }, '0.0.0.0 is not loopback');
  t.same(proxyFor(env, 'https://[fe80::1%25eth0]'), { proxy: P }, 'a zone is stripped before the IP check');
});

t.test('§6.5 NO_PROXY: domains, leading dots, *., ports, *, IPs and CIDRs', async (t) => {
  const decide = (noProxy: string, target: string): string | null => proxyFor({ HTTPS_PROXY: P, NO_PROXY: noProxy }, target).proxy;
  const direct: [string, string][] = [
    ['*', 'https://anything'],
    ['a.example,*', '10.1.2.3'],
    ['.svc', 'kubernetes.default.svc'],
    ['*.svc', 'kubernetes.default.svc'],
    ['svc', 'svc'],
    ['svc', 'a.svc'],
    ['  Example.COM ', 'https://www.example.com'],
    ['registry.internal:5000', 'registry.internal:5000'],
    ['10.96.0.0/12', '10.96.0.1'],
    ['10.0.0.0/8', 'https://[::ffff:10.1.2.3]'],
    ['::ffff:0:0/96', '10.1.2.3'],
    ['fd00::/8', 'https://[fd00::1]'],
    ['10.0.0.5', '10.0.0.5'],
    ['10.0.0.5:443', '10.0.0.5'],
    ['[fd00::1]:443', 'https://[fd00::1]'],
    ['fd00::1', 'https://[fd00::1]'],
    ['bücher.de', 'https://www.bücher.de'],
    ['xn--ü', 'https://xn--ü'],
    ['::/0', 'https://[fd00::1]'],
  ];
  for (const [noProxy, target] of direct) t.equal(decide(noProxy, target), null, `${noProxy} covers ${target}`);
  const proxied: [string, string][] = [
    ['.svc', 'svc'],
    ['registry.internal:5000', 'registry.internal'],
    ['10.96.0.0/12', 'kubernetes.default.svc'],
    ['96.0.1', '10.96.0.1'],
    ['10.96.*', '10.96.0.1'],
    ['::/0', '10.1.2.3'],
    ['10.0.0.5:80', '10.0.0.5'],
    ['10.0.0.0/8', '192.168.1.1'],
    [':443', 'x'],
    ['[fd00::1', 'x'],
    ['a]:1', 'x'],
    ['x:1:2', 'x'],
    ['[fd00::1]x:1', 'x'],
    ['[a]b]:1', 'b'],
  ];
  for (const [noProxy, target] of proxied) t.equal(decide(noProxy, target), P, `${noProxy} does not cover ${target}`);
  t.same(parseNoProxy(' , ,'), []);
  t.match(parseNoProxy('bücher.de/x'), [{ kind: 'domain', suffix: '.bücher.de/x' }], 'a name IDNA rejects is kept as written');
  t.match(parseNoProxy('*.Example.com:8443'), [{ kind: 'domain', suffix: '.example.com', matchHost: false, port: '8443' }]);
});

t.test("curl's choice, for the login-shell comparison", async (t) => {
  t.same(curlProxyFor({ https_proxy: 'proxy:3128' }, 'registry-1.docker.io'), { proxy: 'http://proxy:3128', variable: 'https_proxy' });
  t.same(curlProxyFor({ HTTPS_PROXY: 'http://proxy' }, 'https://x'), { proxy: 'http://proxy:1080', variable: 'HTTPS_PROXY' }, 'curl defaults to port 1080');
  t.same(curlProxyFor({ HTTP_PROXY: P }, 'http://x'), { proxy: null }, 'curl ignores upper-case HTTP_PROXY');
  t.same(curlProxyFor({ http_proxy: P }, 'http://x'), { proxy: P, variable: 'http_proxy' });
  t.same(curlProxyFor({ http_proxy: P }, 'https://x'), { proxy: null }, 'nor does https fall back to http_proxy');
  t.same(curlProxyFor({ ALL_PROXY: 'http://[fd00::1]' }, 'ftp://x'), { proxy: 'http://[fd00::1]:1080', variable: 'ALL_PROXY' });
  t.same(curlProxyFor({ https_proxy: P, no_proxy: '.docker.io' }, 'https://registry-1.docker.io:443'), { proxy: null, variable: 'no_proxy' });
  t.same(curlProxyFor({ https_proxy: P, NO_PROXY: '10.0.0.0/8 other' }, 'https://[::1]'), { proxy: P, variable: 'https_proxy' });
  t.same(curlProxyFor({ https_proxy: P, NO_PROXY: '10.0.0.0/8' }, '10.1.2.3'), { proxy: null, variable: 'NO_PROXY' });
  t.same(curlProxyFor({ https_proxy: P, no_proxy: '*' }, 'x'), { proxy: null, variable: 'no_proxy' });
  t.same(curlProxyFor({ https_proxy: 'http://pro xy' }, 'x'), { proxy: null, variable: 'https_proxy' });
  t.same(curlProxyFor({ https_proxy: P }, 'https://[x'), { proxy: null });
});
