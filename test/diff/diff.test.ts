import t from 'tap';
import { describeSource, diffNodes, formatDiffText, type DiffSide } from '../../src/diff/diff.js';
import type { Report, RuleResult } from '../../src/engine/types.js';
import type { NodeModel } from '../../src/model/types.js';

// Synthetic models: the comparison only walks plain data, so a few fields stand in for a whole NodeModel.
function side(label: string, model: Record<string, unknown>, results: Partial<RuleResult>[]): DiffSide {
  return { label, model: { root: `/${label}`, ...model } as unknown as NodeModel, report: { results } as unknown as Report };
}

t.test('lists compare by identity, values carry their source, absent sides are null', async (t) => {
  const a = side(
    'a',
    {
      host: {
        binaries: [
          { name: 'socat', path: '/usr/bin/socat' },
          { name: 'tc', path: null },
        ],
        hostname: 'node-a',
      },
      kubelet: { cgroupDriver: { value: 'systemd', source: { file: '/var/lib/kubelet/config.yaml', line: 3 } } },
    },
    [
      { id: 'x/one', status: 'pass', message: 'fine' },
      { id: 'x/two', status: 'fail', message: 'same' },
    ],
  );
  const b = side(
    'b',
    {
      host: {
        binaries: [
          { name: 'tc', path: '/usr/sbin/tc' },
          { name: 'socat', path: '/usr/bin/socat' },
        ],
        hostname: 'node-b',
      },
      kubelet: { cgroupDriver: null },
      extra: { flag: undefined },
    },
    [
      { id: 'x/one', status: 'fail', message: 'broken' },
      { id: 'x/two', status: 'fail', message: 'same' },
    ],
  );
  const diff = diffNodes(a, b);
  t.same(diff.settings, [
    { setting: 'extra flag', group: 'extra', path: 'flag', a: null, b: { value: 'undefined' } },
    { setting: 'binary tc', group: 'host', path: 'binaries.tc.path', a: { value: 'null' }, b: { value: '"/usr/sbin/tc"' } },
    {
      setting: 'kubelet cgroupDriver',
      group: 'kubelet',
      path: 'cgroupDriver',
      a: { value: '"systemd"', source: '/var/lib/kubelet/config.yaml:3' },
      b: { value: 'null' },
    },
  ]);
  t.same(diff.rules, [{ id: 'x/one', a: { status: 'pass', message: 'fine' }, b: { status: 'fail', message: 'broken' } }]);
  const text = formatDiffText(diff);
  t.match(text, /^\[preflight\] A: a\n\[preflight\] B: b\n/);
  t.match(text, /\nSettings that differ\n/);
  t.match(text, /\n  kubelet cgroupDriver\n    A: "systemd"  \(\/var\/lib\/kubelet\/config\.yaml:3\)\n    B: null\n/, 'by the name operators know');
  t.match(text, /\nRules whose outcome differs\n  x\/one\n    A: pass: fine\n    B: fail: broken\n/, 'a rule without a cause');
  t.match(text, /\[preflight\] 3 settings differ; 1 rule has a different outcome\.\n$/);
});

t.test('a setting at the top of a group, a unit, a single difference', async (t) => {
  const diff = diffNodes(side('a', { containerd: { effective: 1 } }, []), side('b', { containerd: { effective: 2 } }, []));
  t.same(diff.settings, [
    { setting: 'containerd config (value)', group: 'containerd: effective configuration', path: '(value)', a: { value: '1' }, b: { value: '2' } },
  ]);
  t.match(formatDiffText(diff), /1 setting differs; 0 rules have a different outcome\./);
  const units = diffNodes(
    side('a', { systemd: { units: { 'x.service': { execStart: [{ value: '/bin/x', file: '/lib/systemd/system/x.service', line: 7 }] } } } }, []),
    side('b', { systemd: { units: { 'x.service': { execStart: [{ value: '/bin/y', file: '/lib/systemd/system/x.service', line: 7 }] } } } }, []),
  );
  t.same(units.settings[0], {
    setting: 'x.service execStart["/lib/systemd/system/x.service"]',
    group: 'systemd: x.service',
    path: 'execStart["/lib/systemd/system/x.service"]',
    a: { value: '"/bin/x"', source: '/lib/systemd/system/x.service:7' },
    b: { value: '"/bin/y"', source: '/lib/systemd/system/x.service:7' },
  });
});

