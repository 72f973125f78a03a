import t from 'tap';
import { readFileSync } from 'node:fs';
import { goAtoi, goParseBool, parseCrictl } from '../../src/parsers/crictl.js';

const corpus = (name: string): string => readFileSync(new URL(`../fixtures/corpus/crictl/${name}`, import.meta.url), 'utf8');

t.test('Go strconv semantics', async (t) => {
  t.equal(goAtoi('10'), 10);
  t.equal(goAtoi('-3'), -3);
  t.equal(goAtoi('+0'), 0);
  t.equal(goAtoi('9223372036854775807'), 2 ** 63, 'the nearest double');
  t.equal(goAtoi('9223372036854775808'), null, 'int64 overflow');
  t.equal(goAtoi('-9223372036854775809'), null);
  for (const bad of ['', '2s', '1_000', '0x10', ' 1', '1.0']) t.equal(goAtoi(bad), null, JSON.stringify(bad));
  for (const b of ['1', 't', 'T', 'TRUE', 'true', 'True']) t.equal(goParseBool(b), true, b);
  for (const b of ['0', 'f', 'F', 'FALSE', 'false', 'False']) t.equal(goParseBool(b), false, b);
  for (const b of ['yes', 'on', 'tRuE', '']) t.equal(goParseBool(b), null, b);
});

t.test('corpus: cri-tools v1.36 documented example', async (t) => {
  const r = parseCrictl(corpus('cri-tools-v1.36-docs-example-crictl.yaml'));
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.problems, []);
  t.equal(r.settings.timeoutSeconds, 2);
  t.equal(r.settings.debug, true);
  t.equal(r.settings.runtimeEndpoint, 'unix:///run/containerd/containerd.sock');
});

t.test('corpus: CRI-O sample (quoted endpoint, timeout 0, no image endpoint)', async (t) => {
  const r = parseCrictl(corpus('cri-o-repo-crictl.yaml'));
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.problems, []);
  t.equal(r.settings.timeoutSeconds, 0);
  t.equal(r.settings.imageEndpoint, null);
  t.match(r.settings.runtimeEndpoint, /crio\.sock$/);
});

t.test('corpus: kind image (no trailing newline)', async (t) => {
  const r = parseCrictl(corpus('kind-base-image-crictl.yaml'));
  t.ok(r.ok && r.entries.length === 1 && r.entries[0]!.line === 1);
});

t.test('shapes crictl tolerates', async (t) => {
  const scalarDoc = parseCrictl('just a string\n');
  t.ok(scalarDoc.ok && scalarDoc.entries.length === 0, 'a non-mapping document reads as empty');
  const multi = parseCrictl('timeout: 5\n---\ntimeout: bad\n');
  t.ok(multi.ok && multi.problems.length === 0, 'only the first document is read');
  const dup = parseCrictl('timeout: 1\ntimeout: 7\n');
  t.ok(dup.ok && dup.settings.timeoutSeconds === 7, 'a repeated key is not an error; the last wins');
  const seq = parseCrictl('runtime-endpoint: [a, b]\ntimeout: {x: 1}\n');
  t.ok(seq.ok);
  if (seq.ok) {
    t.equal(seq.settings.runtimeEndpoint, '', 'a non-scalar value reads as ""');
    t.match(seq.problems[0]?.message, /timeout "" is not an integer/);
  }
  const nullKey = parseCrictl(': orphan\n');
  t.ok(nullKey.ok && nullKey.entries[0]?.key === '' && nullKey.problems.length === 1, 'an empty key is an unknown option');
  const complexKey = parseCrictl('? [a]\n: b\n');
  t.ok(complexKey.ok && complexKey.problems[0]?.message.includes("Config option '' is not valid"));
});

t.test('syntax errors carry a position', async (t) => {
  const r = parseCrictl('a: b\n  c: d\n');
  t.notOk(r.ok);
  if (!r.ok) {
    t.match(r.error, { message: /Nested mappings/, line: 1, column: 4 });
  }
});
