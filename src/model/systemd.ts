/**
 * Units as systemd loads them from a node's files, and the environment their
 * processes get (spec: ../shared/reference/systemd-proxy-spec.md §0–§4).
 * Sources: systemd/systemd src/libsystemd/sd-path/path-lookup.c (search path),
 * src/shared/unit-file.c (name map, aliases, masks), src/shared/dropin.c
 * (drop-in directories), src/basic/conf-files.c (drop-in order),
 * src/core/execute.c and exec-invoke.c (environment files and merge order),
 * src/core/main.c (DefaultEnvironment=).
 */
import { basename, compareBytes, dirname, joinPath, normalizePath } from '../snapshot/paths.js';
import type { DirEntry, PathRecord, Snapshot } from '../snapshot/types.js';
import type { TextResult } from '../snapshot/query.js';
import { envFileToMap, parseEnvFile } from '../parsers/env-file.js';
import { parseEtcEnvironment, parseProfileScript } from '../parsers/shell-env.js';
import { systemSpecifiers, unitNameParts, unitSpecifiers, type HostFacts, type SpecifierTable } from '../parsers/systemd-specifiers.js';
import {
  parseEnvironmentFileValue,
  parseEnvironmentValue,
  parseNameList,
  parseUnitFile,
  type UnitFile,
  type UnitSyntax,
} from '../parsers/systemd-unit.js';
import { listConfFiles } from './conf-files.js';
import type { InputRequest } from './inputs.js';
import { SnapshotReader } from './reader.js';
import type { ConfigProblem, EnvironmentFileEntry, EnvVar, LoginVar, StartFailure, SystemdModel, SystemdUnit, UnitCommand } from './types.js';

/**
 * The system manager's unit search path, highest precedence first (spec §1.1;
 * path-lookup.c lookup_paths_init). `/lib/systemd/system` is Debian's data
 * directory; it counts only where /lib is not the merged-/usr symlink.
 * $SYSTEMD_UNIT_PATH is never set for PID 1 on normal systems and is ignored.
 */
export const UNIT_SEARCH_PATH = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
] as const;

const LEGACY_DATA_DIR = '/lib/systemd/system';
const DATA_DIR = '/usr/lib/systemd/system';
const GENERATOR_DIRS = ['/run/systemd/generator.early', '/run/systemd/generator', '/run/systemd/generator.late'];

/** The units the checklist reads; they are always modelled. */
export const MODELED_UNITS = ['containerd.service', 'kubelet.service'] as const;

/** The manager's main configuration: the first of these that exists (spec §4.5). */
const SYSTEM_CONF = ['/etc/systemd/system.conf', '/run/systemd/system.conf', '/usr/local/lib/systemd/system.conf', '/usr/lib/systemd/system.conf'];
const SYSTEM_CONF_D = SYSTEM_CONF.map((f) => `${f}.d`);

const UNIT_TYPES = ['service', 'socket', 'device', 'mount', 'automount', 'swap', 'target', 'path', 'timer', 'slice', 'scope'];
/** The section of each unit type; the exec settings (environment) belong to the first four. */
const TYPE_SECTION: Readonly<Record<string, string>> = { service: 'Service', socket: 'Socket', mount: 'Mount', swap: 'Swap', automount: 'Automount', path: 'Path', timer: 'Timer', slice: 'Slice', scope: 'Scope' };
const EXEC_TYPES = ['service', 'socket', 'mount', 'swap'];
const ENV_KEYS = ['Environment', 'EnvironmentFile', 'PassEnvironment', 'UnsetEnvironment'];

/** The syntax of a unit file of each type: [Unit], the type's own section, [Install]. */
const UNIT_SYNTAX: Readonly<Record<string, UnitSyntax>> = Object.fromEntries(
  UNIT_TYPES.map((type) => {
    const section = TYPE_SECTION[type];
    const keys = EXEC_TYPES.includes(type) ? [...ENV_KEYS, ...(type === 'service' ? ['ExecStart'] : [])] : [];
    return [type, { sections: ['Unit', ...(section ? [section] : []), 'Install'], keys: section ? { [section]: keys } : {}, elsewhere: [...ENV_KEYS, 'ExecStart'] }];
  }),
);

