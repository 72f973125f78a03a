import t from 'tap';
import { basename, compareBytes, dirname, hasGlobMeta, joinPath, matchSegment, normalizePath } from '../../src/snapshot/paths.js';
import { describeUnreadable, exists, expandGlob, listDir, readText } from '../../src/snapshot/query.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const snap = (paths: Snapshot['paths']): Snapshot => ({
  schemaVersion: 1,
  kind: 'NodeSnapshot',
  tool: { name: 'x', version: '0' },
  root: '/r',
  online: false,
  paths,
  commands: {},
});

t.test('path helpers', async (t) => {
  t.equal(normalizePath('//etc/./containerd/../crictl.yaml'), '/etc/crictl.yaml');
  t.equal(normalizePath('/../..'), '/');
  t.equal(normalizePath('/'), '/');
  t.equal(normalizePath('/etc/x'), '/etc/x');
  t.equal(normalizePath('/etc/'), '/etc');
  t.equal(normalizePath('etc/x'), '/etc/x');
  t.equal(normalizePath('/etc/.hidden'), '/etc/.hidden');
  t.equal(joinPath('/etc/containerd', 'conf.d/a.toml'), '/etc/containerd/conf.d/a.toml');
  t.equal(joinPath('/etc/containerd', '/abs/b.toml'), '/abs/b.toml');
  t.equal(dirname('/etc/x'), '/etc');
  t.equal(dirname('/x'), '/');
  t.equal(basename('/etc/x.conf'), 'x.conf');
  t.equal(basename('/'), '');
  t.ok(compareBytes('10-a', '9-a') < 0, 'byte order, not numeric');
  t.ok(compareBytes('Z', 'a') < 0);
  t.equal(compareBytes('a', 'a'), 0);
  t.ok(hasGlobMeta('*.toml') && hasGlobMeta('a?') && hasGlobMeta('[ab]') && !hasGlobMeta('a.toml'));
});

t.test('glob segment matching', async (t) => {
  t.equal(matchSegment('*.toml', 'a.toml'), true);
  t.equal(matchSegment('*.toml', 'a.toml.bak'), false);
  t.equal(matchSegment('?.conf', 'a.conf'), true);
  t.equal(matchSegment('[0-9]*', '10-x'), true);
  t.equal(matchSegment('[!0-9]*', '10-x'), true, 'Go: ! is not a negation, [!0-9] holds ! and the digits');
  t.equal(matchSegment('[!0-9]*', '10-x', 'fnmatch'), false, 'glibc: [!0-9] is a negation');
  t.equal(matchSegment('[^a]', 'b'), true);
  t.equal(matchSegment('a\\*', 'a*'), true);
  t.equal(matchSegment('a\\*', 'ab'), false);
  t.equal(matchSegment('x.(y)+', 'x.(y)+'), true, 'regexp characters are literal');
  t.equal(matchSegment('[abc', 'a'), null, 'a malformed pattern');
  t.equal(matchSegment('[abc', '[abc', 'fnmatch'), true, 'glibc: an unclosed [ is literal');
  t.equal(matchSegment('[[:alpha', '[[:alpha', 'fnmatch'), true, 'glibc: a class name without its closing colon is no class');
  // glibc's fnmatch_loop.c: a character other than a-z before ":]" makes "[" an ordinary member of the set.
  t.equal(matchSegment('[[:alpha:x]', 'x', 'fnmatch'), true, 'glibc: [:alpha:x is the characters [ : a l p h x');
  t.equal(matchSegment('[[:alpha:x]', 'b', 'fnmatch'), false, 'glibc: ... and no class');
  t.equal(matchSegment('[[:nope:]]', 'n', 'fnmatch'), false, 'glibc: an unknown class name');
});

