import t, { type Test } from 'tap';
import fc from 'fast-check';
import { cpSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RootReader } from '../../src/collect/fs.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { buildModel } from '../../src/model/build.js';
import { Redactor } from '../../src/parsers/redact.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { FUZZ_SEED, FUZZ_SCALE } from '../helpers/fuzz.js';
import { nodeFixtures } from '../helpers/node-fixtures.js';
import { writeNode } from '../helpers/node-root.js';

// The property of redaction by meaning: the checks reach the same conclusions from the redacted
// snapshot as from the node's raw files. report(raw) is the report of a snapshot whose records hold
// the files as they are on disk, with each secret then replaced in the report's text by its marker;
// report(redacted) is the report of the snapshot the collector made. They must be equal, over every
// node fixture and every corpus configuration, with secrets planted in every position a component
// reads one from, spelled with %, \, quotes, $, @, :, blanks and non-ASCII, both as a careful operator
// writes them (escaped for the format) and carelessly (a URL-encoded password in a unit, where systemd
// then drops the word: that verdict must survive).

const ALPHABET = [...'aZ09', '%', '\\', '"', "'", '$', '@', ':', ' ', '#', '/', 'é', '😀', '^'];
const secretArb = fc.array(fc.constantFrom(...ALPHABET), { minLength: 4, maxLength: 10 }).map((cs) => `Zq${cs.join('')}Qz`);

/** RFC 3986 percent-encoding of everything but unreserved characters (a password Go's url.Parse accepts). */
const pct = (s: string): string =>
  [...Buffer.from(s)]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
