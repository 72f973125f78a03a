import t from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { CUSTOM_RULE_AJV_OPTIONS, label, regexError } from '../../src/engine/custom-rules.js';
import { AJV_OPTIONS } from '../../src/engine/ajv-options.js';
import type { NodeModel } from '../../src/model/types.js';
import { writeNode } from '../helpers/node-root.js';
import { PreflightError } from '../../src/errors.js';

const HEAD = 'apiVersion: kube-preflight/v1\nkind: Checklist\n';

/** The lines `preflight` prints for a checklist that does not load. */
async function problems(text: string): Promise<string[]> {
  try {
    await loadChecklist(text, { source: 'c.yaml' });
  } catch (err) {
    if (err instanceof PreflightError) return err.problems;
    throw err;
  }
  return [];
}

const rule = (target: string, schema: string, extra = ''): string =>
  `${HEAD}rules:\n  - id: acme/r\n    title: t\n    severity: error\n    remediation: r.\n    target: ${target}\n    schema: ${schema}\n${extra}`;

t.test('a target that is not in the node model: the line, and the path meant', async (t) => {
  t.same(await problems(rule('/containerd/sandboxImage', '{const: x}')), [
    'c.yaml:8:5: rules[0].target: the node model has no "sandboxImage" under /containerd (did you mean "/containerd/cri/sandboxImage/value"?); docs/node-model.md lists every path',
  ]);
  t.same(
    await problems(rule('/containerd/sandboxImage', '{type: object, required: [value]}')),
    [
      'c.yaml:8:5: rules[0].target: the node model has no "sandboxImage" under /containerd (did you mean "/containerd/cri/sandboxImage"?); docs/node-model.md lists every path',
    ],
    'an object schema: the object is meant',
  );
  t.same(
    await problems(rule('/systemd/unit/containerd.service/environmnt', '{}')),
    [
      'c.yaml:8:5: rules[0].target: the node model has no "unit" under /systemd (did you mean "/systemd/units/containerd.service/environment"?); docs/node-model.md lists every path',
    ],
    'two typos, both repaired',
  );
  t.same(await problems(rule('/proxy', '{}')), [
    'c.yaml:8:5: rules[0].target: the node model has no "proxy" under /; its keys are schemaVersion, root, online, host, crictl, kubelet, containerd, systemd, join, packages, live, site, collection; docs/node-model.md lists every path',
  ]);
  t.same(await problems(rule('/host/procAvailable/x', '{}')), [
    'c.yaml:8:5: rules[0].target: /host/procAvailable is a single value, with nothing under it; docs/node-model.md lists every path',
  ]);
  t.same(await problems(rule('/containerd/cri/sandboxImage', '{pattern: "^harbor"}')), [
    'c.yaml:8:5: rules[0].target: /containerd/cri/sandboxImage is a value with its source ({ value, source }), and the schema tests a single value; target /containerd/cri/sandboxImage/value',
  ]);
  t.same(await problems(rule('/containerd/cri/sandboxImage', '{type: string}')), [
    'c.yaml:8:5: rules[0].target: /containerd/cri/sandboxImage is a value with its source ({ value, source }), and the schema tests a single value; target /containerd/cri/sandboxImage/value',
  ]);
  t.same(await problems(rule('/containerd/cri/sandboxImage', '{type: object}')), [], 'an object schema on a { value, source } is fine');
  t.same(await problems(rule('/systemd/units/any.service/environment/ANY_NAME/value', '{type: string}')), [], 'map keys are free');
});

t.test('message placeholders are checked', async (t) => {
  t.same(await problems(rule('/host/hostname/value', '{const: x}', '    message: "{valu} at {file}:{line} ({source}, {path}) {zzz}"\n')), [
    'c.yaml:10:5: rules[0].message: unknown placeholder {valu} (did you mean {value}?); a message may use {value}, {file}, {line}, {source}, {path}',
    'c.yaml:10:5: rules[0].message: unknown placeholder {zzz}; a message may use {value}, {file}, {line}, {source}, {path}',
  ]);
});

