import t from 'tap';
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { runBundle } from '../helpers/bundle.js';
import { writeNode } from '../helpers/node-root.js';
import { hashTree } from '../helpers/tree.js';

t.test('every path stays inside the root, as under chroot', async (t) => {
  // The host's /etc/hostname exists and differs; nothing from it may show up.
  const hostHostname = readFileSync('/etc/hostname', 'utf8').trim();
  const root = writeNode(t.testdir(), {
    '/etc/hostname': 'inside-root\n',
    '/etc/shadow': 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "root-copy/pause:3.10"\n',
    // Relative escape, absolute link, `..` above the root, a symlinked directory on the way.
    '/etc/containerd/config.toml': { link: '../../../../../../../../etc/shadow' },
    '/etc/containerd/conf.d': { link: '/../../../opt/conf' },
    '/opt/conf/extra.toml': 'version = 2\n',
    '/etc/crictl.yaml': { link: '/etc/hostname/../../../../etc/hostname' },
    '/etc/systemd/system/containerd.service': { link: '/usr/lib/systemd/system/containerd.service' },
    '/usr/lib/systemd': { link: '../../lib/systemd' },
    '/lib/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\n',
    '/etc/default/kubelet': { link: '/proc/self/environ' },
  });
  const snapshot = collectSnapshot({ root });
  const model = buildModel(snapshot);
  t.equal(model.host.hostname?.value, 'inside-root');
  t.match(
    snapshot.paths['/etc/containerd/config.toml'],
    { type: 'file', link: '../../../../../../../../etc/shadow', content: /root-copy\/pause/ },
    "a relative escape reads the root's copy",
  );
  t.equal(model.containerd.files[0]?.state, 'ok');
  t.match(snapshot.paths['/etc/crictl.yaml'], { type: 'missing' }, 'a path through a file does not exist, even with `..` after it');
  t.match(model.systemd.units['containerd.service'], { loadState: 'loaded' }, 'absolute links and a symlinked directory on the way resolve inside the root');
  t.match(snapshot.paths['/etc/default/kubelet'], { type: 'missing' }, "/proc/self is the root's, and the root has none");
  t.notMatch(JSON.stringify(snapshot), hostHostname === 'inside-root' ? /$^/ : hostHostname, "the host's files never show up");
});

t.test('never write: every format, --output elsewhere, the root byte-identical with the same times', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'root'), {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry.configs."r".auth]\n  password = "pw"\n',
    '/etc/systemd/system/containerd.service.d/http-proxy.conf': '[Service]\nEnvironment="HTTPS_PROXY=http://u:p@10.0.0.1:3128"\n',
    '/etc/crictl.yaml': { link: '/etc/crictl.d/../crictl.real' },
    '/etc/crictl.real': 'runtime-endpoint: unix:///run/containerd/containerd.sock\n',
    '/etc/loop': { link: '/etc/loop' },
    '/var/lib/kubelet/config.yaml': { dir: true },
    '/run/fifo': { fifo: true },
  });
  execFileSync('chmod', ['000', join(root, 'etc/crictl.real')]);
  const times = (): string => {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d).sort()) {
        const st = lstatSync(join(d, name));
        out.push(`${join(d, name)} ${st.mtimeMs} ${st.ctimeMs}`);
        if (st.isDirectory()) walk(join(d, name));
      }
    };
    walk(root);
    return out.join('\n');
  };
  const before = hashTree(root);
  const beforeTimes = times();
  const rootMtime = statSync(root).mtimeMs;
  for (const format of ['text', 'json', 'junit', 'sarif']) {
    const out = join(dir, `report.${format}`);
    const r = runBundle(['--root', root, '--format', format, '--output', out, '--verbose']);
    t.equal(r.code, 1, `${format}: blocking findings`);
    t.ok(readFileSync(out, 'utf8').length > 0, `${format}: the report went to --output`);
    t.equal(runBundle(['--root', root, '--format', format]).code, 1, `${format} on stdout`);
  }
  t.equal(hashTree(root), before, 'names, modes, links and bytes are unchanged');
  t.equal(times(), beforeTimes, 'no file was modified or had its metadata changed');
  t.equal(statSync(root).mtimeMs, rootMtime, 'nothing was created in the root');
});
