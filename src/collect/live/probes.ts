import { connect } from 'node:net';
import { lookup } from 'node:dns/promises';
import { load as loadExeca } from '../../lazy/execa.js';
import type { CommandResult } from '../../snapshot/types.js';

/** How one probe runs: its own timeout, the live phase's deadline, and the environment of commands. */
export interface ProbeContext {
  /** Per-probe timeout in milliseconds. */
  timeoutMs: number;
  /** Aborted when the live phase's deadline passes; probes still running are stopped. */
  signal: AbortSignal;
  /** The whole environment of a command (PATH and the locale; never the caller's). */
  env: Record<string, string>;
}

/** Output kept per stream; a probe's output beyond this is cut (it is evidence, not data). */
const MAX_OUTPUT = 1024 * 1024;

const DEADLINE = { code: 'DEADLINE', message: "the live phase's deadline passed before the probe finished" };

/** Run a command: argv only, never a shell; errors are data. */
export async function runCommand(argv: readonly string[], ctx: ProbeContext, extraEnv: Record<string, string> = {}): Promise<CommandResult> {
  const started = Date.now();
  const [file, ...args] = argv as [string, ...string[]];
  if (ctx.signal.aborted) return { argv: [...argv], exitCode: null, stdout: '', stderr: '', error: DEADLINE, durationMs: 0 };
  const r = await loadExeca()(file, args, {
    reject: false,
    timeout: ctx.timeoutMs,
    cancelSignal: ctx.signal,
    env: { ...ctx.env, ...extraEnv },
    extendEnv: false,
    stdin: 'ignore',
    maxBuffer: MAX_OUTPUT,
    stripFinalNewline: false,
  });
  const result: CommandResult = { argv: [...argv], exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), durationMs: Date.now() - started };
  if (r.timedOut) result.error = { code: 'ETIMEDOUT', message: `no answer within ${ctx.timeoutMs} ms` };
  else if (r.isCanceled) result.error = DEADLINE;
  else if (r.exitCode === undefined) result.error = { code: String(r.code ?? 'EFAILED'), message: String(r.shortMessage) };
  return result;
}

/** Connect to a TCP port or a unix socket and close at once; the outcome is recorded as a command with a synthetic argv. */
export function probeConnect(argv: [string, string], target: { host: string; port: number } | { path: string }, ctx: ProbeContext): Promise<CommandResult> {
  const started = Date.now();
  if (ctx.signal.aborted) return Promise.resolve({ argv, exitCode: null, stdout: '', stderr: '', error: DEADLINE, durationMs: 0 });
  return new Promise((resolve) => {
    const done = (error?: { code: string; message: string }, exitCode: number | null = error ? 1 : 0): void => {
      socket.destroy();
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      const r: CommandResult = { argv, exitCode, stdout: '', stderr: error ? `${error.message}\n` : '', durationMs: Date.now() - started };
      // A refused or unreachable connection is an answer (exit 1); a timeout or the deadline is not.
      if (error && exitCode === null) r.error = error;
      resolve(r);
    };
    const onAbort = (): void => done(DEADLINE, null);
    const socket = connect({ ...target });
    const timer = setTimeout(() => done({ code: 'ETIMEDOUT', message: `no answer within ${ctx.timeoutMs} ms` }, null), ctx.timeoutMs);
    ctx.signal.addEventListener('abort', onAbort);
    socket.once('connect', () => done());
    socket.once('error', (err: NodeJS.ErrnoException) => done({ code: String(err.code), message: `${connectVerb(err.code)} (${err.message})` }));
  });
}

/** Go's words for the usual connect errors, as they appear in containerd's pull errors. */
function connectVerb(code: string | undefined): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EHOSTUNREACH') return 'no route to host';
  return 'connect failed';
}

/** Resolve a host name through the node's resolver (getaddrinfo: /etc/hosts, then DNS). */
export async function probeLookup(host: string, ctx: ProbeContext): Promise<CommandResult> {
  const started = Date.now();
  const argv = ['dns-lookup', host];
  if (ctx.signal.aborted) return { argv, exitCode: null, stdout: '', stderr: '', error: DEADLINE, durationMs: 0 };
  // getaddrinfo cannot be cancelled; the race only stops waiting for it.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CommandResult>((resolve) => {
    timer = setTimeout(() => resolve({ argv, exitCode: null, stdout: '', stderr: '', error: { code: 'ETIMEDOUT', message: `no answer within ${ctx.timeoutMs} ms` } }), ctx.timeoutMs);
  });
  const answer = lookup(host, { all: true }).then(
    (addrs): CommandResult => ({ argv, exitCode: 0, stdout: addrs.map((a) => `${a.address}\n`).join(''), stderr: '' }),
    (err: NodeJS.ErrnoException): CommandResult => ({ argv, exitCode: 1, stdout: '', stderr: `lookup ${host}: ${err.code === 'ENOTFOUND' ? 'no such host' : err.code}\n` }),
  );
  const r = await Promise.race([answer, timeout]);
  clearTimeout(timer);
  return { ...r, durationMs: Date.now() - started };
}
