// The examples of docs/write-your-own-checks.md, run against the example node.
//
// The page is its own template: ```yaml file=NAME blocks are checklist files,
// ```console exit=N blocks start with `$ preflight ARGS`, and everything after
// that line is what the command prints. `npm run docs` runs every command and
// writes what it printed; test/docs/write-your-own-checks.test.ts runs them
// again and fails on any difference, or when a command's exit code is not the
// one the block states. So the page cannot drift from the tool.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { collectSnapshot } from '../src/collect/snapshot.js';
import { loadChecklist } from '../src/engine/checklist.js';
import { serializeSnapshot } from '../src/snapshot/serialize.js';
import type { Snapshot } from '../src/snapshot/types.js';

/** The page. */
export const SITE_PAGE = 'docs/write-your-own-checks.md';
/** The example node the page's commands read, and the name the page gives it. */
export const EXAMPLE_NODE = 'test/fixtures/nodes/site-example/root';
export const EXAMPLE_ROOT = '/srv/node';
/** The day the page's commands run on (certificate expiry and waivers depend on it). */
export const EXAMPLE_NOW = '2026-06-01T12:00:00Z';

/**
 * Who owns the example node's files. A git checkout makes every file the
 * checker's own user's, and only root may chown, so the page's commands run on
 * a snapshot of the node with these owners written in: root (0:0), except the
 * paths listed. This is the one fake: the ids a real node's stat would give.
 */
export const EXAMPLE_OWNERS: Record<string, [number, number]> = { '/etc/pki/site/registry-ca.pem': [1000, 1000] };

/** One console block of the page. */
export interface ConsoleExample {
  /** 1-based line of the block's opening fence. */
  line: number;
  /** The command line, without `$ `. */
  command: string;
  /** The exit code the block states. */
  exit: number;
  /** What the page says it prints. */
  output: string;
  /** The checklist files defined above the block, by name. */
  files: Record<string, string>;
}

const FENCE = /^```(\S*)(.*)$/;

/** The page's console examples, each with the files defined above it. */
export function parseExamples(page: string): ConsoleExample[] {
  const lines = page.split('\n');
  const files: Record<string, string> = {};
  const out: ConsoleExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open || open[1] === '') continue;
    const close = lines.indexOf('```', i + 1);
    if (close < 0) throw new Error(`${SITE_PAGE}:${i + 1}: a code block is not closed`);
    const body = lines.slice(i + 1, close);
    const attrs = Object.fromEntries([...open[2]!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    if (open[1] === 'yaml' && attrs.file) files[attrs.file] = `${body.join('\n')}\n`;
    if (open[1] === 'console') {
      if (attrs.exit === undefined || !body[0]?.startsWith('$ preflight '))
        throw new Error(`${SITE_PAGE}:${i + 1}: a console block needs exit=N and a first line "$ preflight ..."`);
      out.push({ line: i + 1, command: body[0].slice(2), exit: Number(attrs.exit), output: body.slice(1).join('\n'), files: { ...files } });
    }
    i = close;
  }
  return out;
}

/** The example node as the collector reads it for a checklist, with the owners of {@link EXAMPLE_OWNERS}. */
export function exampleSnapshot(options: Parameters<typeof collectSnapshot>[0] = {}): Snapshot {
  const snapshot = collectSnapshot({ ...options, root: EXAMPLE_NODE });
  for (const [path, record] of Object.entries(snapshot.paths)) {
    if (record.uid === undefined) continue;
    [record.uid, record.gid] = EXAMPLE_OWNERS[path] ?? [0, 0];
  }
  return { ...snapshot, root: EXAMPLE_ROOT };
}

/** Split a command line as a shell would for the simple quoting the page uses. */
function words(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Run one example: its files written to a scratch directory, the example node read as a snapshot; what it prints and its exit code. */
export async function runExample(example: Pick<ConsoleExample, 'command' | 'files'>): Promise<{ output: string; code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-site-docs-'));
  try {
    for (const [name, text] of Object.entries(example.files)) writeFileSync(join(dir, name), text);
    const args = words(example.command).slice(1);
    const checklist = args.includes('--checklist') ? args[args.indexOf('--checklist') + 1] : undefined;
    const rootAt = args.indexOf('--root');
    if (rootAt >= 0) {
      if (args[rootAt + 1] !== EXAMPLE_ROOT) throw new Error(`the page's commands read --root ${EXAMPLE_ROOT} (got ${example.command})`);
      // A checklist that does not load fails the same way with or without a snapshot.
      const prepared =
        checklist === undefined ? await loadChecklist() : await loadChecklist(example.files[checklist], { source: checklist }).catch(() => undefined);
      const snapshot = exampleSnapshot({ units: prepared?.modelOptions.units, site: prepared?.modelOptions.site });
      writeFileSync(join(dir, 'node.snapshot.json'), serializeSnapshot(snapshot));
      args.splice(rootAt, 2, '--snapshot', join(dir, 'node.snapshot.json'));
    }
    if (checklist !== undefined) args[args.indexOf('--checklist') + 1] = join(dir, checklist);
    let output = '';
    const code = await main(args, {
      stdout: (s) => void (output += s),
      stderr: (s) => void (output += s),
      isTTY: false,
      env: {},
      now: () => new Date(EXAMPLE_NOW),
    });
    return { output: output.replaceAll(`${dir}/`, '').trimEnd(), code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The page with every example's output brought up to date; throws when a command's exit code is not the stated one. */
export async function renderSitePage(page = readFileSync(SITE_PAGE, 'utf8')): Promise<string> {
  const lines = page.split('\n');
  // From the last example up, so earlier line numbers stay valid.
  for (const example of parseExamples(page).reverse()) {
    const { output, code } = await runExample(example);
    if (code !== example.exit)
      throw new Error(`${SITE_PAGE}:${example.line}: ${example.command} exits ${code}, but the page says exit=${example.exit}:\n${output}`);
    // The block's lines after its opening fence (line numbers are 1-based, the array 0-based).
    const start = example.line;
    const end = lines.indexOf('```', start);
    lines.splice(start, end - start, `$ ${example.command}`, ...(output === '' ? [] : output.split('\n')));
  }
  return lines.join('\n');
}
