// Live checks against a real containerd (Debian's package), started under a
// temporary directory with its own root, state, sockets and config. systemd is
// not PID 1 on this machine, so systemctl's real answer is "not booted with
// systemd" and the systemd-dependent rules must say so.
import t, { type Test } from 'tap';
import { createServer, type Server } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { collectLive, type LiveOptions } from '../../src/collect/live/index.js';
import { buildModel } from '../../src/model/build.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { evaluate } from '../../src/engine/evaluate.js';
import type { Report, RuleResult } from '../../src/engine/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { writeNode } from '../helpers/node-root.js';
import { daemonConfig, daemonUnavailable, startDaemon } from './daemon.js';

const skip = daemonUnavailable();
const UNIT = '[Unit]\nDescription=containerd\n[Service]\nExecStart=/usr/bin/containerd\n';

/** A node root whose containerd config is the daemon's and whose containerd.service gets `proxy`. */
function nodeRoot(t: Test, extra = '', proxy?: string): { root: string; config: string; run: string } {
  const dir = t.testdir();
  // Unix socket paths are limited to 104 bytes, so the daemon's directory is short.
  const run = mkdtempSync(join(tmpdir(), 'kp-live-'));
  t.teardown(() => rmSync(run, { recursive: true, force: true }));
  const root = writeNode(join(dir, 'node'), {
    '/etc/containerd/config.toml': daemonConfig(run, extra),
    '/usr/lib/systemd/system/containerd.service': UNIT,
    ...(proxy ? { '/etc/systemd/system/containerd.service.d/http-proxy.conf': `[Service]\nEnvironment="HTTPS_PROXY=${proxy}"\n` } : {}),
  });
  return { root, config: join(root, 'etc/containerd/config.toml'), run };
}

