import t from 'tap';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal, writeAll } from '../../src/cli/fd-write.js';

t.test('writes everything to a file', async (t) => {
  const file = join(t.testdir(), 'out');
  const fd = openSync(file, 'w');
  writeAll(fd, 'héllo\n'.repeat(1000));
  closeSync(fd);
  t.equal(readFileSync(file, 'utf8'), 'héllo\n'.repeat(1000));
});

t.test('waits on a full non-blocking pipe until a reader drains it', async (t) => {
  const dir = t.testdir();
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // O_RDWR opens a FIFO without waiting for a reader; 1 MiB is far more than the pipe buffer holds.
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const reader = spawn('sh', ['-c', `sleep 0.2; head -c 1048576 "${fifo}" > "${join(dir, 'drained')}"`]);
  const exited = new Promise((resolve) => reader.on('exit', resolve));
  const payload = 'x'.repeat(1024 * 1024);
  writeAll(fd, payload);
  await exited;
  closeSync(fd);
  t.equal(readFileSync(join(dir, 'drained'), 'utf8').length, payload.length, 'every byte arrived');
});

t.test('a reader that went away ends the output without an error', async (t) => {
  const fifo = join(t.testdir(), 'fifo');
  execFileSync('mkfifo', [fifo]);
  const r = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const w = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  closeSync(r);
  t.doesNotThrow(() => writeAll(w, 'lost\n'));
  closeSync(w);
});

t.test('other errors are thrown', async (t) => {
  t.throws(() => writeAll(987654, 'x'), { code: 'EBADF' });
});

t.test('isTerminal tells terminals from other outputs', async (t) => {
  const file = join(t.testdir(), 'out');
  const fd = openSync(file, 'w');
  t.equal(isTerminal(fd), false, 'a regular file is not a terminal');
  closeSync(fd);
  t.equal(isTerminal(fd), false, 'a closed descriptor is not one either');
  const devNull = openSync('/dev/null', 'w');
  t.equal(isTerminal(devNull), false, 'a character device that is not a terminal');
  closeSync(devNull);
  // No pseudo-terminal is available to tests; a script(1)-style pty would be needed for the true case.
});
