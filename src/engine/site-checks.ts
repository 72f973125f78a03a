/**
 * Site checks: the files, kernel settings, modules and units a checklist's
 * `site` section names, each a rule under `site/` (in every report format,
 * waivable, selectable with `--only site`). The checklist says what to read
 * ({@link siteInputs}, through the collector's planner); the rules read the
 * model's `/site` and `/systemd/units` only.
 */
import type { SiteChecks, SiteCheckBase, SiteFileCheck, SiteKernelModuleCheck, SiteSysctlCheck, SiteSystemdUnitCheck } from '../checklist/types.js';
import type { SiteInputs } from '../model/site.js';
import { sysctlProcPath } from '../model/site.js';
import { isValidUnitName } from '../model/systemd.js';
import { redactText } from '../parsers/redact.js';
import type { NodeModel, SiteFile } from '../model/types.js';
import type { CheckOutcome, Rule, RuleContext, Violation } from '../rules/types.js';
import { regexError, type RuleProblem } from './custom-rules.js';
import { fileSearches, list, type Searches } from './site-search.js';

export { SITE_PATTERN_TIMEOUT_MS } from './site-search.js';

const DAY_MS = 86_400_000;

const words = (parts: string[]): string => (parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`);
const blanks = (v: string): string => v.trim().replace(/\s+/g, ' ');

/** What the collector must read for a checklist's site checks; undefined without any. */
export function siteInputs(site: SiteChecks | undefined): SiteInputs | undefined {
  if (!site) return undefined;
  const files = site.files ?? [];
  const reads = files.filter((f) => f.contains !== undefined || f.notContains !== undefined || f.certificate !== undefined);
  const inputs: SiteInputs = {
    read: reads.map((f) => f.path),
    stat: files.filter((f) => !reads.includes(f)).map((f) => f.path),
    // Owner and group names come from the node's own account files, for every file checked (reports name them).
    accounts: files.length > 0,
    sysctls: (site.sysctls ?? []).map((s) => s.key),
    kernelModules: (site.kernelModules ?? []).map((m) => m.name),
    systemdUnits: (site.systemdUnits ?? []).map((u) => u.unit),
  };
  const empty = Object.values(inputs).every((v) => v === false || (v as string[]).length === 0);
  return empty ? undefined : inputs;
}

/** Problems a schema cannot see: patterns that are not regular expressions, contradictions, unit names. */
export function siteProblems(site: SiteChecks | undefined): RuleProblem[] {
  const problems: RuleProblem[] = [];
  (site?.files ?? []).forEach((f, i) => {
    const at = (tokens: string[], message: string): void => void problems.push({ tokens: ['site', 'files', String(i), ...tokens], message });
    for (const key of ['contains', 'notContains'] as const) {
      const patterns = f[key];
      list(patterns).forEach((p, j) => {
        const error = regexError(p, 'm');
        if (error) at(Array.isArray(patterns) ? [key, String(j)] : [key], error);
      });
    }
    if (f.exists === false) {
      const tests = (['mode', 'owner', 'group', 'contains', 'notContains', 'certificate'] as const).filter((k) => f[k] !== undefined);
      if (tests.length > 0)
        at(
          ['exists'],
          `exists: false says ${f.path} must be absent, so ${words(tests)} cannot apply; remove ${tests.length > 1 ? 'them' : 'it'} or the exists: false`,
        );
    }
  });
  (site?.systemdUnits ?? []).forEach((u, i) => {
    const at = (tokens: string[], message: string): void => void problems.push({ tokens: ['site', 'systemdUnits', String(i), ...tokens], message });
    if (!isValidUnitName(u.unit)) at(['unit'], `"${u.unit}" is not a unit name; write it with its type, such as "${u.unit.replace(/\.[^.]*$/, '')}.service"`);
    const both = (u.environment?.has ?? []).filter((v) => u.environment?.lacks?.includes(v));
    if (both.length > 0) at(['environment'], `${words(both)} cannot be both in has and in lacks`);
    if (u.exists === false && (u.enabled !== undefined || u.environment !== undefined))
      at(['exists'], `exists: false says ${u.unit} must not exist, so enabled and environment cannot apply; remove them or the exists: false`);
  });
  return problems;
}

/** Every id the site checks define, with where, for duplicate and waiver checks. */
export function siteIds(site: SiteChecks | undefined): { id: string; tokens: string[] }[] {
  return (['files', 'sysctls', 'kernelModules', 'systemdUnits'] as const).flatMap((kind) =>
    (site?.[kind] ?? []).map((c: SiteCheckBase, i) => ({ id: c.id, tokens: ['site', kind, String(i), 'id'] })),
  );
}

function rule(check: SiteCheckBase, title: string, remediation: string, run: (ctx: RuleContext) => CheckOutcome): Rule {
  return {
    id: check.id,
    title: check.title ?? title,
    severity: check.severity ?? 'error',
    mode: 'static',
    rationale: check.rationale ?? "A site check of this organization's checklist.",
    remediation: check.remediation ?? remediation,
    references: check.references ?? [],
    check: run,
  };
}

const notCollected = (what: string): { notApplicable: string } => ({
  notApplicable: `The snapshot does not hold ${what}; take it with the same --checklist so the collector reads what site checks name`,
});

/** The site checks of a checklist as rules; `source` (the checklist file) names the check when a pattern runs away. */
export function siteRules(site: SiteChecks | undefined, source = 'checklist'): Rule[] {
  const searches = fileSearches(site?.files ?? [], source);
  return [
    ...(site?.files ?? []).map((f) => fileRule(f, searches)),
    ...(site?.sysctls ?? []).map(sysctlRule),
    ...(site?.kernelModules ?? []).map(moduleRule),
    ...(site?.systemdUnits ?? []).map(unitRule),
  ];
}

function ownerWords(name: string | null, id: number, kind: 'uid' | 'gid'): string {
  return name === null ? `${kind} ${id}` : `${name} (${kind} ${id})`;
}

/** Whether an owner (name or id) is the file's; null when the file's id is not known. */
function sameAccount(want: string | number, id: number | null, name: string | null): boolean | null {
  if (id === null) return null;
  if (typeof want === 'number' || /^\d+$/.test(want)) return id === Number(want);
  // Without a passwd entry for it, uid 0 is still root: the kernel decides that, not the file.
  return name === want || (name === null && want === 'root' && id === 0);
}

function fileTitle(f: SiteFileCheck): string {
  if (f.exists === false) return `${f.path} is absent`;
  const parts: string[] = [];
  if (f.mode !== undefined) parts.push(`mode ${f.mode.padStart(4, '0')}`);
  if (f.owner !== undefined) parts.push(`owner ${f.owner}`);
  if (f.group !== undefined) parts.push(`group ${f.group}`);
  const has = [
    ...list(f.contains).map((p) => `text matching /${p}/`),
    ...list(f.notContains).map((p) => `no text matching /${p}/`),
    ...(f.certificate ? [`PEM certificates valid${f.certificate.validForDays ? ` for at least ${f.certificate.validForDays} more days` : ''}`] : []),
  ];
  return `${f.path} exists${parts.length > 0 ? ` with ${words(parts)}` : ''}${has.length > 0 ? `${parts.length > 0 ? ',' : ''} holding ${words(has)}` : ''}`;
}

function fileRemediation(f: SiteFileCheck): string {
  if (f.exists === false) return `Remove ${f.path}.`;
  const steps = [`install ${f.path} as the site standard has it`];
  if (f.mode !== undefined) steps.push(`chmod ${f.mode} ${f.path}`);
  if (f.owner !== undefined || f.group !== undefined) steps.push(`chown ${f.owner ?? ''}${f.group !== undefined ? `:${f.group}` : ''} ${f.path}`);
  if (f.certificate) steps.push('replace a certificate before it expires');
  return `${words(steps).replace(/^./, (c) => c.toUpperCase())}.`;
}

function unreadable(path: string, f: SiteFile): Violation {
  const why = f.type === 'file' ? (f.error ?? 'its text was not collected') : `it is a ${f.type}, not a file`;
  return { message: `${path} cannot be read as text (${why})`, evidence: { file: path, observed: f.type } };
}

function fileRule(f: SiteFileCheck, searches: Searches): Rule {
  return rule(f, fileTitle(f), fileRemediation(f), ({ model, date }) => {
    const file = model.site.files[f.path];
    if (!file || file.type === 'not-collected') return notCollected(f.path);
    const ev = { file: f.path };
    if (f.exists === false)
      return file.type === 'missing'
        ? []
        : [
            {
              message: `${f.path} exists (a ${file.type}); the checklist requires it to be absent`,
              evidence: { ...ev, observed: file.type, expected: 'missing' },
            },
          ];
    if (file.type === 'missing') return [{ message: `${f.path} does not exist`, evidence: { ...ev, observed: 'missing', expected: 'present' } }];
    if (file.type === 'error') return [{ message: `${f.path} cannot be looked at (${file.error!})`, evidence: { ...ev, observed: file.error } }];
    const out: Violation[] = [];
    const unknown: string[] = [];
    if (f.mode !== undefined && file.mode !== null && file.mode !== f.mode.padStart(4, '0')) {
      out.push({
        message: `${f.path} has mode ${file.mode}; the checklist requires ${f.mode.padStart(4, '0')}`,
        evidence: { ...ev, observed: file.mode, expected: f.mode.padStart(4, '0') },
      });
    }
    for (const [kind, want, id, name] of [
      ['owner', f.owner, file.uid, file.owner],
      ['group', f.group, file.gid, file.group],
    ] as const) {
      if (want === undefined) continue;
      const same = sameAccount(want, id, name);
      if (same === null) unknown.push(kind);
      else if (!same)
        out.push({
          message: `${f.path} has ${kind} ${ownerWords(name, id!, kind === 'owner' ? 'uid' : 'gid')}; the checklist requires ${want}`,
          evidence: { ...ev, observed: name ?? id, expected: want },
        });
    }
    if (f.contains !== undefined || f.notContains !== undefined || f.certificate !== undefined) {
      if (file.text === null) return [...out, unreadable(f.path, file)];
      const found = searches(model);
      for (const p of list(f.contains)) {
        if (found.get(`${f.id}\0${p}`) === null) out.push({ message: `${f.path} has no text matching /${p}/`, evidence: { ...ev, expected: `/${p}/` } });
      }
      for (const p of list(f.notContains)) {
        const line = found.get(`${f.id}\0${p}`)!;
        if (line !== null)
          out.push({ message: `${f.path}:${line} matches /${p}/, which the checklist forbids`, evidence: { ...ev, line, expected: `no match for /${p}/` } });
      }
      if (f.certificate) out.push(...certificateViolations(f, file, date ?? new Date().toISOString().slice(0, 10)));
    }
    if (out.length === 0 && unknown.length > 0) return { notApplicable: `The ${words(unknown)} of ${f.path} is not known (the snapshot holds no owner ids)` };
    return out;
  });
}

function certificateViolations(f: SiteFileCheck, file: SiteFile, date: string): Violation[] {
  if (file.certificates.length === 0)
    return [
      { message: `${f.path} holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)`, evidence: { file: f.path, expected: 'a PEM certificate' } },
    ];
  const days = f.certificate!.validForDays ?? 0;
  const start = Date.parse(`${date}T00:00:00Z`);
  const limit = new Date(start + days * DAY_MS).toISOString().slice(0, 10);
  const out: Violation[] = [];
  for (const c of file.certificates) {
    const evidence = { file: f.path, line: c.line };
    const cert = `the certificate${c.subject ? ` for ${JSON.stringify(c.subject)}` : ''}`;
    if (c.error) {
      out.push({ message: `${f.path}:${c.line} has a certificate block that is not a certificate (${c.error})`, evidence: { ...evidence, observed: c.error } });
    } else if (Date.parse(c.notBefore!) >= start + DAY_MS) {
      out.push({
        message: `${f.path}:${c.line}: ${cert} is not valid before ${c.notBefore!}`,
        evidence: { ...evidence, observed: c.notBefore, expected: `valid on ${date}` },
      });
    } else if (Date.parse(c.notAfter!) <= start) {
      out.push({
        message: `${f.path}:${c.line}: ${cert} expired on ${c.notAfter!}`,
        evidence: { ...evidence, observed: c.notAfter, expected: `valid after ${limit}` },
      });
    } else if (Date.parse(c.notAfter!) <= start + days * DAY_MS) {
      out.push({
        message: `${f.path}:${c.line}: ${cert} expires on ${c.notAfter!}, within ${days} days of ${date}`,
        evidence: { ...evidence, observed: c.notAfter, expected: `valid after ${limit}` },
      });
    }
  }
  return out;
}

function sysctlRule(s: SiteSysctlCheck): Rule {
  const want = blanks(String(s.value));
  const proc = sysctlProcPath(s.key);
  return rule(
    s,
    `${s.key} is ${want} now and for boot`,
    `Put ${s.key} = ${want} in a file under /etc/sysctl.d/ and apply it with sysctl --system.`,
    ({ model }) => {
      const state = model.site.sysctls[s.key];
      if (!state?.collected) return notCollected(s.key);
      const out: Violation[] = [];
      if (model.host.procAvailable && state.live !== want) {
        out.push({
          message: state.live === null ? `${proc} does not exist (this kernel has no ${s.key})` : `${proc} is ${state.live}; the checklist requires ${want}`,
          evidence: { file: proc, observed: state.live, expected: want },
        });
      }
      const persisted = state.persisted;
      if (!persisted) {
        out.push({
          message: `${s.key} is not set in /etc/sysctl.conf or any sysctl.d file, so it is the kernel's default after a reboot`,
          evidence: { path: s.key, observed: null, expected: want },
        });
      } else if (blanks(persisted.value) !== want) {
        out.push({
          message: `${persisted.file}:${persisted.line} sets ${s.key} = ${persisted.value} for boot; the checklist requires ${want}`,
          evidence: { file: persisted.file, line: persisted.line, path: s.key, observed: persisted.value, expected: want },
        });
      }
      return out;
    },
  );
}