const MANAGER_SYNTAX: UnitSyntax = { sections: ['Manager'], keys: { Manager: ['DefaultEnvironment'] } };

/**
 * unit_name_is_valid(): `prefix.type` or `prefix@instance.type` (an empty
 * instance is a template), from letters, digits and `:-_.\`. Names starting
 * with a dot, or ending in an unknown type such as `.ignore`, are not units.
 */
export function isValidUnitName(name: string): boolean {
  const m = /^([A-Za-z0-9:_.\\-]+)(@[A-Za-z0-9:_.\\-]*)?\.([a-z]+)$/.exec(name);
  return m !== null && name.length <= 255 && !name.startsWith('.') && UNIT_TYPES.includes(m[3]!);
}

/** The template of an instance (`foo@bar.service` → `foo@.service`), or null. */
function templateOf(name: string): string | null {
  const { prefix, instance, type } = unitNameParts(name);
  return instance ? `${prefix}@.${type}` : null;
}

/** What one search-directory entry gives a unit name (unit_file_build_name_map). */
interface NameEntry {
  /** The entry's path (a linked unit file or a mask is its symlink). */
  path: string;
  /** For an alias (a symlink to a unit inside the search path): the target's name. */
  alias?: string;
  /** The raw symlink target, for masks and linked unit files. */
  link?: string;
}

/**
 * The search path for this root: `/lib/systemd/system` is left out where it is
 * the same directory as `/usr/lib/systemd/system` (merged /usr, where /lib is a
 * symlink), so units are reported under /usr/lib (spec §1.1).
 */
function searchPath(r: SnapshotReader): string[] {
  const merged = r.chase(LEGACY_DATA_DIR) === r.chase(DATA_DIR);
  return UNIT_SEARCH_PATH.filter((dir) => !(dir === LEGACY_DATA_DIR && merged));
}

/**
 * The unit names of the search path (unit_file_build_name_map): for a name,
 * the first directory that has it decides whether it is a file, an alias, a
 * mask or a linked unit file. Built on demand: a real node has hundreds of
 * unit files, and only the requested names and the symlinks (possible
 * aliases) are ever looked at.
 */
class NameMap {
  private readonly known = new Map<string, NameEntry | null>();
  private readonly index: Map<string, DirEntry>[];

  constructor(
    private readonly r: SnapshotReader,
    private readonly dirs: readonly string[],
  ) {
    this.index = dirs.map((d) => new Map((r.entries(d) ?? []).map((e) => [e.name, e])));
  }

  /** Names that are symlinks somewhere in the search path, the only ones that can be aliases. */
  links(): string[] {
    return [...new Set(this.index.flatMap((m) => [...m.values()].filter((e) => e.type === 'symlink').map((e) => e.name)))];
  }

  get(name: string): NameEntry | undefined {
    let known = this.known.get(name);
    if (known === undefined) this.known.set(name, (known = this.lookup(name)));
    return known ?? undefined;
  }

  private lookup(name: string): NameEntry | null {
    if (!isValidUnitName(name)) return null;
    for (const [i, dir] of this.dirs.entries()) {
      const entry = this.index[i]!.get(name);
      if (!entry || (entry.type !== 'file' && entry.type !== 'symlink')) continue;
      const path = joinPath(dir, name);
      if (entry.type === 'file') return { path };
      const target = joinPath(dir, entry.link!);
      const resolved = target === '/dev/null' ? target : joinPath(this.r.chase(dirname(target)), basename(target));
      // path_startswith_strv(): the target, with the symlinks of its directories resolved, lies in a search directory.
      // A mask, or a linked unit file: its content comes from the target, its name from the link.
      if (!this.dirs.some((d) => resolved.startsWith(`${d}/`))) return { path, link: entry.link! };
      const alias = basename(resolved);
      // A self-alias has no effect and is skipped; an alias must keep the unit type (unit_validate_alias_symlink).
      if (alias !== name && isValidUnitName(alias) && unitNameParts(alias).type === unitNameParts(name).type) return { path, alias };
    }
    return null;
  }
}

