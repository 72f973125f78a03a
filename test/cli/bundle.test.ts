import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUNDLE, bundleSize, loneBundle, plainEnv, runBundle } from '../helpers/bundle.js';
import { TOOL_VERSION } from '../../src/version.js';

t.test('the bundle runs alone: no node_modules beside it', async (t) => {
  const lone = loneBundle();
  const help = runBundle(['--help'], { bundle: lone, cwd: dirname(lone) });
  t.equal(help.code, 0, help.stderr);
  t.match(help.stdout, /Exit codes:/);
  const version = runBundle(['--version'], { bundle: lone, cwd: dirname(lone) });
  t.equal(version.stdout, `${TOOL_VERSION}\n`);
  const direct = spawnSync(lone, ['rules', 'Swap'], { env: plainEnv(), encoding: 'utf8' });
  t.equal(direct.status, 0, 'the #!/usr/bin/env node line makes it executable');
  t.match(direct.stdout, /^host\/swap-off: /);
});

t.test('the bundle is small and has the shebang', async (t) => {
  t.ok(bundleSize() < 1024 * 1024, `bundle ${bundleSize()} bytes < 1 MiB`);
  t.ok(readFileSync(BUNDLE, 'utf8').startsWith('#!/usr/bin/env node\n'));
});

t.test('errors from the bundle are one line, exit 2, no stack', async (t) => {
  const r = runBundle(['--root', '/definitely/not/here']);
  t.equal(r.code, 2);
  t.equal(r.stderr, 'preflight: --root /definitely/not/here: no such directory\n');
});

t.test('colour on a real terminal, none through a pipe', async (t) => {
  const root = new URL('../fixtures/nodes/incident-calico-restarts/root', import.meta.url).pathname;
  const command = `"${process.execPath}" "${BUNDLE}" --root "${root}"`;
  // script(1) gives the checker a pseudo-terminal as its stdout.
  const onTty = spawnSync('script', ['-qec', command, '/dev/null'], { env: plainEnv(), encoding: 'utf8', timeout: 60_000 });
  t.equal(onTty.error, undefined, 'script(1) (bsdutils, essential on Debian) runs');
  t.match(onTty.stdout, /\u001b\[31m\[ERROR/, 'a terminal gets colour');
  const piped = runBundle(['--root', root]);
  t.match(piped.stdout, /\[ERROR /);
  t.notMatch(piped.stdout, /\u001b\[/, 'a pipe gets none');
});
