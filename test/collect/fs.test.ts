import t from 'tap';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPath, resolveInRoot } from '../../src/collect/fs.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { PreflightError } from '../../src/errors.js';
import { writeNode } from '../helpers/node-root.js';

const kinds = (...k: ('read' | 'list' | 'stat')[]): Set<'read' | 'list' | 'stat'> => new Set(k);

t.test('paths resolve inside the root, never on the host', async (t) => {
  const root = writeNode(t.testdir(), {
    '/etc/shadow': 'root-copy\n',
    '/etc/abs-link': { link: '/etc/shadow' },
    '/etc/rel-escape': { link: '../../../../../../etc/shadow' },
    '/etc/dotdot': { link: '/../../etc/shadow' },
    '/etc/loop-a': { link: 'loop-b' },
    '/etc/loop-b': { link: 'loop-a' },
    '/etc/dangling': { link: '/nowhere' },
    '/lib': { link: 'usr/lib' },
    '/usr/lib/systemd/system/x.service': '[Service]\n',
    '/etc/file': 'plain',
  });
  for (const p of ['/etc/abs-link', '/etc/rel-escape', '/etc/dotdot']) {
    const r = collectPath(root, p, kinds('read'));
    t.equal(r.content, 'root-copy\n', `${p} reads the root's copy`);
  }
  t.match(collectPath(root, '/etc/abs-link', kinds('read')), { link: '/etc/shadow' }, 'the raw link target is recorded');
  t.match(collectPath(root, '/etc/loop-a', kinds('read')), { type: 'error', error: { code: 'ELOOP' }, link: 'loop-b' });
  t.match(collectPath(root, '/etc/dangling', kinds('read')), { type: 'missing', link: '/nowhere' });
  t.match(collectPath(root, '/lib/systemd/system/x.service', kinds('read')), { type: 'file', content: '[Service]\n' }, 'a symlinked directory on the way');
  t.match(collectPath(root, '/etc/file/below', kinds('read')), { type: 'missing' }, 'a file in the middle of a path');
  t.same(resolveInRoot(root, '/etc/loop-a', 3), { error: { code: 'ELOOP', message: 'too many levels of symbolic links' } });
  t.match(resolveInRoot(root, '/../../etc/file'), { hostPath: join(root, 'etc/file') });
});

t.test('what is not a regular file is recorded, never read', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/fifo': { fifo: true }, '/etc/dir/a': 'x', '/etc/big': 'x'.repeat(2000) });
  const start = Date.now();
  t.match(collectPath(root, '/etc/fifo', kinds('read')), { type: 'fifo' });
  t.ok(Date.now() - start < 1000, 'a FIFO does not block');
  t.match(collectPath(root, '/etc/dir', kinds('read')), { type: 'directory' });
  t.match(collectPath(root, '/etc/dir', kinds('read', 'list')), { type: 'directory', entries: [{ name: 'a', type: 'file' }] });
  t.match(collectPath(root, '/etc/big', kinds('read'), { maxFileBytes: 1000, maxDirEntries: 10, maxSymlinkHops: 40 }), {
    type: 'file',
    error: { code: 'TOO_LARGE' },
  });
  t.equal(collectPath(root, '/etc/big', kinds('read'), { maxFileBytes: 1000, maxDirEntries: 10, maxSymlinkHops: 40 }).content, undefined);
  t.match(collectPath(root, '/etc/fifo', kinds('stat')), { type: 'fifo', mode: Number });
  t.match(collectPath(root, '/etc/nothing', kinds('stat')), { type: 'missing' });
});

t.test('invalid UTF-8 is kept lossy and flagged', async (t) => {
  const root = t.testdir();
  writeFileSync(join(root, 'bin'), Buffer.from([0x61, 0xff, 0x62]));
  const r = collectPath(root, '/bin', kinds('read'));
  t.equal(r.invalidUtf8, true);
  t.equal(r.content, 'a\uFFFDb');
});

t.test('directory listings: sorted by bytes, capped, symlink targets kept', async (t) => {
  const root = writeNode(t.testdir(), { '/d/b': '', '/d/B': '', '/d/a': '', '/d/l': { link: '/dev/null' }, '/d/sub/x': '', '/d/p': { fifo: true } });
  const r = collectPath(root, '/d', kinds('list'));
  t.same(r.entries, [
    { name: 'B', type: 'file' },
    { name: 'a', type: 'file' },
    { name: 'b', type: 'file' },
    { name: 'l', type: 'symlink', link: '/dev/null' },
    { name: 'p', type: 'other' },
    { name: 'sub', type: 'directory' },
  ]);
  t.equal(collectPath(root, '/d', kinds('list'), { maxFileBytes: 10, maxDirEntries: 2, maxSymlinkHops: 40 }).entries?.length, 2);
});

t.test('kernel-level errors are records, not exceptions (real /proc, even as root)', async (t) => {
  // A write-only sysctl refuses reads even to root; /proc/self/mem fails at read(); a long name fails lstat.
  t.match(collectPath('/', '/proc/sys/vm/drop_caches', kinds('read')), { type: 'error', error: { code: 'EACCES', message: 'cannot open the file' } });
  t.match(collectPath('/', '/proc/self/mem', kinds('read')), { type: 'error', error: { code: 'EIO', message: 'cannot read the file' } });
  t.match(collectPath('/', `/tmp/${'n'.repeat(300)}`, kinds('read')), { type: 'error', error: { code: 'ENAMETOOLONG' } });
  t.match(collectPath('/', `/tmp/${'d'.repeat(300)}/file`, kinds('read')), { type: 'error', error: { code: 'ENAMETOOLONG', message: /cannot look up \/tmp\/d+$/ } }, 'in a directory name');
  t.match(collectPath('/', '/proc/self/fdinfo', kinds('stat')), { type: 'directory' });
});

