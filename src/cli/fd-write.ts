import { fstatSync, writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write all of `text` to a file descriptor, synchronously. The CLI writes its
 * report this way rather than through process.stdout, whose stream set-up costs
 * a few milliseconds of every run. A non-blocking descriptor that is full
 * (EAGAIN) is waited for; a reader that went away (EPIPE, as in
 * `preflight | head -1`) ends the output quietly.
 */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/**
 * Whether a file descriptor is a terminal. A terminal is always a character
 * device, and most outputs (pipes, files, sockets) are not, so those are told
 * apart with one fstat; only a character device asks node:tty, whose loading
 * (it pulls in net and stream) costs a couple of milliseconds of every run.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}
