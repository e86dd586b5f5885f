// `ip route` / `ip -6 route` output (iproute2). A route line is held until the next route line (or the
// end) so that indented `nexthop …` lines can attach to it: a multipath route gives one record per
// nexthop, with the route's prefix and metric. blackhole/unreachable/prohibit routes get the
// pseudo-interfaces '(blackhole)', '(unreachable)', '(prohibit)'; local/broadcast/multicast/anycast/throw/nat
// (from `table all` dumps) are skipped and counted as unsupported. No allocation per line except a new
// dev name (interned once).

import type { Family } from '../address.js';
import type { RouteSink } from './batch.js';
import type { ReadContext } from './context.js';
import { familyOf, isWord, parseAddressRange, parsePrefixRange, parseU32Range, quote, skipSpace, tokenEnd, type LineHandler } from './text.js';

/** Keywords followed by one argument that is not read (so the argument is never taken for a keyword). */
const ARG_WORDS = ['proto', 'scope', 'src', 'table', 'pref', 'mtu', 'advmss', 'expires', 'error', 'realm', 'realms',
  'hoplimit', 'nhid', 'rtt', 'rttvar', 'reordering', 'window', 'cwnd', 'ssthresh', 'initcwnd', 'initrwnd', 'quickack',
  'congctl', 'features', 'rto_min', 'fastopen_no_cookie', 'tos', 'dsfield', 'from', 'weight', 'ttl-propagate', 'vrf'];
const ARG_BY_LEN: string[][] = [];
for (const w of ARG_WORDS) (ARG_BY_LEN[w.length] ??= []).push(w);

/** Route types that are read, and the pseudo-interface each gets (undefined: a plain route). */
const EMITTED_TYPES: Record<string, string | undefined> = {
  unicast: undefined, blackhole: '(blackhole)', unreachable: '(unreachable)', prohibit: '(prohibit)',
};
const SKIPPED_TYPES = ['local', 'broadcast', 'multicast', 'anycast', 'throw', 'nat'];
/** Tokens that only `ip route` output has; used to tell it from a prefix list. */
const IPROUTE_WORDS = ['via', 'dev', 'proto', 'scope', 'metric', 'nexthop', 'table', 'onlink', 'linkdown', 'expires'];

/** Tokens of one line: next() moves to the next token [a, b). */
class Tokens {
  s = '';
  a = 0;
  b = 0;
  private end = 0;
  reset(s: string, start: number, end: number): void { this.s = s; this.b = start; this.end = end; }
  next(): boolean {
    const p = skipSpace(this.s, this.b, this.end);
    if (p >= this.end) return false;
    this.a = p;
    this.b = tokenEnd(this.s, p, this.end);
    return true;
  }
  is(word: string): boolean { return isWord(this.s, this.a, this.b, word); }
  oneOf(words: readonly string[]): string | undefined {
    for (const w of words) if (this.is(w)) return w;
    return undefined;
  }
  text(): string { return this.s.slice(this.a, this.b); }
}

export class IpRouteParser implements LineHandler {
  /** Interface names by index: interfaces[ifIndex]; interfaces[0] is '' (none). */
  readonly interfaces: string[] = [''];
  /** Routes read (a multipath route counts once). */
  routes = 0;
  private readonly ifByName = new Map<string, number>();
  private lastIfName = '';
  private lastIfIndex = 0;
  private lastFamily: Family;
  private readonly t = new Tokens();
  // the pending route (header line)
  private pending = false;
  private skipping = false; // the last route line was skipped or malformed: ignore its nexthop lines
  private children = 0;
  private family: 0 | Family = 0; // 0: `default` whose family is not known yet
  private readonly key = new Uint32Array(4);
  private len = 0;
  private metric = 0;
  private typeIf = 0;
  private familyHint: 0 | Family = 0;
  private readonly via = new Uint32Array(4);
  private viaFamily: 0 | Family = 0;
  private ifIdx = 0;
  // the nexthop being read
  private readonly nhVia = new Uint32Array(4);
  private nhViaFamily: 0 | Family = 0;
  private nhIf = 0;

