/** Parsers for small host files: /proc/swaps, fstab, sysctl.d, modules-load.d, resolv.conf. */

/**
 * The lines that carry content, trimmed, with their 1-based numbers: blank
 * lines and whole-line comments (starting with one of `comments`) left out.
 * None of these formats has comments after content.
 */
function contentLines(text: string, comments: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const t = raw.trim();
    if (t !== '' && !comments.includes(t[0]!)) out.push({ text: t, line: i + 1 });
  });
  return out;
}

/** An active swap area from /proc/swaps. */
export interface SwapArea {
  filename: string;
  type: string;
  line: number;
}

/** Parse /proc/swaps: a header line, then one area per line. */
export function parseProcSwaps(text: string): SwapArea[] {
  return text
    .split('\n')
    .map((l, i) => ({ fields: l.trim().split(/\s+/), line: i + 1 }))
    .slice(1)
    .filter(({ fields }) => fields[0] !== '')
    .map(({ fields, line }) => ({ filename: fields[0]!, type: fields[1] ?? '', line }));
}

/** A swap entry of /etc/fstab. */
export interface FstabSwap {
  spec: string;
  options: string[];
  line: number;
  /** `noauto` keeps systemd-fstab-generator from activating it at boot. */
  noauto: boolean;
}

/** The swap entries of an fstab file (vfstype `swap`). */
export function parseFstabSwaps(text: string): FstabSwap[] {
  return contentLines(text, '#')
    .map(({ text: l, line }) => ({ fields: l.split(/\s+/), line }))
    .filter(({ fields }) => fields[2] === 'swap')
    .map(({ fields, line }) => {
      const options = (fields[3] ?? 'defaults').split(',');
      return { spec: fields[0]!, options, line, noauto: options.includes('noauto') };
    });
}

/** One `key = value` line of a sysctl.d file. */
export interface SysctlAssignment {
  /** Key in dotted form (`net.ipv4.ip_forward`), whatever separator the file used. */
  key: string;
  value: string;
  line: number;
  /** A leading `-` tells systemd-sysctl to ignore a failure to set the key. */
  ignoreFailure: boolean;
}

/**
 * Parse a sysctl.d file (systemd-sysctl and procps agree on this subset):
 * `#`/`;` comments, `key = value`, `/` accepted as the separator in keys.
 */
export function parseSysctl(text: string): SysctlAssignment[] {
  return contentLines(text, '#;')
    .filter(({ text: l }) => l.includes('='))
    .map(({ text: l, line }) => {
      const eq = l.indexOf('=');
      const rawKey = l.slice(0, eq).trim();
      const ignoreFailure = rawKey.startsWith('-');
      const key = normalizeSysctlKey(ignoreFailure ? rawKey.slice(1) : rawKey);
      return { key, value: l.slice(eq + 1).trim(), line, ignoreFailure };
    });
}

/**
 * Normalise a sysctl key to dotted form. When a key contains `/`, sysctl
 * treats `/` as the separator and `.` as part of a name, so `net/ipv4/ip_forward`
 * becomes `net.ipv4.ip_forward`.
 */
export function normalizeSysctlKey(key: string): string {
  return key.includes('/') ? key.split('/').filter(Boolean).join('.') : key;
}

/** A module name listed in modules-load.d or /etc/modules. */
export interface ModuleEntry {
  name: string;
  line: number;
}

/**
 * Parse a modules-load.d file as systemd-modules-load does: comments are whole
 * lines starting with `#` or `;`, and the rest of a line is the module name, so
 * `br_netfilter # bridge` names a module that does not exist.
 */
export function parseModulesLoad(text: string): ModuleEntry[] {
  return contentLines(text, '#;').map(({ text: name, line }) => ({ name, line }));
}

/** Names of loaded modules from /proc/modules. */
export function parseProcModules(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}

/** The parts of resolv.conf that kubelet and glibc look at. */
export interface ResolvConf {
  nameservers: { address: string; line: number }[];
  search: { domains: string[]; line: number } | null;
}

/** Parse resolv.conf: the last `search`/`domain` line wins, as in glibc. */
export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], search: null };
  for (const { text: l, line } of contentLines(text, '#;')) {
    const [keyword, ...rest] = l.split(/\s+/);
    if (keyword === 'nameserver' && rest[0]) out.nameservers.push({ address: rest[0], line });
    else if (keyword === 'search' || keyword === 'domain') out.search = { domains: rest, line };
  }
  return out;
}
