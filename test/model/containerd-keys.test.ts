/**
 * The containerd key schemas (schemas/containerd/) are JSON Schema that ajv
 * compiles in strict mode, and the checker's schema walker (checkKeys) finds
 * exactly the unknown keys and undecodable values ajv finds, on data generated
 * from each schema with keys added and types broken at random. Key spelling
 * stays exact here: case-insensitive matching is containerd's, not JSON
 * Schema's, and is tested in test/rules/containerd/known-keys.test.ts.
 */
import t from 'tap';
import fc from 'fast-check';
import ajvModule from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { AJV_OPTIONS } from '../../src/engine/ajv-options.js';
import { checkKeys, fieldFor, keyMatcher, keySchemaFor, type KeySchema } from '../../src/model/containerd/keys.js';
import type { TomlValue } from '../../src/parsers/toml.js';
import { containerdKeySchemaReleases } from '../../src/generated/containerd-schemas.js';

const Ajv = ajvModule.default;
const DIR = new URL('../../schemas/containerd/', import.meta.url).pathname;
const schemas = readdirSync(DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => ({ file: f, schema: JSON.parse(readFileSync(DIR + f, 'utf8')) as KeySchema & { title: string } }));

/** A value that is not of the schema's type. */
const wrong = (s: KeySchema): fc.Arbitrary<TomlValue> => fc.constantFrom<TomlValue>('text', 7, 1.5, true, ['a'], { k: 1 }).filter((v) => !fitsType(v, s));

function fitsType(v: TomlValue, s: KeySchema): boolean {
  switch (s.type) {
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case undefined:
      return true;
    default:
      return typeof v === s.type;
  }
}

/** Data for a schema: mostly valid, with unknown keys, wrong types and bad durations mixed in. */
function valueOf(s: KeySchema, depth: number): fc.Arbitrary<TomlValue> {
  const valid = ((): fc.Arbitrary<TomlValue> => {
    if (s.pattern) return fc.constantFrom('30s', '1h30m', '0', '.5ms', '4 hours', '10', '');
    if (s.type === 'string') return fc.string({ maxLength: 4 });
    if (s.type === 'integer') return fc.integer();
    if (s.type === 'number') return fc.double({ noNaN: true, noDefaultInfinity: true });
    if (s.type === 'boolean') return fc.boolean();
    if (s.type === 'array') return fc.array(valueOf(s.items!, depth + 1), { maxLength: 2 });
    const props = Object.entries(s.properties ?? {});
    if (depth > 6) return fc.constant({});
    const known =
      props.length > 0
        ? fc
            .subarray(props, { maxLength: Math.min(3, props.length) })
            .chain((picked) => fc.tuple(...picked.map(([k, sub]) => valueOf(sub, depth + 1).map((v) => [k, v] as const))))
        : fc.constant([]);
    const extraValue =
      typeof s.additionalProperties === 'object' ? valueOf(s.additionalProperties, depth + 1) : fc.constantFrom<TomlValue>(1, 'x', { a: true });
    const extra = fc.array(fc.tuple(fc.constantFrom('zz_unknown', 'Typo', 'x-y'), extraValue), { maxLength: 1 });
    return fc.tuple(known, extra).map(([k, e]) => {
      const out: Record<string, TomlValue> = {};
      for (const [key, v] of [...k, ...e]) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    });
  })();
  return fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: wrong(s) });
}

/** ajv's findings as "kind path" strings, in the walker's terms. */
function ajvFindings(errors: { keyword: string; instancePath: string; params: Record<string, unknown> }[]): string[] {
  return errors
    .map((e) => {
      const path = e.instancePath
        .split('/')
        .slice(1)
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      if (e.keyword === 'additionalProperties') return `unknown ${JSON.stringify([...path, e.params.additionalProperty])}`;
      return `type ${JSON.stringify(path)}`;
    })
    .sort();
}

for (const { file, schema } of schemas) {
  t.test(`${file}: ajv compiles it, and the walker agrees with ajv`, async (t) => {
    const ajv = new Ajv({ ...AJV_OPTIONS });
    const validate = ajv.compile(schema);
    t.match(schema.title, /^containerd \d\.\d configuration \(config version \d\)$/);
    // The parts the walker does not read stay out of the schemas.
    t.notMatch(JSON.stringify(schema), /"(\$ref|oneOf|anyOf|allOf|enum|const|patternProperties|required)"/);
    const seen = { clean: 0, unknown: 0, type: 0 };
    fc.assert(
      fc.property(valueOf(schema, 0), (data) => {
        validate(data);
        const fromAjv = ajvFindings((validate.errors ?? []) as never);
        const fromWalker = checkKeys(data, schema, 2)
          .map((p) => `${p.kind} ${JSON.stringify(p.path)}`)
          .sort();
        if (fromWalker.length === 0) seen.clean++;
        if (fromWalker.some((f) => f.startsWith('unknown'))) seen.unknown++;
        if (fromWalker.some((f) => f.startsWith('type'))) seen.type++;
        if (JSON.stringify(fromAjv) !== JSON.stringify(fromWalker))
          throw new Error(`ajv ${JSON.stringify(fromAjv)}\nwalker ${JSON.stringify(fromWalker)}\n${JSON.stringify(data)}`);
      }),
      { numRuns: 200 },
    );
    t.ok(seen.clean > 0 && seen.unknown > 0 && seen.type > 0, `clean, unknown-key and wrong-type cases all occur: ${JSON.stringify(seen)}`);
  });
}

t.test('each release family reads its own schema', async (t) => {
  const title = (major: 1 | 2, minor: number): string => keySchemaFor({ major, minor }).release;
  t.same(
    containerdKeySchemaReleases,
    schemas.map((x) => x.file.replace(/^containerd-|\.schema\.json$/g, '')),
    'every schema file is embedded',
  );
  t.same([title(1, 6), title(1, 7), title(2, 0), title(2, 1), title(2, 2), title(2, 3), title(2, 9)], ['1.6', '1.7', '2.0', '2.1', '2.2', '2.3', '2.3']);
  t.ok(keySchemaFor({ major: 2, minor: 3 }).schema.properties!.plugins!.properties!['io.containerd.server.v1.grpc'], '2.3 knows the server plugins');
  t.notOk(keySchemaFor({ major: 2, minor: 2 }).schema.properties!.plugins!.properties!['io.containerd.server.v1.grpc']);
});

t.test("go-toml's key matching", async (t) => {
  const v1 = keyMatcher(1);
  t.same(
    ['SystemdCgroup', 'systemdcgroup', 'SYSTEMDCGROUP', 'systemdCgroup', 'SystemDCgroup', 'systemdcgroup_'].map((k) => v1(k, 'SystemdCgroup')),
    [true, true, true, true, false, false],
  );
  const v2 = keyMatcher(2);
  t.same(
    ['SystemDCgroup', 'SYSTEMDCGROUP', 'systemd_cgroup'].map((k) => v2(k, 'SystemdCgroup')),
    [true, true, false],
  );
  t.equal(fieldFor('a', ['A', 'a'], v2), 'a', 'an exact match wins');
  t.equal(fieldFor('A', ['a', 'b'], v2), 'a');
  t.equal(fieldFor('c', ['a', 'b'], v2), undefined);
});
