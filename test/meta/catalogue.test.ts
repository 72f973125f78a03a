import t from 'tap';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { RULES } from '../../src/rules/index.js';
import { DOMAINS, domainOf } from '../../src/rules/types.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** The public contract of CHECKLIST.md: every rule id with its mode (S static, L live) and default severity. */
const CONTRACT: readonly (readonly [id: string, mode: 'S' | 'L', severity: 'E' | 'W' | 'I'])[] = [
  ['containerd/config-parses', 'S', 'E'],
  ['containerd/config-present', 'S', 'W'],
  ['containerd/config-version', 'S', 'W'],
  ['containerd/cri-enabled', 'S', 'E'],
  ['containerd/default-runtime-defined', 'S', 'E'],
  ['containerd/grpc-address', 'S', 'W'],
  ['containerd/hosts-toml-parses', 'S', 'E'],
  ['containerd/imports-resolve', 'S', 'E'],
  ['containerd/known-keys', 'S', 'W'],
  ['containerd/no-legacy-systemd-cgroup', 'S', 'E'],
  ['containerd/registry-ca-present', 'S', 'E'],
  ['containerd/registry-config-path', 'S', 'W'],
  ['containerd/registry-mirrors', 'S', 'E'],
  ['containerd/registry-no-plaintext-credentials', 'S', 'E'],
  ['containerd/registry-tls-verify', 'S', 'E'],
  ['containerd/runtime-type', 'S', 'E'],
  ['containerd/sandbox-image', 'S', 'E'],
  ['containerd/systemd-cgroup', 'S', 'E'],
  ['crictl/config-parses', 'S', 'E'],
  ['crictl/config-present', 'S', 'W'],
  ['crictl/endpoints-match-runtime', 'S', 'E'],
  ['host/br-netfilter', 'S', 'W'],
  ['host/cgroup-v2', 'S', 'W'],
  ['host/cni-plugins', 'S', 'W'],
  // v1.1 (issue 17): a limit of the collection is a blocking finding, never a pass.
  ['host/collection-complete', 'S', 'E'],
  ['host/component-versions', 'S', 'E'],
  ['host/hostname', 'S', 'W'],
  ['host/ip-forward', 'S', 'E'],
  ['host/ipv6-forward', 'S', 'E'],
  ['host/kernel-config', 'S', 'E'],
  ['host/required-binaries', 'S', 'E'],
  ['host/resolv-conf', 'S', 'W'],
  ['host/single-cri-socket', 'S', 'E'],
  ['host/swap-off', 'S', 'E'],
  ['kubelet/no-leftover-manifests', 'S', 'E'],
  ['kubelet/no-previous-join', 'S', 'E'],
  ['kubelet/no-removed-flags', 'S', 'E'],
  ['kubelet/runtime-endpoint', 'S', 'E'],
  ['runtime/clock-synced', 'L', 'W'],
  ['runtime/config-applied', 'L', 'E'],
  ['runtime/containerd-active', 'L', 'E'],
  ['runtime/cri-ready', 'L', 'E'],
  ['runtime/critical-images-pullable', 'L', 'E'],
  ['runtime/port-10250-free', 'L', 'E'],
  ['runtime/proxy-reachable', 'L', 'E'],
  ['runtime/registries-resolve', 'L', 'E'],
  ['runtime/socket-responds', 'L', 'E'],
  ['systemd/containerd-unit', 'S', 'E'],
  ['systemd/drop-ins-allowed', 'S', 'W'],
  ['systemd/environment-files-exist', 'S', 'E'],
  ['systemd/kubelet-enabled', 'S', 'W'],
  ['systemd/kubelet-unit', 'S', 'E'],
  ['systemd/no-proxy-coverage', 'S', 'E'],
  ['systemd/proxy-consistency', 'S', 'W'],
  ['systemd/proxy-policy', 'S', 'E'],
  ['systemd/shell-env-divergence', 'S', 'I'],
  ['systemd/unit-syntax', 'S', 'W'],
];

