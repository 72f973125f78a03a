/** systemd's part of the NodeModel (src/model/types.ts): units, their environment and commands, the login environment. */
import type { Source } from './common.js';

/** Where a service's variable came from, in the order systemd merges them (later wins). */
export type EnvOrigin = 'DefaultEnvironment' | 'PassEnvironment' | 'Environment' | 'EnvironmentFile';

/** One variable of a service's environment, with the assignment that set it last. */
export interface EnvVar {
  value: string;
  /** Absolute node path of the unit file, drop-in, environment file or system.conf that set it. */
  file: string;
  /** 1-based line of that assignment. */
  line: number;
  /** The setting it came from. */
  origin: EnvOrigin;
  /** Specifiers (`%b`, …) whose value is not known offline; they stay literal in `value`. */
  unresolved?: string[];
}

/** A line or file that systemd ignores or rejects, where it is and what systemd does about it. */
export interface ConfigProblem {
  file: string;
  line?: number;
  message: string;
}

/** Why systemd would not run a unit's processes. */
export interface StartFailure extends ConfigProblem {
  /** `unit-file`: the unit fails to load; `environment-file`: a required environment file cannot be loaded at start. */
  reason: 'unit-file' | 'environment-file';
}

/** One `EnvironmentFile=` entry and what starting the service would find. */
export interface EnvironmentFileEntry {
  /** The path after specifiers, without the leading `-`; a glob pattern. */
  path: string;
  /** Written with a leading `-`: a missing file is skipped. */
  optional: boolean;
  /** The unit file or drop-in with the `EnvironmentFile=` line. */
  file: string;
  line: number;
  /** The files the pattern matches, in the order systemd reads them. */
  matches: string[];
  /**
   * `ok`: every match was read; `missing`: nothing matches; `unreadable`: a
   * match cannot be read (`error` says why); `unresolved`: the path uses a
   * specifier whose value is not known offline.
   */
  state: 'ok' | 'missing' | 'unreadable' | 'unresolved';
  error?: string;
}

/** A command line of the unit (`ExecStart=`), with where it is written. */
export interface UnitCommand {
  /** The line's value as written (a line with `;` separators gives several commands). */
  value: string;
  file: string;
  line: number;
  /**
   * The command's words as systemd stores them when the unit loads (unquoted,
   * C escapes and `%` specifiers resolved, prefixes removed), argv[0] first;
   * `$VAR` and `${VAR}` are still unexpanded (that happens at start).
   */
  argv?: string[];
  /** The `:` prefix: systemd substitutes no variables. */
  literal?: true;
}

/** One word of the command a service runs, and where it was written. */
export interface CommandWord {
  text: string;
  /** `ExecStart` for a word written on the command line, else the variable that carried it. */
  via: string;
  /** The `ExecStart=` line, or the assignment of the variable (Environment=, an environment file). */
  source: Source;
}

/** The command systemd runs for a service, after `$VAR` and `${VAR}` are substituted from its environment. */
export interface ExecCommand {
  /** The `ExecStart=` line it comes from. */
  file: string;
  line: number;
  /** The words, argv[0] first. */
  argv: CommandWord[];
  /** Variables the line names that the environment does not set (`$VAR` gives no word, `${VAR}` an empty one). */
  unset: string[];
}

/**
 * A unit as systemd loads it from the node's files: its fragment, drop-ins and
 * the configured environment of its processes (spec §0): DefaultEnvironment,
 * PassEnvironment, Environment, EnvironmentFile, then UnsetEnvironment.
 */
export interface SystemdUnit {
  /** The unit's name (an alias resolves to the name of its file). */
  name: string;
  loadState: 'loaded' | 'masked' | 'not-found';
  /** The main unit file (for a masked unit, the entry that masks it), as seen on the node. */
  fragmentPath: string | null;
  /** Other names of the unit (alias symlinks in the search path). */
  aliases: string[];
  /** Drop-ins in the order systemd applies them (`systemctl show -p DropInPaths`). */
  dropInPaths: string[];
  /** Drop-ins that are symlinks to /dev/null or empty: they mask a lower one and add nothing. */
  maskedDropIns: string[];
  /** Files in the drop-in directories that systemd does not read (not `.conf`, or hidden). */
  ignoredFiles: string[];
  /** Variable → value with its source; null when masked, not found, or the service cannot start. */
  environment: Record<string, EnvVar> | null;
  /** The `Environment=` list alone (what `systemctl show -p Environment` prints). */
  environmentList: Record<string, EnvVar>;
  environmentFiles: EnvironmentFileEntry[];
  /** `ExecStart=` after resets by empty assignments. */
  execStart: UnitCommand[];
  /** The command a service runs, with its variables substituted; null when it cannot start or runs none. */
  command: ExecCommand | null;
  /** Why systemd cannot load or start the unit: a broken unit file, or a missing required environment file. */
  startFailure?: StartFailure;
  /** Lines of the unit file, drop-ins and environment files that systemd ignores or rejects. */
  problems: ConfigProblem[];
}

/** A variable a login shell exports, and where it was set. */
export interface LoginVar {
  value: string;
  file: string;
  line: number;
}

/** systemd as the node's files configure it, for the units the checklist reads. */
export interface SystemdModel {
  /** The unit search path, highest precedence first, after duplicates and the /lib → /usr/lib symlink are folded. */
  searchPath: string[];
  /** The manager's `DefaultEnvironment=` from system.conf and system.conf.d, and the files read. */
  manager: { files: string[]; defaultEnvironment: Record<string, EnvVar>; problems: ConfigProblem[] };
  /** containerd.service and kubelet.service (and any unit a caller asked for), by name. */
  units: Record<string, SystemdUnit>;
  /** What a login shell exports from /etc/environment and /etc/profile.d/*.sh (plain assignments only). */
  login: { files: string[]; variables: Record<string, LoginVar> };
  /** What cannot be evaluated from these files (generator output, PID 1's environment). */
  notes: string[];
}
