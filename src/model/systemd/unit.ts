/**
 * Resolving one unit as systemd loads it: its fragment, drop-ins, settings,
 * environment and command (spec: ../shared/reference/systemd-proxy-spec.md §0–§4).
 * Sources: systemd/systemd src/shared/unit-file.c, src/shared/dropin.c,
 * src/basic/conf-files.c, src/core/load-fragment.c, src/core/service.c
 * (service_verify()), src/core/execute.c and exec-invoke.c (merge order).
 */
import { basename, compareBytes, dirname, joinPath } from '../../snapshot/paths.js';
import { unitNameParts, unitSpecifiers, type HostFacts, type SpecifierTable } from '../../parsers/systemd-specifiers.js';
import { parseEnvironmentFileValue, parseEnvironmentValue, parseNameList, type UnitFile } from '../../parsers/systemd-unit.js';
import { parseExecValue } from '../../parsers/systemd-exec.js';
import { listConfFiles } from '../conf-files.js';
import type { SnapshotReader } from '../reader.js';
import type { ConfigProblem, EnvVar, StartFailure, SystemdUnit } from '../types.js';
import { substitute } from './command.js';
import { buildManager, loadEnvironmentFiles } from './environment.js';
import { byLine, hostFacts, NO_SPECIFIERS, parseFile, TYPE_SECTION, UNIT_SYNTAX, withFile } from './files.js';
import { DATA_DIR, dropInNames, findEntry, LEGACY_DATA_DIR, NameMap, searchPath, templateOf } from './lookup.js';
import type { Context, ResolveOptions, Settings } from './settings.js';

/** The search path, name map and manager defaults that every unit of one build shares. */
export function context(r: SnapshotReader, options: ResolveOptions): Context {
  const dirs = searchPath(r);
  let facts: HostFacts | undefined;
  return {
    r,
    dirs,
    names: new NameMap(r, dirs),
    manager: buildManager(r),
    managerEnvironment: options.managerEnvironment ?? {},
    host: () => (facts ??= hostFacts(r)),
  };
}

/** Apply one parsed file's assignments of the unit type's section to the settings, in order. */
export function applyFile(settings: Settings, parsed: UnitFile, file: string, section: string, table: () => SpecifierTable): ConfigProblem[] {
  const problems = withFile(file, parsed.problems);
  const specifiers = (value: string): SpecifierTable => (value.includes('%') ? table() : NO_SPECIFIERS);
  const report = (line: number, key: string, messages: string[]): void => {
    problems.push(...messages.map((message) => ({ file, line, message: `${key}=: ${message}` })));
  };
  for (const a of parsed.assignments.filter((x) => x.section === section)) {
    if (a.key === 'Environment') {
      const line = parseEnvironmentValue(a.value, specifiers(a.value));
      if (line.reset) settings.env.clear();
      for (const w of line.assignments)
        settings.env.set(w.name, { value: w.value, file, line: a.line, origin: 'Environment', ...(w.unresolved ? { unresolved: w.unresolved } : {}) });
      report(a.line, a.key, line.problems);
    } else if (a.key === 'EnvironmentFile') {
      const line = parseEnvironmentFileValue(a.value, specifiers(a.value));
      if (line.reset) settings.envFiles = [];
      if (line.problem) report(a.line, a.key, [line.problem]);
      if (line.path !== null)
        settings.envFiles.push({ path: line.path, optional: line.optional, ...(line.unresolved ? { unresolved: line.unresolved } : {}), file, line: a.line });
    } else if (a.key === 'PassEnvironment' || a.key === 'UnsetEnvironment') {
      const line = parseNameList(a.value, a.key, specifiers(a.value));
      const list = a.key === 'PassEnvironment' ? settings.pass : settings.unset;
      if (line.reset) list.length = 0;
      // strv_extend_strv(…, filter_duplicates): an item already listed is not added again.
      for (const item of line.items) if (!list.some((x) => x.item === item)) list.push({ item, file, line: a.line });
      report(a.line, a.key, line.problems);
    } else if (a.key === 'ExecStart') {
      settings.execWritten = true;
      if (a.value === '') {
        settings.execStart = [];
        continue;
      }
      const parsed = parseExecValue(a.value, specifiers(a.value));
      if (parsed.warnings) report(a.line, a.key, parsed.warnings);
      if (parsed.problem) {
        report(a.line, a.key, [parsed.problem]);
        settings.badExec ??= {
          reason: 'unit-file',
          file,
          line: a.line,
          message: `ExecStart=${a.value}: ${parsed.problem.replace(/; systemd ignores the line$/, '')}, so systemd refuses to load the unit`,
        };
      }
      for (const c of parsed.commands) settings.execStart.push({ value: a.value, file, line: a.line, argv: c.argv, ...(c.literal ? { literal: true } : {}) });
    } else if (a.key === 'ExecStop') settings.execStop = a.value !== '';
    else if (a.key === 'Type') settings.type = a.value;
  }
  if (parsed.assignments.some((a) => a.section === 'Unit' && a.key === 'SuccessAction' && a.value !== '' && a.value !== 'none')) settings.successAction = true;
  return byLine(problems);
}

