import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { INPUT_CAPS } from '../../src/cli/files.js';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';

// Every file the CLI opens for itself (a checklist, a snapshot, diff and fleet operands, a key) must be
// a regular file under a size cap: a FIFO must not hang the run, /dev/zero must not grow the process,
// a huge file is refused before it is read. Each is one line on stderr and exit 2, quickly.

t.test('every input the CLI reads, every kind of hostile file', async (t) => {
  const dir = t.testdir();
  const root = writeNode(join(dir, 'root'), { '/etc/hostname': 'node-1\n' });
  const good = join(dir, 'good.json');
  writeFileSync(good, (await runCli(['snapshot', '--root', root])).stdout);
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync(join(dir, 'fifo'), join(dir, 'link-to-fifo'));
  mkdirSync(join(dir, 'dir'));
  // A unix socket's path must be short (108 bytes).
  const sock = join(mkdtempSync(join(tmpdir(), 'pf-')), 'sock');
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(sock, resolve));
  t.teardown(() => server.close());
  const big = (name: string, bytes: number): string => {
    execFileSync('truncate', ['-s', String(bytes), join(dir, name)]);
    return join(dir, name);
  };
  const kinds: Record<string, (cap: number) => [string, RegExp]> = {
    fifo: () => [join(dir, 'fifo'), /: a FIFO, not a regular file$/],
    'a link to a FIFO': () => [join(dir, 'link-to-fifo'), /: a FIFO, not a regular file$/],
    '/dev/zero': () => ['/dev/zero', /: a character device, not a regular file$/],
    'a socket': () => [sock, /: cannot be opened \(ENXIO\)$/],
    // A block device (the loop device every Linux has): one opened to be read is refused unread.
    'a block device': () => ['/dev/loop0', /: a block device, not a regular file$/],
    'a directory': () => [join(dir, 'dir'), /: a directory, not a regular file$/],
    missing: () => [join(dir, 'nope'), /: no such file$/],
    'over the cap': (cap) => [big(`big-${cap}`, cap + 1), new RegExp(`: ${cap + 1} bytes, more than the ${cap}-byte limit$`)],
  };
  const inputs: [string, (x: string) => string[], number][] = [
    ['--checklist', (x) => ['--root', root, '--checklist', x], INPUT_CAPS.checklist],
    ['--snapshot', (x) => ['check', '--snapshot', x], INPUT_CAPS.snapshot],
    ['diff', (x) => ['diff', x, good], INPUT_CAPS.snapshot],
    ['fleet', (x) => ['fleet', good, x], INPUT_CAPS.snapshot],
    ['inputs --snapshot', (x) => ['inputs', '--snapshot', x], INPUT_CAPS.snapshot],
    ['--redaction-key-file', (x) => ['--root', root, '--redaction-key-file', x], INPUT_CAPS.key],
    ['snapshot --redaction-key-file', (x) => ['snapshot', '--root', root, '--redaction-key-file', x], INPUT_CAPS.key],
  ];
  for (const [option, args, cap] of inputs) {
    for (const [kind, make] of Object.entries(kinds)) {
      // diff and fleet take a directory as a node root, and a missing operand is a usage error of their own.
      if ((option === 'diff' || option === 'fleet') && (kind === 'a directory' || kind === 'missing')) continue;
      const [file, why] = make(cap);
      const start = Date.now();
      const r = await runCli(args(file));
      const ms = Date.now() - start;
      t.equal(r.code, 2, `${option} ${kind}: exit 2`);
      t.match(r.stderr, /^preflight: [^\n]+\n$/, `${option} ${kind}: one line`);
      t.match(r.stderr.trimEnd(), why, `${option} ${kind}: says what is wrong`);
      t.equal(r.stdout, '', `${option} ${kind}: nothing on stdout`);
      t.ok(ms < 20_000, `${option} ${kind}: ${ms} ms`);
    }
  }
});
