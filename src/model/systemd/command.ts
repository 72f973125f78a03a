/** The command a service runs: `ExecStart=` with its variables substituted at start. */
import { expandArgv } from '../../parsers/systemd-exec.js';
import type { CommandWord, EnvVar, ExecCommand, Source, UnitCommand } from '../types.js';

/**
 * The words the service's process gets: each `$VAR` and `${VAR}` of the
 * command replaced from the unit's environment as systemd does at start
 * (replace_env_argv). A word keeps the place it was written: the
 * `ExecStart=` line, or the assignment of the variable it came from.
 */
export function substitute(command: UnitCommand, environment: Record<string, EnvVar>): ExecCommand {
  const line: Source = { file: command.file, line: command.line, key: 'ExecStart' };
  if (command.literal)
    return { file: command.file, line: command.line, argv: command.argv!.map((text) => ({ text, via: 'ExecStart', source: line })), unset: [] };
  const expanded = expandArgv(command.argv!, (name) => environment[name]?.value);
  const argv = expanded.words.map((w): CommandWord => {
    const name = w.variables[w.variables.length - 1];
    const v = name === undefined ? undefined : environment[name];
    return v ? { text: w.text, via: name!, source: { file: v.file, line: v.line, key: name } } : { text: w.text, via: 'ExecStart', source: line };
  });
  return { file: command.file, line: command.line, argv, unset: expanded.unset };
}