const tomlBasic = (s: string): string => s.replace(/[\\"]/g, '\\$&');
/** Inside a double-quoted systemd word: % doubled, backslash and quote escaped. */
const unitQuoted = (s: string): string => s.replace(/%/g, '%%').replace(/[\\"]/g, '\\$&');
const envDouble = (s: string): string => s.replace(/[\\"`$]/g, '\\$&');
const yamlDouble = (s: string): string => s.replace(/[\\"]/g, '\\$&');

/** The files that put one secret everywhere it can be read, on top of a node's own files. */
function plant(s: string, config: string | undefined): Record<string, string> {
  const files: Record<string, string> = {
    '/etc/containerd/conf.d/creds.conf': [
      '[plugins."io.containerd.grpc.v1.cri".registry.configs."r.example".auth]',
      '  username = "admin"',
      `  "pass\\u0077ord" = "${tomlBasic(s)}"`,
      `  auth = '''${s.replace(/'/g, '')}'''`,
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."m.example"]',
      `  endpoint = ["https://us@er:${pct(s)}@mirror.example"]`,
      '',
    ].join('\n'),
    '/etc/containerd/certs.d/secret.example/hosts.toml': [
      `server = "https://u:${pct(s)}@secret.example"`,
      `header.Authorization = "Bearer ${tomlBasic(s)}"`,
      `[host."https://u:${pct(s)}@mirror.secret.example"]`,
      '  capabilities = ["pull"]',
      '  client = [["client.crt", "client.key"]]',
      '  [host."https://u:' + pct(s) + '@mirror.secret.example".header]',
      `    x-token = ["${tomlBasic(s)}"]`,
      '',
    ].join('\n'),
    '/etc/containerd/certs.d/secret.example/client.key': `-----BEGIN EC PRIVATE KEY-----\n${Buffer.from(s).toString('base64')}\n-----END EC PRIVATE KEY-----\n`,
    '/etc/systemd/system/containerd.service.d/50-secret.conf': [
      '[Service]',
      `Environment="HTTPS_PROXY=http://us\\x40er:${unitQuoted(pct(s))}@10.0.0.9:3128" "REGISTRY_TOKEN=${unitQuoted(s)}"`,
      // Carelessly: the URL-encoded password as it is, so %XX are specifiers to systemd.
      `Environment="HTTP_PROXY=http://u:${pct(s)}@10.0.0.9:3128"`,
      'EnvironmentFile=-/etc/default/secret-env',
      '',
    ].join('\n'),
    '/etc/default/secret-env': `AWS_SECRET_ACCESS_KEY="${envDouble(s)}"\nhttps_proxy=u:${pct(s)}@10.0.0.9:3128\n`,
    '/etc/profile.d/proxy.sh': `export HTTPS_PROXY="http://u:${pct(s)}@10.0.0.9:3128"\nDB_PASSWORD='${s.replace(/'/g, '')}'\n`,
    '/var/lib/kubelet/config.yaml': `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nstaticPodURLHeader:\n  Authorization:\n    - "Bearer ${yamlDouble(s)}"\n`,
  };
  // The main config imports a file not named *.toml (containerd reads any name).
  files['/etc/containerd/config.toml'] =
    config !== undefined && !/^imports\s*=/m.test(config)
      ? `imports = ["/etc/containerd/conf.d/creds.conf"]\n${config}`
      : (config ?? 'version = 2\nimports = ["/etc/containerd/conf.d/creds.conf"]\n');
  return files;
}

/** The snapshot as the node's files are: every record the collector redacted holds the raw text again. */
function rawOf(snapshot: Snapshot, root: string): Snapshot {
  const reader = new RootReader(realpathSync(root));
  const paths = { ...snapshot.paths };
  for (const [path, record] of Object.entries(paths)) {
    if (record.secrets === undefined && record.masked === undefined) continue;
    const { secrets: _s, masked: _m, ...rest } = record;
    paths[path] = { ...rest, content: reader.collect(path, new Set(['read'])).content! };
  }
  reader.close();
  return { ...snapshot, paths };
}

/** The report's text with every secret replaced by its marker (what the boundary does), timing aside. */
function withMarkers(text: string, secrets: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [secret, marker] of [...secrets].sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(JSON.stringify(secret).slice(1, -1)).join(marker);
  }
  return out;
}

const prepared = await loadChecklist(undefined);

function compare(t: Test, name: string, root: string, s: string): void {
  const redactor = new Redactor();
  const snapshot = collectSnapshot({ root, redactor });
  const json = JSON.stringify(snapshot);
  for (const form of [s, pct(s), tomlBasic(s), unitQuoted(pct(s)), envDouble(s), Buffer.from(s).toString('base64')])
    t.notOk(json.includes(form), `${name}: ${JSON.stringify(form)} is not in the snapshot`);
  const options = { date: '2026-06-01' };
  const redacted = JSON.stringify(evaluate(buildModel(snapshot), prepared, options));
  const raw = withMarkers(JSON.stringify(evaluate(buildModel(rawOf(snapshot, root)), prepared, options)), redactor.secrets());
  t.equal(raw, redacted, `${name}: report(raw) = report(redacted)`);
}

const RUNS = Math.max(1, Math.round(2 * FUZZ_SCALE));
// Secrets that once broke the property, first, whatever the seed: "é" percent-encodes to %C3%A9, and
// %C (a known specifier) and %A (left as it is) then decide whether Go reads a valid escape.
const PINNED = ['ZqéaZZQz'];
const secrets = [...PINNED, ...fc.sample(secretArb, { seed: FUZZ_SEED, numRuns: 64 })];
t.comment(`secrets from seed ${FUZZ_SEED} (replay: FUZZ_SEED=${FUZZ_SEED}); e.g. ${JSON.stringify(secrets.slice(0, 3))}`);

t.test('every node fixture, with secrets planted everywhere they are read', async (t) => {
  let i = 0;
  for (const fixture of nodeFixtures()) {
    for (let run = 0; run < RUNS; run++) {
      const s = secrets[i++ % secrets.length]!;
      const root = t.testdir();
      cpSync(fixture.root, root, { recursive: true, verbatimSymlinks: true });
      let config: string | undefined;
      try {
        config = readFileSync(join(root, 'etc/containerd/config.toml'), 'utf8');
      } catch {
        config = undefined;
      }
      writeNode(root, plant(s, config));
      compare(t, `${fixture.name} with ${JSON.stringify(s)}`, root, s);
    }
  }
});

t.test('every corpus configuration, with secrets planted', async (t) => {
  const corpus = new URL('../fixtures/corpus/containerd/', import.meta.url).pathname;
  let i = 7;
  for (const file of readdirSync(corpus).filter((f) => f.endsWith('.toml') && !f.startsWith('hosts.toml'))) {
    const s = secrets[i++ % secrets.length]!;
    const root = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n', ...plant(s, readFileSync(join(corpus, file), 'utf8')) });
    compare(t, `${file} with ${JSON.stringify(s)}`, root, s);
  }
  for (const file of readdirSync(corpus).filter((f) => f.startsWith('hosts.toml'))) {
    const s = secrets[i++ % secrets.length]!;
    const hosts = readFileSync(join(corpus, file), 'utf8');
    const root = writeNode(t.testdir(), {
      '/etc/hostname': 'node-1\n',
      ...plant(s, undefined),
      '/etc/containerd/certs.d/docker.io/hosts.toml': `${hosts}\n[host."https://u:${pct(s)}@corpus.example".header]\n  authorization = "${tomlBasic(s)}"\n`,
    });
    compare(t, `${file} with ${JSON.stringify(s)}`, root, s);
  }
});

t.test('text that is not a secret is never changed: every fixture file byte for byte', async (t) => {
  for (const fixture of nodeFixtures()) {
    const snapshot = collectSnapshot({ root: fixture.root });
    const reader = new RootReader(realpathSync(fixture.root));
    for (const [path, record] of Object.entries(snapshot.paths)) {
      if (record.content === undefined) continue;
      const raw = reader.collect(path, new Set(['read'])).content!;
      if (record.secrets === undefined) t.equal(record.content, raw, `${fixture.name}${path}: unchanged`);
      else {
        // Outside the markers, the text is the raw text.
        const parts = record.content.split(/redacted-\d+/);
        let at = 0;
        for (const part of parts) {
          const found = raw.indexOf(part, at);
          t.ok(found >= at, `${fixture.name}${path}: ${JSON.stringify(part.slice(0, 40))} kept in place`);
          at = found + part.length;
        }
      }
    }
    reader.close();
  }
});

t.test('key files by role: a DER client key named in hosts.toml, a key_file', async (t) => {
  const der = Buffer.from([0x30, 0x82, 0x01, 0x0a, ...Buffer.from('DerKeyBytes-Secret'), 0xff, 0x00]);
  const root = writeNode(t.testdir(), {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".tls]\n  key_file = "/etc/pki/r.pk"\n',
    '/etc/containerd/certs.d/m/hosts.toml': '[host."https://m"]\n  client = [["c.crt", "c.der"]]\n',
    '/etc/pki/r.pk': 'TlsKeyFile-Secret\n',
  });
  writeFileSync(join(root, 'etc/containerd/certs.d/m/c.der'), der);
  const snapshot = collectSnapshot({ root });
  t.match(snapshot.paths['/etc/containerd/certs.d/m/c.der'], { content: /^redacted-\d+$/ }, 'a client key that is not PEM is hidden whole');
  t.match(snapshot.paths['/etc/pki/r.pk'], { content: /^redacted-\d+$/ }, 'so is a key_file, whatever its name');
  t.notMatch(JSON.stringify(snapshot), /Secret/);
});

t.test('files that do not parse keep their parse error, their secrets masked', async (t) => {
  for (const s of secrets.slice(0, 6)) {
    const root = writeNode(t.testdir(), {
      '/etc/hostname': 'node-1\n',
      // The value is fine; the line after it is not: the error must stay at line 3.
      '/etc/containerd/config.toml': `version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  password = "${tomlBasic(s)}" x\n`,
      '/etc/containerd/certs.d/r/hosts.toml': `[host."https://r".header]\n  authorization = "${tomlBasic(s)}\n`,
    });
    compare(t, `broken files with ${JSON.stringify(s)}`, root, s);
    const snapshot = collectSnapshot({ root });
    t.match(snapshot.paths['/etc/containerd/config.toml'], { masked: 1 }, 'masked in place, counted');
  }
});
