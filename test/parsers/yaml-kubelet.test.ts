import t from 'tap';
import { parseYamlDocument, positionAt, yamlToData } from '../../src/parsers/yaml.js';
import { parseKubeletArgs, parseKubeletConfig } from '../../src/parsers/kubelet.js';

t.test('positions of keys and sequence items', async (t) => {
  const r = parseYamlDocument('a:\n  b:\n    - x\n    - y\nc: 1\n');
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(positionAt(r.value, ['a', 'b']), { line: 2, column: 3 });
  t.same(positionAt(r.value, ['a', 'b', 1]), { line: 4, column: 7 });
  t.same(positionAt(r.value, ['c']), { line: 5, column: 1 });
  t.same(positionAt(r.value, ['a', 'missing']), { line: 1, column: 1 }, 'stops at the nearest existing key');
  t.same(positionAt(r.value, ['c', 'deeper']), { line: 5, column: 1 });
  t.same(positionAt(r.value, ['a', 'b', 9, 'x']), { line: 2, column: 3 }, 'an index past the end stays at the sequence key');
  const commentOnly = parseYamlDocument('# nothing here\n');
  if (commentOnly.ok) t.same(positionAt(commentOnly.value, ['a']), { line: 1, column: 1 }, 'a document without contents points at its start');
  const nullDoc = parseKubeletConfig('~\n');
  t.same(nullDoc.ok && nullDoc.fields, {}, 'a null document has no fields');
});

t.test('empty text and duplicate keys', async (t) => {
  const empty = parseYamlDocument('');
  t.ok(empty.ok);
  if (empty.ok) t.same(yamlToData(empty.value), { ok: true, value: {} });
  const dup = parseYamlDocument('a: 1\na: 2\n');
  t.notOk(dup.ok);
  if (!dup.ok) t.match(dup.error, { message: /unique/i, line: 2 });
});

t.test('alias bombs are refused, not expanded', async (t) => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 8 },
      (_, i) =>
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
    ),
  ].join('\n');
  const r = parseYamlDocument(bomb);
  t.ok(r.ok);
  if (!r.ok) return;
  const start = Date.now();
  const data = yamlToData(r.value);
  t.notOk(data.ok);
  if (!data.ok) t.match(data.error.message, /alias/i);
  t.ok(Date.now() - start < 2000, 'bounded time');
});

t.test('KubeletConfiguration fields', async (t) => {
  const r = parseKubeletConfig(
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nfailSwapOn: false\nmemorySwap:\n  swapBehavior: LimitedSwap\nresolvConf: /run/systemd/resolve/resolv.conf\n',
  );
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.fields.cgroupDriver, { value: 'systemd', line: 3, column: 1 });
  t.same(r.fields.failSwapOn, { value: false, line: 4, column: 1 });
  t.same(r.fields.swapBehavior, { value: 'LimitedSwap', line: 6, column: 3 });
  t.equal(r.fields.kind?.value, 'KubeletConfiguration');
  t.same(parseKubeletConfig(''), { ok: true, fields: {} });
  t.same(parseKubeletConfig('memorySwap: {}\ncgroupDriver: 3\n'), { ok: true, fields: {} }, 'wrong types are left out');
  const list = parseKubeletConfig('- a\n');
  t.notOk(list.ok);
  const bad = parseKubeletConfig('a: [\n');
  t.notOk(bad.ok);
  const bomb = parseKubeletConfig(
    ['a: &a [x, x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]'].join(
      '\n',
    ),
  );
  t.notOk(bomb.ok, 'alias expansion limit');
});

t.test('kubelet arguments as systemd expands $VAR and pflag reads them', async (t) => {
  t.same(
    parseKubeletArgs('  --a=1 --b 2 --c --d=  -v=2 --e -- --f'),
    [
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
      { name: 'c', value: null },
      { name: 'd', value: '' },
      { name: 'e', value: null },
    ],
    'pflag stops at --',
  );
  t.same(
    parseKubeletArgs('--fail-swap-on false --fail-swap-on=false --cgroup-driver systemd'),
    [
      { name: 'fail-swap-on', value: null },
      { name: 'fail-swap-on', value: 'false' },
      { name: 'cgroup-driver', value: 'systemd' },
    ],
    'a boolean flag takes no separate value',
  );
  t.same(parseKubeletArgs('--pod_infra_container_image=x'), [{ name: 'pod-infra-container-image', value: 'x' }]);
  t.same(parseKubeletArgs(''), []);
});