  /** `defaultFamily`: family of a `default` route when nothing on its line tells (else the last route's). */
  constructor(private readonly sink: RouteSink, private readonly ctx: ReadContext,
    private readonly defaultFamily: Family | undefined) {
    this.lastFamily = defaultFamily ?? 4;
  }

  line(s: string, start: number, end: number): string | undefined {
    const t = this.t;
    t.reset(s, start, end);
    if (!t.next() || s.charCodeAt(t.a) === 35) return undefined;
    if (t.is('nexthop')) {
      if (this.skipping) return undefined;
      if (!this.pending) return 'nexthop line without a route line before it';
      return this.nexthops();
    }
    this.flush();
    this.skipping = true; // until the route line is read
    let typeIf = 0;
    const type = this.routeType();
    if (type !== undefined) {
      if (SKIPPED_TYPES.includes(type)) { this.ctx.unsupportedRecord(`ip route ${type}`); return undefined; }
      const pseudo = EMITTED_TYPES[type];
      if (pseudo !== undefined) typeIf = this.internName(pseudo);
      if (!t.next()) return `missing prefix after '${type}'`;
    }
    if (t.is('default')) {
      this.family = 0;
      this.key.fill(0);
      this.len = 0;
    } else {
      const family = familyOf(s, t.a, t.b);
      const len = parsePrefixRange(s, t.a, t.b, family, this.key, 0);
      if (len < 0) return `malformed prefix ${quote(s, t.a, t.b)}`;
      this.family = family;
      this.len = len;
    }
    this.metric = 0;
    this.viaFamily = 0;
    this.ifIdx = 0;
    this.familyHint = 0;
    this.typeIf = typeIf;
    while (t.next()) {
      if (t.is('nexthop')) {
        this.start();
        return this.nexthops();
      }
      const reason = this.attribute(false);
      if (reason !== undefined) return reason;
    }
    this.start();
    return undefined;
  }

  finish(): void {
    this.flush();
  }

  private routeType(): string | undefined {
    const t = this.t;
    for (const w in EMITTED_TYPES) if (t.is(w)) return w;
    return t.oneOf(SKIPPED_TYPES);
  }

  private start(): void {
    this.pending = true;
    this.skipping = false;
    this.children = 0;
  }

  /** Emits the pending route line if no nexthop line took its place. */
  private flush(): void {
    if (this.pending && this.children === 0) this.emit(this.viaFamily, this.via, this.ifIdx);
    this.pending = false;
  }

  /** Reads `nexthop …` groups from the current token (which is 'nexthop') to the end of the line. */
  private nexthops(): string | undefined {
    const t = this.t;
    for (;;) {
      this.nhViaFamily = 0;
      this.nhIf = 0;
      let more = false;
      while (t.next()) {
        if (t.is('nexthop')) { more = true; break; }
        const reason = this.attribute(true);
        if (reason !== undefined) return reason;
      }
      this.children++;
      this.emit(this.nhViaFamily, this.nhVia, this.nhIf !== 0 ? this.nhIf : this.ifIdx);
      if (!more) return undefined;
    }
  }

