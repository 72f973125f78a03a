/**
 * The login environment's plain assignments: /etc/environment as pam_env reads
 * it, and the simple lines of /etc/profile.d/*.sh. These scripts are shell
 * programs; only lines that are one assignment, `export` or `unset` are read,
 * wherever they stand (conditions, functions and sourced files are not
 * evaluated, and `$` expansions stay literal).
 */
import { isValidEnvName } from './env-file.js';

/** One step of a login script: set a variable (exported or not), export one, or unset one. */
export interface ShellStep {
  kind: 'assign' | 'export' | 'unset';
  name: string;
  /** The value for `assign` (and for `export NAME=value`). */
  value?: string;
  /** Whether the assignment is exported right away. */
  exported: boolean;
  line: number;
}

/** Remove one pair of matching quotes around a whole value. */
function unquote(value: string): string {
  const q = value[0];
  return value.length >= 2 && (q === '"' || q === "'") && value.endsWith(q) ? value.slice(1, -1) : value;
}

/**
 * /etc/environment (pam_env's readenv): `NAME=VALUE` lines, an optional
 * leading `export`, whole-line `#` comments, one pair of surrounding quotes
 * removed. Every valid name is exported to the session.
 */
export function parseEtcEnvironment(text: string): ShellStep[] {
  const out: ShellStep[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim().replace(/^export\s+/, '');
    const eq = line.indexOf('=');
    const name = line.slice(0, eq);
    // A comment line has no valid name before its first "=".
    if (eq < 0 || !isValidEnvName(name)) return;
    out.push({ kind: 'assign', name, value: unquote(line.slice(eq + 1).trim()), exported: true, line: i + 1 });
  });
  return out;
}

/** One shell word: "double quoted", 'single quoted' or bare up to a blank. */
const WORD = String.raw`("(?:[^"\\]|\\.)*"|'[^']*'|[^\s'"#;]*)`;
const ASSIGN = new RegExp(String.raw`^(export\s+)?([A-Za-z_][A-Za-z0-9_]*)=${WORD}\s*(?:[;#].*)?$`);
const BARE = /^(export|unset)\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:[;#].*)?$/;

/**
 * The simple lines of a profile script: `NAME=value`, `export NAME=value`,
 * `export NAME` and `unset NAME`, with a one-word value (quoted or bare) and
 * an optional trailing comment. A double-quoted value has its backslash
 * escapes removed.
 */
export function parseProfileScript(text: string): ShellStep[] {
  const out: ShellStep[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const bare = BARE.exec(line);
    if (bare) {
      out.push({ kind: bare[1] === 'unset' ? 'unset' : 'export', name: bare[2]!, exported: bare[1] === 'export', line: i + 1 });
      return;
    }
    const m = ASSIGN.exec(line);
    if (!m) return;
    const word = m[3]!;
    const value = word.startsWith('"') ? word.slice(1, -1).replace(/\\(.)/g, '$1') : unquote(word);
    out.push({ kind: 'assign', name: m[2]!, value, exported: m[1] !== undefined, line: i + 1 });
  });
  return out;
}
