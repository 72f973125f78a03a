import t from 'tap';
import fc from 'fast-check';
import { parseAllDocuments, isMap, isScalar, type Node } from 'yaml';
import { parseFlatYaml } from '../../src/parsers/flat-yaml.js';

/** What the yaml package (failsafe, duplicate keys allowed) makes of a flat document, or 'error'. */
function viaYaml(text: string): { key: string; value: string; line: number }[] | 'error' | 'not-flat' {
  const doc = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, strict: true })[0];
  if (!doc) return [];
  if (doc.errors.length > 0) return 'error';
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) return 'not-flat';
  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  return doc.contents.items.map((p) => {
    const key = p.key as Node;
    if (!isScalar(key) || (p.value !== null && !isScalar(p.value))) throw new Error('not flat');
    return { key: String(key.value), value: String((p.value as { value: unknown }).value), line: lineOf(key.range![0]) };
  });
}

t.test('the files it is for', async (t) => {
  t.same(
    parseFlatYaml(
      'runtime-endpoint: unix:///run/containerd/containerd.sock\nimage-endpoint: "unix:///run/x.sock" # quoted\ntimeout: 10\ndebug:\n# c\n  # indented comment\n\n',
    ),
    [
      { key: 'runtime-endpoint', value: 'unix:///run/containerd/containerd.sock', line: 1 },
      { key: 'image-endpoint', value: 'unix:///run/x.sock', line: 2 },
      { key: 'timeout', value: '10', line: 3 },
      { key: 'debug', value: '', line: 4 },
    ],
  );
  t.same(parseFlatYaml("a: 'x # y'\nb: c#d\nc: ~\nd: # only a comment\ne: x  # trailing\n"), [
    { key: 'a', value: 'x # y', line: 1 },
    { key: 'b', value: 'c#d', line: 2 },
    { key: 'c', value: '~', line: 3 },
    { key: 'd', value: '', line: 4 },
    { key: 'e', value: 'x', line: 5 },
  ]);
  t.same(parseFlatYaml(''), []);
});

t.test('it declines what it does not know', async (t) => {
  for (const text of [
    'a:\n  b: c\n',
    '- a\n',
    'a: [1]\n',
    'a: {b: c}\n',
    'a: &x y\n',
    'a: !!str y\n',
    'a: |\n  x\n',
    'a: "x\\ty"\n',
    "a: 'it''s'\n",
    '---\na: b\n',
    'a:\tb\n',
    'a: b\r\n',
    '\uFEFFa: b\n',
    'a: b: c\n',
    'a: b:\n',
    'a:b\n',
    '"a": b\n',
    'a : b\n',
    'a: -1\n',
    'a: "x" y\n',
    'a: "x"#c\n',
    'a: b\u0007\n',
    'a: \uD800\n',
  ]) {
    t.equal(parseFlatYaml(text), undefined, JSON.stringify(text));
  }
});

t.test('wherever it answers, it agrees with the yaml package (property-based)', async (t) => {
  const key = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_./-]{0,8}$/);
  const valueChars = fc.constantFrom(
    'a',
    'Z',
    '0',
    ' ',
    '#',
    ':',
    '/',
    '"',
    "'",
    '-',
    '[',
    ']',
    '{',
    '}',
    ',',
    '&',
    '*',
    '!',
    '|',
    '>',
    '%',
    '@',
    '`',
    '~',
    '.',
    '\\',
    '\t',
    'é',
    '\u0085',
  );
  const value = fc.array(valueChars, { maxLength: 12 }).map((cs) => cs.join(''));
  const line = fc.oneof(
    fc.tuple(key, fc.constantFrom(':', ': ', ':  '), value).map(([k, sep, v]) => `${k}${sep}${v}`),
    fc.tuple(key, value).map(([k, v]) => `${k}: "${v}"`),
    fc.tuple(key, value).map(([k, v]) => `${k}: '${v}'`),
    value.map((v) => `#${v}`),
    value.map((v) => `  ${v}`),
    fc.constant(''),
  );
  let answered = 0;
  fc.assert(
    fc.property(fc.array(line, { maxLength: 6 }), fc.boolean(), (lines, trailingNewline) => {
      const text = lines.join('\n') + (trailingNewline ? '\n' : '');
      const flat = parseFlatYaml(text);
      if (flat === undefined) return true;
      answered++;
      const reference = viaYaml(text);
      if (reference === 'error' || reference === 'not-flat') throw new Error(`fast path accepted what yaml rejects: ${JSON.stringify(text)}`);
      if (JSON.stringify(reference) !== JSON.stringify(flat))
        throw new Error(`${JSON.stringify(text)}: ${JSON.stringify(flat)} vs yaml ${JSON.stringify(reference)}`);
      return true;
    }),
    { numRuns: 3000, seed: 20261122 },
  );
  t.ok(answered > 500, `the fast path answered ${answered} of 3000 generated documents`);
});
