// The probe runners on their own, with real processes, sockets and lookups.
import t from 'tap';
import { createServer } from 'node:net';
import { connectVerb, probeConnect, probeLimit, probeLookup, runCommand, type ProbeContext } from '../../src/collect/live/probes.js';

const ctx = (over: Partial<ProbeContext> = {}): ProbeContext => ({
  timeoutMs: 2000,
  signal: new AbortController().signal,
  env: { PATH: '/usr/bin:/bin' },
  ...over,
});
const aborted = (): AbortSignal => {
  const c = new AbortController();
  c.abort();
  return c.signal;
};

t.test('a probe ends on its timeout or on the deadline', async (t) => {
  const timeout = probeLimit(ctx({ timeoutMs: 1 }));
  t.same(await timeout.ended, { error: { code: 'ETIMEDOUT', message: 'no answer within 1 ms' } });
  const deadline = probeLimit(ctx({ signal: aborted() }));
  t.match(await deadline.ended, { error: { code: 'DEADLINE' } });
  deadline.cancel();
});

t.test('commands: argv only, errors as data', async (t) => {
  t.match(await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 3'], ctx()), { exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
  t.match(await runCommand(['printenv'], ctx(), { EXTRA: '1' }), { exitCode: 0, stdout: 'PATH=/usr/bin:/bin\nEXTRA=1\n' }, 'only the given environment');
  t.match(await runCommand(['no-such-tool-here'], ctx()), { exitCode: null, error: { code: 'ENOENT' } });
  t.match(await runCommand(['sh', '-c', 'kill -9 $$'], ctx()), { exitCode: null, error: { code: 'SIGKILL', message: /SIGKILL/ } }, 'killed from elsewhere');
  t.match(await runCommand(['sleep', '5'], ctx({ timeoutMs: 50 })), { exitCode: null, error: { code: 'ETIMEDOUT', message: 'no answer within 50 ms' } });
  const c = new AbortController();
  const running = runCommand(['sleep', '5'], ctx({ signal: c.signal }));
  c.abort();
  t.match(await running, { exitCode: null, error: { code: 'DEADLINE' } });
  t.match(await runCommand(['true'], ctx({ signal: aborted() })), { exitCode: null, error: { code: 'DEADLINE' }, durationMs: 0 });
});

t.test('connections: accepted, refused, missing socket, deadline', async (t) => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  t.match(await probeConnect(['tcp-connect', `127.0.0.1:${port}`], { host: '127.0.0.1', port }, ctx()), { exitCode: 0, stderr: '' });
  await new Promise((r) => server.close(r));
  t.match(await probeConnect(['tcp-connect', `127.0.0.1:${port}`], { host: '127.0.0.1', port }, ctx()), {
    exitCode: 1,
    stderr: /^connection refused \(connect ECONNREFUSED/,
  });
  t.match(await probeConnect(['unix-connect', '/nonexistent/c.sock'], { path: '/nonexistent/c.sock' }, ctx()), {
    exitCode: 1,
    stderr: /^no such file or directory/,
  });
  t.match(await probeConnect(['tcp-connect', `127.0.0.1:${port}`], { host: '127.0.0.1', port }, ctx({ signal: aborted() })), {
    exitCode: null,
    error: { code: 'DEADLINE' },
  });
  t.equal(connectVerb('EHOSTUNREACH'), 'no route to host');
  t.equal(connectVerb('ENETUNREACH'), 'connect failed');
});

t.test('lookups through the node resolver', async (t) => {
  t.match(await probeLookup('localhost', ctx()), { argv: ['dns-lookup', 'localhost'], exitCode: 0, stdout: /127\.0\.0\.1|::1/ });
  t.match(await probeLookup('no-such-host.invalid', ctx()), { exitCode: 1, stderr: 'lookup no-such-host.invalid: no such host\n' });
  const long = `${'a'.repeat(300)}.example`;
  t.match(await probeLookup(long, ctx()), { exitCode: 1, stderr: `lookup ${long}: EINVAL\n` }, 'glibc refuses a label over 63 bytes');
  t.match(await probeLookup('localhost', ctx({ signal: aborted() })), { exitCode: null, error: { code: 'DEADLINE' } });
});