  /** Reads one attribute at the current token (and its argument); unknown tokens are ignored. */
  private attribute(inNexthop: boolean): string | undefined {
    const t = this.t, s = t.s;
    if (t.is('via')) {
      if (!t.next()) return "missing address after 'via'";
      if ((t.is('inet') || t.is('inet6')) && !t.next()) return "missing address after 'via'";
      const family = familyOf(s, t.a, t.b);
      if (!parseAddressRange(s, t.a, t.b, family, inNexthop ? this.nhVia : this.via, 0)) {
        return `malformed next hop ${quote(s, t.a, t.b)}`;
      }
      if (inNexthop) this.nhViaFamily = family; else this.viaFamily = family;
    } else if (t.is('dev')) {
      if (!t.next()) return "missing name after 'dev'";
      const idx = this.intern(s, t.a, t.b);
      if (inNexthop) this.nhIf = idx; else this.ifIdx = idx;
    } else if (!inNexthop && (t.is('metric') || t.is('preference') || t.is('priority'))) {
      const word = t.text();
      if (!t.next()) return `missing number after '${word}'`;
      const metric = parseU32Range(s, t.a, t.b);
      if (metric < 0) return `malformed metric ${quote(s, t.a, t.b)}`;
      this.metric = metric;
    } else {
      const n = t.b - t.a;
      const words = n < ARG_BY_LEN.length ? ARG_BY_LEN[n] : undefined;
      if (words !== undefined && t.oneOf(words) !== undefined) {
        const isPref = t.is('pref'), isSrc = t.is('src');
        if (!t.next()) return `missing value after ${quote(s, t.a, t.b)}`;
        if (isPref) this.familyHint = 6; // RFC 4191 router preference: IPv6 only
        else if (isSrc) this.familyHint = familyOf(s, t.a, t.b);
      }
    }
    return undefined;
  }

  private emit(viaFamily: 0 | Family, via: Uint32Array, ifIndex: number): void {
    let family = this.family;
    if (family === 0) {
      family = viaFamily !== 0 ? viaFamily : this.familyHint !== 0 ? this.familyHint
        : this.defaultFamily ?? this.lastFamily;
      this.family = family;
    }
    this.lastFamily = family;
    if (this.children <= 1) this.routes++; // the route line itself, or its first nexthop
    const b = this.sink.batch(family), i = b.count, o = i << 2;
    const k = this.key;
    b.keys[o] = k[0]; b.keys[o + 1] = k[1]; b.keys[o + 2] = k[2]; b.keys[o + 3] = k[3];
    b.lens[i] = this.len;
    if (viaFamily === family) {
      b.nextHops[o] = via[0]; b.nextHops[o + 1] = via[1]; b.nextHops[o + 2] = via[2]; b.nextHops[o + 3] = via[3];
      b.hasNextHop[i] = 1;
    } else {
      b.nextHops[o] = 0; b.nextHops[o + 1] = 0; b.nextHops[o + 2] = 0; b.nextHops[o + 3] = 0;
      b.hasNextHop[i] = 0;
    }
    b.metrics[i] = this.metric;
    b.preferences[i] = 0;
    b.sources[i] = -1;
    b.ifIndex[i] = this.typeIf !== 0 ? this.typeIf : ifIndex;
    b.views[i] = 1;
    this.sink.commit(b);
  }

  private intern(s: string, a: number, b: number): number {
    if (this.lastIfIndex !== 0 && isWord(s, a, b, this.lastIfName)) return this.lastIfIndex;
    return this.internName(s.slice(a, b));
  }

  private internName(name: string): number {
    let idx = this.ifByName.get(name);
    if (idx === undefined) {
      idx = this.interfaces.length;
      this.interfaces.push(name);
      this.ifByName.set(name, idx);
    }
    this.lastIfName = name;
    this.lastIfIndex = idx;
    return idx;
  }
}

/** True when a line can only be `ip route` output (a route type or `default` first, or an ip-route keyword). */
export function looksLikeIpRoute(s: string, start: number, end: number): boolean {
  let p = skipSpace(s, start, end), first = true;
  while (p < end && s.charCodeAt(p) !== 35) { // up to a '#' comment
    const q = tokenEnd(s, p, end);
    if (first) {
      if (isWord(s, p, q, 'default')) return true;
      for (const w in EMITTED_TYPES) if (isWord(s, p, q, w)) return true;
      for (const w of SKIPPED_TYPES) if (isWord(s, p, q, w)) return true;
      first = false;
    }
    for (const w of IPROUTE_WORDS) if (isWord(s, p, q, w)) return true;
    p = skipSpace(s, q, end);
  }
  return false;
}