t.test('reading records', async (t) => {
  const s = snap({
    '/f': { type: 'file', content: 'hi', size: 2 },
    '/m': { type: 'missing' },
    '/d': { type: 'directory', entries: [{ name: 'a', type: 'file' }] },
    '/p': { type: 'fifo' },
    '/e': { type: 'error', error: { code: 'EACCES', message: 'cannot open the file' } },
    '/big': { type: 'file', size: 9, error: { code: 'TOO_LARGE', message: 'larger than the limit' } },
    '/statonly': { type: 'file', size: 3 },
    '/bare-error': { type: 'error' },
  });
  t.match(readText(s, '/f'), { status: 'ok', text: 'hi' });
  t.match(readText(s, '/m'), { status: 'missing' });
  t.match(readText(s, '/nope'), { status: 'not-collected' });
  t.match(readText(s, '/d'), { status: 'unreadable', reason: 'is a directory, not a file' });
  t.match(readText(s, '/p'), { status: 'unreadable', reason: 'is a fifo, not a regular file' });
  t.match(readText(s, '/e'), { status: 'unreadable', reason: 'EACCES: cannot open the file' });
  t.match(readText(s, '/big'), { status: 'unreadable', reason: 'TOO_LARGE: larger than the limit' });
  t.match(readText(s, '/statonly'), { status: 'unreadable', reason: 'its content was not collected' });
  t.equal(describeUnreadable({ type: 'error' }), 'unreadable');
  t.same(listDir(s, '/d'), [{ name: 'a', type: 'file' }]);
  t.equal(listDir(s, '/f'), undefined);
  t.equal(exists(s, '/m'), false);
  t.equal(exists(s, '/f'), true);
  t.equal(exists(s, '/nope'), undefined);
});

t.test('glob expansion like filepath.Glob', async (t) => {
  const s = snap({
    '/': { type: 'directory', entries: [{ name: 'etc', type: 'directory' }] },
    '/etc/conf.d': {
      type: 'directory',
      entries: [
        { name: '9-b.toml', type: 'file' },
        { name: '10-a.toml', type: 'file' },
        { name: '.hidden.toml', type: 'file' },
        { name: 'x.txt', type: 'file' },
      ],
    },
    '/etc/conf.d/9-b.toml': { type: 'file', content: '' },
    '/etc/conf.d/10-a.toml': { type: 'file', content: '' },
    '/etc/conf.d/.hidden.toml': { type: 'file', content: '' },
    '/etc/plugins': {
      type: 'directory',
      entries: [
        { name: 'one', type: 'directory' },
        { name: 'two', type: 'symlink', link: 'one' },
        { name: 'file', type: 'file' },
      ],
    },
    '/etc/plugins/one/p.toml': { type: 'file', content: '' },
    '/etc/plugins/two/p.toml': { type: 'missing' },
  });
  t.same(expandGlob(s, '/etc/conf.d/*.toml'), {
    matches: ['/etc/conf.d/.hidden.toml', '/etc/conf.d/10-a.toml', '/etc/conf.d/9-b.toml'],
    needList: [],
    needStat: [],
  });
  t.same(expandGlob(s, '/etc/missing.d/*.toml'), { matches: [], needList: ['/etc/missing.d'], needStat: [] });
  t.same(expandGlob(s, '/etc/conf.d/9-b.toml'), { matches: ['/etc/conf.d/9-b.toml'], needList: [], needStat: [] }, 'no metacharacters: itself if it exists');
  t.same(expandGlob(s, '/etc/conf.d/none.toml'), { matches: [], needList: [], needStat: ['/etc/conf.d/none.toml'] });
  t.same(expandGlob(s, '/etc/plugins/*/p.toml'), { matches: ['/etc/plugins/one/p.toml'], needList: [], needStat: [] }, 'metacharacters in a middle segment');
  t.ok(expandGlob(s, '/etc/conf.d/[a.toml').badPattern);
  t.same(expandGlob(snap({ '/x': { type: 'missing' } }), '/x/*').needList, [], 'a missing directory needs no listing');
  t.same(expandGlob(snap({ '/x': { type: 'directory' } }), '/x/*').needList, ['/x'], "a directory only stat'ed so far still needs its listing");
  t.same(
    expandGlob(snap({ '/x': { type: 'directory', error: { code: 'EACCES', message: 'cannot list the directory' } } }), '/x/*').needList,
    [],
    'one that could not be listed does not',
  );
});

t.test('byte order across the BMP and astral planes', async (t) => {
  // U+FF5E sorts before U+1F600 in UTF-8 bytes, but after its surrogates in UTF-16 units.
  t.ok(compareBytes('\uFF5E', '\u{1F600}') < 0);
  t.ok(compareBytes('\u{1F600}', '\uFF5E') > 0);
  t.ok(compareBytes('a', 'b') < 0 && compareBytes('b', 'a') > 0);
});
