import t from 'tap';
import { isRedacted, redactSecrets, redactedMarker } from '../../src/parsers/redact.js';
import { locateTomlKeys, parseToml, positionOf, tomlPathKey } from '../../src/parsers/toml.js';

const hash = (s: string): string => (s.length.toString(16) + '000000000000').slice(0, 12);

t.test('redaction keeps the text parseable and says what was there', async (t) => {
  t.equal(redactedMarker('0123456789ab'), 'redacted-0123456789ab');
  t.ok(isRedacted('redacted-0123456789ab'));
  t.notOk(isRedacted('redacted-x'));
  t.equal(redactSecrets('HTTP_PROXY=http://u:p%40ss@proxy:3128 NO=http://host:80 x=ftp://:pw@h', '/etc/environment', hash), 'HTTP_PROXY=http://u:redacted-600000000000@proxy:3128 NO=http://host:80 x=ftp://:redacted-200000000000@h');
  const toml = 'password = "abc"\nauth = \'\'\n"identitytoken" = "x\\"y"\nother = "keep"\nx = { username = "u", password = "pw" }\n';
  const red = redactSecrets(toml, '/a.toml', hash);
  t.equal(red, 'password = "redacted-300000000000"\nauth = \'\'\n"identitytoken" = "redacted-400000000000"\nother = "keep"\nx = { username = "u", password = "redacted-200000000000" }\n');
  t.ok(parseToml(red).ok, 'still TOML');
  t.equal(redactSecrets(toml, '/a.yaml', hash), toml, 'TOML rules only for .toml files');
  const headers = '[registry.headers]\n  X-Auth = ["a", "b"]\n  # comment = "keep"\n[other]\n  v = "keep"\n[host."h".header]\n  authorization = "tok"\nheader = { Authorization = "tok2" }\n';
  t.equal(redactSecrets(headers, '/h.toml', hash), '[registry.headers]\n  X-Auth = ["redacted-100000000000", "redacted-100000000000"]\n  # comment = "keep"\n[other]\n  v = "keep"\n[host."h".header]\n  authorization = "redacted-300000000000"\nheader = { Authorization = "redacted-400000000000" }\n');
  t.equal(redactSecrets('-----BEGIN EC PRIVATE KEY-----\nAAA\nBBB\n-----END EC PRIVATE KEY-----\n', '/k.pem', hash), `-----BEGIN EC PRIVATE KEY-----\nredacted-${hash('-----BEGIN EC PRIVATE KEY-----\nAAA\nBBB\n-----END EC PRIVATE KEY-----')}\n-----END EC PRIVATE KEY-----\n`);
  t.equal(redactSecrets('-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', '/c.pem', hash), '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n', 'certificates are public');
});

t.test('TOML values and errors', async (t) => {
  const ok = parseToml('a = 9223372036854775807\nd = 1979-05-27T07:32:00Z\n[t]\n__proto__ = 1\nl = [1, "x"]\n');
  t.ok(ok.ok);
  if (ok.ok) {
    t.equal(ok.value.a, 9223372036854775807);
    t.equal(ok.value.d, '1979-05-27T07:32:00.000Z');
    t.ok(Object.hasOwn(ok.value.t as object, '__proto__'), '__proto__ stays an ordinary key');
    t.equal(Object.getPrototypeOf(ok.value.t), Object.prototype);
  }
  const bad = parseToml('a = 1\nb = \n');
  t.same(bad, { ok: false, error: { message: 'invalid value', line: 2, column: 5 } });
});

t.test('key positions: headers, dotted and quoted keys, multi-line values', async (t) => {
  const text = [
    '# comment = 1',
    'version = 2',
    '[plugins."io.containerd.grpc.v1.cri"]',
    '  sandbox_image = "x" # trailing',
    "  [plugins.'io.containerd.grpc.v1.cri'.containerd.runtimes.runc.options]",
    '    SystemdCgroup = true',
    'a.b."c.d" = 1',
    'list = [',
    '  "x", # inside',
    '  "y",',
    ']',
    'multi = """',
    'not = a key',
    '"""',
    "lit = '''x'''",
    'esc = "q\\"\\u0041\\n"',
    'tbl = { k = 1, n = { m = 2 } }',
    '[[arr]]',
    '  "\\u00e9t\\u00e9" = 1',
    'after = 1',
    '',
  ].join('\r\n');
  const loc = locateTomlKeys(text);
  t.same(loc.get(tomlPathKey(['version'])), { line: 2, column: 1 });
  t.same(loc.get(tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri'])), { line: 3, column: 1 });
  t.same(loc.get(tomlPathKey(['plugins'])), { line: 3, column: 1 }, 'a header defines its parents');
  t.same(loc.get(tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri', 'sandbox_image'])), { line: 4, column: 3 });
  t.same(loc.get(tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri', 'containerd', 'runtimes', 'runc', 'options', 'SystemdCgroup'])), { line: 6, column: 5 });
  t.same(loc.get(tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri', 'containerd', 'runtimes', 'runc', 'options', 'a', 'b', 'c.d'])), { line: 7, column: 1 });
  t.same(loc.get(tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri', 'containerd', 'runtimes', 'runc', 'options', 'after'])), undefined);
  t.same(loc.get(tomlPathKey(['arr', 'été'])), { line: 19, column: 3 });
  t.same(loc.get(tomlPathKey(['arr', 'after'])), { line: 20, column: 1 }, 'lines stay right after multi-line strings and arrays');
  t.notOk([...loc.keys()].some((k) => k.includes('not')), 'text in a multi-line string is not a key');
  t.same(positionOf(loc, ['plugins', 'io.containerd.grpc.v1.cri', 'missing', 'deeper']), { line: 3, column: 1 }, 'nearest written ancestor');
  t.equal(positionOf(loc, ['nothing']), undefined);
  t.ok(parseToml(text).ok, 'the sample is valid TOML');
});
