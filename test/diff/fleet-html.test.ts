import t, { type Test } from 'tap';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { NODES } from '../helpers/node-fixtures.js';
import { collectSnapshot } from '../../src/collect/snapshot.js';
import { buildModel } from '../../src/model/build.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { loadChecklist } from '../../src/engine/checklist.js';
import { fleetOutliers } from '../../src/diff/fleet.js';
import { formatFleetHtml } from '../../src/diff/fleet-html.js';
import type { Snapshot } from '../../src/snapshot/types.js';

// The fleet page in a real browser: Debian's chromium, driven by playwright-core (no browser download).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../../.tap/artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

let browser: Browser;
t.before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
t.teardown(() => browser?.close());

const problemsOf = new WeakMap<Page, string[]>();

/** Open a page file, recording every script error, console message and request. */
async function open(t: Test, file: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
  // Nothing leaves the page: a request for anything but the file itself is a failure.
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`);
  });
  problemsOf.set(page, problems);
  t.teardown(() => page.close());
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-rendered]');
  return page;
}

/** The page raised no script error, logged nothing and asked for nothing beyond its file. */
const clean = (t: Test, page: Page): void => void t.same(problemsOf.get(page), [], 'no script errors, console messages or requests');

const cellsOf = (page: Page, row: number, cls: string) => page.locator(`#rows tr:nth-child(${row}) a.c.${cls}`).count();

/** The finding panel's text once a click on a cell has filled it: the page renders it on hashchange, after the click returns. */
async function findingOf(page: Page, cell: Locator): Promise<string> {
  await cell.click();
  return findingWhen(page, (text) => text !== '');
}

/** The finding panel's text once it satisfies `ok` (polled from here: the page's CSP refuses Playwright's string predicates), or after 10 s as it is. */
async function findingWhen(page: Page, ok: (text: string) => boolean): Promise<string> {
  const started = Date.now();
  let text = (await page.locator('#finding').textContent()) ?? '';
  while (!ok(text) && Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    text = (await page.locator('#finding').textContent()) ?? '';
  }
  return text;
}

t.test('three fixture nodes: the matrix, a finding and its fix, the settings that differ, sorting and filters', async (t) => {
  const dir = t.testdir();
  const file = join(dir, 'fleet.html');
  const nodes = ['clean', 'stale-containerd-proxy', 'swap-on'].map((n) => join(NODES, n, 'root'));
  // A waiver and a rule turned off: every outcome has its colour.
  const checklist = join(dir, 'checklist.yaml');
  writeFileSync(
    checklist,
    'apiVersion: kube-preflight/v1\nkind: Checklist\nseverity:\n  host/resolv-conf: off\nwaivers:\n  - rule: host/swap-off\n    reason: NodeSwap trial (CHG-1)\n    expires: 2099-12-31\n',
  );
  const run = await runCli(['fleet', ...nodes, '--format', 'html', '--output', file, '--checklist', checklist]);
  t.equal(run.code, 1, 'nodes differ: exit 1, as for text');
  t.equal(run.stdout, `[preflight] Wrote the fleet page of 3 nodes to ${file}.\n`);
  const page = await open(t, file);
  t.equal(await page.locator('h1').textContent(), 'kube-preflight fleet: 3 nodes, 2 ready, 1 not ready', 'the swap node is ready under its waiver');
  t.equal(await page.locator('#rows tr').count(), 3);
  // Worst first: the stale proxy node has the most blocking rules.
  t.match(await page.locator('#rows tr:nth-child(1) td.node').textContent(), /stale-containerd-proxy/);
  t.equal(await page.locator('#rows tr:nth-child(3) td.count').textContent(), 'ready');
  t.equal(await page.locator('#rows tr:nth-child(1) td.count').textContent(), '1', 'blocking rules');
  t.ok((await cellsOf(page, 1, 'E')) > 0, 'the stale proxy node has error cells');
  t.equal(await cellsOf(page, 3, 'E'), 0, 'the clean node has none');
  t.equal(await page.locator('#rows a.c.V').count(), 1, 'one waived cell');
  t.match(await findingOf(page, page.locator('#rows a.c.V')), /host\/swap-off · waived or ignored.*fix: /, 'a waived finding keeps its fix');
  await page.locator('input[name=status][value=S]').check();
  t.equal(await page.locator('#rows a.c.S[title^="host/resolv-conf"]').count(), 3, 'the rule turned off is skipped on every node');
  await page.locator('input[name=status][value=S]').uncheck();
  t.equal(
    await page.locator('#head th.rule').count(),
    await page
      .locator('#rows tr:nth-child(1) td')
      .count()
      .then((n) => n - 2),
    'one column per rule',
  );

  // A cell links to its findings and their fixes.
  const finding = await findingOf(page, page.locator('#rows tr:nth-child(1) a.c.E[title^="systemd/proxy-policy"]'));
  t.match(page.url(), /#n\d+r\d+$/);
  t.match(finding, /systemd\/proxy-policy/);
  t.match(finding, /HTTPS_PROXY=http:\/\/10\.0\.0\.1:7897 from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3/);
  t.match(finding, /fix: Remove HTTPS_PROXY from \/etc\/systemd\/system\/containerd\.service\.d\/http-proxy\.conf:3/);
  await page.screenshot({ path: join(ARTIFACTS, 'fleet-html.png') });
  await page.locator('#finding a.close').click();
  t.equal(await findingWhen(page, (text) => text === ''), '', 'closed');

  // The settings where nodes differ, in operator terms.
  const outliers = await page.locator('#outliers').textContent();
  t.match(outliers, /containerd HTTPS_PROXY/);
  t.match(outliers, /not set \(2 of 3\)/);
  t.notMatch(outliers, /\/systemd\/units\//, 'no model paths');

  // Filters: by outcome, by readiness, by name.
  await page.locator('input[name=status][value=E]').uncheck();
  t.equal(await cellsOf(page, 1, 'E'), 0, 'error cells hidden');
  await page.locator('input[name=status][value=E]').check();
  await page.locator('input[name=status][value=P]').check();
  t.ok((await cellsOf(page, 3, 'P')) > 0, 'passed cells shown on request');
  await page.selectOption('#readiness', 'ready');
  t.equal(await page.locator('#rows tr').count(), 2);
  t.equal(await page.locator('#shown').textContent(), '2 of 3 nodes shown');
  await page.selectOption('#readiness', 'not-ready');
  t.equal(await page.locator('#rows tr').count(), 1);
  await page.selectOption('#readiness', 'all');
  await page.fill('#node-filter', 'swap');
  t.equal(await page.locator('#rows tr').count(), 1);
  t.match(await page.locator('#rows td.node').textContent(), /swap-on/);
  await page.fill('#node-filter', '');

  // Sorting: by name, then back.
  await page.locator('#head th[data-sort=node]').click();
  const names = await page.locator('#rows td.node').allTextContents();
  t.same(names, [...names].sort(), 'sorted by name');
  await page.locator('#head th[data-sort=node]').click();
  t.same(await page.locator('#rows td.node').allTextContents(), [...names].sort().reverse(), 'and reversed');
  await page.locator('#head th.rule[data-sort]').first().click();
  t.equal(await page.locator('#rows tr').count(), 3, 'a rule column sorts without losing rows');
  clean(t, page);
});

t.test('two nodes: the same everywhere, or different with no majority', async (t) => {
  const dir = t.testdir();
  const same = await runCli(['fleet', join(NODES, 'clean', 'root'), join(NODES, 'clean', 'root'), '--format', 'html', '--output', join(dir, 'same.html')]);
  t.equal(same.code, 0);
  const asJson = await runCli(['fleet', join(NODES, 'clean', 'root'), join(NODES, 'clean', 'root'), '--format', 'json', '--output', join(dir, 'same.json')]);
  t.equal(asJson.stdout, `[preflight] Wrote the fleet comparison of 2 nodes to ${join(dir, 'same.json')}.\n`);
  t.equal(JSON.parse(readFileSync(join(dir, 'same.json'), 'utf8')).kind, 'FleetSettings');
  t.match(readFileSync(join(dir, 'same.html'), 'utf8'), /<p>Every compared setting has the same value on all nodes\.<\/p>/);
  const split = await runCli(['fleet', join(NODES, 'clean', 'root'), join(NODES, 'stale-containerd-proxy', 'root'), '--format', 'html']);
  t.equal(split.code, 1);
  t.match(
    split.stdout,
    /<table class="settings" id="split">.*containerd HTTPS_PROXY<\/td><td>[^<]*clean\/root: <code>not set<\/code><br>[^<]*stale-containerd-proxy\/root: <code>&quot;http:\/\/10\.0\.0\.1:7897&quot;/s,
  );
  t.notMatch(split.stdout, /id="outliers"/, 'no majority, no outliers');
});

t.test("a node's text cannot become markup or script", async (t) => {
  const dir = t.testdir();
  const hostile = join(dir, '<img src=x onerror=alert(1)>');
  cpSync(join(NODES, 'clean', 'root'), hostile, { recursive: true, verbatimSymlinks: true });
  // The kernel's hostname is the one the rules read.
  writeFileSync(join(hostile, 'proc/sys/kernel/hostname'), 'Bad_</script><b id=pwn>x\n');
  const file = join(dir, 'fleet.html');
  const run = await runCli(['fleet', join(NODES, 'clean', 'root'), hostile, '--format', 'html', '--output', file]);
  t.equal(run.stderr, '');
  t.notMatch(readFileSync(file, 'utf8'), /<img src=x|<\/script><b/, 'escaped in the file');
  const page = await open(t, file);
  t.equal(await page.locator('#pwn, img').count(), 0, 'no element from the node');
  t.match(await page.locator('#rows').textContent(), /<img src=x onerror=alert\(1\)>/, 'the label reads as written');
  t.match(await findingOf(page, page.locator('#rows tr:has(td.node[title*="<img"]) a.c[title^="host/hostname"]')), /Bad_<\/script><b id=pwn>x/);
  clean(t, page);
});

t.test('500 generated nodes render in the browser in under 2 s', async (t) => {
  const prepared = await loadChecklist();
  const bases = ['clean', 'stale-containerd-proxy', 'swap-on', 'crictl-wrong-socket'].map((n) => collectSnapshot({ root: join(NODES, n, 'root') }));
  // Each node its own snapshot: a base node with its own hostname; every seventh with another sandbox image.
  const nodes = Array.from({ length: 500 }, (_, i) => {
    const snapshot = structuredClone(bases[i % 7 === 0 ? 1 : i % 3 === 0 ? 2 : i % 11 === 0 ? 3 : 0]!) as Snapshot;
    snapshot.paths['/etc/hostname'] = { type: 'file', mode: 0o100644, size: 12, content: `node-${String(i).padStart(3, '0')}\n` };
    const model = buildModel(snapshot, prepared.modelOptions);
    return { label: `node-${String(i).padStart(3, '0')}`, model };
  });
  const html = formatFleetHtml(
    fleetOutliers(nodes),
    nodes.map(({ label, model }) => ({ label, report: evaluate(model, prepared, { date: '2026-06-01' }) })),
  );
  const file = join(t.testdir(), 'fleet-500.html');
  writeFileSync(file, html);
  t.comment(`page: ${html.length} bytes`);
  const page = await open(t, file);
  t.equal(await page.locator('#rows tr').count(), 500);
  const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
  t.comment(`from navigation to the rendered matrix: ${readyMs} ms; one re-render: ${await page.getAttribute('body', 'data-render-ms')} ms`);
  t.ok(readyMs > 0 && readyMs < 2000, `rendered in ${readyMs} ms`);
  await page.locator('input[name=status][value=P]').check();
  t.ok(Number(await page.getAttribute('body', 'data-render-ms')) < 2000, 'a filter re-renders 500 rows × every rule in under 2 s');
  await page.screenshot({ path: join(ARTIFACTS, 'fleet-html-500.png') });
  clean(t, page);
});
