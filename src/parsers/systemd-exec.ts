/**
 * Command lines of systemd services: how `ExecStart=` is split into commands
 * and words when the unit loads (src/core/load-fragment.c
 * config_parse_exec), and how `$VAR` and `${VAR}` are replaced when the
 * process starts (src/basic/env-util.c replace_env_argv and replace_env_full).
 * Checked against systemd 252 (`systemd --test` prints the words of each
 * command); the expansion rules are the same from systemd 232 to 258.
 */
import { splitWords } from './systemd-unit.js';
import { expandSpecifiers, type SpecifierTable } from './systemd-specifiers.js';

/** One command of an `ExecStart=` line, as systemd stores it. */
export interface ExecCommandLine {
  /** The program (after the prefixes). */
  path: string;
  /** The words of the command, argv[0] first (the program, or the word after it with the `@` prefix). */
  argv: string[];
  /** `:` prefix: variables are not substituted. */
  literal: boolean;
  /** `-` prefix: a failure of the command is ignored. */
  ignoreFailure: boolean;
}

/** What one `ExecStart=` line holds: its commands, or why systemd rejects it, and what it warns about. */
export interface ExecLine {
  commands: ExecCommandLine[];
  problem?: string;
  /** Escapes systemd does not know: kept as written, with a warning ("Ignoring unknown escape sequences"). */
  warnings?: string[];
}

const BLANK = /[ \t\n\r]/;

/** The raw extent of each word (quotes and escapes left in), as extract_first_word() delimits them. */
function rawTokens(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && BLANK.test(value[i]!)) i++;
    if (i >= value.length) break;
    const start = i;
    let quote: string | null = null;
    while (i < value.length) {
      const c = value[i]!;
      if (c === '\\') i += 2;
      else if (quote !== null) {
        if (c === quote) quote = null;
        i++;
      } else if (c === '"' || c === "'") {
        quote = c;
        i++;
      } else if (BLANK.test(c)) break;
      else i++;
    }
    out.push(value.slice(start, Math.min(i, value.length)));
  }
  return out;
}

/**
 * Split an `ExecStart=` value into commands the way config_parse_exec() does:
 * a lone `;` separates commands (`\;` is a literal semicolon), words are
 * unquoted and C-unescaped (an unknown escape is kept as written), `%`
 * specifiers are expanded, and the first word carries the prefixes `-`, `@`,
 * `:`, `+`, `!` and `!!`.
 */
export function parseExecValue(value: string, specifiers: SpecifierTable): ExecLine {
  const groups: string[][] = [[]];
  const warnings: string[] = [];
  for (const raw of rawTokens(value)) {
    if (raw === ';') {
      groups.push([]);
      continue;
    }
    if (raw === '\\;') {
      groups[groups.length - 1]!.push(';');
      continue;
    }
    const split = splitWords(raw, true, true);
    if (split.error) return { commands: [], problem: `${split.error}; systemd ignores the line` };
    if (splitWords(raw, true).error) warnings.push(`${JSON.stringify(raw)} has an escape systemd does not know; it keeps the backslash and logs a warning`);
    const word = split.words[0]!.text;
    const expanded = expandSpecifiers(word, specifiers);
    if ('unknown' in expanded)
      return { commands: [], problem: `${JSON.stringify(word)} uses the unknown specifier %${expanded.unknown}; systemd ignores the line` };
    groups[groups.length - 1]!.push(expanded.text);
  }
  const commands: ExecCommandLine[] = [];
  for (const words of groups.filter((g) => g.length > 0)) {
    const prefix = /^[-@:+!]*/.exec(words[0]!)![0];
    const path = words[0]!.slice(prefix.length);
    const argv = prefix.includes('@') ? words.slice(1) : [path, ...words.slice(1)];
    if (path === '' || argv.length === 0) return { commands: [], problem: `${JSON.stringify(words[0])} names no program; systemd ignores the line` };
    commands.push({ path, argv, literal: prefix.includes(':'), ignoreFailure: prefix.includes('-') });
  }
  return { commands, ...(warnings.length > 0 ? { warnings } : {}) };
}

/**
 * Split a variable's value the way `$VAR` is replaced as a word of its own
 * (strv_split_full with EXTRACT_RELAX|EXTRACT_UNQUOTE): at blanks, quotes
 * removed, a backslash taking the next character literally, and an
 * unterminated quote or a trailing backslash simply ending the word.
 */
export function splitVariableValue(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && BLANK.test(value[i]!)) i++;
    if (i >= value.length) break;
    let word = '';
    let quote: string | null = null;
    while (i < value.length) {
      const c = value[i]!;
      if (c === '\\') {
        word += value[i + 1] ?? '';
        i += 2;
      } else if (quote !== null) {
        if (c === quote) quote = null;
        else word += c;
        i++;
      } else if (c === '"' || c === "'") {
        quote = c;
        i++;
      } else if (BLANK.test(c)) break;
      else {
        word += c;
        i++;
      }
    }
    out.push(word);
  }
  return out;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One word of a command after substitution, and the variables that went into it. */
export interface ExpandedWord {
  text: string;
  /** Variables substituted into the word, in order (empty for a literal word). */
  variables: string[];
  /** The word of the command line it came from. */
  index: number;
}

/** A command line after substitution. */
export interface ExpandedArgv {
  words: ExpandedWord[];
  /** Variables named but not set: `$VAR` vanishes, `${VAR}` becomes empty. */
  unset: string[];
}

/**
 * `${NAME}` inside a word is replaced by the value as it is; `$$` is a
 * literal `$`; `${NAME:...}` and a `$` before anything else stay as written
 * (replace_env_full without the braceless and extended flags).
 */
function replaceInWord(word: string, env: (name: string) => string | undefined, used: string[], unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < word.length) {
    const c = word[i]!;
    if (c !== '$' || i + 1 >= word.length) {
      out += c;
      i++;
      continue;
    }
    const next = word[i + 1]!;
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      out += c;
      i++;
      continue;
    }
    const end = word.slice(i + 2).search(/[}:]/);
    if (end < 0 || word[i + 2 + end] === ':') {
      // Unterminated, or the extended syntax ExecStart= does not support: left as written.
      out += word.slice(i, end < 0 ? word.length : i + 2 + end);
      i = end < 0 ? word.length : i + 2 + end;
      continue;
    }
    const name = word.slice(i + 2, i + 2 + end);
    const value = env(name);
    used.push(name);
    if (value === undefined) unset.push(name);
    out += value ?? '';
    i += 3 + end;
  }
  return out;
}

/**
 * Substitute the environment into a command's words as systemd does when it
 * starts the process: a word that is `$NAME` becomes the value split at
 * blanks (no word at all when unset or not a valid name), and `${NAME}`
 * anywhere in a word is replaced by the whole value, as one word.
 */
export function expandArgv(argv: readonly string[], env: (name: string) => string | undefined): ExpandedArgv {
  const words: ExpandedWord[] = [];
  const unset: string[] = [];
  argv.forEach((word, index) => {
    if (word.startsWith('$') && word[1] !== '{' && word[1] !== '$') {
      const name = word.slice(1);
      const value = ENV_NAME.test(name) ? env(name) : undefined;
      if (value === undefined) unset.push(name);
      else words.push(...splitVariableValue(value).map((text) => ({ text, variables: [name], index })));
      return;
    }
    const variables: string[] = [];
    words.push({ text: replaceInWord(word, env, variables, unset), variables, index });
  });
  return { words, unset: [...new Set(unset)] };
}
