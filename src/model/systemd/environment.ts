/**
 * The environment systemd gives a unit's processes from files: the manager's
 * DefaultEnvironment= (system.conf, system.conf.d) and the unit's
 * EnvironmentFile= entries (spec: ../shared/reference/systemd-proxy-spec.md §4).
 * Sources: systemd/systemd src/core/main.c (DefaultEnvironment=),
 * src/core/execute.c and exec-invoke.c (environment files),
 * src/basic/conf-files.c (drop-in order).
 */
import { parseEnvFile } from '../../parsers/env-file.js';
import { systemSpecifiers, type SpecifierTable } from '../../parsers/systemd-specifiers.js';
import { parseEnvironmentValue, type UnitSyntax } from '../../parsers/systemd-unit.js';
import { listConfFiles } from '../conf-files.js';
import type { SnapshotReader } from '../reader.js';
import type { ConfigProblem, EnvironmentFileEntry, EnvVar, StartFailure, SystemdModel } from '../types.js';
import { byLine, hostFacts, NO_SPECIFIERS, parseFile, unreadable, withFile } from './files.js';
import type { Context, Settings } from './settings.js';

/** The manager's main configuration: the first of these that exists (spec §4.5). */
export const SYSTEM_CONF = ['/etc/systemd/system.conf', '/run/systemd/system.conf', '/usr/local/lib/systemd/system.conf', '/usr/lib/systemd/system.conf'];
export const SYSTEM_CONF_D = SYSTEM_CONF.map((f) => `${f}.d`);

export const MANAGER_SYNTAX: UnitSyntax = { sections: ['Manager'], keys: { Manager: ['DefaultEnvironment'] } };

/** The manager's DefaultEnvironment= list from system.conf and system.conf.d (spec §4.5). */
export function buildManager(r: SnapshotReader): SystemdModel['manager'] {
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
      for (const w of parsed.assignments)
        env.set(w.name, { value: w.value, file, line: a.line, origin: 'DefaultEnvironment', ...(w.unresolved ? { unresolved: w.unresolved } : {}) });
      local.push(...parsed.problems.map((message) => ({ file, line: a.line, message: `DefaultEnvironment=: ${message}` })));
    }
    problems.push(...byLine(local));
  }
  return { files, defaultEnvironment: Object.fromEntries(env), problems };
}

/** Read one environment file as load_env_file() does; a key or value that is not UTF-8 fails the load. */
export function loadEnvFile(r: SnapshotReader, path: string): { parsed: ReturnType<typeof parseEnvFile> } | { error: string } {
  const t = r.text(path);
  if (t.status !== 'ok') return { error: unreadable(t) };
  const parsed = parseEnvFile(t.text);
  if (t.record.invalidUtf8 && parsed.assignments.some((a) => `${a.name}${a.value}`.includes('\uFFFD')))
    return { error: 'it holds a value that is not valid UTF-8' };
  return { parsed };
}

/** Load the environment files at (simulated) start: globs, `-`, and the env-file syntax (spec §4.2). */
export function loadEnvironmentFiles(
  ctx: Context,
  settings: Settings,
  problems: ConfigProblem[],
): { entries: EnvironmentFileEntry[]; vars: Map<string, EnvVar>; failure?: StartFailure } {
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
      failure = {
        reason: 'environment-file',
        file: ef.file,
        line: ef.line,
        message: `EnvironmentFile=${entry.path} is required (no leading "-") and ${why}, so systemd does not start the service ("Failed to load environment files")`,
      };
    }
  }
  return { entries, vars, ...(failure ? { failure } : {}) };
}
