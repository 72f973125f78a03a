import t from 'tap';
import { groupCauses } from '../../src/engine/causes.js';
import type { ReportedViolation, RuleResult } from '../../src/engine/types.js';

function result(id: string, status: RuleResult['status'], violations: ReportedViolation[], extra: Partial<RuleResult> = {}): RuleResult {
  return {
    id,
    aliases: [],
    title: id,
    domain: id.split('/')[0]!,
    mode: 'static',
    severity: 'error',
    status,
    message: 'm.',
    evidence: {},
    violations,
    remediation: `Fix ${id}.`,
    references: [],
    ...extra,
  };
}
const v = (severity: ReportedViolation['severity'], evidence: ReportedViolation['evidence'], extra: Partial<ReportedViolation> = {}): ReportedViolation => ({
  message: 'm.',
  severity,
  evidence,
  ...extra,
});

const DROP_IN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';

t.test('a drop-in that sets proxy variables is one cause, with the drop-in fix', async (t) => {
  const causes = groupCauses([
    result('systemd/drop-ins-allowed', 'fail', [v('warning', { file: DROP_IN, path: '/systemd/units/containerd.service/dropInPaths' })]),
    result('systemd/proxy-policy', 'fail', [
      v('error', { file: DROP_IN, line: 3, path: '/systemd/units/containerd.service/environment/HTTPS_PROXY' }, { fix: 'Remove HTTPS_PROXY.' }),
      v('error', { file: DROP_IN, line: 2, path: '/systemd/units/containerd.service/environment/HTTP_PROXY' }),
    ]),
    result('host/hostname', 'pass', []),
  ]);
  t.equal(causes.length, 1);
  t.same(causes[0], {
    id: DROP_IN,
    file: DROP_IN,
    line: 2,
    unit: 'containerd.service',
    severity: 'error',
    active: true,
    consequences: [
      { result: 'systemd/proxy-policy', violation: 0, severity: 'error' },
      { result: 'systemd/proxy-policy', violation: 1, severity: 'error' },
      { result: 'systemd/drop-ins-allowed', violation: 0, severity: 'warning' },
    ],
    fix: `Remove ${DROP_IN} (or correct its proxy variables to the checklist's proxy policy), then run systemctl daemon-reload && systemctl restart containerd.service.`,
  });
});

t.test('other drop-ins, files by line, and rules without a file; the fix of the worst finding', async (t) => {
  const causes = groupCauses([
    result('kubelet/x', 'fail', [
      v(
        'warning',
        { file: '/etc/systemd/system/kubelet.service.d/20-x.conf', line: 4, path: '/systemd/units/kubelet.service/execStart' },
        { fix: 'Drop the flag.' },
      ),
    ]),
    result('containerd/a', 'fail', [
      v('warning', { file: '/etc/containerd/config.toml', line: 5 }),
      v('error', { file: '/etc/containerd/config.toml', line: 5 }, { fix: 'Use registry.k8s.io.' }),
    ]),
    result('containerd/b', 'fail', [v('error', { file: '/etc/containerd/config.toml', line: 7 })]),
    result('host/binaries', 'fail', [v('error', { path: 'PATH' }, { alias: 'FileExisting-cp' }), v('error', { path: 'PATH' })]),
    result('host/proc', 'fail', [v('info', { file: '/proc/swaps' })]),
    // service.d/ applies to every service: there is no one unit, so it is an ordinary file.
    result('systemd/top', 'fail', [v('info', { file: '/etc/systemd/system/service.d/x.conf' })]),
  ]);
  t.same(
    causes.map((c) => [c.id, c.severity, c.fix, c.consequences.length]),
    [
      ['/etc/containerd/config.toml:5', 'error', 'Use registry.k8s.io.', 2],
      ['/etc/containerd/config.toml:7', 'error', 'Fix containerd/b.', 1],
      ['host/binaries', 'error', 'Fix host/binaries.', 2],
      ['/etc/systemd/system/kubelet.service.d/20-x.conf', 'warning', 'Drop the flag.', 1],
      ['/etc/systemd/system/service.d/x.conf', 'info', 'Fix systemd/top.', 1],
      ['/proc/swaps', 'info', 'Fix host/proc.', 1],
    ],
  );
  t.match(causes[0], {
    file: '/etc/containerd/config.toml',
    line: 5,
    consequences: [
      { violation: 1, severity: 'error' },
      { violation: 0, severity: 'warning' },
    ],
  });
  t.notOk('unit' in causes[0]!);
  t.same(causes[2]!.consequences[0], { result: 'host/binaries', violation: 0, severity: 'error', alias: 'FileExisting-cp' });
  t.notOk('file' in causes[2]! || 'line' in causes[2]!, 'no file, no line');
  t.equal(causes[3]!.unit, 'kubelet.service', "a drop-in without proxy variables keeps its worst finding's fix");
  t.notOk('line' in causes[5]!);
});

t.test('ignored and waived findings are consequences too; a cause of only those comes last and never blocks', async (t) => {
  const waiver = { reason: 'r', expires: '2026-12-31', expired: false };
  const causes = groupCauses([
    result('host/swap-off', 'waived', [v('error', { file: '/proc/swaps' })], { waiver }),
    result('host/ignored', 'waived', [v('error', { file: '/etc/a' }, { ignoredBy: 'Swap' })], { ignored: ['Swap'] }),
    result('host/mixed', 'fail', [v('error', { file: '/etc/fstab', line: 1 }, { ignoredBy: 'host/mixed' }), v('info', { file: '/etc/fstab', line: 1 })]),
    result('host/expired', 'fail', [v('warning', { file: '/etc/b' })], { waiver: { ...waiver, expired: true } }),
  ]);
  t.same(
    causes.map((c) => [c.id, c.active, c.severity]),
    [
      ['/etc/b', true, 'warning'],
      ['/etc/fstab:1', true, 'info'],
      ['/etc/a', false, 'error'],
      ['/proc/swaps', false, 'error'],
    ],
  );
  t.same(
    causes[1]!.consequences,
    [
      { result: 'host/mixed', violation: 1, severity: 'info' },
      { result: 'host/mixed', violation: 0, severity: 'error', demoted: true },
    ],
    'what blocks comes first, and gives the fix',
  );
  t.same(causes[3]!.consequences, [{ result: 'host/swap-off', violation: 0, severity: 'error', demoted: true }]);
});
