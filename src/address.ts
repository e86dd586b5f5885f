// IPv4/IPv6 addresses and prefixes ⇄ key words. A key is 4 × u32, most significant word first; an IPv4
// address lives in word 0 in host order (10.0.0.1 → 0x0a000001) and words 1..3 are zero. Parsing is a
// hand-written scanner (no regex, no allocation) so that readers can parse millions of lines; the
// *Into functions write into caller-owned arrays. Host bits beyond a prefix length are cleared by
// maskWords, as RTMv2 stores destinations (spec §6.1).

/** An address family by IP version: 4 or 6. */
export type Family = 4 | 6;
/** AF_INET: the IPv4 family number of RTM_NET_ADDRESS.AddressFamily. */
export const AF_INET = 2;
/** AF_INET6: the IPv6 family number (Windows' value, 23). */
export const AF_INET6 = 23;

/** Maximum prefix length of a family. */
export function maxLen(family: Family): number {
  return family === 4 ? 32 : 128;
}

/** Parses dotted-quad text in [start, end) to a host-order u32, or -1 if malformed. */
export function parseIPv4Range(s: string, start: number, end: number): number {
  let value = 0, octet = 0, digits = 0, dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // no leading zeros ("01"): ambiguous (octal in inet_aton)
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0; digits = 0;
    } else return -1;
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}

/** Parses dotted-quad text to a host-order u32, or -1 if malformed. */
export function parseIPv4(s: string): number {
  return parseIPv4Range(s, 0, s.length);
}

/** The value of hex digit character code c (0-9, a-f, A-F), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses IPv6 text in [start, end) (RFC 4291 forms, incl. embedded IPv4) into out[off..off+3]. */
export function parseIPv6RangeInto(s: string, start: number, end: number, out: Uint32Array, off: number): boolean {
  // Collect up to 8 groups before and after "::".
  const head = scratchHead, tail = scratchTail;
  let nh = 0, nt = 0, seenGap = false;
  let i = start;
  if (i >= end) return false;
  if (s.charCodeAt(i) === 58) { // leading "::"
    if (i + 1 >= end || s.charCodeAt(i + 1) !== 58) return false;
    seenGap = true; i += 2;
    if (i === end) { out[off] = 0; out[off + 1] = 0; out[off + 2] = 0; out[off + 3] = 0; return true; }
  }
  while (i < end) {
    // one group: hex digits, or an embedded IPv4 address as the last 32 bits
    let j = i, v = 0, digits = 0, isV4 = false;
    while (j < end) {
      const c = s.charCodeAt(j);
      const d = hexDigit(c);
      if (d < 0) { isV4 = c === 46; break; }
      v = v * 16 + d;
      if (++digits > 4) return false;
      j++;
    }
    if (isV4) {
      let k = i;
      while (k < end && s.charCodeAt(k) !== 58) k++;
      if (k !== end) return false;
      const v4 = parseIPv4Range(s, i, end);
      if (v4 < 0) return false;
      const groups = seenGap ? nt : nh;
      if (groups > 6) return false;
      if (seenGap) { tail[nt++] = v4 >>> 16; tail[nt++] = v4 & 0xffff; }
      else { head[nh++] = v4 >>> 16; head[nh++] = v4 & 0xffff; }
      i = end;
      break;
    }
    if (digits === 0) return false;
    if (seenGap) { if (nt >= 8) return false; tail[nt++] = v; }
    else { if (nh >= 8) return false; head[nh++] = v; }
    i = j;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (seenGap) return false;
      seenGap = true; i++;
      if (i === end) break;
    } else if (i === end) return false; // trailing single ':'
  }
  const total = nh + nt;
  if (seenGap ? total > 7 : total !== 8) return false;
  const g = scratchGroups;
  for (let k = 0; k < nh; k++) g[k] = head[k];
  for (let k = nh; k < 8 - nt; k++) g[k] = 0;
  for (let k = 0; k < nt; k++) g[8 - nt + k] = tail[k];
  for (let w = 0; w < 4; w++) out[off + w] = ((g[2 * w] << 16) | g[2 * w + 1]) >>> 0;
  return true;
}
const scratchHead = new Uint32Array(8), scratchTail = new Uint32Array(8), scratchGroups = new Uint32Array(8);

/** Parses IPv6 text into out[off..off+3]; false if malformed. */
export function parseIPv6Into(s: string, out: Uint32Array, off = 0): boolean {
  return parseIPv6RangeInto(s, 0, s.length, out, off);
}

/** Clears the bits beyond `len` in the key at out[off..off+3]. */
export function maskWords(out: Uint32Array, off: number, len: number): void {
  for (let w = 0; w < 4; w++) {
    const keep = len - 32 * w;
    if (keep <= 0) out[off + w] = 0;
    else if (keep < 32) out[off + w] = (out[off + w] & (0xffffffff << (32 - keep))) >>> 0;
  }
}

