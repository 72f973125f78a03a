import t from 'tap';
import { symlinkSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { collectPath, resolveInRoot, RootReader } from '../../src/collect/fs.js';
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

t.test('a file reached through two names is read once and keeps its flags', async (t) => {
  const root = t.testdir();
  writeFileSync(join(root, 'bin'), Buffer.from([0x61, 0xff, 0x62]));
  const gz = gzipSync('CONFIG_X=y\n');
  writeFileSync(join(root, 'config.gz'), gz);
  symlinkSync('bin', join(root, 'bin-link'));
  symlinkSync('config.gz', join(root, 'link.gz'));
  const reader = new RootReader(root);
  try {
    const first = reader.collect('/bin', kinds('read'));
    const second = reader.collect('/bin-link', kinds('read'));
    t.match(second, { content: 'a\uFFFDb', invalidUtf8: true, link: 'bin' });
    t.equal(second.content, first.content);
    t.match(reader.collect('/config.gz', kinds('read')), { content: 'CONFIG_X=y\n', gunzipped: true });
    t.match(reader.collect('/link.gz', kinds('read')), { content: 'CONFIG_X=y\n', gunzipped: true });
    t.equal(reader.totalBytes, 2 * (3 + gz.length), 'each name counts against the budget, in bytes read');
  } finally {
    reader.close();
  }
});

t.test("with the host's own root, host paths are the node's paths", async (t) => {
  t.match(resolveInRoot('/', '/etc'), { hostPath: '/etc', dir: '/', name: 'etc' });
  t.match(resolveInRoot('/', '/etc/..'), { hostPath: '/' });
  const root = writeNode(t.testdir(), { '/etc/file': 'x' });
  t.match(resolveInRoot(root, '/etc/..'), { hostPath: root });
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
  t.match(
    collectPath('/', `/tmp/${'d'.repeat(300)}/file`, kinds('read')),
    { type: 'error', error: { code: 'ENAMETOOLONG', message: /cannot look up \/tmp\/d+$/ } },
    'in a directory name',
  );
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

t.test('the root itself', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/fifo': { fifo: true } });
  t.match(collectPath(root, '/', kinds('stat', 'list')), { type: 'directory', entries: [{ name: 'etc', type: 'directory' }] });
});

// What a racing attacker does between a lookup and an open cannot be timed in a test, so these
// replace openSync with one that acts as if the swap had just happened (node:fs is otherwise real).
t.test('a swap between lookup and open: looked up again, then given up; never followed', async (t) => {
  const real = await import('node:fs');
  const root = writeNode(t.testdir(), { '/etc/file': 'text\n', '/etc/sub/x': 'x\n', '/etc/fifo': { fifo: true } });
  const loop = (): never => {
    throw Object.assign(new Error('ELOOP'), { code: 'ELOOP' });
  };
  const withOpen = async (openSync: (path: string, flags: number, mode?: number) => number) =>
    (await t.mockImport<typeof import('../../src/collect/fs.js')>('../../src/collect/fs.js', { 'node:fs': { ...real, openSync } })).collectPath;
  // A FIFO swapped in for the file: fstat on the opened descriptor sees it, and nothing is read.
  const fifo = await withOpen((path, flags, mode) => real.openSync(path.endsWith('/file') ? join(root, 'etc/fifo') : path, flags, mode));
  t.match(fifo(root, '/etc/file', kinds('read')), { type: 'fifo' });
  t.equal(fifo(root, '/etc/file', kinds('read')).content, undefined);
  // A symlink swapped in for the file, every time: the lookup is repeated, then the path is given up.
  const always = await withOpen((path, flags, mode) => (path.endsWith('/file') ? loop() : real.openSync(path, flags, mode)));
  t.match(always(root, '/etc/file', kinds('read')), { type: 'error', error: { code: 'ECHANGED' } });
  // The same for a directory on the way, and for a directory being listed.
  const dirs = await withOpen((path, flags, mode) =>
    (flags & real.constants.O_DIRECTORY) !== 0 && /\/(sub|etc)$/.test(path) ? loop() : real.openSync(path, flags, mode),
  );
  t.match(dirs(root, '/etc/sub/x', kinds('read')), { type: 'error', error: { code: 'ECHANGED' } });
  t.match(dirs(root, '/etc/sub', kinds('list')), { type: 'error', error: { code: 'ECHANGED' } });
  // Once only: the second look finds the real file.
  let once = true;
  const flaky = await withOpen((path, flags, mode) => (path.endsWith('/file') && once ? ((once = false), loop()) : real.openSync(path, flags, mode)));
  t.match(flaky(root, '/etc/file', kinds('read')), { type: 'file', content: 'text\n' });
  // Any other failure to open a directory on the way is a lookup error of the path.
  const denied = await withOpen((path, flags, mode) =>
    (flags & real.constants.O_DIRECTORY) !== 0 && path.endsWith('/sub')
      ? (() => {
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        })()
      : real.openSync(path, flags, mode),
  );
  t.match(denied(root, '/etc/sub/x', kinds('read')), { type: 'error', error: { code: 'EACCES', message: 'cannot look up /etc/sub' } });
  const resolve = (
    await t.mockImport<typeof import('../../src/collect/fs.js')>('../../src/collect/fs.js', {
      'node:fs': {
        ...real,
        openSync: (path: string, flags: number, mode?: number) =>
          (flags & real.constants.O_DIRECTORY) !== 0 && path.endsWith('/etc') ? loop() : real.openSync(path, flags, mode),
      },
    })
  ).resolveInRoot;
  t.match(resolve(root, '/etc/file'), { error: { code: 'ECHANGED' } }, 'resolve gives up the same way');
  // After `..` the result is looked at again; gone, or a symlink by then, is a swap too.
  for (const [what, swapped] of [
    ['gone', undefined],
    ['a symlink', { isSymbolicLink: () => true }],
  ] as const) {
    let calls = 0;
    const afterDotDot = (
      await t.mockImport<typeof import('../../src/collect/fs.js')>('../../src/collect/fs.js', {
        'node:fs': {
          ...real,
          // Each attempt looks at etc three times: walking to etc/sub for the parent, again for the path, and after `..`.
          lstatSync: (path: string, options?: object) => (path.endsWith('/etc') && ++calls % 3 === 0 ? swapped : real.lstatSync(path, options)),
        },
      })
    ).resolveInRoot;
    t.match(afterDotDot(root, '/etc/sub/..'), { error: { code: 'ECHANGED' } }, `the result of .. ${what} after the walk`);
  }
  t.match(resolveInRoot(root, '/etc/sub/..'), { hostPath: join(root, 'etc'), name: 'etc' }, 'unswapped, /etc/sub/.. is /etc');
});

t.test('a lookup swapped under the reader is tried three times, then given up', async (t) => {
  const { retried, Swapped } = await import('../../src/collect/fs.js');
  let calls = 0;
  let resets = 0;
  t.equal(
    retried(
      () => (
        ++calls,
        (() => {
          throw new Swapped();
        })()
      ),
      () => resets++,
      'changed',
    ),
    'changed',
  );
  t.same([calls, resets], [3, 3]);
  let flaky = 0;
  t.equal(
    retried(
      () =>
        flaky++ === 0
          ? (() => {
              throw new Swapped();
            })()
          : 'found',
      () => undefined,
      'changed',
    ),
    'found',
    'a second look that works',
  );
  t.throws(
    () =>
      retried(
        () => {
          throw new Error('a bug');
        },
        () => undefined,
        'changed',
      ),
    /a bug/,
    'anything else is not a swap',
  );
});

t.test('probes of a snapshot this process did not collect get markers numbered after its own', async (t) => {
  const { redactorOf } = await import('../../src/collect/snapshot.js');
  const foreign = {
    schemaVersion: 1,
    kind: 'NodeSnapshot',
    tool: { name: 'x', version: '0' },
    root: '/',
    online: true,
    paths: { '/a': { type: 'file', content: 'x redacted-3 y' }, '/b': { type: 'missing' } },
    commands: { p: { argv: ['p'], exitCode: 0, stdout: 'redacted-7', stderr: '' } },
  } as const;
  const r = redactorOf(foreign as never);
  t.equal(r.marker('new'), 'redacted-8');
  t.equal(redactorOf(foreign as never), r, 'one redactor per snapshot');
});

t.test('pending requests: kinds per path, unions, stats answered by reads', async (t) => {
  const { pendingRequests } = await import('../../src/collect/snapshot.js');
  const done = new Map<string, Set<'read' | 'list' | 'stat'>>([
    ['/a', new Set(['stat'])],
    ['/b', new Set(['read'])],
  ]);
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
  t.match(
    reader.collect('/lib/systemd/system/alias.service', kinds('read')),
    { content: 'real\n', link: '../../../x.service' },
    'not /x.service, as the apparent parent /lib/systemd/system would give',
  );
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
