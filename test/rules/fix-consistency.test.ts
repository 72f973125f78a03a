import t, { type Test } from 'tap';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { PROBE } from '../../src/model/live.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { RuleResult } from '../../src/engine/types.js';
import type { CommandResult } from '../../src/snapshot/types.js';
import { nodeFixtures } from '../helpers/node-fixtures.js';
import { writeNode } from '../helpers/node-root.js';
import { PACKAGED_UNITS, service } from '../helpers/units.js';
import { NO_SYSTEMD } from '../live/fixtures.js';

/**
 * Every violation's effective fix (its own, else the rule's remediation) must
 * agree with what the finding observed and what the checklist expects: a fix
 * that contradicts its finding sends the operator the wrong way.
 */

interface Judged {
  result: RuleResult;
  policy: string;
  /** The cgroup driver runc must match: kubelet's effective one, else the checklist's. */
  driver: string;
}

async function judge(root: string, checklist: Record<string, unknown>, commands?: Record<string, CommandResult>): Promise<Judged[]> {
  const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', ...checklist });
  const snapshot = collectSnapshot({ root, units: prepared.modelOptions.units, site: prepared.modelOptions.site });
  if (commands) Object.assign(snapshot, { online: true, commands });
  const model = buildModel(snapshot, prepared.modelOptions);
  const report = evaluate(model, prepared, { date: '2026-06-01' });
  const driver = model.kubelet.cgroupDriver?.value ?? prepared.checklist.cgroupDriver;
  return report.results.filter((r) => r.status === 'fail').map((result) => ({ result, policy: prepared.checklist.proxy.policy, driver }));
}

/** A proxy value the finding itself shows (a variable with a value, or a proxy URL). */
const SHOWS_PROXY =
  /\b(?:HTTPS?_PROXY|https?_proxy|ALL_PROXY|all_proxy|NO_PROXY|no_proxy)[= ]\S|\bproxy (?:https?|socks5h?):\/\/|\bthe (?:HTTPS? )?proxy https?:\/\//;

/** Check every failing violation; returns how many were checked. */
function check(t: Test, judged: Judged[]): number {
  let n = 0;
  for (const { result, policy, driver } of judged) {
    for (const v of result.violations) {
      n++;
      const fix = v.fix ?? result.remediation;
      const what = `${result.id}: ${v.message} => ${fix}`;
      t.ok(fix.trim().length > 0 && /[.]$/.test(fix.trim()), `a fix is one imperative sentence: ${what}`);
      if (policy === 'none') {
        // Under proxy policy none the proxy goes; extending NO_PROXY would keep it.
        t.notMatch(fix, /\b(?:add|adding|extend)\b[^.;]*\bNO_PROXY\b/i, `no NO_PROXY advice under proxy policy none: ${what}`);
        t.notMatch(v.message, /\b(?:add|adding)\b[^.;]*\bto NO_PROXY\b/i, `the finding gives no NO_PROXY advice under proxy policy none: ${what}`);
        t.notMatch(fix, /\bset (?:HTTPS?_PROXY|the same HTTP_PROXY)\b/i, `no advice to set a proxy under proxy policy none: ${what}`);
      }
      for (const m of fix.matchAll(/SystemdCgroup = (true|false)/g)) {
        t.equal(m[1], String(driver === 'systemd'), `SystemdCgroup advice matches the ${driver} driver: ${what}`);
        if (typeof v.evidence?.observed === 'boolean' && result.id === 'containerd/systemd-cgroup') {
          t.not(m[1], String(v.evidence.observed), `the fix does not ask for the value already set: ${what}`);
        }
      }
      const removesProxy = /\bremove\b[^.]*\bprox(?:y|ies)\b|\bRemove (?:HTTPS?_PROXY|NO_PROXY|ALL_PROXY|https?_proxy)\b/i.test(fix);
      if (removesProxy && (result.id.startsWith('systemd/') || result.id.startsWith('runtime/proxy'))) {
        t.match(v.message, SHOWS_PROXY, `"remove the proxy" only where the finding shows a proxy: ${what}`);
      }
      if (/\bhang\b/i.test(fix)) {
        t.not(v.evidence?.observed, 'missing', `no hang advice for a missing socket: ${what}`);
        t.notMatch(v.message, /does not exist|does not accept a connection/, `no hang advice for a socket that is missing or refuses: ${what}`);
      }
      if (v.evidence?.observed === 'missing' && result.id === 'runtime/socket-responds') {
        t.match(fix, /socket \S+ is missing: start containerd/, `a missing socket says so and says to start containerd: ${what}`);
      }
    }
  }
  return n;
}

/** Checklist variants each fixture is also judged under: the brief's contradictions show under other policies and drivers. */
const VARIANTS: Record<string, Record<string, unknown>> = {
  own: {},
  'proxy allowed': { proxy: { policy: 'allowed' } },
  'proxy required': { proxy: { policy: 'required', url: 'http://proxy.corp:3128' } },
  cgroupfs: { cgroupDriver: 'cgroupfs' },
  systemd: { cgroupDriver: 'systemd' },
};