t.test('schema problems are located in the checklist, with the fix', async (t) => {
  const at = async (schema: string): Promise<string[]> => problems(rule('/host', schema));
  t.same(await at('{$schema: "http://json-schema.org/draft-07/schema#"}'), [
    'c.yaml:9:14: rules[0].schema.$schema: custom rules are JSON Schema draft 2020-12; remove $schema or set it to https://json-schema.org/draft/2020-12/schema',
  ]);
  t.same(await at('{$schema: "https://json-schema.org/draft/2020-12/schema", type: object}'), [], 'the 2020-12 dialect may be named');
  t.same(await at("{properties: {hostname: {properties: {value: {pattern: 'k8s-('}}}}}"), [
    "c.yaml:9:59: rules[0].schema.properties.hostname.properties.value.pattern: 'k8s-(' is not a regular expression (Unterminated group); to match the text as written, use 'k8s-\\('",
  ]);
  t.same(await at("{patternProperties: {'[a-': {}}}"), [
    "c.yaml:9:34: rules[0].schema.patternProperties.[a-: '[a-' is not a regular expression (Unterminated character class); to match the text as written, use '\\[a-'",
  ]);
  t.same(
    await at("{pattern: 'a{2'}"),
    ["c.yaml:9:14: rules[0].schema.pattern: 'a{2' is not a regular expression (Incomplete quantifier); to match the text as written, use 'a\\{2'"],
    'JSON Schema patterns are Unicode (flag u), where a lone { is an error',
  );
  t.same(await at('{properties: {hostname: {type: strin}}}'), [
    'c.yaml:9:38: rules[0].schema.properties.hostname.type: "strin" is not a JSON Schema type (did you mean "string"?); types are array, boolean, integer, null, number, object, string',
  ]);
  t.same(await at('{type: [object, nul]}'), [
    'c.yaml:9:29: rules[0].schema.type[1]: "nul" is not a JSON Schema type (did you mean "null"?); types are array, boolean, integer, null, number, object, string',
  ]);
  t.same(await at('{type: zzzzzz}'), [
    'c.yaml:9:14: rules[0].schema.type: "zzzzzz" is not a JSON Schema type; types are array, boolean, integer, null, number, object, string',
  ]);
  t.same(await at('{minProperties: -1}'), ['c.yaml:9:14: rules[0].schema.minProperties: must be >= 0 (got -1)']);
  t.same(
    await at('{properties: {swap: {type: object}, hostname: {patern: x}}}'),
    ['c.yaml:9:60: rules[0].schema.properties.hostname.patern: unknown JSON Schema keyword "patern" (did you mean "pattern"?)'],
    'found past a sibling',
  );
  t.same(await at('{type: 5}'), [
    'c.yaml:9:14: rules[0].schema.type: 5 is not a JSON Schema type; types are array, boolean, integer, null, number, object, string',
  ]);
  t.same(await at('{properties: {hostname: {patern: x}}}'), [
    'c.yaml:9:38: rules[0].schema.properties.hostname.patern: unknown JSON Schema keyword "patern" (did you mean "pattern"?)',
  ]);
  t.same(await at('{x-owner: team}'), [
    'c.yaml:9:14: rules[0].schema.x-owner: unknown JSON Schema keyword "x-owner"; it would be ignored, so the rule would check less than it says',
  ]);
  t.same(await at('{properties: {hostname: {format: email}}}'), [
    'c.yaml:9:38: rules[0].schema.properties.hostname.format: format "email" is not checked by kube-preflight; write a pattern instead',
  ]);
  t.same(await at("{$ref: '#/$defs/nope'}"), ['c.yaml:9:14: rules[0].schema.$ref: $ref #/$defs/nope points at nothing in this schema (define it under $defs)']);
  const twice = await at("{$defs: {a: {$id: 'https://x.example/a'}, b: {$id: 'https://x.example/a'}}}");
  t.match(
    twice,
    [/^c\.yaml:9:5: rules\[0\]\.schema: reference "https:\/\/x\.example\/a" resolves to more than one schema$/],
    "anything else: ajv's words, at the schema",
  );
});

t.test("ordinary JSON Schema that ajv's strict mode refuses is accepted for custom rules only", async (t) => {
  t.same(await problems(rule('/systemd/units/containerd.service/environment', '{required: [NO_PROXY]}')), [], 'required without type: object');
  t.same(await problems(rule('/host/resolvConf/nameservers', '{prefixItems: [{type: string}]}')), [], 'prefixItems without minItems');
  t.same(
    await problems(rule('/host', '{type: object, required: [notDefined], properties: {swap: {}}}')),
    [],
    'required naming a key properties does not define',
  );
  t.match(CUSTOM_RULE_AJV_OPTIONS, { strict: true, strictTypes: false, strictTuples: false, strictRequired: false });
  t.match(AJV_OPTIONS, { strict: true }, "the project's own schemas stay fully strict");
  t.notOk('strictTypes' in AJV_OPTIONS);
});

