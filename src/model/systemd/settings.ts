/** What resolving a unit carries along: its options, the shared context, and the settings its files accumulate. */
import type { HostFacts } from '../../parsers/systemd-specifiers.js';
import type { SnapshotReader } from '../reader.js';
import type { EnvVar, StartFailure, SystemdModel, UnitCommand } from '../types.js';
import type { NameMap } from './lookup.js';

/** Options for resolving a unit. */
export interface ResolveOptions {
  /** PID 1's environment, for `PassEnvironment=`; empty unless supplied (it cannot be read from an image). */
  managerEnvironment?: Readonly<Record<string, string>>;
}

/** What every unit resolution shares: the search path, the name map and the manager's defaults. */
export interface Context {
  r: SnapshotReader;
  dirs: string[];
  names: NameMap;
  manager: SystemdModel['manager'];
  managerEnvironment: Readonly<Record<string, string>>;
  host: () => HostFacts;
}

/** The settings the fragment and drop-ins accumulate. */
export interface Settings {
  env: Map<string, EnvVar>;
  envFiles: { path: string; optional: boolean; unresolved?: string[]; file: string; line: number }[];
  pass: ListItem[];
  unset: ListItem[];
  execStart: UnitCommand[];
  /** The last `Type=`, whether `ExecStop=` is set, and whether [Unit] sets `SuccessAction=`. */
  type: string | null;
  execStop: boolean;
  successAction: boolean;
  /** Whether any file has an `ExecStart=` line (a reset included). */
  execWritten?: boolean;
  /** The first `ExecStart=` line systemd rejects: the unit then fails to load. */
  badExec?: StartFailure;
}

export interface ListItem {
  item: string;
  file: string;
  line: number;
}