/** True if any bit beyond `len` is set in the key at words[off..off+3]. */
export function hasHostBits(words: Uint32Array, off: number, len: number): boolean {
  for (let w = 0; w < 4; w++) {
    const keep = len - 32 * w;
    if (keep <= 0) { if (words[off + w] !== 0) return true; }
    else if (keep < 32 && (words[off + w] & ~(0xffffffff << (32 - keep))) !== 0) return true;
  }
  return false;
}

/**
 * Parses `addr` or `addr/len` into out[off..off+3] (host bits cleared) and returns the length, or -1 when
 * the text is malformed, the length is out of range, or the family differs from `family` (0 = either).
 * A bare address is a full-length prefix. The family parsed is left in `parsedFamily.value`.
 */
export function parsePrefixInto(s: string, family: 0 | Family, out: Uint32Array, off = 0): number {
  if (family !== 6) {
    const len = parseIPv4PrefixFast(s, out, off);
    if (len !== DEFER) return len;
  }
  if (family !== 4) {
    const len = parseIPv6PrefixFast(s, out, off);
    if (len !== DEFER) return len;
  }
  return parsePrefixGeneral(s, family, out, off);
}

/** parseIPv4PrefixFast: the text is not of the plain form it takes; the general parser decides. */
const DEFER = -2;

/**
 * The common IPv4 form in one pass: four octets of 1–3 digits without a leading zero, each ≤ 255,
 * dot-separated, then nothing or '/' and a length (parseLenText: 1–3 digits ≤ 32). Writes the key (host bits
 * cleared) and returns the length; anything else (IPv6, bad text) returns DEFER without deciding, so the
 * accept / reject rules stay parsePrefixGeneral's (test/core/address.test.ts compares the two).
 */
function parseIPv4PrefixFast(s: string, out: Uint32Array, off: number): number {
  const n = s.length;
  if (n < 7 || n > 18) return DEFER;
  let i = 0, value = 0;
  for (let k = 0; k < 4; k++) {
    if (k > 0) {
      if (i >= n || s.charCodeAt(i) !== 46) return DEFER;
      i++;
    }
    if (i >= n) return DEFER;
    let d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return DEFER;
    let octet = d;
    i++;
    if (octet !== 0 && i < n && (d = s.charCodeAt(i) - 48) >= 0 && d <= 9) {
      octet = octet * 10 + d;
      i++;
      if (i < n && (d = s.charCodeAt(i) - 48) >= 0 && d <= 9) {
        octet = octet * 10 + d;
        i++;
        if (octet > 255) return DEFER;
      }
    }
    value = (value << 8) | octet;   // int32 (the sign bit too): no Smi overflow, no double arithmetic
  }
  let len = 32;
  if (i < n) {
    if (s.charCodeAt(i) !== 47) return DEFER;
    len = parseLenText(s, i + 1, 32);
    if (len < 0) return DEFER;
  }
  out[off] = len === 0 ? 0 : (value & (0xffffffff << (32 - len))) >>> 0;
  out[off + 1] = 0; out[off + 2] = 0; out[off + 3] = 0;
  parsedFamily.value = 4;
  return len;
}

/**
 * The common IPv6 form in one pass: eight groups of 1–4 hex digits, or fewer ending in "::" (the form of
 * routing tables: 2001:db8::/32), then nothing or '/' and 1–3 digits ≤ 128. Writes the key (host bits
 * cleared) and returns the length; anything else ("::" first or inside, embedded IPv4, bad text) returns
 * DEFER, so the accept / reject rules stay parsePrefixGeneral's (test/core/address.test.ts compares them).
 */
function parseIPv6PrefixFast(s: string, out: Uint32Array, off: number): number {
  const n = s.length;
  if (n < 3 || n > 43) return DEFER;
  let i = 0, g = 0, high = 0;
  for (;;) {
    let v = 0, digits = 0;
    while (i < n) {
      const d = hexDigit(s.charCodeAt(i));
      if (d < 0) break;
      if (++digits > 4) return DEFER;
      v = (v << 4) | d;
      i++;
    }
    if (digits === 0) return DEFER;
    if ((g & 1) === 0) high = v;
    else out[off + (g >> 1)] = (high << 16) | v;   // Uint32Array: the int32's bits
    if (++g === 8) break;
    if (i >= n || s.charCodeAt(i) !== 58) return DEFER;
    i++;
    if (i < n && s.charCodeAt(i) === 58) {   // "::" ends the address here, or the general parser decides
      i++;
      if (i < n && s.charCodeAt(i) !== 47) return DEFER;
      break;
    }
  }
  let len = 128;
  if (i < n) {
    if (s.charCodeAt(i) !== 47) return DEFER;
    len = parseLenText(s, i + 1, 128);
    if (len < 0) return DEFER;
  }
  // the groups "::" stands for: an odd group's low half, then whole words
  if ((g & 1) === 1) out[off + (g >> 1)] = high << 16;
  for (let w = (g + 1) >> 1; w < 4; w++) out[off + w] = 0;
  maskWords(out, off, len);
  parsedFamily.value = 6;
  return len;
}

