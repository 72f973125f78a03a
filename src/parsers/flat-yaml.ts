/**
 * A reader for the flat subset of YAML that files like /etc/crictl.yaml use:
 * `key: value` lines starting in column 1, with full-line comments, blank
 * lines, trailing comments and simple quoted values. It gives exactly what the
 * yaml package's failsafe schema gives for such text (a test compares the two on
 * generated documents), and declines (returns undefined) on anything else:
 * indentation, flow or block collections, anchors, tags, escapes, multi-line
 * scalars, document markers, tabs or CR characters. The caller then uses the
 * full parser. It exists so that the common run does not load the YAML library.
 */

/** One `key: value` line; an empty value is "", as in YAML's failsafe schema. */
export interface FlatEntry {
  key: string;
  value: string;
  line: number;
}

// A key of letters, digits and - _ . / that does not start with an indicator.
const KEY_LINE = /^([A-Za-z0-9_][A-Za-z0-9_./-]*):(?:( +)(.*))?$/;
const DOUBLE = /^"([^"\\]*)"(?: +#.*)?$/;
const SINGLE = /^'([^']*)'(?: +#.*)?$/;
// Characters that start something other than a plain scalar.
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

function readValue(raw: string): string | undefined {
  const text = raw.replace(/ +$/, '');
  if (text === '' || text.startsWith('#')) return '';
  if (text.startsWith('"')) return DOUBLE.exec(text)?.[1];
  if (text.startsWith("'")) return SINGLE.exec(text)?.[1];
  if (INDICATORS.has(text[0]!)) return undefined;
  // A plain scalar ends where " #" starts a comment; ": " inside it would start a nested mapping.
  const comment = text.indexOf(' #');
  const plain = (comment >= 0 ? text.slice(0, comment) : text).replace(/ +$/, '');
  if (plain.includes(': ') || plain.endsWith(':')) return undefined;
  return plain;
}

/** The entries of a flat YAML mapping, or undefined when the text is not in the flat subset. */
export function parseFlatYaml(text: string): FlatEntry[] | undefined {
  // Tabs, CRs, a byte-order mark and characters YAML does not allow unescaped all go to the full parser.
  if (/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\uFEFF\uFFFE\uFFFF]|\p{Cs}/u.test(text)) return undefined;
  const entries: FlatEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = KEY_LINE.exec(line);
    if (!m) return undefined;
    const value = m[2] === undefined ? '' : readValue(m[3]!);
    if (value === undefined) return undefined;
    entries.push({ key: m[1]!, value, line: i + 1 });
  }
  return entries;
}
