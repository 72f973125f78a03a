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

type ProbeError = { code: string; message: string };

/**
 * What ends a probe that gets no answer: its own timeout, or the live phase's
 * deadline. `ended` resolves with that error; `cancel` stops the timer.
 */
export function probeLimit(ctx: ProbeContext): { ended: Promise<{ error: ProbeError }>; cancel: () => void } {
  let end!: (outcome: { error: ProbeError }) => void;
  const ended = new Promise<{ error: ProbeError }>((resolve) => (end = resolve));
  const onAbort = (): void => end({ error: DEADLINE });
  const timer = setTimeout(() => end({ error: { code: 'ETIMEDOUT', message: `no answer within ${ctx.timeoutMs} ms` } }), ctx.timeoutMs);
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) onAbort();
  return {
    ended,
    cancel: () => {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    },
  };
}

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
  const result: CommandResult = { argv: [...argv], exitCode: r.exitCode ?? null, stdout: r.stdout, stderr: r.stderr, durationMs: Date.now() - started };
  if (r.timedOut) result.error = { code: 'ETIMEDOUT', message: `no answer within ${ctx.timeoutMs} ms` };
  else if (r.isCanceled) result.error = DEADLINE;
  // Could not start (code: ENOENT, EACCES), or killed by a signal from elsewhere.
  else if (r.exitCode === undefined) result.error = { code: r.code ?? String(r.signal), message: String(r.shortMessage) };
  return result;
}

/**
 * Connect to a TCP port or a unix socket and close at once; the outcome is
 * recorded as a command with a synthetic argv. A refused or unreachable
 * connection is an answer (exit code 1); no answer in time is an error.
 */
export async function probeConnect(
  argv: [string, string],
  target: { host: string; port: number } | { path: string },
  ctx: ProbeContext,
): Promise<CommandResult> {
  const started = Date.now();
  const limit = probeLimit(ctx);
  const socket = connect({ ...target });
  const attempt = new Promise<{ refused?: ProbeError }>((resolve) => {
    socket.once('connect', () => resolve({}));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      resolve({ refused: { code: String(err.code), message: `${connectVerb(err.code)} (${err.message})` } }),
    );
  });
  const outcome = await Promise.race([attempt, limit.ended]);
  limit.cancel();
  socket.destroy();
  const durationMs = Date.now() - started;
  if ('error' in outcome) return { argv, exitCode: null, stdout: '', stderr: '', error: outcome.error, durationMs };
  return { argv, exitCode: outcome.refused ? 1 : 0, stdout: '', stderr: outcome.refused ? `${outcome.refused.message}\n` : '', durationMs };
}

/** Go's words for the usual connect errors, as they appear in containerd's pull errors. */
export function connectVerb(code: string | undefined): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EHOSTUNREACH') return 'no route to host';
  return 'connect failed';
}

/** Resolve a host name through the node's resolver (getaddrinfo: /etc/hosts, then DNS). */
export async function probeLookup(host: string, ctx: ProbeContext): Promise<CommandResult> {
  const started = Date.now();
  const argv = ['dns-lookup', host];
  const limit = probeLimit(ctx);
  // getaddrinfo cannot be cancelled; the race only stops waiting for it.
  const answer = lookup(host, { all: true }).then(
    (addrs) => ({ exitCode: 0, stdout: addrs.map((a) => `${a.address}\n`).join(''), stderr: '' }),
    (err: NodeJS.ErrnoException) => ({ exitCode: 1, stdout: '', stderr: `lookup ${host}: ${err.code === 'ENOTFOUND' ? 'no such host' : err.code}\n` }),
  );
  const outcome = await Promise.race([answer, limit.ended]);
  limit.cancel();
  const durationMs = Date.now() - started;
  if ('error' in outcome) return { argv, exitCode: null, stdout: '', stderr: '', error: outcome.error, durationMs };
  return { argv, ...outcome, durationMs };
}