/** Ids an issue names that CHECKLIST.md does not list yet (issue 17 names host/collection-complete). */
const AHEAD_OF_CHECKLIST_MD = new Set(['host/collection-complete']);

// The steering repository's CHECKLIST.md, where it is checked out beside this one (not in CI).
const CHECKLIST_MD = `${ROOT}../shared/CHECKLIST.md`;

t.test('ids, titles and remediations follow the house style', async (t) => {
  const ids = RULES.map((r) => r.id);
  t.same(ids, [...ids].sort(), 'RULES is sorted by id');
  t.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const rule of RULES) {
    const aliases = (rule.aliases ?? []).map((a) => a.toLowerCase());
    t.equal(new Set(aliases).size, aliases.length, `${rule.id}: its kubeadm names are unique`);
  }
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

t.test('the catalogue is the CHECKLIST.md contract, with its severities and modes', async (t) => {
  const expected = CONTRACT.map(([id, mode, severity]) => ({
    id,
    mode: mode === 'L' ? 'live' : 'static',
    severity: { E: 'error', W: 'warning', I: 'info' }[severity],
  }));
  t.same(
    RULES.map((r) => ({ id: r.id, mode: r.mode, severity: r.severity })),
    expected,
  );
  for (const [id, alias] of [
    ['systemd/kubelet-enabled', 'Service-Kubelet'],
    ['kubelet/no-leftover-manifests', 'DirAvailable--etc-kubernetes-manifests'],
    ['host/kernel-config', 'SystemVerification'],
    ['host/ipv6-forward', 'FileContent--proc-sys-net-ipv6-conf-default-forwarding'],
    ['systemd/kubelet-unit', 'Service-Kubelet'],
    ['kubelet/no-previous-join', 'FileAvailable--etc-kubernetes-kubelet.conf'],
    ['host/swap-off', 'Swap'],
    ['host/ip-forward', 'FileContent--proc-sys-net-ipv4-ip_forward'],
    ['host/required-binaries', 'FileExisting-ip'],
    ['host/hostname', 'Hostname'],
    ['runtime/port-10250-free', 'Port-10250'],
  ] as const) {
    t.ok(RULES.find((r) => r.id === id)?.aliases?.includes(alias), `${id} accepts ${alias}`);
  }
});

t.test(
  'the contract table matches CHECKLIST.md where it is checked out',
  { skip: existsSync(CHECKLIST_MD) ? false : `${CHECKLIST_MD} is not checked out here` },
  async (t) => {
    const rows = [...readFileSync(CHECKLIST_MD, 'utf8').matchAll(/^\| `([a-z]+\/[a-z0-9-]+)` \| ([SL]) \| ([EWI]) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    t.same(
      [...rows].sort(),
      CONTRACT.filter(([id]) => !AHEAD_OF_CHECKLIST_MD.has(id)).map((r) => [...r]),
    );
  },
);

t.test('the index imports every rule file, sorted', async (t) => {
  const index = readFileSync(`${ROOT}src/rules/index.ts`, 'utf8');
  const imported = [...index.matchAll(/from '\.\/([a-z]+\/[a-z0-9-]+)\.js';/g)].map((m) => m[1]);
  // site: the checklist defines its rules (src/engine/site-checks.ts); there are no rule files.
  const files = DOMAINS.filter((d) => d !== 'site')
    .flatMap((d) => readdirSync(`${ROOT}src/rules/${d}`).map((f) => `${d}/${f.replace(/\.ts$/, '')}`))
    .sort();
  t.same(imported, files);
});

t.test('every implemented rule has a rule-tester test', async (t) => {
  for (const rule of RULES.filter((r) => r.check || r.schema)) {
    const path = `${ROOT}test/rules/${rule.id}.test.ts`;
    t.ok(existsSync(path), `${rule.id}: ${path}`);
    if (existsSync(path)) t.match(readFileSync(path, 'utf8'), `testRule('${rule.id}'`, `${rule.id}: uses testRule`);
  }
});
