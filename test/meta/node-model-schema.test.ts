import t, { type Test } from 'tap';
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import { MODEL_SCHEMA_PATH, generateModelSchema, modelSchemaModule, modelSchemaText } from '../../scripts/model-schema.js';
import { nodeModelSchema } from '../../src/generated/node-model-schema.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { checklistFile, nodeFixtures } from '../helpers/node-fixtures.js';
import { ACTIVE, plugins, ran, systemctlShow } from '../live/fixtures.js';
import { PROBE } from '../../src/model/live.js';

const Ajv2020 = Ajv2020Module.default;
const ROOT = new URL('../../', import.meta.url).pathname;
const generated = generateModelSchema(`${ROOT}src/model/types.ts`, `${ROOT}tsconfig.json`);

t.test('schemas/node-model.schema.json is generated from src/model/types.ts and current (run npm run build)', async (t) => {
  t.equal(readFileSync(`${ROOT}${MODEL_SCHEMA_PATH}`, 'utf8'), modelSchemaText(generated), 'a field added to the types is in the committed schema');
  t.equal(readFileSync(`${ROOT}src/generated/node-model-schema.ts`, 'utf8'), modelSchemaModule(generated));
  t.same(nodeModelSchema, generated, 'the schema custom rules are checked against is the same');
  t.match(generated, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    additionalProperties: false,
    required: ['schemaVersion', 'root', 'online', 'host', 'crictl', 'kubelet', 'containerd', 'systemd', 'join', 'packages', 'live', 'site'],
  });
});

// Strict: the model's schema is one of the project's own, so ajv's strict checks all apply.
const validate = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(generated);
const valid = (t: Test, model: unknown, name: string): void => {
  const ok = validate(JSON.parse(JSON.stringify(model)));
  t.ok(ok, `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
};

t.test('real models validate: every fixture node, with its checklist (site checks included)', async (t) => {
  const fixtures = nodeFixtures();
  t.ok(fixtures.length >= 12);
  for (const { name, root, expect } of fixtures) {
    const file = checklistFile(name, expect);
    const prepared = await loadChecklist(file ? readFileSync(file, 'utf8') : undefined);
    const model = buildModel(collectSnapshot({ root, units: prepared.modelOptions.units, site: prepared.modelOptions.site }), prepared.modelOptions);
    valid(t, model, name);
    if (name === 'site-example')
      t.ok(Object.keys(model.site.files).length > 0 && Object.keys(model.site.systemdUnits).length > 0, 'the site part is not empty');
  }
});

t.test('a live model validates', async (t) => {
  const snapshot = collectSnapshot({ root: `${ROOT}test/fixtures/nodes/clean/root` });
  const commands = {
    ...systemctlShow(ACTIVE),
    ...plugins('ok'),
    [PROBE.version]: ran(['ctr', 'version'], 0, 'Client:\n  Version:  2.1.4\n\nServer:\n  Version:  2.1.4\n'),
    [PROBE.tcp('10.0.0.1:3128')]: ran(['tcp-connect', '10.0.0.1:3128'], 1, '', 'connection refused'),
    [PROBE.dns('registry.k8s.io')]: ran(['dns-lookup', 'registry.k8s.io'], 0, '34.96.108.209\n'),
  };
  const model = buildModel({ ...snapshot, online: true, commands });
  t.ok(model.live, 'live is not null');
  valid(t, model, 'online');
});

t.test('a model that does not follow the types fails validation', async (t) => {
  const model = JSON.parse(JSON.stringify(buildModel(collectSnapshot({ root: `${ROOT}test/fixtures/nodes/clean/root` })))) as Record<
    string,
    Record<string, unknown>
  >;
  model.host!.extra = 1;
  t.notOk(validate(model), 'an undeclared key');
  t.match(validate.errors, [{ keyword: 'additionalProperties', instancePath: '/host' }]);
});

t.test('the generator maps every shape the types use', async (t) => {
  const schema = generateModelSchema(`${ROOT}test/fixtures/model-schema/types.ts`, `${ROOT}tsconfig.json`);
  const props = schema.properties as Record<string, unknown>;
  t.same(props.a, { description: 'A string.', type: 'string' });
  t.same(props.b, { type: 'number' });
  t.same(props.c, { enum: ['x', 'y'] });
  t.same(props.d, { type: ['boolean', 'null'] });
  t.same(props.e, { type: 'object' }, 'Record<string, unknown>: any keys, any values');
  t.same(
    props.f,
    {
      type: 'array',
      items: {
        type: 'object',
        properties: { value: { type: 'string' }, source: { type: 'string' } },
        required: ['value', 'source'],
        additionalProperties: false,
      },
    },
    'a generic is written out',
  );
  t.same(
    props.g,
    {
      type: 'object',
      properties: { x: { description: 'Its name.', type: 'string' }, extra: { const: true } },
      required: ['x', 'extra'],
      additionalProperties: false,
    },
    'an intersection is one object',
  );
  t.same(props.h, {});
  t.same(props.i, { enum: [null, 1, 2] });
  t.same(props.j, { anyOf: [{ type: 'string' }, { $ref: '#/$defs/Inner' }] });
  t.same(props.k, { type: 'object', additionalProperties: { $ref: '#/$defs/Inner' } });
  t.same(props.l, { $ref: '#/$defs/Letter' });
  t.same(props.m, { type: 'boolean' }, 'undefined is dropped (JSON has none)');
  t.same(props.n, { type: ['boolean', 'string'] });
  t.same(props.o, { type: 'array', items: { type: 'number' } });
  t.same(props.p, {
    type: 'object',
    properties: { nested: { type: 'object', properties: { deep: { type: 'null' } }, required: ['deep'], additionalProperties: false } },
    required: ['nested'],
    additionalProperties: false,
  });
  t.same(props.q, { const: false });
  t.same(props.r, { anyOf: [{ type: 'boolean' }, { $ref: '#/$defs/Inner' }] });
  t.same(schema.$defs, {
    Inner: {
      description: 'An inner object.',
      type: 'object',
      properties: { x: { description: 'Its name.', type: 'string' } },
      required: ['x'],
      additionalProperties: false,
    },
    Letter: { description: 'Two letters.', enum: ['p', 'q'] },
  });
  t.throws(
    () => generateModelSchema(`${ROOT}test/fixtures/model-schema/bigint.ts`, `${ROOT}tsconfig.json`),
    /the node model uses a type this generator does not map: bigint/,
  );
});
