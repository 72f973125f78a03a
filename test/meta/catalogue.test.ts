import t from 'tap';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { RULES } from '../../src/rules/index.js';
import { DOMAINS, domainOf } from '../../src/rules/types.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CHECKLIST_MD = readFileSync(`${ROOT}../shared/CHECKLIST.md`, 'utf8');

t.test('ids, titles and remediations follow the house style', async (t) => {
  const ids = RULES.map((r) => r.id);
  t.same(ids, [...ids].sort(), 'RULES is sorted by id');
  t.equal(new Set(ids).size, ids.length, 'ids are unique');
  const aliases = RULES.flatMap((r) => r.aliases ?? []).map((a) => a.toLowerCase());
  t.equal(new Set(aliases).size, aliases.length, 'kubeadm names are unique');
  for (const rule of RULES) {
    t.match(rule.id, /^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/, rule.id);
    t.ok((DOMAINS as readonly string[]).includes(domainOf(rule.id)), `${rule.id}: known domain`);
    t.ok(existsSync(`${ROOT}src/rules/${rule.id}.ts`), `${rule.id}: file path mirrors the id`);
    t.notMatch(rule.title, /\.$/, `${rule.id}: title has no trailing period`);
    t.match(rule.title, /^[A-Za-z]/, `${rule.id}: title starts with a word`);
    t.match(rule.remediation, /\.$/, `${rule.id}: remediation ends with a period`);
    t.ok(rule.rationale.length > 40, `${rule.id}: has a rationale`);
    t.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith('https://')), `${rule.id}: https references`);
    t.equal(rule.mode, domainOf(rule.id) === 'runtime' ? 'live' : 'static', `${rule.id}: only runtime rules are live`);
    if (rule.schema) t.match(rule.target, /^\//, `${rule.id}: a schema rule names its target`);
  }
});

t.test('the catalogue is CHECKLIST.md, with its severities and modes', async (t) => {
  const rows = [...CHECKLIST_MD.matchAll(/^\| `([a-z]+\/[a-z0-9-]+)` \| ([SL]) \| ([EWI]) \|/gm)].map((m) => ({ id: m[1]!, mode: m[2] === 'L' ? 'live' : 'static', severity: { E: 'error', W: 'warning', I: 'info' }[m[3] as 'E' | 'W' | 'I'] }));
  t.ok(rows.length >= 49, `${rows.length} rules in CHECKLIST.md`);
  t.same(RULES.map((r) => ({ id: r.id, mode: r.mode, severity: r.severity })), [...rows].sort((a, b) => (a.id < b.id ? -1 : 1)));
  for (const [id, alias] of [['systemd/kubelet-unit', 'Service-Kubelet'], ['kubelet/no-previous-join', 'FileAvailable--etc-kubernetes-kubelet.conf'], ['host/swap-off', 'Swap'], ['host/ip-forward', 'FileContent--proc-sys-net-ipv4-ip_forward'], ['host/required-binaries', 'FileExisting-ip'], ['host/hostname', 'Hostname'], ['runtime/port-10250-free', 'Port-10250']] as const) {
    t.ok(RULES.find((r) => r.id === id)?.aliases?.includes(alias), `${id} accepts ${alias}`);
  }
});

t.test('the index imports every rule file, sorted', async (t) => {
  const index = readFileSync(`${ROOT}src/rules/index.ts`, 'utf8');
  const imported = [...index.matchAll(/from '\.\/([a-z]+\/[a-z0-9-]+)\.js';/g)].map((m) => m[1]);
  const files = DOMAINS.flatMap((d) => readdirSync(`${ROOT}src/rules/${d}`).map((f) => `${d}/${f.replace(/\.ts$/, '')}`)).sort();
  t.same(imported, files);
});

t.test('every implemented rule has a rule-tester test', async (t) => {
  for (const rule of RULES.filter((r) => r.check || r.schema)) {
    const path = `${ROOT}test/rules/${rule.id}.test.ts`;
    t.ok(existsSync(path), `${rule.id}: ${path}`);
    if (existsSync(path)) t.match(readFileSync(path, 'utf8'), `testRule('${rule.id}'`, `${rule.id}: uses testRule`);
  }
});
