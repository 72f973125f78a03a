import t from 'tap';
import { loadChecklist } from '../../src/engine/checklist.js';
import { DEFAULT_CHECKLIST } from '../../src/checklist/defaults.js';
import { deriveTargets, kubeadmSandboxImage, kubernetesMinor } from '../../src/checklist/targets.js';
import { PreflightError } from '../../src/errors.js';

const HEAD = 'apiVersion: kube-preflight/v1\nkind: Checklist\n';

async function problems(text: string | object, source = 'c.yaml'): Promise<string[]> {
  try {
    await loadChecklist(text, { source });
  } catch (err) {
    if (err instanceof PreflightError && err.code === 'checklist-invalid') return err.problems;
    throw err;
  }
  throw new Error('expected the checklist to be rejected');
}

t.test('the embedded default', async (t) => {
  const p = await loadChecklist();
  t.equal(p.source, 'embedded:default');
  t.match(p.sha256, /^[0-9a-f]{64}$/);
  t.same(p.checklist, DEFAULT_CHECKLIST);
  t.not(p.checklist, DEFAULT_CHECKLIST, 'a copy, so callers cannot change the default');
  t.same(p.customRules, []);
  t.equal(p.checklist.kubernetesVersion, undefined, 'the default names no version, so the node package can');
  t.same(deriveTargets(p.checklist), {
    kubernetesMinor: 37,
    kubernetesVersion: '1.37',
    kubernetes: {
      version: '1.37',
      minor: 37,
      tableMinor: 37,
      source: 'default',
      basis: 'the newest Kubernetes version this release knows (no node package was consulted)',
    },
    sandboxImage: 'registry.k8s.io/pause:3.10.2',
    sandboxImageOrigin: "kubeadm's default for Kubernetes 1.37",
    cgroupDriver: 'systemd',
    criSocket: 'unix:///run/containerd/containerd.sock',
  });
});

