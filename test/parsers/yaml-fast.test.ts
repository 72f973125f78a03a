import t, { type Test } from 'tap';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { stringify } from 'yaml';
import { readSimpleYaml, resolvePlain } from '../../src/parsers/yaml-fast.js';
import { parseYamlDocument, yamlToData } from '../../src/parsers/yaml.js';

/** What the yaml package reads (as checklists are read), or an error marker. */
function slow(text: string): { value: unknown } | { error: string } {
  const doc = parseYamlDocument(text);
  if (!doc.ok) return { error: doc.error.message };
  const data = yamlToData(doc.value);
  return data.ok ? { value: data.value } : { error: data.error.message };
}

/** The fast reader either declines or reads exactly what the yaml package reads. */
function agrees(t: Test, text: string, name = JSON.stringify(text)): boolean {
  const fast = readSimpleYaml(text);
  if (fast === undefined) return false;
  t.same(fast.value, (slow(text) as { value: unknown }).value, name);
  return true;
}

t.test('the block YAML checklists are written in', async (t) => {
  const texts = [
    'apiVersion: kube-preflight/v1\nkind: Checklist\n',
    '---\n# a comment\napiVersion: kube-preflight/v1 # trailing comment\nkind: "Checklist"\n\nkubernetesVersion: "1.33"\n',
    'site:\n  files:\n    - id: site/ca\n      path: /etc/pki/ca.pem\n      mode: "0644"\n      certificate:\n        validForDays: 30\n    - id: site/b\n      path: /b\n',
    'rules:\n- id: acme/x\n  schema:\n    not:\n      required: [HTTP_PROXY, "HTTPS_PROXY"]\nwaivers: []\n',
    "a: 'it''s'\nb: \"tab\\there \\U0001F600 \\u00e9 \\\\ \\\" \\/ \\x41\"\nc: ~\nd: null\ne: Null\nf:\ng: true\nh: FALSE\ni: 0644\nj: 0o17\nk: 0x1F\nl: 1.30\nm: -1.5e3\nn: .inf\no: -.Inf\np: +12\nq: 1_000\nr: yes\ns: 12:30\nt: http://proxy:3128\nu: a#b\nv: 'quoted # not a comment'\n",
    'x: {a: 1, "b": [c, {d: e}], f: []}\ny: [ 1 , two , "3" ]\nz: {}\n',
    'list:\n  -\n    a: 1\n  - - nested\n',
    'seq:\n- a\n- b\nafter: 1\n',
    'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
    '- a\n- b: 1\n  c: 2\n-\n- [x]\n',
    'key with spaces: value with spaces\n"quoted key": v\n\'single key\': w\n',
    'a: -1\nb: -x\nc: ?x\nd: x:y\ne: "#"\n',
    'big: 12345678901234567890\nneg: -0\nfloat: 1.\nexp: 1e5\n',
  ];
  let handled = 0;
  for (const text of texts) if (agrees(t, text)) handled++;
  t.ok(handled >= texts.length - 1, `the fast reader reads them (${handled} of ${texts.length})`);
});

t.test('JSON: as JSON.parse reads it, which is as YAML reads it', async (t) => {
  const texts = [
    '{"apiVersion":"kube-preflight/v1","kind":"Checklist","rules":[{"id":"a/b","schema":{"not":{"required":["X"]}}}]}',
    ' [1, 2.5, -0, 1e3, "\\u00e9\\n", true, null, {}]',
    '{\n  "a": {"b": [1, {"c": "d"}]},\n  "e"  : "f"\n}',
  ];
  for (const text of texts) t.ok(agrees(t, text), text);
});

t.test('what the yaml package must read: declined, never misread', async (t) => {
  const declined = [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |\n  text\n',
    'a: >\n  folded\n',
    'a: plain\n  continued\n',
    'a: "multi\n  line"\n',
    'a: [1,\n  2]\n',
    'a:\tb\n',
    'a: b\r\n',
    '\uFEFFa: b\n',
    'a: 1\na: 2\n',
    '{"a": 1, "a": 2}',
    '{"__proto__": 1}',
    '__proto__: 1\n',
    'a: 1\n---\nb: 2\n',
    '%YAML 1.2\n---\na: 1\n',
    '? complex\n: key\n',
    '1: numeric key\n',
    'true: bool key\n',
    ': empty key\n',
    'a: b: c\n',
    'a: "x" trailing\n',
    '"a":b\n',
    'a: [x] trailing\n',
    'a: [x,]\n',
    'a: {b:c}\n',
    'a: {b: 1, b: 2}\n',
    'a: [x\n',
    'a: "\\q"\n',
    'a: "\\ud800"\n',
    'a: "\\u12"\n',
    'a: "unterminated\n',
    "a: 'unterminated\n",
    'a: @x\n',
    'a: `x\n',
    'a: -\n',
    '- - a\n',
    '-x\n- y\n',
    'a:\n- x\n  - y\n',
    'a: 1\n  b: 2\n',
    '  a: 1\n',
    'scalar\n',
    '',
    '# only a comment\n',
    'a:\n    b: 1\n  c: 2\n',
    "a: don't 'x #y\n",
    'a: x\n- y\n',
    '- a\nb: 1\n',
    '{"a": [1, 2}',
    'a:\n  b: 1\n c: 2\n',
    'x: {a: [1, {b: 2}], c: ]}\n',
    'a: ]\n',
  ];
  for (const text of declined) {
    t.equal(readSimpleYaml(text), undefined, JSON.stringify(text));
  }
  const deep = `${'a:\n'.split('').join('')}${Array.from({ length: 120 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n')}\n`;
  t.equal(readSimpleYaml(deep), undefined, 'deeper than the limit: the yaml package reports it');
  t.equal(readSimpleYaml(`${'['.repeat(150)}${']'.repeat(150)}`), undefined, 'deep JSON too');
  t.equal(readSimpleYaml(`a: ${'['.repeat(150)}${']'.repeat(150)}\n`), undefined, 'deep flow too');
  t.ok(readSimpleYaml('a: [[[1]]]\n', 5), 'within a given limit');
  t.equal(readSimpleYaml('a: [[[[[[1]]]]]]\n', 5), undefined);
  t.equal(readSimpleYaml('a:\n  b:\n    c:\n      d: 1\n', 3), undefined);
});