/**
 * service_verify(): a service other than Type=oneshot runs exactly one
 * command, and one with no command at all (and no ExecStop= or
 * SuccessAction=) is refused. Either way the unit fails to load
 * ("bad-setting"); a drop-in that resets ExecStart= and forgets the new
 * command, or adds a second one without the reset, does this. A unit with no
 * `ExecStart=` line at all is modelled for its environment only (test units
 * and environment-only fragments), so only a reset that leaves nothing counts.
 */
export function verifyService(settings: Settings, fragment: string): StartFailure | undefined {
  const oneshot = settings.type === 'oneshot' || (settings.type === null && settings.execStart.length === 0);
  if (settings.execStart.length > 1 && !oneshot) {
    const second = settings.execStart[1]!;
    return {
      reason: 'unit-file',
      file: second.file,
      line: second.line,
      message:
        'Service has more than one ExecStart= setting, which is only allowed for Type=oneshot services; systemd refuses to load it (reset the list with an empty ExecStart= before the new command)',
    };
  }
  if (settings.execWritten && settings.execStart.length === 0 && !settings.execStop && !settings.successAction) {
    return { reason: 'unit-file', file: fragment, message: 'Service has no ExecStart=, ExecStop= or SuccessAction=; systemd refuses to load it' };
  }
  return undefined;
}

export function emptyUnit(name: string, loadState: SystemdUnit['loadState'], fragmentPath: string | null): SystemdUnit {
  return {
    name,
    loadState,
    fragmentPath,
    aliases: [],
    dropInPaths: [],
    maskedDropIns: [],
    ignoredFiles: [],
    environment: null,
    environmentList: {},
    environmentFiles: [],
    execStart: [],
    command: null,
    problems: [],
  };
}

