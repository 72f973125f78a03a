// The table the docs explain effective values from names real rules and real
// places in the node model.
import t from 'tap';
import { EFFECTIVE_VALUES } from '../../src/model/effective-values.js';
import { RULES } from '../../src/rules/index.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { getAt } from '../../src/model/pointer.js';

const CLEAN = new URL('../fixtures/nodes/clean/root', import.meta.url).pathname;

t.test('every effective value names rules that exist and model paths that hold it', async (t) => {
  const ids = new Set(RULES.map((r) => r.id));
  const model = buildModel(collectSnapshot({ root: CLEAN }));
  t.same([...new Set(EFFECTIVE_VALUES.map((v) => v.id))].length, EFFECTIVE_VALUES.length, 'ids are unique');
  for (const v of EFFECTIVE_VALUES) {
    for (const id of v.readBy) t.ok(ids.has(id), `${v.id}: ${id} is a rule`);
    for (const path of v.model) t.not(getAt(model, path), undefined, `${v.id}: ${path} is in the node model`);
    t.ok(v.precedence.length > 0 && v.basis.length > 0, `${v.id} says where it comes from and why`);
  }
});
