import t from 'tap';
import { at, containerdSocket, notCollected, q, where } from '../../src/rules/helpers.js';
import type { RuleContext } from '../../src/rules/types.js';

t.test('rule helpers', async (t) => {
  t.equal(where({ file: '/a', line: 3 }), '/a:3');
  t.equal(where({ file: '/a' }), '/a');
  t.equal(where({ default: 'built-in default of containerd 2.1' }), 'built-in default of containerd 2.1');
  t.equal(where({}), 'an unknown place');
  t.same(at({ file: '/a', line: 1, column: 2, key: 'k' }), { file: '/a', line: 1, column: 2, path: 'k' });
  t.same(at({ default: 'x' }), {});
  t.equal(q('a"b'), '"a\\"b"');
  t.equal(notCollected({ path: '/x', state: 'not-collected' }), '/x was not collected in this snapshot');
  t.equal(notCollected({ path: '/x', state: 'ok' }), undefined);
  const withContainerd = {
    model: {
      containerd: {
        configFile: { path: '/etc/containerd/config.toml', state: 'ok' },
        grpcAddress: { value: '/run/k3s/containerd/containerd.sock', source: { file: '/etc/containerd/config.toml', line: 4 } },
      },
    },
  } as unknown as RuleContext;
  t.same(containerdSocket(withContainerd), { value: 'unix:///run/k3s/containerd/containerd.sock', source: { file: '/etc/containerd/config.toml', line: 4 } });
});
