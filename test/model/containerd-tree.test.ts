import t from 'tap';
import { cloneTree, type SourcedTree } from '../../src/model/containerd/tree.js';
import { tomlPathKey } from '../../src/parsers/toml.js';

t.test('cloneTree copies the data, the sources and what an earlier file had set that a later table dropped', async (t) => {
  const key = tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri', 'sandbox_image']);
  const tree: SourcedTree = {
    data: { plugins: { 'io.containerd.grpc.v1.cri': { registry: {} } } },
    sources: new Map([[tomlPathKey(['plugins', 'io.containerd.grpc.v1.cri']), { file: '/etc/containerd/b.toml', line: 1 }]]),
    dropped: new Map([[key, { by: { file: '/etc/containerd/b.toml', line: 1 }, was: { file: '/etc/containerd/config.toml', line: 3 } }]]),
  };
  const copy = cloneTree(tree);
  t.same(copy, tree);
  t.not(copy.dropped, tree.dropped, 'its own map');
  copy.dropped!.delete(key);
  t.equal(tree.dropped!.size, 1, 'the original keeps its entries');
  const plain = cloneTree({ data: {}, sources: new Map() });
  t.notOk('dropped' in plain, 'no dropped map where none was');
});
