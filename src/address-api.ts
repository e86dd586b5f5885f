// The address parsers and formatters as `rtm-wasm` exports them: the scanners of address.ts behind argument
// checks, so that a caller's wrong type is RtmError(ERROR_INVALID_PARAMETER) naming the function, never a
// TypeError from deep inside a loop. Malformed text keeps the scanners' answer (-1 / false); what is not text
// at all counts as malformed too. The library itself calls address.ts directly (its arguments are its own),
// so these checks cost nothing on the hot paths. Allocates only the strings the formatters return.
import * as A from './address.js';
import type { Family } from './address.js';
import { RtmError, fmt } from './errors.js';

function bad(op: string, detail: string): never {
  throw new RtmError('ERROR_INVALID_PARAMETER', op, detail);
}

/** `out[off..off+3]` must be a key the function can write: a Uint32Array and an offset inside it. */
function keyOut(out: unknown, off: unknown, op: string): void {
  if (!(ArrayBuffer.isView(out) && out instanceof Uint32Array)) bad(op, `out must be a Uint32Array, got ${fmt(out)}`);
  if (typeof off !== 'number' || !Number.isInteger(off) || off < 0 || off + 4 > out.length) {
    bad(op, `offset ${fmt(off)} does not leave 4 words in an array of ${out.length}`);
  }
}

/** `words[off..off+n)` must be numbers of an array or typed array; returns a copy of them (from index 0). */
function keyIn(words: unknown, off: unknown, n: number, op: string): ArrayLike<number> {
  if (typeof off !== 'number' || !Number.isInteger(off) || off < 0) bad(op, `offset ${fmt(off)} is not a word index`);
  const key = new Array<number>(n).fill(0);   // the words copied out (a proxy is read once, in the try)
  let ok = false;
  try {
    if (Array.isArray(words) || ArrayBuffer.isView(words)) {
      const a = words as unknown as ArrayLike<unknown>;
      ok = off + n <= a.length;
      for (let i = 0; ok && i < n; i++) { const v = a[off + i]; ok = typeof v === 'number'; key[i] = v as number; }
    }
  } catch {
    ok = false;
  }
  if (!ok) bad(op, `words must hold ${n} numbers from offset ${off}, got ${fmt(words)}`);
  return key;
}

function familyArg(family: unknown, zero: boolean, op: string): 0 | Family {
  if (family === 4 || family === 6 || (zero && family === 0)) return family;
  return bad(op, `family must be ${zero ? '0, ' : ''}4 or 6, got ${fmt(family)}`);
}

/** Parses dotted-quad text to a host-order u32, or -1 if malformed (or not text). */
export function parseIPv4(s: string): number {
  return typeof s === 'string' ? A.parseIPv4(s) : -1;
}

/**
 * Parses IPv6 text into out[off..off+3]; false if malformed (or not text).
 * @throws RtmError ERROR_INVALID_PARAMETER if `out` is not a Uint32Array with 4 words from `off`
 */
export function parseIPv6Into(s: string, out: Uint32Array, off = 0): boolean {
  keyOut(out, off, 'parseIPv6Into');
  return typeof s === 'string' && A.parseIPv6Into(s, out, off);
}

/**
 * Parses `addr` or `addr/len` into out[off..off+3] (host bits cleared) and returns the length, or -1 when the
 * text is malformed (or not text), the length is out of range, or the family differs from `family` (0 = either).
 * @throws RtmError ERROR_INVALID_PARAMETER for a family other than 0, 4, 6 or an `out` that cannot take the key
 */
export function parsePrefixInto(s: string, family: 0 | Family, out: Uint32Array, off = 0): number {
  const fam = familyArg(family, true, 'parsePrefixInto');
  keyOut(out, off, 'parsePrefixInto');
  return typeof s === 'string' ? A.parsePrefixInto(s, fam, out, off) : -1;
}

/**
 * Clears the bits beyond `len` (0..128) in the key at out[off..off+3].
 * @throws RtmError ERROR_INVALID_PARAMETER for a bad `out`, offset or length
 */
export function maskWords(out: Uint32Array, off: number, len: number): void {
  keyOut(out, off, 'maskWords');
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > 128) bad('maskWords', `length ${fmt(len)} is not in 0..128`);
  A.maskWords(out, off, len);
}

/**
 * Formats a host-order u32 (an integer in −2^31..2^32−1, read as unsigned) as dotted-quad text.
 * @throws RtmError ERROR_INVALID_PARAMETER for anything else
 */
export function formatIPv4(v: number): string {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) bad('formatIPv4', `not an IPv4 address: ${fmt(v)}`);
  return A.formatIPv4(v >>> 0);
}

/**
 * Formats the IPv6 address at words[off..off+3] in RFC 5952 form.
 * @throws RtmError ERROR_INVALID_PARAMETER unless words[off..off+3] are numbers
 */
export function formatIPv6(words: ArrayLike<number>, off = 0): string {
  return A.formatIPv6(keyIn(words, off, 4, 'formatIPv6'), 0);
}

/**
 * Formats the key at words[off..] with `len` as 'addr/len' text.
 * @throws RtmError ERROR_INVALID_PARAMETER for a family other than 4 or 6, a length out of its range, or missing words
 */
export function formatPrefix(family: Family, words: ArrayLike<number>, off: number, len: number): string {
  const fam = familyArg(family, false, 'formatPrefix') as Family;
  const w = keyIn(words, off, fam === 4 ? 1 : 4, 'formatPrefix');
  if (typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > A.maxLen(fam)) bad('formatPrefix', `length ${fmt(len)} is out of range`);
  return A.formatPrefix(fam, w, 0, len);
}