t.test('elements that share a name compare by position', async (t) => {
  const lines = (second: string) => ({
    systemd: {
      units: {
        'x.service': {
          execStart: [
            { value: '/bin/x', file: '/x.service', line: 7 },
            { value: second, file: '/x.service', line: 8 },
          ],
        },
      },
    },
  });
  const diff = diffNodes(side('a', lines('/bin/a'), []), side('b', lines('/bin/b'), []));
  t.same(
    diff.settings.map((d) => d.path),
    ['execStart[1]'],
  );
});

t.test('describeSource', async (t) => {
  t.equal(describeSource({ file: '/etc/containerd/config.toml', line: 4 }), '/etc/containerd/config.toml:4');
  t.equal(describeSource({ file: '/etc/containerd/certs.d/docker.io' }), '/etc/containerd/certs.d/docker.io');
  t.equal(describeSource({ default: 'built-in default of containerd 2.1' }), 'built-in default of containerd 2.1');
});

t.test('rule differences grouped by the cause on the failing side, with its one fix', async (t) => {
  const dropIn = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
  const withCauses = (label: string, results: Partial<RuleResult>[], causes: unknown[]): DiffSide => ({
    ...side(label, {}, results),
    report: { results, causes } as unknown as Report,
  });
  const a = withCauses(
    'a',
    [
      { id: 'systemd/proxy-policy', status: 'pass', message: 'ok' },
      { id: 'systemd/no-proxy-coverage', status: 'pass', message: 'ok' },
      { id: 'host/swap-off', status: 'fail', message: 'swap' },
      { id: 'host/hostname', status: 'pass', message: 'ok' },
    ],
    [
      {
        id: 'host/swap-off',
        severity: 'error',
        active: true,
        consequences: [{ result: 'host/swap-off', violation: 0, severity: 'error' }],
        fix: 'Turn swap off.',
      },
    ],
  );
  const b = withCauses(
    'b',
    [
      { id: 'systemd/proxy-policy', status: 'fail', message: 'proxy' },
      { id: 'systemd/no-proxy-coverage', status: 'fail', message: 'coverage' },
      { id: 'host/swap-off', status: 'pass', message: 'ok' },
      { id: 'host/hostname', status: 'not-applicable', message: 'n/a' },
    ],
    [
      {
        id: dropIn,
        file: dropIn,
        unit: 'containerd.service',
        severity: 'error',
        active: true,
        consequences: [
          { result: 'systemd/proxy-policy', violation: 0, severity: 'error' },
          { result: 'systemd/no-proxy-coverage', violation: 0, severity: 'error' },
        ],
        fix: `Remove ${dropIn}, then run systemctl daemon-reload and restart containerd.service.`,
      },
    ],
  );
  const diff = diffNodes(a, b);
  t.same(
    diff.rules.map((r) => [r.id, r.cause?.side, r.cause?.id]),
    [
      ['systemd/proxy-policy', 'b', dropIn],
      ['systemd/no-proxy-coverage', 'b', dropIn],
      ['host/swap-off', undefined, undefined],
      ['host/hostname', undefined, undefined],
    ],
    'a cause names a file; one that only names its rule is no cause to group by',
  );
  const text = formatDiffText(diff);
  t.match(
    text,
    `Rules whose outcome differs\n  B: caused by ${dropIn}; fix: Remove ${dropIn}, then run systemctl daemon-reload and restart containerd.service.\n    systemd/proxy-policy\n      A: pass: ok\n      B: fail: proxy\n    systemd/no-proxy-coverage\n`,
  );
  t.match(text, /\n  Other rules\n    host\/swap-off\n      A: fail: swap\n      B: pass: ok\n    host\/hostname\n/);
});
