/**
 * IP address and CIDR parsing as Go's net.ParseIP / net.ParseCIDR accept them:
 * dotted-quad IPv4 (no leading zeros in Go 1.17+), and IPv6 including `::`
 * compression and an embedded IPv4 tail. Addresses are 16-byte arrays; IPv4
 * addresses are stored in IPv4-mapped form (::ffff:a.b.c.d) as Go does.
 */

/** A parsed IP address (always 16 bytes) and whether it was written as IPv4. */
export interface IpAddress {
  bytes: Uint8Array;
  v4: boolean;
}

/** A parsed CIDR: the masked network and the prefix length in the 128-bit space. */
export interface Cidr {
  network: Uint8Array;
  /** Prefix length counted over 128 bits (an IPv4 /16 is 96 + 16). */
  bits: number;
  v4: boolean;
  /** The text as written. */
  text: string;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // Go rejects leading zeros ("010") since 1.17 to avoid octal ambiguity.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseV6(text: string): number[] | null {
  let head = text;
  let tailV4: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (!v4) return null;
    tailV4 = v4;
    // The IPv4 tail stands for the last two groups; parse placeholders and patch the bytes after.
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const double = head.split('::');
  if (double.length > 2) return null;
  const toGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const left = toGroups(double[0]!);
  const right = double.length === 2 ? toGroups(double[1]!) : [];
  if (!left || !right) return null;
  let groups: number[];
  if (double.length === 2) {
    const fill = 8 - left.length - right.length;
    if (fill < 1) return null;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else {
    if (left.length !== 8) return null;
    groups = left;
  }
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tailV4.length === 4) bytes.splice(12, 4, ...tailV4);
  return bytes;
}

/** Parse an IP literal; null when it is not one. */
export function parseIp(text: string): IpAddress | null {
  if (text.includes(':')) {
    const b = parseV6(text);
    return b ? { bytes: Uint8Array.from(b), v4: false } : null;
  }
  const v4 = parseV4(text);
  return v4 ? { bytes: Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]), v4: true } : null;
}

/** Parse `address/prefix`; null when invalid. The host bits are masked off. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > (ip.v4 ? 32 : 128)) return null;
  const bits = ip.v4 ? 96 + prefix : prefix;
  return { network: maskBytes(ip.bytes, bits), bits, v4: ip.v4, text };
}

function maskBytes(bytes: Uint8Array, bits: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < 16; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = out[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

/** Whether an address lies inside a CIDR (IPv4-mapped addresses match IPv4 CIDRs). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  const masked = maskBytes(ip.bytes, cidr.bits);
  return masked.every((b, i) => b === cidr.network[i]);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return inner.bits >= outer.bits && cidrContains(outer, { bytes: inner.network, v4: inner.v4 });
}

/** Whether an address is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(ip: IpAddress): boolean {
  const b = ip.bytes;
  const mapped = V4_MAPPED_PREFIX.every((v, i) => b[i] === v);
  if (mapped) return b[12] === 127;
  return b.slice(0, 15).every((v) => v === 0) && b[15] === 1;
}

/** Format an address the way Go's `IP.String` does for IPv4 (dotted) or compressed IPv6. */
export function formatIp(ip: IpAddress): string {
  if (ip.v4) return [...ip.bytes.slice(12)].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
