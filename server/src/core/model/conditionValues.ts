/**
 * The value forms condition operators accept: booleans, numbers, dates (ISO 8601 or epoch
 * seconds), IP addresses and CIDR ranges. Plain string rules, no regular expressions built
 * from policy text.
 */

/** `true`/`false` as JSON booleans or strings (any case). */
export function isBoolValue(v: unknown): boolean {
  if (typeof v === 'boolean') return true;
  return typeof v === 'string' && (v.toLowerCase() === 'true' || v.toLowerCase() === 'false');
}

export function isNumericValue(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v);
}

const ISO_EXTENDED = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})?(\d{2})?(?:\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An ISO 8601 date or date-time, or epoch seconds (digits, or a JSON number). */
export function isDateValue(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0;
  if (typeof v !== 'string') return false;
  if (/^\d+$/.test(v)) return true;
  const m = ISO_EXTENDED.exec(v) ?? ISO_BASIC.exec(v);
  if (!m) return false;
  const [, , month, day, hour, minute, second] = m;
  const within = (s: string | undefined, lo: number, hi: number) => s === undefined || (Number(s) >= lo && Number(s) <= hi);
  return within(month, 1, 12) && within(day, 1, 31) && within(hour, 0, 24) && within(minute, 0, 59) && within(second, 0, 60);
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIpv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const doubleColon = s.indexOf('::');
  if (doubleColon >= 0 && s.indexOf('::', doubleColon + 1) >= 0) return false;
  let groups = s.split(':');
  let slots = 8;
  // An IPv4 tail (`::ffff:192.0.2.1`) takes two groups.
  const last = groups[groups.length - 1];
  if (last.includes('.')) {
    if (!isIpv4(last)) return false;
    groups = groups.slice(0, -1);
    slots = 6;
    if (groups.length && groups[groups.length - 1] === '' && doubleColon < 0) return false;
  }
  if (doubleColon >= 0) {
    const filled = groups.filter((g) => g !== '');
    if (filled.length >= slots) return false;
    return filled.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
  }
  return groups.length === slots && groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

/** An IPv4 or IPv6 address, optionally with a `/prefix` (CIDR). */
export function isIpValue(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const slash = v.indexOf('/');
  const addr = slash >= 0 ? v.slice(0, slash) : v;
  const prefix = slash >= 0 ? v.slice(slash + 1) : undefined;
  const v4 = isIpv4(addr);
  if (!v4 && !isIpv6(addr)) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (v4 ? 32 : 128);
}

/** Base64 text as BinaryEquals takes it. */
export function isBase64Value(v: unknown): boolean {
  return typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
}