t.test('regexError suggests the one escape that fixes a pattern, else escaping everything', async (t) => {
  t.equal(regexError('^a.b$', 'm'), undefined);
  t.equal(
    regexError('ntp1(example', 'm'),
    "'ntp1(example' is not a regular expression (Unterminated group); to match the text as written, use 'ntp1\\(example'",
  );
  t.equal(
    regexError("it's (", 'm'),
    "'it''s (' is not a regular expression (Unterminated group); to match the text as written, use 'it''s \\('",
    "a quote doubles, as YAML's single quotes want",
  );
  t.equal(
    regexError('((', 'u'),
    "'((' is not a regular expression (Unterminated group); to match the text as written, use '\\(\\('",
    'no single escape fixes it: every special character is escaped',
  );
});

function node(dir: string): NodeModel {
  const root = writeNode(dir, {
    '/etc/hostname': 'worker-1\n',
    '/etc/crictl.yaml': 'runtime-endpoint: unix:///run/containerd/containerd.sock\ntimeout: 2\n',
    '/usr/lib/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\n',
    '/etc/systemd/system/containerd.service.d/http-proxy.conf':
      '[Service]\nEnvironment=HTTP_PROXY=http://proxy:3128\nEnvironment=HTTPS_PROXY=http://deploy:s3cret@proxy:3128\nEnvironment=NO_PROXY=localhost\n',
  });
  return buildModel(collectSnapshot({ root }));
}

/** The violations of one custom rule on the model. */
async function fails(model: NodeModel, target: string, schema: object, message?: string) {
  const prepared = await loadChecklist({
    apiVersion: 'kube-preflight/v1',
    kind: 'Checklist',
    rules: [{ id: 'acme/r', title: 't', severity: 'error', remediation: 'r.', target, schema, ...(message ? { message } : {}) }],
  });
  return evaluate(model, prepared, { only: ['acme/r'], date: '2026-06-01' }).results.find((r) => r.id === 'acme/r')!.violations;
}
const messages = async (model: NodeModel, target: string, schema: object, message?: string) =>
  (await fails(model, target, schema, message)).map((v) => v.message);

t.test('failures in words: the sub-path, its value, its file and line, what the rule wanted', async (t) => {
  const m = node(t.testdir());
  const env = '/systemd/units/containerd.service/environment';
  const dropIn = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
  t.same(await messages(m, env, { not: { required: ['HTTPS_PROXY'] } }), [`containerd.service has HTTPS_PROXY set (from ${dropIn}:3); the rule forbids it.`]);
  t.same(await messages(m, env, { not: { anyOf: [{ required: ['HTTP_PROXY'] }, { required: ['HTTPS_PROXY'] }, { required: ['ALL_PROXY'] }] } }), [
    `containerd.service has HTTP_PROXY and HTTPS_PROXY set (from ${dropIn}:2, ${dropIn}:3); the rule forbids them.`,
  ]);
  t.same(await messages(m, env, { required: ['no_proxy', 'NO_PROXY'] }), ['containerd.service has no no_proxy set; the rule requires it.']);
  t.same(await messages(m, env, { propertyNames: { pattern: '^[A-Z_]+$' }, additionalProperties: false, properties: { NO_PROXY: {}, HTTP_PROXY: {} } }), [
    `containerd.service has HTTPS_PROXY (from ${dropIn}:3), which the rule does not allow.`,
  ]);
  t.same(
    await messages(m, `${env}/HTTPS_PROXY/value`, { const: 'http://proxy:3128' }),
    [`containerd.service's HTTPS_PROXY is "http://deploy:***@proxy:3128" (from ${dropIn}:3); the rule expects "http://proxy:3128".`],
    'a password in a value is never shown',
  );
  t.same(await messages(m, `${env}/NO_PROXY/value`, { pattern: '\\.svc' }), [
    `containerd.service's NO_PROXY is "localhost" (from ${dropIn}:4); the rule expects a value matching "\\\\.svc".`,
  ]);
  t.same(await messages(m, '/crictl', { required: ['debug'] }), ['/crictl has no debug; the rule requires it.']);
  t.same(await messages(m, '/crictl/timeoutSeconds', { enum: [10, 30] }), ['/crictl/timeoutSeconds is 2; the rule expects one of 10, 30.']);
  t.same(await messages(m, '/crictl/timeoutSeconds', { type: 'string' }), ['/crictl/timeoutSeconds is 2; the rule expects a string.']);
  t.same(await messages(m, '/crictl/timeoutSeconds', { type: ['integer', 'null'], minimum: 5 }), [
    '/crictl/timeoutSeconds is 2; the rule expects it to be >= 5.',
  ]);
  t.same(await messages(m, '/crictl/timeoutSeconds', { type: 'object' }), ['/crictl/timeoutSeconds is 2; the rule expects an object.']);
  t.same(
    await messages(m, '/crictl/timeoutSeconds', { anyOf: [{ const: 10 }, { type: 'string' }] }),
    ['/crictl/timeoutSeconds is 2; the rule expects a value matching one of its alternatives (anyOf).'],
    "the branches' own failures are left out",
  );
  t.same(await messages(m, '/crictl/timeoutSeconds', { oneOf: [{ type: 'integer' }, { minimum: 0 }] }), [
    '/crictl/timeoutSeconds is 2; the rule expects it to match exactly one schema in oneOf.',
  ]);
  t.same(await messages(m, '/crictl/timeoutSeconds', { not: { const: 2 } }), ['/crictl/timeoutSeconds is 2; the rule forbids that value.']);
  t.same(await messages(m, '/crictl/runtimeEndpoint/value', { const: 'unix:///run/crio/crio.sock' }), [
    '/crictl/runtimeEndpoint/value is "unix:///run/containerd/containerd.sock" (from /etc/crictl.yaml:1); the rule expects "unix:///run/crio/crio.sock".',
  ]);
  t.same(
    await messages(m, '/containerd/cri/sandboxImage/value', { pattern: '^harbor' }),
    [
      `/containerd/cri/sandboxImage/value is "${m.containerd.cri.sandboxImage.value}" (from ${m.containerd.cri.sandboxImage.source.default}); the rule expects a value matching "^harbor".`,
    ],
    'a built-in default says so',
  );
});