/** unit_ids_map_get(): follow aliases to a file; a broken alias to an instance falls back to its template. */
function findEntry(map: NameMap, name: string): NameEntry | null {
  let id = name;
  // FOLLOW_MAX hops; a longer chain is a loop.
  for (let hops = 0; hops < 64; hops++) {
    const entry = map.get(id) ?? (id === name ? undefined : map.get(templateOf(id) ?? ''));
    if (!entry) return null;
    if (entry.alias === undefined) return entry;
    id = entry.alias;
  }
  return null;
}

/**
 * The names whose `.d` directories hold drop-ins for a name, in the order of
 * unit_file_find_dirs(): the name, its template (for an instance), then the
 * dash prefixes from longest to shortest (`foo-bar-baz.service` →
 * `foo-bar-.service` → `foo-.service`), each with its own template and prefixes.
 */
export function dropInNames(name: string): string[] {
  const { prefix, instance, type } = unitNameParts(name);
  const out = [name];
  if (instance) out.push(...dropInNames(`${prefix}@.${type}`));
  let stem = prefix;
  let chopped = false;
  for (;;) {
    const dash = stem.lastIndexOf('-');
    // No dash, or only a leading one: no (further) prefix.
    if (dash <= 0) return out;
    if (dash + 1 < stem.length || chopped) {
      stem = stem.slice(0, dash + 1);
      break;
    }
    // A trailing dash is chopped off once and the search goes on.
    stem = stem.slice(0, dash);
    chopped = true;
  }
  return [...out, ...dropInNames(instance ? `${stem}@${instance}.${type}` : `${stem}.${type}`)];
}

