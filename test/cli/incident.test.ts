import t from 'tap';
import { readFileSync } from 'node:fs';
import { runBundle } from '../helpers/bundle.js';

const ROOT = 'test/fixtures/nodes/stale-containerd-proxy/root';
const DROPIN = '/etc/systemd/system/containerd.service.d/http-proxy.conf';
const REPO = new URL('../../', import.meta.url).pathname;

t.test('the stale-proxy incident node: the README quickstart', async (t) => {
  t.match(readFileSync(`${REPO}README.md`, 'utf8'), `npm ci && node dist/preflight.cjs --root ${ROOT}\n`, 'the README runs this node');
  const r = runBundle(['--root', `${REPO}${ROOT}`, '--format', 'json', '--date', '2026-06-01'], { cwd: REPO });
  t.equal(r.code, 1, 'blocking findings');
  const results = (JSON.parse(r.stdout) as { results: { id: string; status: string; violations: { message: string; evidence: Record<string, unknown> }[] }[] })
    .results;
  const policy = results.find((x) => x.id === 'systemd/proxy-policy')!;
  t.same(
    policy.violations.map((v) => [v.evidence.file, v.evidence.line, v.evidence.observed]),
    [
      [DROPIN, 2, 'http://10.0.0.1:7897'],
      [DROPIN, 3, 'http://10.0.0.1:7897'],
      [DROPIN, 4, 'localhost,127.0.0.1,10.96.0.0/12'],
    ],
    'the drop-in and the line of each proxy variable',
  );
  const shell = results.find((x) => x.id === 'systemd/shell-env-divergence')!;
  t.equal(shell.status, 'fail');
  t.match(
    shell.violations[0]!.message,
    /curl in a login shell connects directly .* that is why curl works while crictl pull, which containerd performs with its own environment, fails/,
  );
  const text = runBundle(['--root', `${REPO}${ROOT}`], { cwd: REPO });
  t.match(text.stdout, `[ERROR] ${DROPIN}:2 (containerd.service): 7 findings\n`, 'the drop-in is the one cause');
  t.match(text.stdout, '  [ERROR systemd/proxy-policy]: containerd.service gets HTTPS_PROXY=http://10.0.0.1:7897 from line');
  t.equal(text.stdout.split(DROPIN).length - 1, 1, 'named once');
});
