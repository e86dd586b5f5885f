// Prefix keys for the reference model: family + 4 × u32 words (MS word first, IPv4 in word 0, host bits
// cleared) + length. Comparison is bit by bit — slow and obviously right: canonical order (spec §6.2) is
// "first differing bit within the shorter length decides, else the shorter prefix first".
import { type Family, type NetAddressLike, formatPrefix, netAddressInto, parsePrefixInto, parsedFamily } from '../../src/address.js';

export interface Key {
  readonly family: Family;
  readonly words: readonly number[];
  readonly len: number;
}

const scratch = new Uint32Array(4);

/** Parses text or an RTM_NET_ADDRESS-like object of `family`; undefined if malformed or of another family. */
export function parseKey(input: unknown, family: Family): Key | undefined {
  let len: number;
  if (typeof input === 'string') len = parsePrefixInto(input, family, scratch, 0);
  else if (input !== null && typeof input === 'object' && 'AddressFamily' in input && 'NumBits' in input && 'AddrBits' in input) {
    len = netAddressInto(input as NetAddressLike, family, scratch, 0);
  } else return undefined;
  if (len < 0 || parsedFamily.value !== family) return undefined;
  return { family, words: [scratch[0], scratch[1], scratch[2], scratch[3]], len };
}

/** Bit i (0 = most significant) of the key. */
export function bitAt(k: Key, i: number): number {
  return (k.words[i >>> 5] >>> (31 - (i & 31))) & 1;
}

/** Canonical order (§6.2): negative if a < b. */
export function compareKeys(a: Key, b: Key): number {
  const m = Math.min(a.len, b.len);
  for (let i = 0; i < m; i++) {
    const d = bitAt(a, i) - bitAt(b, i);
    if (d !== 0) return d;
  }
  return a.len - b.len;
}

/** True if `a` covers `b` (a is less specific than or equal to b). */
export function covers(a: Key, b: Key): boolean {
  if (a.len > b.len) return false;
  for (let i = 0; i < a.len; i++) if (bitAt(a, i) !== bitAt(b, i)) return false;
  return true;
}

export function keyEquals(a: Key, b: Key): boolean {
  return a.len === b.len && covers(a, b);
}

/** 'a.b.c.d/len' or 'x::/len'. */
export function formatKey(k: Key): string {
  return formatPrefix(k.family, k.words, 0, k.len);
}

/** The address alone when the key is full length, else 'addr/len' (next-hop addresses). */
export function formatAddress(k: Key): string {
  const text = formatKey(k);
  return k.len === (k.family === 4 ? 32 : 128) ? text.slice(0, text.lastIndexOf('/')) : text;
}
