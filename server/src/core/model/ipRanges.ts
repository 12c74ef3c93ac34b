/**
 * IP addresses and CIDR ranges of IpAddress conditions as numbers: which ranges are private,
 * and the range's own network address (the bits after the prefix cleared).
 */
import { isIpValue } from './conditionValues';

export interface IpRange {
  version: 4 | 6;
  /** The address as written, as a number (128 bits for IPv6). */
  address: bigint;
  /** The prefix length: 32 or 128 for a single address. */
  prefix: number;
}

/** A value of an IpAddress condition, or undefined when it is not an address or range. */
export function parseIpRange(text: string): IpRange | undefined {
  if (!isIpValue(text)) return undefined;
  const slash = text.indexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const v4 = !addr.includes(':');
  const address = v4 ? ipv4Number(addr) : ipv6Number(addr);
  if (address === undefined) return undefined;
  const bits = v4 ? 32 : 128;
  return { version: v4 ? 4 : 6, address, prefix: slash >= 0 ? Number(text.slice(slash + 1)) : bits };
}

function ipv4Number(s: string): bigint {
  return s.split('.').reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
}

function ipv6Number(s: string): bigint | undefined {
  let tail: bigint | undefined;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = ipv4Number(s.slice(lastColon + 1));
    text = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? [] : rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (rest === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array(missing).fill('0'), ...right];
  let n = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail !== undefined) n = (n & ~0xffffffffn) | tail;
  return n;
}

const PRIVATE_V4: readonly [bigint, number][] = [
  [ipv4Number('10.0.0.0'), 8],
  [ipv4Number('172.16.0.0'), 12],
  [ipv4Number('192.168.0.0'), 16],
];
const PRIVATE_V6: readonly [bigint, number][] = [[0xfcn << 120n, 7]];

/** The first and last address of the range. */
function bounds(r: IpRange): [bigint, bigint] {
  const hostBits = BigInt((r.version === 4 ? 32 : 128) - r.prefix);
  const first = (r.address >> hostBits) << hostBits;
  return [first, first + (1n << hostBits) - 1n];
}

/**
 * Whether the whole range lies in a private block (RFC 1918 for IPv4, unique local fc00::/7
 * for IPv6): addresses that never reach AWS as a request's public source address.
 */
export function isPrivateRange(r: IpRange): boolean {
  const [first, last] = bounds(r);
  const blocks = r.version === 4 ? PRIVATE_V4 : PRIVATE_V6;
  return blocks.some(([start, prefix]) => {
    const [lo, hi] = bounds({ version: r.version, address: start, prefix });
    return first >= lo && last <= hi;
  });
}

/** The range written with its host bits cleared, when the text sets some (`203.0.113.5/24` → `203.0.113.0/24`). */
export function networkText(r: IpRange): string | undefined {
  const [first] = bounds(r);
  if (first === r.address) return undefined;
  return `${r.version === 4 ? ipv4Text(first) : ipv6Text(first)}/${r.prefix}`;
}

function ipv4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

/** RFC 5952 form: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function ipv6Text(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { best = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