function moduleRule(m: SiteKernelModuleCheck): Rule {
  return rule(
    m,
    `${m.name} is loaded now and at boot`,
    `Add ${m.name} to a file under /etc/modules-load.d/ and load it with modprobe ${m.name}.`,
    ({ model }) => {
      const state = model.site.kernelModules[m.name];
      if (!state?.collected) return notCollected(`the kernel module ${m.name}`);
      const out: Violation[] = [];
      if (state.loaded === false)
        out.push({
          message: `${m.name} is not loaded (not in /proc/modules or /sys/module)`,
          evidence: { file: '/proc/modules', observed: 'not loaded', expected: `${m.name} loaded` },
        });
      if (!state.persisted && !state.builtin) {
        out.push({
          message: `${m.name} is not listed in any modules-load.d file or /etc/modules, so it is not loaded after a reboot`,
          evidence: { path: 'modules-load.d', observed: null, expected: m.name },
        });
      }
      return out;
    },
  );
}

function unitTitle(u: SiteSystemdUnitCheck): string {
  if (u.exists === false) return `${u.unit} does not exist`;
  const parts = ['exists'];
  if (u.enabled !== undefined) parts.push(u.enabled ? 'is enabled' : 'is not enabled');
  if (u.environment?.has?.length) parts.push(`sets ${words(u.environment.has)}`);
  if (u.environment?.lacks?.length) parts.push(`does not set ${words(u.environment.lacks)}`);
  return `${u.unit} ${words(parts)}`;
}