t.test('values without a file: no "(from …)"', async (t) => {
  const m = node(t.testdir());
  t.same(await messages(m, '/host/cgroup', { additionalProperties: false }), ['/host/cgroup has version, which the rule does not allow.']);
  const withKeys = structuredClone(m);
  withKeys.host.sysctl.live = { 'net.ipv4.ip_forward': '1' };
  t.same(await messages(withKeys, '/host/sysctl/live', { not: { required: ['net.ipv4.ip_forward'] } }), [
    '/host/sysctl/live has net.ipv4.ip_forward set; the rule forbids it.',
  ]);
  t.same(
    await messages(m, '/systemd/units/containerd.service/environment', { not: true }),
    ['containerd.service is an object with HTTP_PROXY, HTTPS_PROXY, NO_PROXY; the rule forbids that value.'],
    'a not that names no keys',
  );
  const lineless = structuredClone(m);
  lineless.crictl.runtimeEndpoint!.source = { file: '/etc/crictl.yaml' };
  t.same(
    await messages(lineless, '/crictl/runtimeEndpoint/value', { const: 'x' }),
    ['/crictl/runtimeEndpoint/value is "unix:///run/containerd/containerd.sock" (from /etc/crictl.yaml); the rule expects "x".'],
    'a source without a line',
  );
});

t.test('objects and lists are never dumped: their shape is named', async (t) => {
  const m = node(t.testdir());
  const env = '/systemd/units/containerd.service/environment';
  t.same(await messages(m, env, { not: { type: 'object' } }), [
    'containerd.service is an object with HTTP_PROXY, HTTPS_PROXY, NO_PROXY; the rule forbids that value.',
  ]);
  t.same(await messages(m, env, { maxProperties: 1 }), [
    'containerd.service is an object with HTTP_PROXY, HTTPS_PROXY, NO_PROXY; the rule expects it not to have more than 1 properties.',
  ]);
  t.same(await messages(m, '/host', { maxProperties: 1 }), [
    '/host is an object with hostname, procAvailable, swap, sysctl, …; the rule expects it not to have more than 1 properties.',
  ]);
  t.same(await messages(m, '/host/swap/fstab', { minItems: 1 }), ['/host/swap/fstab is []; the rule expects it not to have fewer than 1 items.']);
  t.same(await messages(m, '/host/binaries', { maxItems: 1 }), [
    `/host/binaries is a list of ${m.host.binaries.length} entries; the rule expects it not to have more than 1 items.`,
  ]);
  t.same(await messages(m, '/systemd/login/variables', { not: { type: 'object' } }), [
    '/systemd/login/variables is an empty object; the rule forbids that value.',
  ]);
  t.same(await messages(m, '/kubelet/flags', { minItems: 1 }), ['/kubelet/flags is []; the rule expects it not to have fewer than 1 items.']);
  const [v] = await fails(m, env, { maxProperties: 1 });
  t.same(v!.evidence, { path: env, observed: 'an object with HTTP_PROXY, HTTPS_PROXY, NO_PROXY' }, 'evidence names the shape too');
});