export function resolveWith(ctx: Context, requested: string): SystemdUnit {
  const { r, dirs, names } = ctx;
  const template = templateOf(requested);
  const entry = findEntry(names, requested) ?? (template ? findEntry(names, template) : null);
  if (!entry) return emptyUnit(requested, 'not-found', null);
  const fileName = basename(entry.path);
  const { instance } = unitNameParts(requested);
  // A template file serves an instance under the instance's name.
  const name = instance && fileName.includes('@.') ? fileName.replace('@.', `@${instance}.`) : fileName;
  const type = unitNameParts(name).type;
  const unit = emptyUnit(name, 'loaded', entry.path);
  const instanceNames = names.links().filter((n) => n !== fileName && findEntry(names, n)?.path === entry.path);
  unit.aliases = [...new Set([...instanceNames.map((n) => (instance && n.includes('@.') ? n.replace('@.', `@${instance}.`) : n)), requested])]
    .filter((n) => n !== name)
    .sort(compareBytes);

  // Drop-in directories: own name, then aliases, in every search directory; type-level `service.d` last (spec §2.2).
  const present = dirs.filter((d) => r.entries(d) !== undefined);
  const dropInDirs = [
    ...[name, ...unit.aliases].flatMap((n) => present.flatMap((d) => dropInNames(n).map((x) => `${d}/${x}.d`))),
    ...present.map((d) => `${d}/${type}.d`),
  ];
  for (const d of dropInDirs) {
    for (const e of r.entries(d) ?? []) {
      if ((e.type === 'file' || e.type === 'symlink') && (!e.name.endsWith('.conf') || e.name.startsWith('.'))) unit.ignoredFiles.push(`${d}/${e.name}`);
    }
  }
  const dropIns = listConfFiles(r.snapshot, dropInDirs, '.conf');
  // Whether a drop-in masks depends on its record too (an empty file).
  dropIns.forEach((d) => r.record(d.path));

  const text = r.text(entry.path);
  // A symlink to /dev/null (by its target string: an image may have no /dev/null) or an empty file masks the unit.
  const masked = (entry.link !== undefined && joinPath(dirname(entry.path), entry.link) === '/dev/null') || (text.status === 'ok' && text.text === '');
  if (masked) return emptyUnit(name, 'masked', entry.path);
  if (text.status === 'missing' || text.status === 'not-collected') return emptyUnit(requested, 'not-found', null);
  unit.dropInPaths = dropIns.map((d) => d.path);
  unit.maskedDropIns = dropIns.filter((d) => d.masked).map((d) => d.path);
  if (
    dirs.includes(LEGACY_DATA_DIR) &&
    (r.entries(LEGACY_DATA_DIR) ?? []).some((e) => e.name === fileName) &&
    (r.entries(DATA_DIR) ?? []).some((e) => e.name === fileName)
  ) {
    unit.problems.push({
      file: entry.path,
      message: `both ${LEGACY_DATA_DIR}/${fileName} and ${DATA_DIR}/${fileName} exist on a split-/usr system; systemd reads only the first`,
    });
  }

  const syntax = UNIT_SYNTAX[type]!;
  const section = TYPE_SECTION[type] ?? '';
  let table: SpecifierTable | undefined;
  const specifiers = (): SpecifierTable => (table ??= unitSpecifiers(name, entry.path, ctx.host()));
  const settings: Settings = { env: new Map(), envFiles: [], pass: [], unset: [], execStart: [], type: null, execStop: false, successAction: false };
  const result = parseFile(r, entry.path, syntax);
  const fragment: UnitFile = 'parsed' in result ? result.parsed : { assignments: [], problems: [], aborted: false };
  if ('error' in result) unit.startFailure = { reason: 'unit-file', file: entry.path, message: `systemd cannot read the unit file (${result.error})` };
  else if (fragment.aborted) {
    const last = fragment.problems[fragment.problems.length - 1]!;
    unit.startFailure = { reason: 'unit-file', file: entry.path, line: last.line, message: last.message };
  }
  unit.problems.push(...applyFile(settings, fragment, entry.path, section, specifiers));
  for (const d of dropIns.filter((x) => !x.masked)) {
    const result = parseFile(r, d.path, syntax);
    // A drop-in that cannot be opened (a dangling symlink, no permission) is skipped.
    if ('parsed' in result) unit.problems.push(...applyFile(settings, result.parsed, d.path, section, specifiers));
    else unit.problems.push({ file: d.path, message: `the drop-in cannot be read (${result.error}); systemd skips it` });
  }
  unit.environmentList = Object.fromEntries(settings.env);
  unit.execStart = settings.execStart;
  if (type === 'service') unit.startFailure ??= settings.badExec ?? verifyService(settings, entry.path);

  const files = loadEnvironmentFiles(ctx, settings, unit.problems);
  unit.environmentFiles = files.entries;
  unit.startFailure ??= files.failure;
  if (unit.startFailure) return unit;

  // Merge order (spec §4.6): DefaultEnvironment, PassEnvironment, Environment, EnvironmentFile; then UnsetEnvironment.
  const env = new Map<string, EnvVar>(Object.entries(ctx.manager.defaultEnvironment));
  for (const p of settings.pass) {
    if (Object.hasOwn(ctx.managerEnvironment, p.item))
      env.set(p.item, { value: ctx.managerEnvironment[p.item]!, file: p.file, line: p.line, origin: 'PassEnvironment' });
  }
  for (const [k, v] of [...settings.env, ...files.vars]) env.set(k, v);
  for (const { item } of settings.unset) {
    const eq = item.indexOf('=');
    // A bare name removes the variable; NAME=VALUE only when the value matches exactly.
    if (eq < 0) env.delete(item);
    else if (env.get(item.slice(0, eq))?.value === item.slice(eq + 1)) env.delete(item.slice(0, eq));
  }
  unit.environment = Object.fromEntries(env);
  const last = unit.execStart[unit.execStart.length - 1];
  if (type === 'service' && last?.argv) unit.command = substitute(last, unit.environment);
  return unit;
}
