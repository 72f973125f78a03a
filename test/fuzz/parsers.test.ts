import t from 'tap';
import fc from 'fast-check';
import { parseCrictl } from '../../src/parsers/crictl.js';
import { envFileToMap, parseEnvFile } from '../../src/parsers/env-file.js';
import { parseFlatYaml } from '../../src/parsers/flat-yaml.js';
import { parseFstabSwaps, parseModulesLoad, parseProcModules, parseProcSwaps, parseResolvConf, parseSysctl } from '../../src/parsers/host-files.js';
import { parseKubeletArgs, parseKubeletConfig } from '../../src/parsers/kubelet.js';
import { redactContent, type SecretFormat } from '../../src/collect/secrets/index.js';
import { Redactor, redactText } from '../../src/parsers/redact.js';
import { parseEtcEnvironment, parseProfileScript } from '../../src/parsers/shell-env.js';
import { parseEnvironmentFileValue, parseEnvironmentValue, parseNameList, parseUnitFile, splitWords } from '../../src/parsers/systemd-unit.js';
import { locateTomlKeys, parseToml } from '../../src/parsers/toml.js';
import { parseYamlDocument, yamlToData } from '../../src/parsers/yaml.js';
import { FUZZ_SCALE, FUZZ_SEED, fuzzParams, hostileText, SEED_TEXTS } from '../helpers/fuzz.js';

// Every parser takes any text and returns data: no exception escapes. Replay with FUZZ_SEED=<seed>; scale with FUZZ_RUNS.
const RUNS = 1000;
t.comment(`fuzz: seed ${FUZZ_SEED}, ${Math.round(RUNS * FUZZ_SCALE)} runs per parser, ${SEED_TEXTS.length} seed texts (replay: FUZZ_SEED=${FUZZ_SEED})`);

const UNIT = {
  sections: ['Unit', 'Service', 'Install'],
  keys: { Service: ['Environment', 'EnvironmentFile', 'ExecStart'] },
  elsewhere: ['DefaultEnvironment'],
};
const SPECIFIERS = { n: 'containerd.service', H: 'node-1', m: null, b: false } as never;

const FORMATS: SecretFormat[] = ['toml', 'unit', 'env-file', 'etc-environment', 'profile', 'kubelet', 'json', 'systemctl-show', 'key', 'text'];

const parsers: Record<string, (text: string) => unknown> = {
  toml: (text) => {
    const r = parseToml(text);
    // Key positions are only looked up in text that parses.
    return r.ok ? locateTomlKeys(text) : r.error;
  },
  'systemd unit': (text) => {
    const unit = parseUnitFile(text, UNIT, text.includes('\uFFFD'));
    for (const a of unit.assignments) {
      parseEnvironmentValue(a.value, SPECIFIERS);
      parseNameList(a.value, 'UnsetEnvironment', SPECIFIERS);
      parseEnvironmentFileValue(a.value, SPECIFIERS);
      splitWords(a.value, false);
    }
    return unit;
  },
  'env file': (text) => envFileToMap(parseEnvFile(text, { commentContinuation: text.length % 2 === 0 })),
  'shell env': (text) => [parseEtcEnvironment(text), parseProfileScript(text)],
  crictl: (text) => parseCrictl(text),
  'flat yaml': (text) => parseFlatYaml(text),
  kubelet: (text) => [parseKubeletConfig(text), parseKubeletArgs(text)],
  yaml: (text) => {
    const r = parseYamlDocument(text, { schema: text.length % 2 === 0 ? 'core' : 'failsafe' });
    return r.ok ? yamlToData(r.value) : r.error;
  },
  'host files': (text) => [
    parseProcSwaps(text),
    parseFstabSwaps(text),
    parseSysctl(text),
    parseModulesLoad(text),
    parseProcModules(text),
    parseResolvConf(text),
  ],
  redaction: (text) => [...FORMATS.map((f) => redactContent(text, [f], new Redactor())), redactText(text)],
};

for (const [name, parse] of Object.entries(parsers)) {
  t.test(`${name}: any text gives a result, never an exception`, async (t) => {
    const start = Date.now();
    const result = fc.check(
      fc.property(hostileText, (text) => void parse(text)),
      fuzzParams(RUNS),
    );
    t.notOk(result.failed, result.failed ? `${fc.defaultReportMessage(result)}` : `${result.numRuns} runs (seed ${FUZZ_SEED})`);
    t.comment(`${name}: ${result.numRuns} runs in ${Date.now() - start} ms`);
  });
}

// Each template puts the secret S where a credential goes, in the format that reads it.
const CREDENTIALS: [SecretFormat, string][] = [
  ['toml', 'password = "{S}"'],
  ['toml', "Password = '{S}'"],
  ['toml', 'auth = """{S}"""'],
  ['toml', "identityToken = '''{S}'''"],
  ['toml', 'configs."r".auth.password = "{S}"'],
  ['toml', '"password" = "{S}'],
  ['toml', 'auth = { username = "u", password = "{S}" }'],
  ['toml', '[host."https://h".header]\n  Authorization = [\n    "Bearer {S}",\n  ]'],
  ['toml', 'header = { authorization = "Basic {S}" }'],
  ['toml', '[host."https://u:{S}@mirror"]'],
  ['etc-environment', 'HTTPS_PROXY=http://u:{S}@10.0.0.1:3128'],
  ['env-file', 'https_proxy="u:{S}@10.0.0.1:3128"'],
  ['env-file', 'REGISTRY_TOKEN={S}'],
  ['unit', 'Environment="HTTP_PROXY=http://proxy:{S}@p:1" "NO_PROXY=x"'],
  ['text', '-----BEGIN RSA PRIVATE KEY-----\n{S}\n-----END RSA PRIVATE KEY-----'],
  ['text', '-----BEGIN PRIVATE KEY-----\n{S}'],
];

/** The seed texts a template is planted between: real files of the same format (mutated ones are fuzzed above). */
const SEEDS_OF: Record<string, string[]> = {
  toml: SEED_TEXTS.filter((s) => parseToml(s).ok),
  unit: SEED_TEXTS.filter((s) => s.startsWith('[Unit]') || s.startsWith('[Service]')),
  'env-file': SEED_TEXTS.filter((s) => /^[A-Z_]+=/m.test(s) && !s.includes('[')),
};

t.test('a planted secret in a credential position never survives redaction, whatever surrounds it', async (t) => {
  const secret = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/);
  const result = fc.check(
    fc.property(fc.constantFrom(...CREDENTIALS), secret, fc.nat(), fc.nat(), ([format, template], s, i, j) => {
      const seeds = SEEDS_OF[format] ?? SEED_TEXTS;
      const [before, after] = [seeds[i % seeds.length]!, seeds[j % seeds.length]!];
      fc.pre(!before.includes(s) && !after.includes(s));
      const text = `${before}\n${format === 'unit' ? '[Service]\n' : ''}${template.replaceAll('{S}', s)}\n${after}`;
      return !redactContent(text, [format], new Redactor()).text.includes(s);
    }),
    fuzzParams(RUNS),
  );
  t.notOk(result.failed, result.failed ? fc.defaultReportMessage(result) : `${result.numRuns} runs`);
});