t.test('every fixture node: each fix agrees with its finding', async (t) => {
  let total = 0;
  for (const { name, root, expect } of nodeFixtures()) {
    for (const [variant, keys] of Object.entries(VARIANTS)) {
      const judged = await judge(root, { ...expect.checklist, ...keys });
      total += check(t, judged);
      if (name === 'stale-containerd-proxy' && variant === 'own') {
        // The incident's node: policy none, so every proxy finding says to remove the variables.
        const coverage = judged.find((j) => j.result.id === 'systemd/no-proxy-coverage')!;
        t.ok(
          coverage.result.violations.every((v) => v.fix?.startsWith('Remove HTTPS_PROXY from ')),
          'no-proxy-coverage says to remove the proxy',
        );
      }
      if (name === 'stale-containerd-proxy' && variant === 'proxy allowed') {
        const coverage = judged.find((j) => j.result.id === 'systemd/no-proxy-coverage')!;
        t.ok(
          coverage.result.violations.every((v) => v.fix?.startsWith('Add .')),
          'with a proxy allowed, NO_PROXY is extended',
        );
      }
      if (name === 'incident-calico-restarts' && variant === 'cgroupfs') {
        // kubelet's own cgroupDriver (systemd) decides, not the checklist's cgroupfs.
        const cg = judged.find((j) => j.result.id === 'containerd/systemd-cgroup')!;
        t.match(
          cg.result.violations[0]!.fix,
          /^Set SystemdCgroup = true .* systemd driver set by kubelet's cgroupDriver/,
          "kubelet's own driver decides, not the checklist's",
        );
      }
    }
  }
  t.ok(total > 100, `checked ${total} violations`);
});

const C = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const SOCK = '/run/containerd/containerd.sock';
const connect = (exitCode: number, stderr: string): CommandResult => ({ argv: ['unix-connect', SOCK], exitCode, stdout: '', stderr });
const timeout: CommandResult = {
  argv: ['ctr', 'version'],
  exitCode: null,
  stdout: '',
  stderr: '',
  error: { code: 'ETIMEDOUT', message: 'no answer within 5000 ms' },
};

t.test('synthetic nodes: SystemdCgroup = true under cgroupfs, live socket and proxy findings', async (t) => {
  const runc =
    'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n  runtime_type = "io.containerd.runc.v2"\n  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\n    SystemdCgroup = true\n';
  const cgroupfs = await judge(writeNode(t.testdir(), { ...PACKAGED_UNITS, '/etc/containerd/config.toml': runc }), { cgroupDriver: 'cgroupfs' });
  const cg = cgroupfs.find((j) => j.result.id === 'containerd/systemd-cgroup')!;
  t.match(cg.result.violations[0]!.fix, /^Set SystemdCgroup = false /, 'SystemdCgroup = true with cgroupfs expected: set it to false');
  check(t, cgroupfs);

  const missing = await judge(
    writeNode(t.testdir(), { '/etc/hostname': 'n\n' }),
    {},
    { [PROBE.socketConnect]: connect(1, `no such file or directory (connect ENOENT ${SOCK})\n`), [PROBE.version]: timeout },
  );
  t.ok(
    missing.some((j) => j.result.id === 'runtime/socket-responds'),
    'the missing socket is reported',
  );
  check(t, missing);

  const hung = await judge(writeNode(t.testdir(), { '/etc/hostname': 'n\n' }), {}, { [PROBE.socketConnect]: connect(0, ''), [PROBE.version]: timeout });
  t.match(hung.find((j) => j.result.id === 'runtime/socket-responds')!.result.violations[0]!.fix, /hang/, 'a hung containerd is told to look for the hang');
  check(t, hung);

  const files = { ...PACKAGED_UNITS, [C]: service('Environment=HTTPS_PROXY=http://10.0.0.1:7897 NO_PROXY=localhost') };
  const tcp = {
    ...NO_SYSTEMD,
    [PROBE.tcp('10.0.0.1:7897')]: {
      argv: ['tcp-connect', '10.0.0.1:7897'],
      exitCode: 1,
      stdout: '',
      stderr: 'connection refused (connect ECONNREFUSED 10.0.0.1:7897)\n',
    },
  };
  for (const policy of ['none', 'allowed']) {
    const judged = await judge(writeNode(t.testdir(), files), { proxy: { policy } }, tcp);
    const reach = judged.find((j) => j.result.id === 'runtime/proxy-reachable');
    t.ok(reach, `the dead proxy is reported under policy ${policy}`);
    t.match(reach!.result.violations[0]!.fix, policy === 'none' ? /^Remove HTTPS_PROXY / : /^Start the proxy at http:\/\/10\.0\.0\.1:7897, or remove/);
    check(t, judged);
  }
});
