// Plain prefix lists: one `prefix [next-hop [metric [asn]]]` per line, whitespace-separated, `-` for an
// absent next hop; blank lines and `#` comments skipped. Writes each record straight into the sink's
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
    const len = parsePrefixRange(s, p, q, family, b.keys, o);
    if (len < 0) return `malformed prefix ${quote(s, p, q)}`;
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
}