function unitRemediation(u: SiteSystemdUnitCheck): string {
  if (u.exists === false) return `Remove ${u.unit} (or mask it with systemctl mask ${u.unit}).`;
  const steps: string[] = [];
  if (u.enabled !== undefined) steps.push(`run systemctl ${u.enabled ? 'enable' : 'disable'} ${u.unit}`);
  if (u.environment?.has?.length) steps.push(`set ${words(u.environment.has)} in the unit or a drop-in`);
  if (u.environment?.lacks?.length) steps.push(`remove ${words(u.environment.lacks)} from the unit, its drop-ins and environment files`);
  if (u.environment) steps.push(`run systemctl daemon-reload and restart ${u.unit}`);
  const todo = steps.length === 0 ? `install ${u.unit}` : `install ${u.unit} if it is missing, then ${words(steps)}`;
  return `${todo.replace(/^./, (c) => c.toUpperCase())}.`;
}

function unitRule(u: SiteSystemdUnitCheck): Rule {
  return rule(u, unitTitle(u), unitRemediation(u), ({ model }: { model: NodeModel }) => {
    const unit = model.systemd.units[u.unit];
    const site = model.site.systemdUnits[u.unit];
    if (!unit || !site?.collected) return notCollected(`the unit ${u.unit}`);
    const ev = { path: `/systemd/units/${u.unit}` };
    if (u.exists === false) {
      return unit.loadState === 'loaded'
        ? [
            {
              message: `${u.unit} exists (${unit.fragmentPath!}); the checklist requires it not to`,
              evidence: { ...ev, file: unit.fragmentPath!, observed: 'loaded', expected: 'not-found' },
            },
          ]
        : [];
    }
    if (unit.loadState === 'not-found')
      return [{ message: `${u.unit} does not exist (no unit file in the unit search path)`, evidence: { ...ev, observed: 'not-found', expected: 'loaded' } }];
    if (unit.loadState === 'masked')
      return [
        { message: `${u.unit} is masked by ${unit.fragmentPath!}`, evidence: { ...ev, file: unit.fragmentPath!, observed: 'masked', expected: 'loaded' } },
      ];
    const out: Violation[] = [];
    const enabled = site.enablement === 'enabled' || site.enablement === 'enabled-runtime';
    if (u.enabled === true && !enabled) {
      const why =
        site.enablement === 'static'
          ? " (it has no [Install] section: only another unit's dependency starts it)"
          : ' (no link to it in a .wants or .requires directory under /etc/systemd/system)';
      out.push({
        message: `${u.unit} is ${site.enablement}${why}`,
        evidence: { ...ev, file: unit.fragmentPath!, observed: site.enablement, expected: 'enabled' },
      });
    }
    if (u.enabled === false && enabled) {
      out.push({
        message: `${u.unit} is ${site.enablement} by ${site.links.join(', ')}; the checklist requires it not to be`,
        evidence: { ...ev, file: site.links[0]!, observed: site.enablement, expected: 'disabled' },
      });
    }
    const env = unit.environment;
    for (const name of u.environment?.has ?? []) {
      // A loaded unit without an environment is one systemd would not start (environment is null only then).
      if (env === null)
        out.push({
          message: `${u.unit} has no environment to set ${name} in (${unit.startFailure!.message})`,
          evidence: { ...ev, observed: null, expected: name },
        });
      else if (!env[name])
        out.push({
          message: `${u.unit} has no ${name} set; the checklist requires it`,
          evidence: { ...ev, path: `${ev.path}/environment`, observed: null, expected: name },
        });
    }
    for (const name of u.environment?.lacks ?? []) {
      const v = env?.[name];
      if (v)
        out.push({
          message: `${u.unit} has ${name} set (from ${v.file}:${v.line}); the checklist forbids it`,
          evidence: { ...ev, path: `${ev.path}/environment/${name}`, file: v.file, line: v.line, observed: redactText(v.value), expected: `no ${name}` },
        });
    }
    return out;
  });
}
