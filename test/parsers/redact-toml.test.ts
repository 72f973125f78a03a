import t from 'tap';
import { locateTomlKeys, parseToml, positionOf, tomlPathKey } from '../../src/parsers/toml.js';

t.test('TOML values and errors', async (t) => {
  const ok = parseToml('a = 9223372036854775807\nd = 1979-05-27T07:32:00Z\n[t]\n__proto__ = 1\nl = [1, "x"]\n');
  t.ok(ok.ok);
  if (ok.ok) {
    t.equal(ok.value.a, 2 ** 63, 'the nearest double to 2^63 - 1');
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
  t.notOk(
    [...loc.keys()].some((k) => k.includes('not')),
    'text in a multi-line string is not a key',
  );
  t.same(positionOf(loc, ['plugins', 'io.containerd.grpc.v1.cri', 'missing', 'deeper']), { line: 3, column: 1 }, 'nearest written ancestor');
  t.equal(positionOf(loc, ['nothing']), undefined);
  t.ok(parseToml(text).ok, 'the sample is valid TOML');
});