t.test('a directory that cannot be listed is recorded with the error', async (t) => {
  // /proc/1/map_files stats as a directory, but readdir needs ptrace rights over PID 1 and fails even for root here.
  t.match(collectPath('/', '/proc/1/map_files', kinds('list')), { type: 'directory', error: { code: 'EACCES', message: 'cannot list the directory' } });
});

t.test('collectSnapshot', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/crictl.yaml': 'timeout: 2\n', '/etc/sysctl.d/99-k.conf': 'net.ipv4.ip_forward=1\n' });
  const s = collectSnapshot({ root });
  t.equal(s.root, root);
  t.equal(s.paths['/etc/crictl.yaml']?.content, 'timeout: 2\n');
  t.equal(s.paths['/etc/sysctl.d/99-k.conf']?.content, 'net.ipv4.ip_forward=1\n', 'follow-up reads found by listing');
  t.same(Object.keys(s.paths), [...Object.keys(s.paths)].sort(), 'paths are sorted');
  t.ok(Object.keys(collectSnapshot({ root, maxPaths: 3 }).paths).length <= 3, 'a path budget bounds the work');
  t.throws(() => collectSnapshot({ root: join(root, 'nope') }), new PreflightError('root-unreadable', `--root ${join(root, 'nope')}: no such directory`));
  t.throws(() => collectSnapshot({ root: join(root, 'etc/crictl.yaml') }), { code: 'root-unreadable', message: /not a directory/ });
});

t.test('the root itself, and a FIFO swapped in after the lookup', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/fifo': { fifo: true } });
  t.match(collectPath(root, '/', kinds('stat', 'list')), { type: 'directory', entries: [{ name: 'etc', type: 'directory' }] });
  const { readRegularFile, DEFAULT_LIMITS } = await import('../../src/collect/fs.js');
  const record: { type: string; content?: string } = { type: 'file' };
  readRegularFile(join(root, 'etc/fifo'), DEFAULT_LIMITS, record as never);
  t.same(record.type, 'fifo', 'fstat after open sees the FIFO, and nothing is read');
  t.equal(record.content, undefined);
});

t.test('pending requests: kinds per path, unions, stats answered by reads', async (t) => {
  const { pendingRequests } = await import('../../src/collect/snapshot.js');
  const done = new Map<string, Set<'read' | 'list' | 'stat'>>([['/a', new Set(['stat'])], ['/b', new Set(['read'])]]);
  const todo = pendingRequests({ read: ['/a', '/c', '/c'], list: ['/d', '/b'], stat: ['/b', '/c', '/e', '/d'] }, done);
  t.same(
    [...todo].map(([p, k]) => [p, [...k].sort()]),
    [
      ['/a', ['read', 'stat']],
      ['/c', ['read']],
      ['/d', ['list']],
      ['/b', ['list', 'read']],
      ['/e', ['stat']],
    ],
  );
});

t.test('a relative link is relative to the directory it really is in', async (t) => {
  const root = writeNode(t.testdir(), {
    '/lib': { link: 'usr/lib' },
    '/usr/lib/systemd/system/alias.service': { link: '../../../x.service' },
    '/usr/x.service': 'real\n',
    '/x.service': 'wrong\n',
  });
  const reader = new (await import('../../src/collect/fs.js')).RootReader(root);
  t.match(reader.collect('/lib/systemd/system/alias.service', kinds('read')), { content: 'real\n', link: '../../../x.service' }, 'not /x.service, as the apparent parent /lib/systemd/system would give');
  t.match(reader.collect('/lib/systemd/../systemd/system/alias.service', kinds('read')), { content: 'real\n' }, 'a parent with .. is resolved first');
  t.match(reader.collect('/usr/lib/..', kinds('stat')), { type: 'directory' });
  t.match(reader.collect('/x.service/..', kinds('stat')), { type: 'missing' }, '.. below a file does not exist');
});

t.test('the real root: host paths without a doubled slash, links resolved against real parents', async (t) => {
  const { RootReader } = await import('../../src/collect/fs.js');
  const reader = new RootReader('/');
  t.match(reader.resolve('/etc/hostname'), { hostPath: '/etc/hostname' });
  t.match(reader.resolve('/'), { hostPath: '/' });
  t.match(reader.resolve('/proc/self/exe'), { hostPath: /^\/.*node/, link: /node/ }, 'an absolute link from a real directory');
  t.match(reader.resolve('/proc/self/cwd'), { hostPath: process.cwd() });
  t.match(reader.collect('/proc/self/root', new Set(['stat'] as const)), { type: 'directory', link: '/' });
});

t.test('links at the top, chains of absolute links, files mid-path', async (t) => {
  const root = writeNode(t.testdir(), {
    '/toplink': { link: 'etc/real' },
    '/etc/real': 'top\n',
    '/etc/chain': { link: '/opt/hop' },
    '/opt/hop': { link: '/etc/real' },
    '/etc/file': 'x',
  });
  t.match(collectPath(root, '/toplink', kinds('read')), { content: 'top\n', link: 'etc/real' }, 'a relative link in the root directory');
  t.match(collectPath(root, '/etc/chain', kinds('read')), { content: 'top\n', link: '/opt/hop' }, 'an absolute link to an absolute link');
  t.match(collectPath(root, '/etc/file/a/b', kinds('read')), { type: 'missing' }, 'a file two levels up');
});
