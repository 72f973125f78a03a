import t from 'tap';
import { CHECK_OPTIONS, parseCheckFast, type CheckArgs } from '../../src/cli/options.js';
import { buildParser } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { writeNode } from '../helpers/node-root.js';

/** What yargs makes of the arguments, restricted to the check options (or the error it raises). */
async function viaYargs(argv: string[]): Promise<Record<string, unknown> | string> {
  try {
    const parsed = (await buildParser().parseAsync(argv, {}, () => undefined)) as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(CHECK_OPTIONS)
        .filter((k) => parsed[k] !== undefined)
        .map((k) => [k, parsed[k]]),
    );
  } catch (err) {
    return (err as Error).message;
  }
}

const ANSWERED: string[][] = [
  [],
  ['check'],
  ['--root', '/mnt/node'],
  ['--root=/mnt/node', '--strict', '--format', 'json', '--output', 'r.json'],
  ['check', '--online', '--verbose', '--color', 'never', '--date', '2026-01-01'],
  ['--ignore', 'Swap', '--ignore', 'host/hostname', '--only', 'host,crictl'],
  ['--checklist', 'c.yaml', '--format=sarif'],
  ['--root', ''],
  ['--root', 'a', '--root', 'b', '--strict', '--strict'],
  ['--kubernetes-version', '1.33'],
  ['check', '--kubernetes-version=v1.38.1', '--snapshot', 's.json'],
];
const DECLINED: string[][] = [
  ['--help'],
  ['-h'],
  ['--version'],
  ['rules'],
  ['rules', 'Swap'],
  ['--bogus'],
  ['--format', 'xml'],
  ['--color', 'sometimes'],
  ['--root'],
  ['--ignore', 'Swap', 'host/hostname'],
  ['--strict=false'],
  ['--no-strict'],
  ['check', 'extra'],
  ['--', 'x'],
];

t.test('the fast path answers plain checks exactly as yargs would', async (t) => {
  for (const argv of ANSWERED) {
    const fast = parseCheckFast(argv);
    t.ok(fast, `answered: ${JSON.stringify(argv)}`);
    t.same(fast, await viaYargs(argv), JSON.stringify(argv));
  }
});

t.test('it declines everything else, and yargs decides', async (t) => {
  for (const argv of DECLINED) t.equal(parseCheckFast(argv), undefined, JSON.stringify(argv));
  t.match(await viaYargs(['--ignore', 'Swap', 'host/hostname']), { ignore: ['Swap', 'host/hostname'] });
  t.match(await viaYargs(['--no-strict']), { strict: false });
});

t.test('checks that only yargs can parse still run', async (t) => {
  const root = writeNode(t.testdir(), { '/etc/hostname': 'node-1\n' });
  const viaSlowPath = await runCli(['--root', root, '--only', 'host/hostname', 'crictl/config-present', '--no-strict']);
  t.equal(viaSlowPath.code, 0);
  t.match(viaSlowPath.stdout, /\[WARNING crictl\/config-present\]/);
  const defaults: CheckArgs = parseCheckFast([])!;
  t.same(defaults, {
    root: '/',
    strict: false,
    online: false,
    pull: false,
    format: 'text',
    ignore: [],
    only: [],
    verbose: false,
    color: 'auto',
    gather: false,
  });
});
