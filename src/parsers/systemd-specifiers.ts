/**
 * systemd's `%` specifiers (man systemd.unit(5) "Specifiers";
 * src/shared/specifier.c specifier_printf, src/core/unit-printf.c).
 */

/**
 * A specifier table: character → value. `null` means the value depends on
 * the running system and is not known offline (it stays literal, marked
 * unresolved); `false` means systemd's lookup fails (the word is dropped).
 */
export type SpecifierTable = Readonly<Record<string, string | null | false>>;

/** The result of expanding one string. */
export type Expansion = { text: string; unresolved: string[] } | { unknown: string };

/**
 * Expand specifiers as specifier_printf() does: `%%` is `%`; a specifier in
 * the table is replaced; an unknown letter or digit fails the whole string
 * (`unknown` names it); `%` before anything else, or at the end, is kept.
 */
export function expandSpecifiers(text: string, table: SpecifierTable): Expansion {
  if (!text.includes('%')) return { text, unresolved: [] };
  let out = '';
  const unresolved: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '%' || i === text.length - 1) {
      out += c;
      continue;
    }
    const s = text[++i]!;
    const value = s === '%' ? '%' : table[s];
    if (typeof value === 'string') out += value;
    else if (value === null) {
      out += `%${s}`;
      if (!unresolved.includes(`%${s}`)) unresolved.push(`%${s}`);
    } else if (value === false || /[A-Za-z0-9]/.test(s)) return { unknown: s };
    else out += `%${s}`;
  }
  return { text: out, unresolved };
}

/** What the node's files say about the system, for the specifiers that depend on it (null: not known). */
export interface HostFacts {
  /** Kernel host name (live /proc) or /etc/hostname. */
  hostname: string | null;
  /** /etc/machine-id. */
  machineId: string | null;
  /** /proc/sys/kernel/random/boot_id without dashes (live only). */
  bootId: string | null;
  /** /proc/sys/kernel/osrelease (live only). */
  kernelRelease: string | null;
  /** Fields of /etc/os-release (or /usr/lib/os-release); null when neither exists. */
  osRelease: Readonly<Record<string, string>> | null;
}

const osField = (host: HostFacts, field: string): string | null => (host.osRelease ? (host.osRelease[field] ?? '') : null);

/**
 * COMMON_SYSTEM_SPECIFIERS and COMMON_TMP_SPECIFIERS: the manager-level table
 * used for `DefaultEnvironment=`, and part of every unit's table. The
 * architecture (`%a`) comes from uname(2) and is never known from files.
 */
export function systemSpecifiers(host: HostFacts): Record<string, string | null | false> {
  const hostname = host.hostname;
  return {
    a: null,
    A: osField(host, 'IMAGE_VERSION'),
    b: host.bootId,
    B: osField(host, 'BUILD_ID'),
    H: hostname,
    l: hostname === null ? null : hostname.split('.')[0]!,
    m: host.machineId,
    M: osField(host, 'IMAGE_ID'),
    o: osField(host, 'ID'),
    v: host.kernelRelease,
    w: osField(host, 'VERSION_ID'),
    W: osField(host, 'VARIANT_ID'),
    T: '/tmp',
    V: '/var/tmp',
  };
}

/** unit_name_unescape(): `\xNN` is a byte, `-` is `/`; null when an escape is malformed. */
function unescapeUnitName(s: string): string | null {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '-') bytes.push(0x2f);
    else if (c === '\\') {
      const m = /^x([0-9a-fA-F]{2})/.exec(s.slice(i + 1));
      if (!m) return null;
      bytes.push(parseInt(m[1]!, 16));
      i += 3;
    } else bytes.push(...enc.encode(c));
  }
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

/** The parts of a unit name: `prefix@instance.type` or `prefix.type`. */
export interface UnitNameParts {
  prefix: string;
  /** null for a plain unit, '' for a template. */
  instance: string | null;
  type: string;
}

/** Split a unit name into prefix, instance and type. */
export function unitNameParts(name: string): UnitNameParts {
  const dot = name.lastIndexOf('.');
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  return { prefix: at < 0 ? stem : stem.slice(0, at), instance: at < 0 ? null : stem.slice(at + 1), type: name.slice(dot + 1) };
}

/**
 * The full unit table (unit_full_printf): the unit's names, its fragment path,
 * the manager's directories, the system specifiers, and the manager's user
 * (root for the system manager, whatever `User=` says).
 */
export function unitSpecifiers(unitName: string, fragmentPath: string | null, host: HostFacts): SpecifierTable {
  const { prefix, instance } = unitNameParts(unitName);
  const dash = prefix.lastIndexOf('-');
  const last = dash < 0 ? prefix : prefix.slice(dash + 1);
  const unescaped = (s: string): string | false => unescapeUnitName(s) ?? false;
  const path = unescapeUnitName(instance ?? prefix);
  return {
    ...systemSpecifiers(host),
    n: unitName,
    N: unitName.slice(0, unitName.lastIndexOf('.')),
    p: prefix,
    P: unescaped(prefix),
    i: instance ?? '',
    I: unescaped(instance ?? ''),
    j: last,
    J: unescaped(last),
    f: path === null ? false : `/${path.replace(/^\/+/, '')}`,
    y: fragmentPath ?? false,
    Y: fragmentPath === null ? false : fragmentPath.slice(0, Math.max(1, fragmentPath.lastIndexOf('/'))),
    C: '/var/cache',
    d: `/run/credentials/${unitName}`,
    E: '/etc',
    L: '/var/log',
    S: '/var/lib',
    t: '/run',
    h: '/root',
    s: '/bin/sh',
    u: 'root',
    U: '0',
    g: 'root',
    G: '0',
  };
}
