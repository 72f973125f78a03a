/**
 * The values of the environment settings: config_parse_environ,
 * config_parse_unit_env_file, config_parse_pass_environ and
 * config_parse_unset_environ (systemd src/core/load-fragment.c), as
 * src/parsers/systemd-unit.ts documents.
 */
import { isValidEnvName } from '../env-file.js';
import { redactText } from '../redact.js';
import { expandSpecifiers, type SpecifierTable } from '../systemd-specifiers.js';
import { splitWords } from './words.js';

/** One variable set by `Environment=` (or `DefaultEnvironment=`). */
export interface EnvWord {
  name: string;
  value: string;
  /** Specifiers whose value is not known offline; they stay literal in `value`. */
  unresolved?: string[];
}

/** What one `Environment=` line does. */
export interface EnvironmentLine {
  /** An empty value: the list is cleared. */
  reset: boolean;
  assignments: EnvWord[];
  /** Words systemd drops, with the reason. */
  problems: string[];
}

function specifierProblem(word: string, unknown: string): string {
  return `${JSON.stringify(redactText(word))} uses the unknown specifier %${unknown}, so systemd drops the word (write %% for a literal %)`;
}

/**
 * Parse the value of `Environment=`: split into words with quotes and C
 * escapes, expand specifiers per word, and keep the words that are valid
 * `NAME=VALUE` assignments. An invalid escape or open quote drops the rest of
 * the line; every other problem drops only its word.
 */
export function parseEnvironmentValue(value: string, specifiers: SpecifierTable): EnvironmentLine {
  const out: EnvironmentLine = { reset: value === '', assignments: [], problems: [] };
  const split = splitWords(value, true);
  for (const word of split.words) {
    const expanded = expandSpecifiers(word.text, specifiers);
    if ('unknown' in expanded) {
      out.problems.push(specifierProblem(word.text, expanded.unknown));
      continue;
    }
    const eq = expanded.text.indexOf('=');
    const name = eq < 0 ? '' : expanded.text.slice(0, eq);
    // env_assignment_is_valid() also bounds the length by ARG_MAX (2 MiB), which the 1 MiB line limit keeps out of reach.
    if (!isValidEnvName(name) || !word.validUtf8) {
      out.problems.push(
        `${JSON.stringify(redactText(expanded.text))} is not a valid NAME=VALUE assignment, so systemd drops it (quote values that contain blanks)`,
      );
      continue;
    }
    const assignment: EnvWord = { name, value: expanded.text.slice(eq + 1) };
    if (expanded.unresolved.length > 0) assignment.unresolved = expanded.unresolved;
    out.assignments.push(assignment);
  }
  if (split.error) out.problems.push(`${split.error}; systemd drops the rest of the line`);
  return out;
}

/** What one `PassEnvironment=` or `UnsetEnvironment=` line does. */
export interface NameListLine {
  reset: boolean;
  /** Variable names (or, for UnsetEnvironment=, NAME=VALUE assignments). */
  items: string[];
  problems: string[];
}

/**
 * Parse `PassEnvironment=` (names; quotes but no C escapes) or
 * `UnsetEnvironment=` (names or NAME=VALUE; quotes and C escapes).
 */
export function parseNameList(value: string, kind: 'PassEnvironment' | 'UnsetEnvironment', specifiers: SpecifierTable): NameListLine {
  const out: NameListLine = { reset: value === '', items: [], problems: [] };
  const split = splitWords(value, kind === 'UnsetEnvironment');
  for (const word of split.words) {
    const expanded = expandSpecifiers(word.text, specifiers);
    if ('unknown' in expanded) {
      out.problems.push(specifierProblem(word.text, expanded.unknown));
      continue;
    }
    const text = expanded.text;
    const eq = text.indexOf('=');
    const valid = kind === 'UnsetEnvironment' && eq >= 0 ? isValidEnvName(text.slice(0, eq)) && word.validUtf8 : isValidEnvName(text);
    if (!valid) {
      out.problems.push(
        `${JSON.stringify(redactText(text))} is not a valid variable name${kind === 'UnsetEnvironment' ? ' or assignment' : ''}, so systemd drops it`,
      );
      continue;
    }
    out.items.push(text);
  }
  if (split.error) out.problems.push(`${split.error}; systemd drops the rest of the line`);
  return out;
}

/** What one `EnvironmentFile=` line does. */
export interface EnvironmentFileLine {
  reset: boolean;
  /** The normalised absolute path (a glob pattern), or null when systemd ignores the line. */
  path: string | null;
  /** A leading `-`: a missing file is not an error. */
  optional: boolean;
  unresolved?: string[];
  problem?: string;
}

/**
 * Parse `EnvironmentFile=`: the whole value is one path (blanks included),
 * specifiers expanded, an optional leading `-`, then it must be absolute and
 * normalised (`//` and `.` collapse; `..` makes systemd ignore the line).
 */
export function parseEnvironmentFileValue(value: string, specifiers: SpecifierTable): EnvironmentFileLine {
  if (value === '') return { reset: true, path: null, optional: false };
  const expanded = expandSpecifiers(value, specifiers);
  if ('unknown' in expanded) return { reset: false, path: null, optional: false, problem: specifierProblem(value, expanded.unknown) };
  const optional = expanded.text.startsWith('-');
  const path = optional ? expanded.text.slice(1) : expanded.text;
  const base = { reset: false, optional, ...(expanded.unresolved.length > 0 ? { unresolved: expanded.unresolved } : {}) };
  if (!path.startsWith('/')) return { ...base, path: null, problem: `the path ${JSON.stringify(path)} is not absolute; systemd ignores the line` };
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    return { ...base, path: null, problem: `the path ${JSON.stringify(path)} is not normalized (it has ".."); systemd ignores the line` };
  return { ...base, path: '/' + parts.join('/') };
}
