import t from 'tap';
import { spawn } from 'node:child_process';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, readSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { writeNode } from '../helpers/node-root.js';

// Confinement without races: while another process swaps directories of the root for symlinks to the
// host's directories (and back) as fast as it can, the collector runs again and again and never reads
// a host file. A naive reader (check the directory, then open the file by its host path with
// O_NOFOLLOW on the last component only, as the collector once did) is raced the same way, to show
// the race is real.

const SWAPS = ['etc/containerd', 'etc/systemd/system', 'etc'];

function swapper(root: string, outside: string): ReturnType<typeof spawn> {
  // Each directory has a twin symlink to the host's copy; rename(2) exchanges them atomically.
  for (const d of SWAPS) symlinkSync(join(outside, d), join(root, `${d}.lnk`));
  const script = `
    const { renameSync, writeFileSync } = require('fs');
    const swaps = ${JSON.stringify(SWAPS.map((d) => join(root, d)))};
    let n = 0;
    let told = 0;
    for (;;) {
      for (const d of swaps) {
        try {
          renameSync(d, d + '.real'); renameSync(d + '.lnk', d);
          renameSync(d, d + '.lnk'); renameSync(d + '.real', d);
          n++;
        } catch { /* a parent is swapped out right now */ }
      }
      // Written aside and renamed, so a reader never sees it half written (or emptied by the kill).
      if (n - told >= 150) { writeFileSync(${JSON.stringify(join(root, '..', 'swaps.tmp'))}, String((told = n))); renameSync(${JSON.stringify(join(root, '..', 'swaps.tmp'))}, ${JSON.stringify(join(root, '..', 'swaps'))}); }
    }`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

/** The collector's former way: check the directory with lstat, then open the file by its host path. */
function naiveRead(root: string): string | null {
  try {
    if (!lstatSync(join(root, 'etc/containerd')).isDirectory()) return null;
    const fd = openSync(join(root, 'etc/containerd/config.toml'), constants.O_RDONLY | constants.O_NOFOLLOW);
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf);
    closeSync(fd);
    return buf.subarray(0, n).toString();
  } catch {
    return null;
  }
}

t.test('a swapper racing the collector never gets a host file read', async (t) => {
  const dir = t.testdir();
  const root = join(dir, 'root');
  const outside = join(dir, 'host');
  writeNode(outside, {
    '/etc/hostname': 'HOST-hostname\n',
    '/etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "HOST-config/pause:1"\n',
    '/etc/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\nEnvironment=HOST_UNIT=1\n',
  });
  writeNode(root, {
    '/etc/hostname': 'node-1\n',
    '/etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "inside/pause:1"\n',
    '/etc/systemd/system/containerd.service': '[Service]\nExecStart=/usr/bin/containerd\n',
  });
  mkdirSync(join(root, 'etc/containerd/conf.d'));
  const child = swapper(root, outside);
  t.teardown(() => child.kill('SIGKILL'));
  // Race only once the swapper is swapping: on a loaded machine a new process may take seconds to get going.
  const swapped = (): number => {
    try {
      return Number(readFileSync(join(dir, 'swaps'), 'utf8'));
    } catch {
      return 0;
    }
  };
  for (const start = Date.now(); swapped() < 150 && Date.now() - start < 60_000;) await new Promise((r) => setTimeout(r, 50));
  const ready = swapped();

  let sawSwap = 0;
  let runs = 0;
  const until = Date.now() + 15_000;
  while (Date.now() < until && runs < 400) {
    const json = JSON.stringify(collectSnapshot({ root }));
    runs++;
    if (json.includes('HOST')) {
      t.fail(`run ${runs}: a host file was read`);
      break;
    }
    if (!json.includes('inside/pause:1') || !json.includes('node-1')) sawSwap++;
  }
  let naiveLeaks = 0;
  for (let i = 0; i < 20_000; i++) if (naiveRead(root)?.includes('HOST')) naiveLeaks++;
  child.kill('SIGKILL');
  const swaps = Math.max(ready, swapped());
  t.ok(runs >= 20, `${runs} collections raced the swapper`);
  t.ok(swaps > 100, `the swapper swapped ${swaps}+ times`);
  t.ok(sawSwap > 0, `${sawSwap} collections saw a directory swapped out (and read nothing in its place)`);
  t.pass(`no collection read a host file; the naive reader read one ${naiveLeaks} times in 20,000 tries`);
  t.comment(`race: ${runs} collections, ${sawSwap} saw a swap, naive reader leaked ${naiveLeaks}/20000`);
});