async function check(
  root: string,
  options: { only?: string[]; checklist?: Record<string, unknown>; live?: LiveOptions } = {},
): Promise<{ report: Report; snapshot: Snapshot; result: (id: string) => RuleResult }> {
  const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', proxy: { policy: 'allowed' }, ...options.checklist });
  const snapshot = await collectLive(collectSnapshot({ root }), { checklist: prepared.checklist, probeTimeoutMs: 2000, ...options.live });
  const report = evaluate(buildModel(snapshot), prepared, { date: '2026-06-01', only: options.only });
  return { report, snapshot, result: (id) => report.results.find((r) => r.id === id)! };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

t.test('live checks against a real containerd', { skip }, async (t) => {
  await t.test('socket, CRI, stale proxy; then the daemon stops (the stuck-init incident)', async (t) => {
    const port = await closedPort();
    const { root, config, run } = nodeRoot(t, '', `http://user:s3cret@127.0.0.1:${port}`);
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));

    const up = await check(root);
    t.equal(up.result('runtime/socket-responds').status, 'pass', up.result('runtime/socket-responds').message);
    t.equal(up.result('runtime/cri-ready').status, 'pass', up.result('runtime/cri-ready').message);
    const proxy = up.result('runtime/proxy-reachable');
    t.equal(proxy.status, 'fail');
    t.match(
      proxy.message,
      new RegExp(`HTTPS_PROXY from /etc/systemd/system/containerd.service.d/http-proxy.conf:2.*127\\.0\\.0\\.1:${port}.*connection refused`),
    );
    t.equal(up.result('runtime/config-applied').status, 'pass', up.result('runtime/config-applied').message);
    for (const id of ['runtime/containerd-active']) {
      t.equal(up.result(id).status, 'not-applicable', id);
      t.match(up.result(id).message, /systemd/, `${id} gives the reason`);
    }
    const saved = JSON.stringify(up.snapshot);
    t.notMatch(saved, /s3cret/, 'no secret in the snapshot');
    t.ok(up.snapshot.commands['systemctl-show:containerd.service'], 'systemctl was asked');
    t.ok(up.snapshot.commands['ctr-version']!.argv.includes(daemon.socket), 'the version call used the socket of the static model');

    // Re-evaluated from the saved snapshot on "another machine": the same results.
    const prepared = await loadChecklist({ apiVersion: 'kube-preflight/v1', kind: 'Checklist', proxy: { policy: 'allowed' } });
    const again = evaluate(buildModel(JSON.parse(saved) as Snapshot), prepared, { date: '2026-06-01' });
    t.same(
      again.results.filter((r) => r.id.startsWith('runtime/')),
      up.report.results.filter((r) => r.id.startsWith('runtime/')),
      'a saved snapshot gives the same live findings',
    );

    await daemon.stop('SIGKILL');
    const down = await check(root, { only: ['runtime/socket-responds'] });
    const sock = down.result('runtime/socket-responds');
    t.equal(sock.status, 'fail');
    t.match(sock.message, /does not accept a connection \(connection refused/);
  });

  await t.test('the proxy is reachable when something listens there', async (t) => {
    const server: Server = createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.teardown(() => new Promise((r) => server.close(r)));
    const { root, config, run } = nodeRoot(t, '', `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    const { result } = await check(root, { only: ['runtime/proxy-reachable'] });
    t.equal(result('runtime/proxy-reachable').status, 'pass', result('runtime/proxy-reachable').message);
  });

  await t.test('a config that disables the CRI plugin: reported missing', async (t) => {
    const { root, config, run } = nodeRoot(t, 'disabled_plugins = ["io.containerd.grpc.v1.cri"]');
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    const { result } = await check(root);
    t.equal(result('runtime/cri-ready').status, 'fail');
    t.match(result('runtime/cri-ready').message, /has no CRI plugin/);
    t.equal(result('runtime/config-applied').status, 'pass', `disk and process agree: both without CRI (${result('runtime/config-applied').message})`);
  });

  await t.test('a CRI plugin that fails to load: its error is named', async (t) => {
    const { root, config, run } = nodeRoot(t);
    writeFileSync(
      config,
      daemonConfig(run).replace(
        '[plugins."io.containerd.grpc.v1.cri".cni]',
        '[plugins."io.containerd.grpc.v1.cri".containerd]\n    default_runtime_name = "nonexistent"\n  [plugins."io.containerd.grpc.v1.cri".cni]',
      ),
    );
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    const { result, snapshot } = await check(root, { only: ['runtime/cri-ready'], live: { containerdAddress: daemon.socket, containerdConfig: config } });
    t.equal(snapshot.commands['containerd-config-dump']!.argv[2], config, 'the dump reads the given config');
    t.equal(result('runtime/cri-ready').status, 'fail');
    t.match(
      result('runtime/cri-ready').message,
      /CRI plugin failed to load: invalid plugin config: no corresponding runtime configured .*default_runtime_name = "nonexistent"/,
    );
  });

  await t.test('the CRI plugin disabled on disk after the start: config-applied names it', async (t) => {
    const { root, config, run } = nodeRoot(t);
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    writeFileSync(config, daemonConfig(run, 'disabled_plugins = ["io.containerd.grpc.v1.cri"]'));
    const { result } = await check(root, { only: ['runtime/config-applied', 'runtime/cri-ready'] });
    t.equal(result('runtime/cri-ready').status, 'pass', 'the running containerd still has it');
    const applied = result('runtime/config-applied');
    t.equal(applied.status, 'fail');
    t.match(applied.message, /has the CRI plugin loaded, but \/etc\/containerd\/config.toml:5 disables it/);
  });

  await t.test('a config containerd cannot load and one with a credential', async (t) => {
    const { root, config, run } = nodeRoot(t, '', undefined);
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    writeFileSync(config, `${daemonConfig(run)}  [plugins."io.containerd.grpc.v1.cri".registry.configs."r.example".auth]\n    password = "hunter2"\n`);
    const ok = await check(root, { only: ['runtime/config-applied'] });
    t.notMatch(JSON.stringify(ok.snapshot.commands), /hunter2/, 'the config dump is redacted');
    writeFileSync(config, daemonConfig(run).replace('sandbox_image = "registry.k8s.io/pause:3.10.2"', 'sandbox_image = 1'));
    const { result } = await check(root, { only: ['runtime/config-applied'] });
    t.equal(result('runtime/config-applied').status, 'fail');
    t.match(result('runtime/config-applied').message, /containerd cannot load the configuration on disk \(containerd config dump: .*Can't convert 1/);
  });

  await t.test('--pull through ctr: a registry that refuses connections', async (t) => {
    const port = await closedPort();
    const { root, config, run } = nodeRoot(t);
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    const image = `127.0.0.1:${port}/pause:3.10.2`;
    const only = ['runtime/critical-images-pullable'];
    const listed = await check(root, { only, checklist: { sandboxImage: image } });
    t.match(listed.result(only[0]!), {
      status: 'not-applicable',
      message: /127\.0\.0\.1:\d+\/pause:3\.10\.2 is not in the runtime's image store; run with --pull/,
    });
    const pulled = await check(root, { only, checklist: { sandboxImage: image }, live: { pull: true } });
    t.equal(pulled.snapshot.commands[`image-pull:${image}`]!.argv.slice(-4).join(' '), `k8s.io images pull ${image}`, 'pulled with ctr into the CRI namespace');
    t.match(pulled.result(only[0]!), {
      status: 'fail',
      message: /is not in the runtime's image store and pulling it through the CRI failed \(.*connection refused/,
    });
  });

  await t.test('systemd and crictl answers recorded (neither can run here) through the real probes', async (t) => {
    // systemd is not PID 1 here and crictl is not packaged for Debian 12, so these two
    // stand in for them on PATH; containerd, ctr and the TCP probes are real.
    const port = await closedPort();
    const { root, config, run } = nodeRoot(t);
    const bin = join(run, 'bin');
    mkdirSync(bin);
    const tool = (name: string, script: string): void => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    const show = [
      'LoadState=loaded',
      'ActiveState=active',
      'SubState=running',
      `Environment=HTTPS_PROXY=http://127.0.0.1:${port}`,
      'NeedDaemonReload=yes',
      'MainPID=4242',
      'ExecMainStartTimestamp=Thu 2099-01-01 00:00:00 UTC',
      'DropInPaths=',
    ];
    writeFileSync(join(bin, 'systemctl.out'), `${show.join('\n')}\n`);
    writeFileSync(
      join(bin, 'info.json'),
      JSON.stringify({ status: { conditions: [{ type: 'RuntimeReady', status: true }] }, config: { sandboxImage: 'registry.k8s.io/pause:3.10.2' } }),
    );
    tool('systemctl', 'cat "$(dirname "$0")/systemctl.out"');
    tool(
      'crictl',
      'case "$*" in *info*) cat "$(dirname "$0")/info.json" ;; *pull*) echo "E1122 pulling image: rpc error: code = Unknown desc = proxyconnect tcp: connection refused" >&2; exit 1 ;; esac',
    );
    const daemon = await startDaemon(run, config);
    t.teardown(() => daemon.stop('SIGKILL'));
    const { result, snapshot } = await check(root, {
      checklist: { sandboxImage: 'example.invalid/pause:1' },
      live: { pull: true, path: `${bin}:/usr/bin:/bin` },
    });
    t.equal(result('runtime/containerd-active').status, 'pass');
    t.match(result('runtime/proxy-reachable'), {
      status: 'fail',
      message: new RegExp(
        `in the Environment= the running systemd has loaded .* http://127\\.0\\.0\\.1:${port} does not accept a TCP connection \\(connection refused`,
      ),
    });
    t.match(result('runtime/config-applied'), { status: 'fail', message: /NeedDaemonReload=yes/ });
    t.equal(result('runtime/cri-ready').status, 'pass');
    t.match(result('runtime/critical-images-pullable'), { status: 'fail', message: /proxyconnect tcp: connection refused/ });
    t.same(snapshot.commands['image-pull:example.invalid/pause:1']!.argv.slice(0, 2), ['crictl', '--runtime-endpoint'], 'pulled through crictl');
    t.notOk(snapshot.commands['ctr-plugins'], 'ctr is asked only without crictl');
  });

  await t.test('the live phase is bounded by its deadline', async (t) => {
    // No daemon: ctr waits for the socket, the deadline stops it, and the second round does not start.
    const { root } = nodeRoot(t, '', 'http://127.0.0.1:9');
    const started = Date.now();
    const snapshot = await collectLive(collectSnapshot({ root }), { deadlineMs: 200 });
    const report = evaluate(buildModel(snapshot), await loadChecklist(), { date: '2026-06-01', only: ['runtime'] });
    const result = (id: string): RuleResult => report.results.find((r) => r.id === id)!;
    t.ok(Date.now() - started < 5000, 'stops at the deadline');
    t.match(snapshot.commands['ctr-version'], { exitCode: null, error: { code: 'DEADLINE' } });
    t.match(snapshot.commands['tcp-connect:127.0.0.1:9'], { exitCode: null, error: { code: 'DEADLINE' } });
    t.match(result('runtime/proxy-reachable'), {
      status: 'not-applicable',
      message: /No proxy connection could be tried: 127\.0\.0\.1:9: tcp-connect 127\.0\.0\.1:9: the live phase's deadline passed/,
    });
  });

  await t.test('without a config file containerd runs its defaults: no config dump', async (t) => {
    const root = writeNode(t.testdir(), { '/usr/lib/systemd/system/containerd.service': UNIT });
    const snapshot = await collectLive(collectSnapshot({ root }), { containerdAddress: join(root, 'none.sock'), probeTimeoutMs: 500 });
    t.notOk(snapshot.commands['containerd-config-dump'], 'containerd config dump was not run');
    const report = evaluate(buildModel(snapshot), await loadChecklist(), { date: '2026-06-01', only: ['runtime/config-applied'] });
    t.match(
      report.results.find((r) => r.id === 'runtime/config-applied'),
      { status: 'not-applicable', message: /No running containerd was found \(its socket: no such file or directory/ },
    );
  });
});
