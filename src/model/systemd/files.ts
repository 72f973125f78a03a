/**
 * Reading a unit's files: the syntax of each unit type, parsed files cached by
 * record, the node's facts for specifiers, and problems by file and line.
 */
import type { PathRecord } from '../../snapshot/types.js';
import type { TextResult } from '../../snapshot/query.js';
import { envFileToMap, parseEnvFile } from '../../parsers/env-file.js';
import type { HostFacts, SpecifierTable } from '../../parsers/systemd-specifiers.js';
import { parseUnitFile, type UnitFile, type UnitSyntax } from '../../parsers/systemd-unit.js';
import type { SnapshotReader } from '../reader.js';
import type { ConfigProblem } from '../types.js';
import { UNIT_TYPES } from './lookup.js';

/** The section of each unit type; the exec settings (environment) belong to the first four. */
export const TYPE_SECTION: Readonly<Record<string, string>> = {
  service: 'Service',
  socket: 'Socket',
  mount: 'Mount',
  swap: 'Swap',
  automount: 'Automount',
  path: 'Path',
  timer: 'Timer',
  slice: 'Slice',
  scope: 'Scope',
};
export const EXEC_TYPES = ['service', 'socket', 'mount', 'swap'];
export const ENV_KEYS = ['Environment', 'EnvironmentFile', 'PassEnvironment', 'UnsetEnvironment'];
/** The [Service] settings that decide which command runs (service_verify() in src/core/service.c). */
export const SERVICE_KEYS = ['ExecStart', 'ExecStop', 'Type'];

/** The syntax of a unit file of each type: [Unit], the type's own section, [Install]. */
export const UNIT_SYNTAX: Readonly<Record<string, UnitSyntax>> = Object.fromEntries(
  UNIT_TYPES.map((type) => {
    const section = TYPE_SECTION[type];
    const keys = EXEC_TYPES.includes(type) ? [...ENV_KEYS, ...(type === 'service' ? SERVICE_KEYS : [])] : [];
    return [
      type,
      { sections: ['Unit', ...(section ? [section] : []), 'Install'], keys: section ? { [section]: keys } : {}, elsewhere: [...ENV_KEYS, 'ExecStart'] },
    ];
  }),
);

/** Read a node's facts for specifiers (only when a value uses one). */
export function hostFacts(r: SnapshotReader): HostFacts {
  const text = (path: string): string | null => {
    const t = r.text(path);
    return t.status === 'ok' ? t.text : null;
  };
  const firstLine = (path: string): string | null => {
    const line = (text(path) ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#'));
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

export const NO_SPECIFIERS: SpecifierTable = {};

/** Why a file has no text: the reader's reason, or its state (missing, not collected). */
export const unreadable = (t: Exclude<TextResult, { status: 'ok' }>): string => (t.status === 'unreadable' ? t.reason : t.status);

/**
 * Parses by record: the collector plans by building the model once per round,
 * and a file's record stays the same object between rounds.
 */
export const parsedFiles = new WeakMap<PathRecord, Map<UnitSyntax, UnitFile>>();

/** Parse a unit file read through the reader, or say why it cannot be read. */
export function parseFile(r: SnapshotReader, path: string, syntax: UnitSyntax): { parsed: UnitFile } | { error: string } {
  const t = r.text(path);
  if (t.status !== 'ok') return { error: unreadable(t) };
  let byType = parsedFiles.get(t.record);
  if (!byType) parsedFiles.set(t.record, (byType = new Map<UnitSyntax, UnitFile>()));
  let parsed = byType.get(syntax);
  if (!parsed) byType.set(syntax, (parsed = parseUnitFile(t.text, syntax, t.record.invalidUtf8 === true)));
  return { parsed };
}

/** A file's problems with its path. */
export const withFile = (file: string, problems: readonly { line: number; message: string }[]): ConfigProblem[] => problems.map((p) => ({ file, ...p }));

/** One file's problems in line order (parse problems and value problems are found in two passes). */
export const byLine = (problems: ConfigProblem[]): ConfigProblem[] => problems.sort((a, b) => a.line! - b.line!);
