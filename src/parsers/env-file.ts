/**
 * systemd's environment-file syntax (`EnvironmentFile=`, `/etc/default/kubelet`,
 * `kubeadm-flags.env`), reproduced from the state machine in systemd's
 * src/basic/env-file.c. Not a shell: no `export`, no `$` expansion, no inline
 * comments, and quotes only count where a value starts or right after a closing
 * quote. The `ini` package does not apply here: it knows none of these rules.
 */

/** One assignment that survived validation. */
export interface EnvAssignment {
  name: string;
  value: string;
  /** 1-based line where the assignment's key starts. */
  line: number;
}

/** An assignment systemd drops, with the reason it gives. */
export interface EnvIgnored {
  line: number;
  text: string;
  reason: string;
}

/** Parsed environment file: assignments in file order (the last of a name wins). */
export interface EnvFile {
  assignments: EnvAssignment[];
  ignored: EnvIgnored[];
}

/** Options for {@link parseEnvFile}. */
export interface EnvFileOptions {
  /**
   * systemd before v254 let a backslash at the end of a comment line swallow the
   * next line; v254 and later end a comment at the newline.
   */
  commentContinuation?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a string is a valid environment variable name for systemd. */
export function isValidEnvName(name: string): boolean {
  return NAME.test(name);
}

type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment' | 'commentEscape';

const NEWLINE = '\n\r';
const WHITESPACE = ' \t\n\r';
const SHELL_NEED_ESCAPE = '"\\`$';

/** Parse the text of an environment file as systemd does. */
export function parseEnvFile(text: string, options: EnvFileOptions = {}): EnvFile {
  const out: EnvFile = { assignments: [], ignored: [] };
  let state: State = 'preKey';
  let key = '';
  let keyTrim = 0;
  let value = '';
  let valueTrim = 0;
  let line = 1;
  let keyLine = 1;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;

  const push = (): void => {
    const name = key.slice(0, keyTrim);
    if (!isValidEnvName(name)) {
      out.ignored.push({ line: keyLine, text: name, reason: `"${name}" is not a valid variable name` });
    } else {
      out.assignments.push({ name, value, line: keyLine });
    }
    key = '';
    value = '';
  };

  for (const c of src) {
    const newline = NEWLINE.includes(c);
    switch (state) {
      case 'preKey':
        if (c === '#' || c === ';') state = 'comment';
        else if (!WHITESPACE.includes(c)) {
          state = 'key';
          key = c;
          keyTrim = 1;
          keyLine = line;
        }
        break;
      case 'key':
        if (newline) {
          out.ignored.push({ line: keyLine, text: key.trim(), reason: 'no "=" on the line' });
          state = 'preKey';
          key = '';
        } else if (c === '=') {
          state = 'preValue';
          value = '';
          valueTrim = 0;
        } else {
          key += c;
          if (!WHITESPACE.includes(c)) keyTrim = key.length;
        }
        break;
      case 'preValue':
        if (newline) {
          state = 'preKey';
          push();
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') state = 'valueEscape';
        else if (!WHITESPACE.includes(c)) {
          state = 'value';
          value += c;
          valueTrim = value.length;
        }
        break;
      case 'value':
        if (newline) {
          state = 'preKey';
          value = value.slice(0, valueTrim);
          push();
        } else if (c === '\\') state = 'valueEscape';
        else {
          value += c;
          if (!WHITESPACE.includes(c)) valueTrim = value.length;
        }
        break;
      case 'valueEscape':
        state = 'value';
        if (!newline) {
          value += c;
          valueTrim = value.length;
        }
        break;
      case 'single':
        if (c === "'") state = 'preValue';
        else value += c;
        break;
      case 'double':
        if (c === '"') state = 'preValue';
        else if (c === '\\') state = 'doubleEscape';
        else value += c;
        break;
      case 'doubleEscape':
        state = 'double';
        if (SHELL_NEED_ESCAPE.includes(c)) value += c;
        else if (c !== '\n') value += '\\' + c;
        break;
      case 'comment':
        if (c === '\\' && options.commentContinuation) state = 'commentEscape';
        else if (newline) state = 'preKey';
        break;
      case 'commentEscape':
        state = 'comment';
        break;
    }
    if (c === '\n') line++;
  }

  if (state === 'value') value = value.slice(0, valueTrim);
  if (['preValue', 'value', 'valueEscape', 'single', 'double', 'doubleEscape'].includes(state)) push();
  else if (state === 'key') out.ignored.push({ line: keyLine, text: key.trim(), reason: 'no "=" on the line' });
  return out;
}

/** Fold parsed assignments into a map where the last assignment of a name wins. */
export function envFileToMap(file: EnvFile): Map<string, EnvAssignment> {
  const map = new Map<string, EnvAssignment>();
  for (const a of file.assignments) map.set(a.name, a);
  return map;
}