t.test('evidence: the failing sub-path, its value (redacted), its file and line, what was expected', async (t) => {
  const m = node(t.testdir());
  const env = '/systemd/units/containerd.service/environment';
  const [forbidden] = await fails(m, env, { not: { required: ['HTTPS_PROXY'] } });
  t.same(forbidden!.evidence, {
    file: '/etc/systemd/system/containerd.service.d/http-proxy.conf',
    line: 3,
    path: `${env}/HTTPS_PROXY`,
    observed: 'http://deploy:***@proxy:3128',
  });
  const [constant] = await fails(m, '/crictl/timeoutSeconds', { const: 10 });
  t.same(constant!.evidence, { path: '/crictl/timeoutSeconds', observed: 2, expected: 10 });
  const [oneOf] = await fails(m, '/crictl/timeoutSeconds', { enum: [10] });
  t.same(oneOf!.evidence.expected, [10]);
  const [missing] = await fails(m, env, { required: ['TZ'] });
  t.same(missing!.evidence, { path: `${env}/TZ`, observed: undefined }, 'a missing key has no file');
});

t.test('message templates: {value}, {file}, {line}, {source}, {path}', async (t) => {
  const m = node(t.testdir());
  const env = '/systemd/units/containerd.service/environment';
  t.same(await messages(m, env, { not: { required: ['HTTPS_PROXY'] } }, 'containerd goes through {value}, set at {file}:{line} ({source}); {path}'), [
    'containerd goes through http://deploy:***@proxy:3128, set at /etc/systemd/system/containerd.service.d/http-proxy.conf:3 (/etc/systemd/system/containerd.service.d/http-proxy.conf:3); /systemd/units/containerd.service/environment/HTTPS_PROXY.',
  ]);
  t.same(await messages(m, env, { required: ['TZ'] }, 'TZ is {value} in {file}:{line}'), ['TZ is (unset) in (no file):?']);
  t.same(await messages(m, '/crictl/timeoutSeconds', { const: 10 }, 'timeout {value} from {source} in {file}'), [
    'Timeout 2 from no file in (no file).'.replace('T', 't'),
  ]);
  t.same(await messages(m, env, { maxProperties: 1 }, 'too many: {value}'), ['too many: an object with HTTP_PROXY, HTTPS_PROXY, NO_PROXY.']);
});

t.test('labels name units and variables', async (t) => {
  t.equal(label('/systemd/units/containerd.service'), 'containerd.service');
  t.equal(label('/systemd/units/containerd.service/environment'), 'containerd.service');
  t.equal(label('/systemd/units/containerd.service/environmentList/NO_PROXY/value'), "containerd.service's NO_PROXY");
  t.equal(label('/systemd/units/a~1b.service/environment/X'), "a/b.service's X");
  t.equal(label('/systemd/units/containerd.service/execStart'), '/systemd/units/containerd.service/execStart');
  t.equal(label('/host/hostname/value'), '/host/hostname/value');
});

t.test('custom rules on a unit read it: the unit is collected and modelled', async (t) => {
  const prepared = await loadChecklist({
    apiVersion: 'kube-preflight/v1',
    kind: 'Checklist',
    rules: [
      {
        id: 'acme/chrony',
        title: 't',
        severity: 'error',
        remediation: 'r.',
        target: '/systemd/units/chrony.service/environment',
        schema: { required: ['TZ'] },
      },
    ],
  });
  t.same(prepared.modelOptions, { units: ['chrony.service'] });
  const root = writeNode(t.testdir(), { '/usr/lib/systemd/system/chrony.service': '[Service]\nEnvironment=TZ=UTC\nExecStart=/x\n' });
  const model = buildModel(collectSnapshot({ root, units: prepared.modelOptions.units }), prepared.modelOptions);
  t.equal(evaluate(model, prepared, { only: ['acme/chrony'] }).results.find((r) => r.id === 'acme/chrony')!.status, 'pass');
  const slash = await loadChecklist({
    apiVersion: 'kube-preflight/v1',
    kind: 'Checklist',
    containerdVersion: '2.1',
    rules: [{ id: 'acme/x', title: 't', severity: 'error', remediation: 'r.', target: '/systemd/units/a~1b.service', schema: {} }],
  });
  t.same(slash.modelOptions, { containerdVersion: '2.1', units: ['a/b.service'] });
});
