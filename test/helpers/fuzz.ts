import fc from 'fast-check';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Fuzzing settings: a fixed budget in CI, bigger runs and replays by
 * environment. `FUZZ_SEED` replays a failure (the seed is printed with every
 * property), `FUZZ_RUNS` scales the run counts (1 = the CI budget).
 */
export const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);
export const FUZZ_SCALE = Number(process.env.FUZZ_RUNS ?? 1);

/** fast-check parameters for a property with `runs` runs at scale 1. */
export const fuzzParams = (runs: number): fc.Parameters<unknown> => ({ seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * FUZZ_SCALE)) });

/** Every regular file under a directory, as [relative path, text]. */
export function filesUnder(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push([relative(dir, p), readFileSync(p, 'utf8')]);
    }
  };
  walk(dir);
  return out;
}

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** The texts mutations start from: the corpus of real configuration files and every node fixture's files. */
export const SEED_TEXTS: string[] = [...filesUnder(join(FIXTURES, 'corpus')), ...filesUnder(join(FIXTURES, 'nodes'))]
  .map(([, text]) => text)
  .filter((t) => t.length < 64 * 1024);

/** Fragments that have broken parsers before: structure, quoting, escapes, odd characters, credentials. */
const TOKENS = [
  '[',
  ']',
  '[[',
  ']]',
  '{',
  '}',
  '"',
  "'",
  '"""',
  "'''",
  '=',
  '\n',
  '\r\n',
  '\r',
  '\\',
  '\\\n',
  '#',
  ';',
  ':',
  ': ',
  '- ',
  '? ',
  ',',
  '.',
  '&a ',
  '*a',
  '!!str ',
  '---\n',
  '...\n',
  '|\n',
  '>-\n',
  '%',
  '%n',
  '%%',
  '$',
  '${X}',
  '$X',
  '\t',
  ' ',
  '\u0000',
  '\u0085',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '\uDC00',
  'é',
  '😀',
  '[Service]\n',
  '[Unit]\n',
  'Environment=',
  'EnvironmentFile=-',
  'ExecStart=',
  'export ',
  'password = ',
  'auth = "',
  'identitytoken',
  'http://u:p@h:1/',
  'HTTPS_PROXY=',
  'NO_PROXY=',
  'version = 3\n',
  'imports = ["*.toml"]\n',
  '[plugins."io.containerd.grpc.v1.cri"]\n',
  'config_path = "/etc/containerd/certs.d"\n',
  '[host."https://m"]\n',
  'runtime-endpoint: ',
  '-----BEGIN PRIVATE KEY-----',
  '1e999',
  '9223372036854775808',
  '-0',
  'true',
  'null',
  '~',
];

type Mutation =
  { kind: 'insert'; at: number; text: string } | { kind: 'delete' | 'repeat'; at: number; len: number; times: number } | { kind: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8, unit: 'binary' })) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'repeat' as const), at: fc.nat(), len: fc.nat(40), times: fc.integer({ min: 2, max: 40 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/** Apply mutations to a text; positions wrap around its length. */
export function mutate(text: string, mutations: readonly Mutation[]): string {
  let s = text;
  for (const m of mutations) {
    const at = m.at % (s.length + 1);
    if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.kind === 'truncate') s = s.slice(0, at);
    else if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.len);
    else s = s.slice(0, at) + s.slice(at, at + m.len).repeat(m.times) + s.slice(at + m.len);
  }
  return s;
}

/** A list of mutations. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });

/** Text to feed a parser: a mutated seed text, a mutated fragment soup, or arbitrary characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...SEED_TEXTS), mutations).map(([s, m]) => mutate(s, m)) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
);