/** The prefix length written as 1–3 decimal digits from s[from] to the end, or -1 when it is not that or exceeds max. */
function parseLenText(s: string, from: number, max: number): number {
  const k = s.length - from;
  if (k < 1 || k > 3) return -1;
  let len = 0;
  for (let i = from; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    len = len * 10 + d;
  }
  return len > max ? -1 : len;
}

/** parsePrefixInto for every form (IPv4 and IPv6, bare or with a length): two passes, the reference rules. */
export function parsePrefixGeneral(s: string, family: 0 | Family, out: Uint32Array, off = 0): number {
  let slash = -1, colon = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 47) { if (slash >= 0) return -1; slash = i; }
    else if (c === 58) colon = true;
  }
  const end = slash >= 0 ? slash : s.length;
  const fam: Family = colon ? 6 : 4;
  if (family !== 0 && fam !== family) return -1;
  if (fam === 4) {
    const v = parseIPv4Range(s, 0, end);
    if (v < 0) return -1;
    out[off] = v; out[off + 1] = 0; out[off + 2] = 0; out[off + 3] = 0;
  } else if (!parseIPv6RangeInto(s, 0, end, out, off)) return -1;
  let len = fam === 4 ? 32 : 128;
  if (slash >= 0) {
    len = parseLenText(s, slash + 1, len);
    if (len < 0) return -1;
  }
  parsedFamily.value = fam;
  maskWords(out, off, len);
  return len;
}
/** The family found by the last successful parsePrefixInto call. */
export const parsedFamily: { value: Family } = { value: 4 };

/**
 * True if IPv6 words at `off` with prefix length `len` lie inside ::ffff:0:0/96 with len ≥ 96: an
 * IPv4-mapped address or prefix, which Rtm.lookup / supernets / subnets (and the CLI) ask of the IPv4 table.
 */
export function isIPv4Mapped(words: ArrayLike<number>, off: number, len: number): boolean {
  return len >= 96 && words[off] === 0 && words[off + 1] === 0 && words[off + 2] === 0xffff;
}

/** Formats a host-order u32 as dotted-quad text. */
export function formatIPv4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Formats the IPv6 address at words[off..off+3] in RFC 5952 form (lower case, longest zero run as "::"). */
export function formatIPv6(words: ArrayLike<number>, off = 0): string {
  const g: number[] = [];
  for (let w = 0; w < 4; w++) { g.push(words[off + w] >>> 16, words[off + w] & 0xffff); }
  // RFC 5952 §5: ::ffff:a.b.c.d for IPv4-mapped addresses
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(words[off + 3] >>> 0)}`;
  }
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${left}::${right}`;
}

/** Formats the key at words[off..] with `len` as 'addr/len' text. */
export function formatPrefix(family: Family, words: ArrayLike<number>, off: number, len: number): string {
  return `${family === 4 ? formatIPv4(words[off] >>> 0) : formatIPv6(words, off)}/${len}`;
}

/** RTM_NET_ADDRESS as the idiomatic layer accepts it (the Win32 struct has the same fields). */
export interface NetAddressLike {
  /** AF_INET (2) or AF_INET6 (23). */
  AddressFamily: number;
  /** The prefix length. */
  NumBits: number;
  /** The address bytes, network order (4 used for IPv4, 16 for IPv6). */
  AddrBits: Uint8Array | ArrayLike<number>;
}

/** Reads an RTM_NET_ADDRESS into out[off..off+3] (host bits cleared); returns the length or -1 if invalid. */
export function netAddressInto(na: NetAddressLike, family: 0 | Family, out: Uint32Array, off = 0): number {
  const fam: Family | 0 = na.AddressFamily === AF_INET ? 4 : na.AddressFamily === AF_INET6 ? 6 : 0;
  if (fam === 0 || (family !== 0 && fam !== family)) return -1;
  const len = na.NumBits;
  if (!Number.isInteger(len) || len < 0 || len > (fam === 4 ? 32 : 128)) return -1;
  const b = na.AddrBits;
  if (!b || b.length < (fam === 4 ? 4 : 16)) return -1;
  for (let w = 0; w < 4; w++) {
    if (fam === 4 && w > 0) { out[off + w] = 0; continue; }
    out[off + w] = (((b[4 * w] & 255) << 24) | ((b[4 * w + 1] & 255) << 16) | ((b[4 * w + 2] & 255) << 8) | (b[4 * w + 3] & 255)) >>> 0;
  }
  parsedFamily.value = fam;
  maskWords(out, off, len);
  return len;
}

/** Writes the key words[off..off+3] into a 16-byte network-order AddrBits array (IPv4 uses bytes 0..3). */
export function wordsToAddrBits(family: Family, words: ArrayLike<number>, off: number, bytes: Uint8Array): void {
  bytes.fill(0);
  const n = family === 4 ? 1 : 4;
  for (let w = 0; w < n; w++) {
    const v = words[off + w] >>> 0;
    bytes[4 * w] = v >>> 24; bytes[4 * w + 1] = (v >>> 16) & 255; bytes[4 * w + 2] = (v >>> 8) & 255; bytes[4 * w + 3] = v & 255;
  }
}
