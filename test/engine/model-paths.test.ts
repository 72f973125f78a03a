import t from 'tap';
import { readFileSync } from 'node:fs';
import { checkModelPointer, isSourced } from '../../src/engine/model-paths.js';

t.test('pointers into the node model: named keys must exist, map keys and indexes are free', async (t) => {
  t.match(checkModelPointer('/containerd/cri/sandboxImage/value'), { ok: true, schema: { type: 'string' } });
  t.match(checkModelPointer('/host/binaries/0/name'), { ok: true, schema: { type: 'string' } }, 'a list index');
  t.match(
    checkModelPointer('/host/binaries/x/name'),
    { ok: false, problem: '/host/binaries is a single value, with nothing under it' },
    'a list takes indexes only',
  );
  t.match(checkModelPointer('/live/tcp/10.0.0.1:3128/state'), { ok: true }, 'under a nullable object, a map');
  t.match(
    checkModelPointer('/containerd/effective/plugins/io.containerd.grpc.v1.cri/registry/configs/r/auth/password'),
    { ok: true, schema: { type: 'object' } },
    "any key below a free-form tree (containerd's merged configuration)",
  );
  t.match(checkModelPointer('/host/hostname'), { ok: true, schema: { type: 'object' } }, 'a nullable value: its object side');
  t.match(checkModelPointer('/host/cgroup/version'), { ok: true, schema: { enum: [null, 1, 2] } });
  t.match(checkModelPointer(''), { ok: true }, 'the whole model');
  t.match(checkModelPointer('/site/files/~1etc~1hosts/mode'), { ok: true });
});

t.test('a wrong key: a near one at its level, or the shortest path below that ends in it', async (t) => {
  t.same(checkModelPointer('/host/hostnme/value'), { ok: false, problem: 'the node model has no "hostnme" under /host', suggestion: '/host/hostname/value' });
  t.same(checkModelPointer('/containerd/sandboxImage'), {
    ok: false,
    problem: 'the node model has no "sandboxImage" under /containerd',
    suggestion: '/containerd/cri/sandboxImage',
  });
  t.same(
    checkModelPointer('/containerd/sandboximage/vlue'),
    { ok: false, problem: 'the node model has no "sandboximage" under /containerd', suggestion: '/containerd/cri/sandboxImage/value' },
    'case and a second typo',
  );
  t.same(
    checkModelPointer('/hst/hostnme/vlue'),
    { ok: false, problem: 'the node model has no "hst" under /', suggestion: '/host/hostname/value' },
    'three typos',
  );
  t.same(checkModelPointer('/hst/hostnme/vlue/x'), { ok: false, problem: 'the node model has no "hst" under /' }, 'a repair that still fails suggests nothing');
  t.same(checkModelPointer('/hst/hostnme/sorce/fle'), { ok: false, problem: 'the node model has no "hst" under /' }, 'repairs stop after three');
  t.same(
    checkModelPointer('/host/hostnme/sorce/fle'),
    { ok: false, problem: 'the node model has no "hostnme" under /host', suggestion: '/host/hostname/source/file' },
    'three are repaired',
  );
  t.same(checkModelPointer('/host/zzzzzz'), {
    ok: false,
    problem: 'the node model has no "zzzzzz" under /host; its keys are hostname, procAvailable, swap, sysctl, modules, binaries, resolvConf, cgroup, kernel',
  });
});

t.test('a given schema; Sourced values', async (t) => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/node-model.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  t.match(checkModelPointer('/crictl/timeoutSeconds', schema), { ok: true });
  const sourced = checkModelPointer('/crictl/runtimeEndpoint', schema);
  t.ok(sourced.ok && isSourced(sourced.schema));
  const plain = checkModelPointer('/crictl/file', schema);
  t.notOk(plain.ok && isSourced(plain.schema));
  t.notOk(isSourced({ type: 'string' }));
});