t.test('YAML and JSON files, defaults filled per key', async (t) => {
  const yaml = await loadChecklist(
    `${HEAD}kubernetesVersion: "1.30"\nproxy:\n  policy: allowed\nsystemd:\n  allowedDropIns:\n    containerd.service: [http-proxy.conf]\n`,
    { source: 'org.yaml' },
  );
  t.equal(yaml.source, 'org.yaml');
  t.equal(yaml.checklist.proxy.policy, 'allowed');
  t.same(yaml.checklist.systemd.allowedDropIns, { 'containerd.service': ['http-proxy.conf'], 'kubelet.service': ['10-kubeadm.conf'] });
  t.equal(yaml.checklist.cluster.serviceSubnet, '10.96.0.0/12', 'unset keys keep their default');
  t.equal(deriveTargets(yaml.checklist).sandboxImage, 'registry.k8s.io/pause:3.9');
  const json = await loadChecklist(JSON.stringify({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', sandboxImage: 'harbor.example.net/k8s/pause:3.10' }));
  t.equal(json.source, 'checklist');
  t.equal(deriveTargets(json.checklist).sandboxImageOrigin, 'the checklist');
  const obj = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist' });
  t.equal(obj.source, 'checklist object');
  t.not(json.sha256, obj.sha256);
});

t.test('version helpers', async (t) => {
  t.equal(kubernetesMinor('v1.33.2'), 33);
  t.ok(Number.isNaN(kubernetesMinor('2.0')));
  t.equal(kubeadmSandboxImage(26), null);
  t.equal(kubeadmSandboxImage(34), 'registry.k8s.io/pause:3.10.1');
});

t.test('syntax errors: one line with file, line and column', async (t) => {
  t.same(await problems('apiVersion: [\n'), ['c.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  const [p] = await problems('a: 1\na: 2\n');
  t.match(p, /^c\.yaml:2:1: .*unique/i);
  const [bomb] = await problems('a: &a [x,x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n');
  t.match(bomb, /^c\.yaml: .*alias/i, 'an alias bomb is an error without a position');
});

t.test('schema problems name the place, the key path and what was expected, in file order', async (t) => {
  const found = await problems(
    `${HEAD}kubernetesVersion: 1.30\nproxy:\n  polcy: none\ncgroupDriver: systemd-ish\ncriSocket: containerd.sock\nregistries:\n  mirrors:\n    docker.io: ""\nwaivers:\n  - rule: host/swap-off\n    expires: next week\nrules:\n  - id: Bad Id\n    title: t\n    severity: error\n    remediation: r.\n    target: /x\n    schema: {}\nseverity:\n  BAD one: off\nallowedRuntimeTypes: [a, a]\nzzz: 1\n`,
  );
  t.same(found, [
    'c.yaml:3:1: kubernetesVersion: must be a string (got 1.3); quote it, as YAML reads an unquoted 1.30 as the number 1.3',
    'c.yaml:5:3: proxy: unknown key "polcy" (did you mean "policy"?)',
    'c.yaml:6:1: cgroupDriver: must be one of systemd, cgroupfs (got "systemd-ish")',
    'c.yaml:7:1: criSocket: must be an absolute socket path or a unix:// URL (got "containerd.sock")',
    'c.yaml:10:5: registries.mirrors.docker.io: must not be empty',
    'c.yaml:12:5: waivers[0]: missing required key "reason"',
    'c.yaml:13:5: waivers[0].expires: must be a date written YYYY-MM-DD (got "next week")',
    'c.yaml:15:5: rules[0].id: must be a lowercase rule id such as "acme/no-debug-flags" (got "Bad Id")',
    'c.yaml:22:3: severity.BAD one: must be a rule id such as "host/swap-off" or a kubeadm check name such as "Swap" (got "BAD one")',
    'c.yaml:23:1: allowedRuntimeTypes: must not list the same value twice',
    'c.yaml:24:1: (top level): unknown key "zzz"; known keys: apiVersion, kind, kubernetesVersion, containerdVersion, cgroupDriver, criSocket, joinRole, sandboxImage, allowedRuntimeTypes, cluster, proxy, registries, criticalImages, systemd, host, severity, rules, site, waivers',
  ]);
  t.same(await problems('apiVersion: v1\nkind: Checklist\n'), ['c.yaml:1:1: apiVersion: must be "kube-preflight/v1" (got "v1")']);
  t.same(await problems([1, 2]), ['c.yaml: (top level): must be an object (got [1,2])']);
  t.same(await problems({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', host: { swapAllowed: 'yes' } }, 'o'), [
    'o: host.swapAllowed: must be a boolean (got "yes")',
  ]);
});

t.test('semantic problems', async (t) => {
  const found = await problems(
    `${HEAD}kubernetesVersion: "1.26"\nproxy:\n  policy: required\ncluster:\n  podSubnet: 10.244.0.0/16,fd00::/8x\n  serviceSubnet: 10.96.0.0\nrules:\n  - {id: acme/a, title: t, severity: error, remediation: r., target: /host, schema: {}}\n  - {id: acme/a, title: t, severity: error, remediation: r., target: /host, schema: {}}\n  - {id: host/swap-off, title: t, severity: error, remediation: r., target: /host, schema: {}}\nseverity:\n  host/swapoff: off\n  acme/a: warning\n  swap: warning\n  FileExisting-ip: off\n  FileExisting-lsetup: off\nwaivers:\n  - {rule: crictl/config-presnt, reason: r, expires: 2026-02-30}\n  - {rule: isprivilegeduser, reason: r, expires: 2026-02-27}\n`,
  );
  t.same(found, [
    'c.yaml:3:1: kubernetesVersion: this release knows the pause image of Kubernetes 1.27 to 1.37 only; set sandboxImage for 1.26',
    'c.yaml:4:1: proxy: policy "required" needs url',
    'c.yaml:7:3: cluster.podSubnet: must be a CIDR such as 10.96.0.0/12 (got "fd00::/8x")',
    'c.yaml:8:3: cluster.serviceSubnet: must be a CIDR such as 10.96.0.0/12 (got "10.96.0.0")',
    'c.yaml:11:6: rules[1].id: "acme/a" is used by another custom rule',
    'c.yaml:12:6: rules[2].id: "host/swap-off" is a built-in rule id; custom rules need their own',
    'c.yaml:14:3: severity.host/swapoff: unknown rule id or kubeadm check name "host/swapoff" (did you mean "host/swap-off"?)',
    'c.yaml:18:3: severity.FileExisting-lsetup: unknown rule id or kubeadm check name "FileExisting-lsetup" (did you mean "FileExisting-losetup"?)',
    'c.yaml:20:6: waivers[0].rule: unknown rule id or kubeadm check name "crictl/config-presnt" (did you mean "crictl/config-present"?)',
    'c.yaml:20:45: waivers[0].expires: "2026-02-30" is not a calendar date',
  ]);
  t.same(await problems({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', proxy: { policy: 'none', url: 'http://p:3128' } }, 'obj'), [
    'obj: proxy.url: url is only used with policy "required"',
  ]);
  t.same(await problems({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', waivers: [{ rule: 'zzzz', reason: 'r', expires: '2026-01-01' }] }, 'obj'), [
    'obj: waivers[0].rule: unknown rule id or kubeadm check name "zzzz"',
  ]);
});

t.test('custom rules compile at load time; a broken schema is a problem, not a crash', async (t) => {
  const ok = await loadChecklist({
    apiVersion: 'kube-preflight/v1',
    kind: 'Checklist',
    rules: [
      {
        id: 'acme/hostname-prefix',
        title: 'Hostnames start with k8s-',
        severity: 'warning',
        remediation: 'Rename the node.',
        target: '/host/hostname/value',
        schema: { type: 'string', pattern: '^k8s-' },
      },
    ],
  });
  t.equal(ok.customRules.length, 1);
  t.equal(ok.customRules[0]!.rationale, "A rule of this organization's checklist.");
  t.ok(ok.customValidators.get('acme/hostname-prefix'));
  const broken = await problems(
    {
      apiVersion: 'kube-preflight/v1',
      kind: 'Checklist',
      rules: [{ id: 'acme/x', title: 't', severity: 'error', remediation: 'r.', target: '/host', schema: { type: 'object', propertes: {} } }],
    },
    'org.json',
  );
  t.same(broken, ['org.json: rules[0].schema.propertes: unknown JSON Schema keyword "propertes" (did you mean "properties"?)']);
});

t.test('describeError for keywords the checklist schema does not use yet', async (t) => {
  const { describeError } = await import('../../src/engine/checklist.js');
  t.equal(
    describeError({ keyword: 'maxItems', message: 'must NOT have more than 3 items', instancePath: '', schemaPath: '', params: {} }, [1, 2, 3, 4]),
    'must NOT have more than 3 items',
  );
  t.equal(describeError({ keyword: 'type', instancePath: '', schemaPath: '', params: { type: 'integer' } }, 'x'), 'must be an integer (got "x")');
});

t.test('every pattern of the checklist schema has words for error messages', async (t) => {
  const { PATTERN_WORDS } = await import('../../src/engine/checklist.js');
  const { readFileSync } = await import('node:fs');
  const schema = readFileSync(new URL('../../schemas/checklist.schema.json', import.meta.url), 'utf8');
  const patterns = [...schema.matchAll(/"pattern": "((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  t.ok(patterns.length >= 5);
  for (const p of patterns) t.ok(PATTERN_WORDS[p], p);
});

t.test('problems sort by place; objects have none', async (t) => {
  t.same(await problems('apiVersion: kube-preflight/v1\nkind: Checklist\nhost: {swapAllowed: yes, zap: 1}\n'), [
    'c.yaml:3:8: host.swapAllowed: must be a boolean (got "yes")',
    'c.yaml:3:26: host: unknown key "zap"; known keys: swapAllowed',
  ]);
  t.same(await problems({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', cgroupDriver: 'x', proxy: { policy: 'y' } }, 'o'), [
    'o: cgroupDriver: must be one of systemd, cgroupfs (got "x")',
    'o: proxy.policy: must be one of none, required, allowed (got "y")',
  ]);
});
