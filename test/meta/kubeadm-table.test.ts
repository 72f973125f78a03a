import t from 'tap';
import { readFileSync } from 'node:fs';
import { kubeadmChecksDoc } from '../../scripts/kubeadm-docs.js';
import { HISTORICAL_KUBEADM_NAMES, KUBEADM_JOIN_CHECKS, KUBEADM_MINORS, kubeadmNamesOf } from '../../src/model/kubeadm.js';
import { RULES } from '../../src/rules/index.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const ALL = [...KUBEADM_JOIN_CHECKS, ...HISTORICAL_KUBEADM_NAMES];

t.test('the table covers 1.27 through 1.37, each check with a level for some minor and a source', async (t) => {
  t.same(KUBEADM_MINORS, [27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37]);
  const names = ALL.map((c) => c.name.toLowerCase());
  t.equal(new Set(names).size, names.length, 'names are unique (kubeadm matches them case-insensitively)');
  for (const c of KUBEADM_JOIN_CHECKS) {
    t.ok(Object.keys(c.levels).length > 0 && Object.keys(c.levels).every((m) => KUBEADM_MINORS.includes(Number(m))), `${c.name}: levels for supported minors`);
    t.ok(c.source.length > 0 && c.roles.length > 0, `${c.name}: a source and the joins that run it`);
    t.ok(c.rules.length > 0 || (c.note ?? '').length > 0, `${c.name}: a covering rule, or a note why there is none`);
  }
});

t.test('the table and the rule catalogue agree: a covering rule declares the name, and every declared name is in the table', async (t) => {
  for (const c of ALL) {
    for (const id of c.rules) {
      const rule = RULES.find((r) => r.id === id);
      t.ok(rule?.aliases?.includes(c.name), `${id} is a rule that declares ${c.name}`);
    }
  }
  for (const rule of RULES) {
    for (const alias of rule.aliases ?? [])
      t.ok(
        ALL.some((c) => c.name === alias && c.rules.includes(rule.id)),
        `${rule.id}: ${alias} is in the table with this rule`,
      );
    t.same(rule.aliases ?? [], kubeadmNamesOf(rule.id), `${rule.id}: its kubeadm names are the table's`);
  }
});

t.test('the generated page lists every check with its level per minor and its rules', async (t) => {
  const page = readFileSync(`${ROOT}docs/kubeadm-checks.md`, 'utf8');
  t.equal(page, kubeadmChecksDoc(), 'docs/kubeadm-checks.md is current (npm run docs)');
  for (const c of KUBEADM_JOIN_CHECKS) {
    const row = page.split('\n').find((l) => l.startsWith(`| \`${c.name}\` |`));
    t.ok(row, `${c.name} has a row`);
    const cells = row!.split(' | ');
    t.same(
      cells.slice(2, 2 + KUBEADM_MINORS.length),
      KUBEADM_MINORS.map((m) => ({ error: 'E', warning: 'W' })[c.levels[m]!] ?? '–'),
      `${c.name}: levels per minor`,
    );
    for (const id of c.rules) t.match(row!, id, `${c.name}: covered by ${id}`);
  }
  for (const h of HISTORICAL_KUBEADM_NAMES) t.match(page, `| \`${h.name}\` |`);
});