t.test('scalars resolve as the core schema resolves them', async (t) => {
  const cases: [string, unknown][] = [
    ['', null],
    ['~', null],
    ['NULL', null],
    ['nUll', 'nUll'],
    ['True', true],
    ['tRUE', 'tRUE'],
    ['0o17', 15],
    ['017', 17],
    ['+0x1F', '+0x1F'],
    ['0x1f', 31],
    ['-.inf', -Infinity],
    ['.NaN', NaN],
    ['1.', 1],
    ['.5', 0.5],
    ['5e-1', 0.5],
    ['1_0', '1_0'],
    ['0.1.2', '0.1.2'],
  ];
  for (const [text, value] of cases) {
    const got = resolvePlain(text);
    if (typeof value === 'number' && Number.isNaN(value)) t.ok(Number.isNaN(got), text);
    else t.same(got, value, text);
    t.same(slow(`a: ${text}\n`), { value: { a: value } }, `the yaml package agrees on ${JSON.stringify(text)}`);
  }
});

t.test('differential: any data, written by the yaml package in several styles, is read alike or declined', async (t) => {
  const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,11}$/);
  const tricky = fc.constantFrom(
    'yes',
    'no',
    'on',
    '1.30',
    '0644',
    '0o7',
    '0x1F',
    'null',
    '~',
    '',
    ' ',
    '-',
    '- a',
    ':',
    'a: b',
    '#x',
    'a #b',
    "it's",
    '"q"',
    '\\',
    'é',
    '1e3',
    '.inf',
    'true',
    '[x]',
    '{y}',
    '@',
    '`',
    '%',
    '!',
    '&',
    '*',
    '|',
    '>',
    '? x',
    'http://a:1/b?c#d',
    'a\tb',
    'line\nbreak',
    'trailing ',
    ' leading',
  );
  const scalar = fc.oneof(word, tricky, fc.string({ maxLength: 8 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
  const key = fc.oneof(
    word,
    tricky.filter((k) => k !== ''),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  })).map;
  const styles: Record<string, unknown>[] = [
    {},
    { indentSeq: false },
    { indent: 4 },
    { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' },
    { defaultStringType: 'QUOTE_SINGLE' },
    { collectionStyle: 'flow' },
    { flowCollectionPadding: false, collectionStyle: 'flow' },
  ];
  let handled = 0;
  let total = 0;
  fc.assert(
    fc.property(value, (data) => {
      for (const style of styles) {
        // lineWidth 0: no folding, so most scalars stay on one line.
        const text = stringify(data, { ...style, lineWidth: 0 });
        const fast = readSimpleYaml(text);
        total++;
        if (fast === undefined) continue;
        handled++;
        const expected = slow(text);
        if (!('value' in expected)) throw new Error(`read ${text} though the yaml package refuses it: ${expected.error}`);
        t.same(fast.value, expected.value, text);
        const json = JSON.stringify(data);
        const viaJson = readSimpleYaml(json);
        if (viaJson) t.same(viaJson.value, JSON.parse(json), json);
      }
    }),
    { numRuns: 300, seed: 16 },
  );
  t.ok(handled / total > 0.4, `many texts take the fast path (${handled} of ${total})`);
});

t.test('every checklist in this repository: the docs page and the fixtures', async (t) => {
  const page = readFileSync(new URL('../../docs/write-your-own-checks.md', import.meta.url), 'utf8');
  const blocks = [...page.matchAll(/```yaml file=\S+\n([\s\S]*?)```/g)].map((m) => m[1]!);
  t.ok(blocks.length >= 8);
  for (const text of blocks) t.ok(agrees(t, text), 'a checklist of the docs page takes the fast path');
  const nodes = new URL('../fixtures/nodes/', import.meta.url).pathname;
  for (const name of readdirSync(nodes)) {
    const expect = readFileSync(`${nodes}${name}/expect.yaml`, 'utf8');
    const fast = readSimpleYaml(expect);
    if (fast) t.same(fast.value, (slow(expect) as { value: unknown }).value, name);
  }
});
