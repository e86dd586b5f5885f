// Line scanning for the text formats. scanText() turns decompressed chunks into lines without building a
// whole-file string: each chunk becomes one Latin-1 string, lines are found with indexOf('\n'), and only the
// unfinished last line is carried over (at most MAX_LINE_CHARS; a longer line is a bad record). Parsers
// get (string, start, end) ranges and use the range helpers below, so a line costs no allocation.
// Token helpers: no regex; a token is a run of non-whitespace.

import { maskWords, parseIPv4Range, parseIPv6RangeInto, type Family } from '../address.js';
import type { Drain } from './batch.js';
import type { ReadContext } from './context.js';
import { latin1, type ByteSource } from './source.js';

/** Longest line accepted, in characters (bytes). */
export const MAX_LINE_CHARS = 1 << 20;

/** A text-format parser: one call per line, then finish() at the end of input. */
export interface LineHandler {
  /** Parses s[start, end) (no line break); returns undefined, or the reason the line is malformed. */
  line(s: string, start: number, end: number, lineNo: number): string | undefined;
  /** End of input: emit whatever is pending. */
  finish(): void;
}

/** Streams `src` line by line into `handler`, yielding the batches `drain` fills. */
export async function* scanText<B>(src: ByteSource, handler: LineHandler, drain: Drain<B>,
  ctx: ReadContext): AsyncGenerator<B> {
  // The unfinished last line is carried as bytes and decoded together with the next chunk, so that every
  // text is one flat string (a concatenated cons string would make each charCodeAt a slow path).
  let carry: Uint8Array | undefined;
  let lineNo = 0;
  let first = true;
  let overlong = false; // dropping the rest of a line longer than MAX_LINE_CHARS
  for (;;) {
    const chunk = await src.next();
    if (chunk === undefined) break;
    let bytes = chunk;
    if (carry !== undefined) {
      bytes = new Uint8Array(carry.length + chunk.length);
      bytes.set(carry, 0);
      bytes.set(chunk, carry.length);
      carry = undefined;
    }
    const text = latin1(bytes);
    let pos = 0;
    if (first) {
      first = false;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3; // UTF-8 byte order mark
    }
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      lineNo++;
      if (overlong) { overlong = false; pos = nl + 1; continue; }
      const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - pos > MAX_LINE_CHARS) ctx.bad(`line longer than ${MAX_LINE_CHARS} characters`, lineNo);
      else {
        const reason = handler.line(text, pos, end, lineNo);
        if (reason !== undefined) ctx.bad(reason, lineNo);
      }
      pos = nl + 1;
      if (drain.ready.length > 0) {
        for (const b of drain.ready) yield b;
        drain.recycle();
      }
    }
    if (pos < text.length && !overlong) {
      if (text.length - pos > MAX_LINE_CHARS) {
        overlong = true;
        ctx.bad(`line longer than ${MAX_LINE_CHARS} characters`, lineNo + 1);
      } else carry = bytes.slice(pos); // a copy: the source may reuse its chunk
    }
    ctx.progress();
  }
  if (carry !== undefined) {
    const text = latin1(carry);
    lineNo++;
    const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
    const reason = handler.line(text, 0, end, lineNo);
    if (reason !== undefined) ctx.bad(reason, lineNo);
  }
  handler.finish();
  drain.flush();
  for (const b of drain.ready) yield b;
  drain.recycle();
  ctx.progress(true);
}

/** True for space, tab, CR, VT, FF. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/** The first non-space index in [p, end), or end. */
export function skipSpace(s: string, p: number, end: number): number {
  while (p < end && isSpace(s.charCodeAt(p))) p++;
  return p;
}

/** The end of the token starting at p. */
export function tokenEnd(s: string, p: number, end: number): number {
  while (p < end && !isSpace(s.charCodeAt(p))) p++;
  return p;
}

/** True when s[start, end) is exactly `word`. */
export function isWord(s: string, start: number, end: number, word: string): boolean {
  return end - start === word.length && s.startsWith(word, start);
}

/** Parses a decimal u32 in s[start, end); -1 if malformed or above 0xFFFFFFFF. */
export function parseU32Range(s: string, start: number, end: number): number {
  if (start >= end || end - start > 10) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v > 0xffffffff ? -1 : v;
}

/** The family a prefix or address token looks like: 6 if it has a ':', else 4. */
export function familyOf(s: string, start: number, end: number): Family {
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 58) return 6;
  return 4;
}

/** Parses a bare address of `family` in s[start, end) into out[off..off+3]; false if malformed. */
export function parseAddressRange(s: string, start: number, end: number, family: Family,
  out: Uint32Array, off: number): boolean {
  if (family === 6) return parseIPv6RangeInto(s, start, end, out, off);
  const v = parseIPv4Range(s, start, end);
  if (v < 0) return false;
  out[off] = v; out[off + 1] = 0; out[off + 2] = 0; out[off + 3] = 0;
  return true;
}

/**
 * Parses `addr[/len]` of `family` in s[start, end) into out[off..off+3], host bits cleared; returns the
 * length in bits (a bare address is full length), or -1 if malformed or out of range.
 */
export function parsePrefixRange(s: string, start: number, end: number, family: Family,
  out: Uint32Array, off: number): number {
  let slash = end;
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 47) { slash = i; break; }
  if (!parseAddressRange(s, start, slash, family, out, off)) return -1;
  const maxLen = family === 4 ? 32 : 128;
  let len = maxLen;
  if (slash < end) {
    if (end - slash - 1 < 1 || end - slash - 1 > 3) return -1;
    len = parseU32Range(s, slash + 1, end);
    if (len < 0 || len > maxLen) return -1;
    maskWords(out, off, len);
  }
  return len;
}

/** s[start, end) quoted for a message, cut at 60 characters. */
export function quote(s: string, start: number, end: number): string {
  return end - start > 60 ? `'${s.slice(start, start + 57)}...'` : `'${s.slice(start, end)}'`;
}
