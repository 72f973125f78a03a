import t from 'tap';
import { redactSecrets } from '../../src/parsers/redact.js';
import { parseToml } from '../../src/parsers/toml.js';

const hash = (s: string): string => (s.length.toString(16) + '000000000000').slice(0, 12);
const m = (s: string): string => `redacted-${hash(s)}`;

t.test('TOML credential forms, exactly', async (t) => {
  const cases: [string, string][] = [
    ['Password = "abc"', `Password = "${m('abc')}"`],
    ["IDENTITYTOKEN = 'abc'", `IDENTITYTOKEN = '${m('abc')}'`],
    ['auth = """a\nb"""', `auth = """${m('a\nb')}"""`],
    ['auth = """ab""""', `auth = """${m('ab"')}"""`],
    ["auth = '''ab''''' # x", `auth = '''${m("ab''")}''' # x`],
    ['x.auth.password = "abc"', `x.auth.password = "${m('abc')}"`],
    ["'password' = \"abc\"", `'password' = "${m('abc')}"`],
    ['password = "abc\nx = 1', `password = "${m('abc')}\nx = 1`],
    ['auth = """abc', `auth = """${m('abc')}`],
    ['password = "a\\"b"', `password = "${m('a\\"b')}"`],
    ['auth = { username = "u" }', 'auth = { username = "u" }'],
    ['password = ""', 'password = ""'],
  ];
  for (const [input, output] of cases) t.equal(redactSecrets(input, '/c.toml', hash), output, input);
  t.notOk(parseToml(redactSecrets('password = "abc\n', '/c.toml', hash)).ok, 'an unterminated string stays unterminated');
});

t.test('header tables: multi-line arrays and comments', async (t) => {
  const text = '[host."h".header]\n  Authorization = [\n    "Bearer abc", # "note"\n  ]\n[host."h"]\n  v = "keep"\n';
  t.equal(redactSecrets(text, '/h.toml', hash), `[host."h".header]\n  Authorization = [\n    "${m('Bearer abc')}", # "note"\n  ]\n[host."h"]\n  v = "keep"\n`);
  t.equal(redactSecrets('[[a."Headers"]]\nx = "y"\n', '/h.toml', hash), `[[a."Headers"]]\nx = "${m('y')}"\n`, 'case-insensitive, array tables');
});

t.test('proxies, private keys and key files', async (t) => {
  t.equal(redactSecrets('https_proxy="u:pw@h:3128"\nNO_PROXY=a@b\n', '/etc/environment', hash), `https_proxy="u:${m('pw')}@h:3128"\nNO_PROXY=a@b\n`);
  t.equal(redactSecrets('a -----BEGIN PRIVATE KEY-----\nabc', '/k.pem', hash), `a -----BEGIN PRIVATE KEY-----\n${m('-----BEGIN PRIVATE KEY-----\nabc')}\n`, 'an unterminated key is hidden to the end');
  t.equal(redactSecrets('\u0030\u0082binary', '/certs.d/r/client.key', hash), m('\u0030\u0082binary'), 'a key file that is not PEM is hidden whole');
  t.equal(redactSecrets('', '/certs.d/r/client.key', hash), '', 'an empty key file stays empty');
  t.equal(redactSecrets('-----BEGIN CERTIFICATE-----\nx\n', '/certs.d/r/client.key', hash), '-----BEGIN CERTIFICATE-----\nx\n', 'a PEM file named .key is left to the PEM rules');
});