/** Read a node's facts for specifiers (only when a value uses one). */
function hostFacts(r: SnapshotReader): HostFacts {
  const text = (path: string): string | null => {
    const t = r.text(path);
    return t.status === 'ok' ? t.text : null;
  };
  const firstLine = (path: string): string | null => {
    const line = (text(path) ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#'));
    return line ?? null;
  };
  const osRelease = text('/etc/os-release') ?? text('/usr/lib/os-release');
  return {
    hostname: firstLine('/proc/sys/kernel/hostname') ?? firstLine('/etc/hostname'),
    machineId: firstLine('/etc/machine-id'),
    bootId: firstLine('/proc/sys/kernel/random/boot_id')?.replaceAll('-', '') ?? null,
    kernelRelease: firstLine('/proc/sys/kernel/osrelease'),
    osRelease: osRelease === null ? null : Object.fromEntries([...envFileToMap(parseEnvFile(osRelease))].map(([k, v]) => [k, v.value])),
  };
}

const NO_SPECIFIERS: SpecifierTable = {};

/** Why a file has no text: the reader's reason, or its state (missing, not collected). */
const unreadable = (t: Exclude<TextResult, { status: 'ok' }>): string => (t.status === 'unreadable' ? t.reason : t.status);

/**
 * Parses by record: the collector plans by building the model once per round,
 * and a file's record stays the same object between rounds.
 */
const parsedFiles = new WeakMap<PathRecord, Map<UnitSyntax, UnitFile>>();

/** Parse a unit file read through the reader, or say why it cannot be read. */
function parseFile(r: SnapshotReader, path: string, syntax: UnitSyntax): { parsed: UnitFile } | { error: string } {
  const t = r.text(path);
  if (t.status !== 'ok') return { error: unreadable(t) };
  let byType = parsedFiles.get(t.record);
  if (!byType) parsedFiles.set(t.record, (byType = new Map()));
  let parsed = byType.get(syntax);
  if (!parsed) byType.set(syntax, (parsed = parseUnitFile(t.text, syntax, t.record.invalidUtf8 === true)));
  return { parsed };
}

/** The manager's DefaultEnvironment= list from system.conf and system.conf.d (spec §4.5). */
function buildManager(r: SnapshotReader): SystemdModel['manager'] {
  const main = SYSTEM_CONF.find((f) => {
    const record = r.record(f);
    return record !== undefined && record.type !== 'missing';
  });
  SYSTEM_CONF_D.forEach((d) => r.entries(d));
  const confD = listConfFiles(r.snapshot, SYSTEM_CONF_D, '.conf');
  confD.forEach((f) => r.record(f.path));
  const files = [...(main ? [main] : []), ...confD.filter((f) => !f.masked).map((f) => f.path)];
  const env = new Map<string, EnvVar>();
  const problems: ConfigProblem[] = [];
  let table: SpecifierTable | null = null;
  for (const file of files) {
    const result = parseFile(r, file, MANAGER_SYNTAX);
    if (!('parsed' in result)) continue;
    const local = withFile(file, result.parsed.problems);
    for (const a of result.parsed.assignments.filter((x) => x.key === 'DefaultEnvironment')) {
      const parsed = parseEnvironmentValue(a.value, a.value.includes('%') ? (table ??= systemSpecifiers(hostFacts(r))) : NO_SPECIFIERS);
      if (parsed.reset) env.clear();
      for (const w of parsed.assignments) env.set(w.name, { value: w.value, file, line: a.line, origin: 'DefaultEnvironment', ...(w.unresolved ? { unresolved: w.unresolved } : {}) });
      local.push(...parsed.problems.map((message) => ({ file, line: a.line, message: `DefaultEnvironment=: ${message}` })));
    }
    problems.push(...byLine(local));
  }
  return { files, defaultEnvironment: Object.fromEntries(env), problems };
}

/** Options for resolving a unit. */
export interface ResolveOptions {
  /** PID 1's environment, for `PassEnvironment=`; empty unless supplied (it cannot be read from an image). */
  managerEnvironment?: Readonly<Record<string, string>>;
}

/** What every unit resolution shares: the search path, the name map and the manager's defaults. */
interface Context {
  r: SnapshotReader;
  dirs: string[];
  names: NameMap;
  manager: SystemdModel['manager'];
  managerEnvironment: Readonly<Record<string, string>>;
  host: () => HostFacts;
}

function context(r: SnapshotReader, options: ResolveOptions): Context {
  const dirs = searchPath(r);
  let facts: HostFacts | undefined;
  return { r, dirs, names: new NameMap(r, dirs), manager: buildManager(r), managerEnvironment: options.managerEnvironment ?? {}, host: () => (facts ??= hostFacts(r)) };
}

/** The settings the fragment and drop-ins accumulate. */
interface Settings {
  env: Map<string, EnvVar>;
  envFiles: { path: string; optional: boolean; unresolved?: string[]; file: string; line: number }[];
  pass: ListItem[];
  unset: ListItem[];
  execStart: UnitCommand[];
}

interface ListItem {
  item: string;
  file: string;
  line: number;
}

/** Apply one parsed file's assignments of the unit type's section to the settings, in order. */
function applyFile(settings: Settings, parsed: UnitFile, file: string, section: string, table: () => SpecifierTable): ConfigProblem[] {
  const problems = withFile(file, parsed.problems);
  const specifiers = (value: string): SpecifierTable => (value.includes('%') ? table() : NO_SPECIFIERS);
  const report = (line: number, key: string, messages: string[]): void => {
    problems.push(...messages.map((message) => ({ file, line, message: `${key}=: ${message}` })));
  };
  for (const a of parsed.assignments.filter((x) => x.section === section)) {
    if (a.key === 'Environment') {
      const line = parseEnvironmentValue(a.value, specifiers(a.value));
      if (line.reset) settings.env.clear();
      for (const w of line.assignments) settings.env.set(w.name, { value: w.value, file, line: a.line, origin: 'Environment', ...(w.unresolved ? { unresolved: w.unresolved } : {}) });
      report(a.line, a.key, line.problems);
    } else if (a.key === 'EnvironmentFile') {
      const line = parseEnvironmentFileValue(a.value, specifiers(a.value));
      if (line.reset) settings.envFiles = [];
      if (line.problem) report(a.line, a.key, [line.problem]);
      if (line.path !== null) settings.envFiles.push({ path: line.path, optional: line.optional, ...(line.unresolved ? { unresolved: line.unresolved } : {}), file, line: a.line });
    } else if (a.key === 'PassEnvironment' || a.key === 'UnsetEnvironment') {
      const line = parseNameList(a.value, a.key, specifiers(a.value));
      const list = a.key === 'PassEnvironment' ? settings.pass : settings.unset;
      if (line.reset) list.length = 0;
      // strv_extend_strv(…, filter_duplicates): an item already listed is not added again.
      for (const item of line.items) if (!list.some((x) => x.item === item)) list.push({ item, file, line: a.line });
      report(a.line, a.key, line.problems);
    } else if (a.key === 'ExecStart') {
      if (a.value === '') settings.execStart = [];
      else settings.execStart.push({ value: a.value, file, line: a.line });
    }
  }
  return byLine(problems);
}

/** A file's problems with its path. */
const withFile = (file: string, problems: readonly { line: number; message: string }[]): ConfigProblem[] => problems.map((p) => ({ file, ...p }));

/** One file's problems in line order (parse problems and value problems are found in two passes). */
const byLine = (problems: ConfigProblem[]): ConfigProblem[] => problems.sort((a, b) => a.line! - b.line!);

/** Read one environment file as load_env_file() does; a key or value that is not UTF-8 fails the load. */
function loadEnvFile(r: SnapshotReader, path: string): { parsed: ReturnType<typeof parseEnvFile> } | { error: string } {
  const t = r.text(path);
  if (t.status !== 'ok') return { error: unreadable(t) };
  const parsed = parseEnvFile(t.text);
  if (t.record.invalidUtf8 && parsed.assignments.some((a) => `${a.name}${a.value}`.includes('\uFFFD'))) return { error: 'it holds a value that is not valid UTF-8' };
  return { parsed };
}

/** Load the environment files at (simulated) start: globs, `-`, and the env-file syntax (spec §4.2). */
function loadEnvironmentFiles(ctx: Context, settings: Settings, problems: ConfigProblem[]): { entries: EnvironmentFileEntry[]; vars: Map<string, EnvVar>; failure?: StartFailure } {
  const entries: EnvironmentFileEntry[] = [];
  const vars = new Map<string, EnvVar>();
  let failure: StartFailure | undefined;
  for (const ef of settings.envFiles) {
    const entry: EnvironmentFileEntry = { path: ef.path, optional: ef.optional, file: ef.file, line: ef.line, matches: [], state: 'ok' };
    entries.push(entry);
    if (ef.unresolved) {
      entry.state = 'unresolved';
      entry.error = `the path uses ${ef.unresolved.join(', ')}, which is not known offline`;
      continue;
    }
    // glob() without GLOB_PERIOD: `*` skips dot files; matches come sorted.
    entry.matches = ctx.r.glob(entry.path, false);
    if (entry.matches.length === 0) entry.state = 'missing';
    for (const m of entry.matches) {
      const loaded = loadEnvFile(ctx.r, m);
      if ('error' in loaded) {
        entry.state = 'unreadable';
        entry.error = `${m}: ${loaded.error}`;
        continue;
      }
      problems.push(...loaded.parsed.ignored.map((i) => ({ file: m, line: i.line, message: `${i.reason}; systemd drops the assignment` })));
      for (const a of loaded.parsed.assignments) vars.set(a.name, { value: a.value, file: m, line: a.line, origin: 'EnvironmentFile' });
    }
    if (entry.state !== 'ok' && !entry.optional && !failure) {
      const why = entry.state === 'missing' ? `no file matches ${entry.path}` : entry.error!;
      failure = { reason: 'environment-file', file: ef.file, line: ef.line, message: `EnvironmentFile=${entry.path} is required (no leading "-") and ${why}, so systemd does not start the service ("Failed to load environment files")` };
    }
  }
  return { entries, vars, ...(failure ? { failure } : {}) };
}

function emptyUnit(name: string, loadState: SystemdUnit['loadState'], fragmentPath: string | null): SystemdUnit {
  return { name, loadState, fragmentPath, aliases: [], dropInPaths: [], maskedDropIns: [], ignoredFiles: [], environment: null, environmentList: {}, environmentFiles: [], execStart: [], problems: [] };
}

function resolveWith(ctx: Context, requested: string): SystemdUnit {
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
  if (dirs.includes(LEGACY_DATA_DIR) && (r.entries(LEGACY_DATA_DIR) ?? []).some((e) => e.name === fileName) && (r.entries(DATA_DIR) ?? []).some((e) => e.name === fileName)) {
    unit.problems.push({ file: entry.path, message: `both ${LEGACY_DATA_DIR}/${fileName} and ${DATA_DIR}/${fileName} exist on a split-/usr system; systemd reads only the first` });
  }

  const syntax = UNIT_SYNTAX[type]!;
  const section = TYPE_SECTION[type] ?? '';
  let table: SpecifierTable | undefined;
  const specifiers = (): SpecifierTable => (table ??= unitSpecifiers(name, entry.path, ctx.host()));
  const settings: Settings = { env: new Map(), envFiles: [], pass: [], unset: [], execStart: [] };
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

  const files = loadEnvironmentFiles(ctx, settings, unit.problems);
  unit.environmentFiles = files.entries;
  unit.startFailure ??= files.failure;
  if (unit.startFailure) return unit;

  // Merge order (spec §4.6): DefaultEnvironment, PassEnvironment, Environment, EnvironmentFile; then UnsetEnvironment.
  const env = new Map<string, EnvVar>(Object.entries(ctx.manager.defaultEnvironment));
  for (const p of settings.pass) {
    if (Object.hasOwn(ctx.managerEnvironment, p.item)) env.set(p.item, { value: ctx.managerEnvironment[p.item]!, file: p.file, line: p.line, origin: 'PassEnvironment' });
  }
  for (const [k, v] of [...settings.env, ...files.vars]) env.set(k, v);
  for (const { item } of settings.unset) {
    const eq = item.indexOf('=');
    // A bare name removes the variable; NAME=VALUE only when the value matches exactly.
    if (eq < 0) env.delete(item);
    else if (env.get(item.slice(0, eq))?.value === item.slice(eq + 1)) env.delete(item.slice(0, eq));
  }
  unit.environment = Object.fromEntries(env);
  return unit;
}

/** The login environment: /etc/environment, then /etc/profile.d/*.sh in glob order, exported variables only. */
function buildLogin(r: SnapshotReader): SystemdModel['login'] {
  const files = ['/etc/environment', ...r.glob('/etc/profile.d/*.sh', false)];
  const exported = new Map<string, LoginVar>();
  const local = new Map<string, LoginVar>();
  const read: string[] = [];
  for (const file of files) {
    const t = r.text(file);
    if (t.status !== 'ok') continue;
    read.push(file);
    for (const step of file === '/etc/environment' ? parseEtcEnvironment(t.text) : parseProfileScript(t.text)) {
      const set = { value: step.value ?? '', file, line: step.line };
      if (step.kind === 'unset') {
        exported.delete(step.name);
        local.delete(step.name);
      } else if (step.kind === 'export') {
        // `export NAME` exports the shell variable's current value.
        const v = local.get(step.name);
        if (v) exported.set(step.name, v);
        local.delete(step.name);
      } else if (step.exported || exported.has(step.name)) exported.set(step.name, set);
      else local.set(step.name, set);
    }
  }
  return { files: read, variables: Object.fromEntries(exported) };
}

function buildWith(r: SnapshotReader, units: readonly string[], options: ResolveOptions): SystemdModel {
  const ctx = context(r, options);
  const notes: string[] = [];
  if (GENERATOR_DIRS.every((d) => r.record(d)?.type === 'missing')) {
    notes.push('Generator output (/run/systemd/generator*) exists only on a running system; units and drop-ins that generators would create are not evaluated.');
  }
  const all = [...new Set([...MODELED_UNITS, ...units])];
  return {
    searchPath: ctx.dirs,
    manager: ctx.manager,
    units: Object.fromEntries(all.map((u) => [u, resolveWith(ctx, u)])),
    login: buildLogin(r),
    notes,
  };
}

/**
 * The last model built for a snapshot, with the records it was built from. The
 * collector plans by building the model, so its last planning round builds
 * exactly what buildModel() asks for next; a model is a function of the
 * records, so it is reused while every record is the same object.
 */
const lastBuilt = new WeakMap<Snapshot, { reader: SnapshotReader; units: string; model: SystemdModel; needs: InputRequest }>();

function buildCached(snapshot: Snapshot, units: readonly string[]): { model: SystemdModel; needs: InputRequest } {
  const key = units.join('\0');
  const last = lastBuilt.get(snapshot);
  if (last && last.units === key && last.reader.unchanged(snapshot)) return last;
  const reader = new SnapshotReader(snapshot);
  const built = { reader, units: key, model: buildWith(reader, units, {}), needs: reader.request() };
  lastBuilt.set(snapshot, built);
  return built;
}

/** What building the model on this snapshot reads that the snapshot still lacks. */
export function modelNeeds(snapshot: Snapshot, units: readonly string[] = []): InputRequest {
  return buildCached(snapshot, units).needs;
}

/** Where unit files and drop-ins usually are: the administrator's and the packages' directories. */
const LIKELY_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
/** The drop-in every kubeadm node has (the kubeadm package's), read at once so a plain node needs no further round. */
const LIKELY_DROP_INS = ['kubelet.service.d/10-kubeadm.conf'];

/**
 * The first round, before anything is known: what every build reads (the unit
 * search path and what decides /lib, system.conf and its drop-ins, the login
 * files), and where packages and administrators put these units and their
 * drop-ins. Planning takes a round per step (listing → unit file → drop-ins →
 * environment files); asking for the likely places at once skips two, and
 * nothing is built from an empty snapshot.
 */
function firstRound(units: readonly string[]): InputRequest {
  const prefixes = (path: string): string[] => path.split('/').slice(1).map((_, i, parts) => `/${parts.slice(0, i + 1).join('/')}`);
  const read = ['/etc/environment'];
  const list = [...UNIT_SEARCH_PATH, ...SYSTEM_CONF_D, '/etc/profile.d'];
  for (const dir of LIKELY_DIRS) {
    read.push(...LIKELY_DROP_INS.map((d) => `${dir}/${d}`));
    for (const unit of units) {
      read.push(`${dir}/${unit}`);
      list.push(...dropInNames(unit).map((n) => `${dir}/${n}.d`), `${dir}/${unitNameParts(unit).type}.d`);
    }
  }
  return { read, list, stat: [...prefixes(LEGACY_DATA_DIR), ...prefixes(DATA_DIR), ...SYSTEM_CONF] };
}

/** What the systemd model reads, given what has been collected so far: it plans by building itself. */
export function planSystemdInputs(snapshot: Snapshot, units: readonly string[] = []): InputRequest {
  const all = [...new Set([...MODELED_UNITS, ...units])];
  return Object.keys(snapshot.paths).length === 0 ? firstRound(all) : modelNeeds(snapshot, units);
}

/** Build the systemd part of the model: containerd.service, kubelet.service (and `units`), the manager, the login environment. */
export function buildSystemd(snapshot: Snapshot, units: readonly string[] = []): SystemdModel {
  return buildCached(snapshot, units).model;
}

/**
 * Resolve one unit the way systemd loads it from the node's files: the unit
 * search path (/etc over /run over /usr/lib, `/lib` only where it is not the
 * /usr/lib symlink), masks (a symlink to /dev/null or an empty file), aliases,
 * drop-ins (`name.d`, dash prefixes, templates, aliases, `service.d`) in
 * file-name order with same-name precedence, and the environment its processes
 * get: the manager's DefaultEnvironment=, PassEnvironment=, Environment=,
 * EnvironmentFile= (with and without `-`), then UnsetEnvironment=.
 *
 * The snapshot must hold the unit's files: collectSnapshot() collects
 * containerd.service and kubelet.service, and any unit named in its `units`
 * option.
 *
 * @param snapshot - the node's files
 * @param unitName - e.g. `containerd.service`
 * @param options - `managerEnvironment`: PID 1's environment for PassEnvironment= (empty by default)
 * @returns `loadState`, `fragmentPath` and `dropInPaths` (node paths, never
 *   prefixed with the root), `environment` (name → `{ value, file, line }`, or
 *   null when the unit is masked, not found or cannot start),
 *   `environmentFiles`, and `startFailure` when systemd would not start it.
 */
export function resolveUnit(snapshot: Snapshot, unitName: string, options: ResolveOptions = {}): SystemdUnit {
  return resolveWith(context(new SnapshotReader(snapshot), options), unitName);
}
