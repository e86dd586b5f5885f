// Plain prefix lists: one `prefix [next-hop [metric [asn]]]` per line, whitespace-separated, `-` for an
// absent next hop; blank lines and `#` comments skipped. IPv4 netmask syntax is read as a length:
// `10.0.0.0 255.0.0.0` and `10.0.0.0/255.0.0.0` are 10.0.0.0/8 (an address with bits outside the
// netmask is rejected, never guessed). Writes each record straight into the sink's
// batch of its family: no allocation per line (strings are made only for error messages).
// The AS number column is validated but RouteBatch has no column for it, so it is not emitted.

import type { RouteSink } from './batch.js';
import { familyOf, parseAddressRange, parsePrefixRange, parseU32Range, quote, skipSpace, tokenEnd, type LineHandler } from './text.js';

export class PrefixListParser implements LineHandler {
  constructor(private readonly sink: RouteSink) {}

  line(s: string, start: number, end: number): string | undefined {
    let p = skipSpace(s, start, end);
    if (p === end || s.charCodeAt(p) === 35) return undefined; // blank or '#' comment
    let q = tokenEnd(s, p, end);
    const family = familyOf(s, p, q);
    const b = this.sink.batch(family);
    const i = b.count, o = i << 2;
    let len: number;
    const slash = s.indexOf('/', p);
    if (family === 4 && slash > p && slash < q && q - slash - 1 > 3) {
      // 'address/netmask' (10.0.0.0/255.0.0.0)
      len = this.masked(s, p, slash, slash + 1, q, b.keys, o);
      if (len < 0) return len === BAD_MASK ? `malformed prefix ${quote(s, p, q)} (not a contiguous netmask)` : this.why;
    } else {
      len = parsePrefixRange(s, p, q, family, b.keys, o);
      if (len < 0) return `malformed prefix ${quote(s, p, q)}`;
    }
    if (family === 4 && (slash < p || slash >= q)) {
      // a bare address followed by a contiguous netmask ('10.0.0.0 255.0.0.0') is a prefix; the columns
      // after the netmask are the next hop, metric and AS number
      const p2 = skipSpace(s, q, end);
      if (p2 < end && s.charCodeAt(p2) !== 35) {
        const q2 = tokenEnd(s, p2, end);
        if (familyOf(s, p2, q2) === 4 && parseAddressRange(s, p2, q2, 4, this.scratch, 0)) {
          if (maskLength(this.scratch[0]) >= 0) {
            len = this.masked(s, p, q, p2, q2, b.keys, o);
            if (len < 0) return this.why;
            q = q2;
          } else if (this.scratch[0] >= 0xe0000000) {
            // 255.0.255.0: meant as a netmask, but not a contiguous one (and no unicast next hop either)
            return `${quote(s, p2, q2)} after a bare address is neither a contiguous netmask nor a unicast next hop`;
          }
        }
      }
    }
    b.lens[i] = len;
    b.hasNextHop[i] = 0;
    b.nextHops[o] = 0; b.nextHops[o + 1] = 0; b.nextHops[o + 2] = 0; b.nextHops[o + 3] = 0;
    b.metrics[i] = 0;
    b.preferences[i] = 0;
    b.sources[i] = -1;
    b.ifIndex[i] = 0;
    b.views[i] = 1;
    // column 2: next hop, or '-'
    p = skipSpace(s, q, end);
    if (p < end && s.charCodeAt(p) !== 35) {
      q = tokenEnd(s, p, end);
      if (!(q - p === 1 && s.charCodeAt(p) === 45)) {
        if (familyOf(s, p, q) !== family) return `next hop ${quote(s, p, q)} is not an IPv${family} address`;
        if (!parseAddressRange(s, p, q, family, b.nextHops, o)) return `malformed next hop ${quote(s, p, q)}`;
        b.hasNextHop[i] = 1;
      }
      // column 3: metric
      p = skipSpace(s, q, end);
      if (p < end && s.charCodeAt(p) !== 35) {
        q = tokenEnd(s, p, end);
        const metric = parseU32Range(s, p, q);
        if (metric < 0) return `malformed metric ${quote(s, p, q)}`;
        b.metrics[i] = metric;
        // column 4: AS number
        p = skipSpace(s, q, end);
        if (p < end && s.charCodeAt(p) !== 35) {
          q = tokenEnd(s, p, end);
          if (parseU32Range(s, p, q) < 0) return `malformed AS number ${quote(s, p, q)}`;
          p = skipSpace(s, q, end);
          if (p < end && s.charCodeAt(p) !== 35) return `unexpected 5th column ${quote(s, p, tokenEnd(s, p, end))}`;
        }
      }
    }
    this.sink.commit(b);
    return undefined;
  }

  finish(): void { /* nothing pending */ }

  private readonly scratch = new Uint32Array(4);
  /** The reason of the last masked() failure other than BAD_MASK. */
  private why = '';

  /**
   * The length of IPv4 address s[a0, a1) with netmask s[m0, m1), the address written to out[off..]; -1
   * with `why` set when the address is malformed or has bits outside the netmask (never guessed), BAD_MASK
   * when the netmask is malformed or not contiguous.
   */
  private masked(s: string, a0: number, a1: number, m0: number, m1: number, out: Uint32Array, off: number): number {
    if (!parseAddressRange(s, m0, m1, 4, this.scratch, 0)) return BAD_MASK;
    const mask = this.scratch[0], len = maskLength(mask);
    if (len < 0) return BAD_MASK;
    if (!parseAddressRange(s, a0, a1, 4, out, off)) {
      this.why = `malformed prefix ${quote(s, a0, a1)}`;
      return -1;
    }
    if ((out[off] & ~mask) !== 0) {
      this.why = `address ${quote(s, a0, a1)} has bits outside netmask ${quote(s, m0, m1)} (/${len}); ` +
        'an IPv4 address after a bare address is read as a netmask when it is one: write the prefix as address/length';
      return -1;
    }
    return len;
  }
}

/** masked(): the netmask is malformed or not contiguous. */
const BAD_MASK = -2;

/** The prefix length of a contiguous IPv4 netmask (255.255.0.0 → 16, 0.0.0.0 → 0), or -1. */
export function maskLength(mask: number): number {
  const inv = ~mask >>> 0;
  if ((inv & (inv + 1)) !== 0) return -1; // the zero bits must be the low ones
  let n = 0;
  for (let v = inv; v !== 0; v >>>= 1) n++;
  return 32 - n;
}
