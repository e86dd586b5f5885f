// The exact-match index of a table's destinations (assembly/dhash.ts): destFind answers from it once a
// table has dhashThreshold destinations, and it must hold exactly the trie's destinations through every
// insert, removal (backward-shift deletion), growth, shrink below a quarter of the threshold and a drop
// at full memory. Each test runs on a private debug core, checks checkInvariants (INV_DHASH compares
// the index with the trie entry by entry) after every step, and compares exact finds of present and
// absent prefixes (with and without host bits in the query) with a JS Set of the live prefixes.
import { describe, expect, it } from 'vitest';
import { createCoreSync, type Core } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RtmError } from '../../src/errors.js';
import type { RouteHandle, RtmOptions } from '../../src/types.js';
import type { Entity } from '../../src/entity.js';
import { mulberry32 } from '../helpers/random.js';
import { formatPrefix, parsePrefixInto } from '../../src/address.js';

type Fn = (...a: number[]) => number;

function rtmOn(core: Core, options: RtmOptions): Rtm {
  return new (Rtm as unknown as new (c: Core, o: RtmOptions) => Rtm)(core, options);
}

/** A pool of nested prefixes: short ones and many more-specifics under them (deep trie paths). */
function pool(rnd: () => number, family: 4 | 6, n: number): string[] {
  const out = new Set<string>();
  const bases = Array.from({ length: 24 }, () => rnd() >>> 0);
  while (out.size < n) {
    const b = bases[rnd() % bases.length];
    if (family === 4) {
      const len = 8 + (rnd() % 25);
      const v = ((b & 0xff000000) | (rnd() & 0x00ffffff)) >>> 0;
      const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const x = (v & m) >>> 0;
      out.add(`${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}/${len}`);
    } else {
      const len = 16 + (rnd() % 113);
      const g = [b >>> 16, b & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff, rnd() & 0xffff];
      for (let i = 0; i < 8; i++) {
        const keep = Math.max(0, Math.min(16, len - 16 * i));
        g[i] = keep === 0 ? 0 : g[i] & ((0xffff << (16 - keep)) & 0xffff);
      }
      out.add(`${g.map((x) => x.toString(16)).join(':')}/${len}`);
    }
  }
  // canonical text (as DestInfo.prefix gives it)
  const w = new Uint32Array(4);
  return [...out].map((p) => formatPrefix(family, w, 0, parsePrefixInto(p, family, w, 0)));
}

/** The prefix with a host bit set (a query the core must still match to the prefix), or undefined for full lengths. */
function withHostBit(p: string, family: 4 | 6): string | undefined {
  const [a, l] = p.split('/');
  const len = Number(l);
  if (len === (family === 4 ? 32 : 128)) return undefined;
  if (family === 4) {
    const parts = a.split('.').map(Number);
    const v = (((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) | 1) >>> 0;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${len}`;
  }
  const full = a.includes('::') ? a.replace('::', ':' + '0:'.repeat(9 - a.split(':').length)).replace(/:$/, '') : a;
  const g = full.split(':').map((x) => parseInt(x || '0', 16));
  g[7] |= 1;
  return `${g.map((x) => x.toString(16)).join(':')}/${len}`;
}

class World {
  readonly core = createCoreSync('debug');
  readonly x = this.core.x as unknown as Record<string, Fn>;
  readonly rtm: Rtm;
  readonly e: Entity;
  readonly live = new Map<string, RouteHandle>();
  constructor(readonly family: 4 | 6, threshold: number, options: RtmOptions = {}) {
    this.x.dhashThreshold(threshold);
    this.rtm = rtmOn(this.core, { clock: new VirtualClock(), ...options });
    this.e = this.rtm.registerEntity({ addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId: 8, instanceId: 0 });
  }
  get t(): number { return (this.family === 4 ? this.rtm.ipv4 : this.rtm.ipv6).core.t; }
  add(p: string): void {
    const r = this.e.addRouteToDest({ dest: p, nextHops: [], returnHandle: true });
    if (!this.live.has(p)) this.live.set(p, r.handle!);
  }
  del(p: string): void {
    this.e.deleteRouteToDest(this.live.get(p)!);
    this.live.delete(p);
  }
  /** Exact finds of `probe` prefixes agree with the live set; invariants hold. */
  check(probe: readonly string[]): void {
    expect(this.x.checkInvariants(this.t), 'checkInvariants').toBe(0);
    for (const p of probe) {
      const queries = [p];
      const hb = withHostBit(p, this.family);
      if (hb) queries.push(hb);
      for (const q of queries) {
        let info;
        try { info = this.e.getExactMatchDestination({ dest: q, views: 0 }); } catch (err) {
          if (err instanceof RtmError && q !== p) continue;   // a query with host bits may be refused outright
          throw err;
        }
        expect(info !== undefined, `${q} found`).toBe(this.live.has(p));
        if (info) { expect(info.prefix).toBe(p); this.e.releaseDestInfo(info); }
      }
    }
  }
}

describe('exact-match index of destinations (dhash)', () => {
  it.each([[4, 1], [6, 2]] as const)('IPv%i: random inserts and removals agree with the live set (seed %i)', (family, seed) => {
    const rnd = mulberry32(seed);
    const w = new World(family, 64);
    const P = pool(rnd, family, 3000);
    let sawIndex = false;
    for (let step = 0; step < 12_000; step++) {
      const p = P[rnd() % P.length];
      // phases: grow past the threshold, churn, shrink below a quarter of it, grow again
      const phase = Math.floor(step / 3000);
      if (step === 6000) {
        // shrink: all but 10 destinations go (in random order), which frees the index
        const order = [...w.live.keys()].sort(() => (rnd() & 1) - 0.5);
        for (const q of order.slice(10)) w.del(q);
        w.check(P.slice(0, 300));
        expect(w.x.tableHasDhash(w.t), 'freed after the shrink').toBe(0);
      }
      const addBias = phase === 0 ? 0.9 : phase === 1 ? 0.5 : phase === 2 ? 0.3 : 0.8;
      if (w.live.has(p) && rnd() / 2 ** 32 >= addBias) w.del(p);
      else if (!w.live.has(p) && rnd() / 2 ** 32 < addBias) w.add(p);
      if (w.x.tableHasDhash(w.t) === 1) sawIndex = true;
      if (step % 500 === 499) w.check([...P.slice(0, 200), ...[...w.live.keys()].slice(0, 100)]);
    }
    w.check(P);
    expect(sawIndex).toBe(true);
    expect(w.x.tableHasDhash(w.t), 'made again after the regrowth').toBe(1);
    w.rtm.close();
  });

  it('a table below the threshold has no index; one at it answers every find', () => {
    const w = new World(4, 100);
    const P = pool(mulberry32(7), 4, 400);
    for (let i = 0; i < 99; i++) w.add(P[i]);
    expect(w.x.tableHasDhash(w.t)).toBe(0);
    w.add(P[99]);
    expect(w.x.tableHasDhash(w.t)).toBe(1);
    w.check(P);
    // growth: past 3/4 of the first capacity (4,096 entries) the array doubles
    for (let i = 100; i < 400; i++) w.add(P[i]);
    w.check(P);
    w.rtm.close();
  });

  it('a batch load sizes the index once and every prefix is found', () => {
    const w = new World(4, 64);
    const P = pool(mulberry32(11), 4, 5000);
    const keys = new Uint32Array(4 * P.length), lens = new Uint8Array(P.length);
    P.forEach((p, i) => {
      const [a, l] = p.split('/');
      const parts = a.split('.').map(Number);
      keys[4 * i] = ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
      lens[i] = Number(l);
    });
    w.e.addRoutesBatch({ count: P.length, keys, lens });
    for (const p of P) w.live.set(p, 0 as RouteHandle);
    expect(w.x.tableHasDhash(w.t)).toBe(1);
    w.check(P);
    w.rtm.close();
  });

  it('at full memory the index is dropped, not the call: finds walk the trie and stay right', () => {
    const w = new World(4, 64);
    const P = pool(mulberry32(5), 4, 20_000);
    // 3,072 destinations fill 3/4 of the first array (4,096 entries): the next insert doubles it
    let i = 0;
    for (; i < 3072; i++) w.add(P[i]);
    expect(w.x.tableHasDhash(w.t)).toBe(1);
    // no page left to take: the slabs still have free slots, the doubled array (64 KiB) has no room
    w.x.memorySetCap(w.core.memoryBytes);
    let dropped = false, refused = false;
    for (; i < P.length && !refused; i++) {
      try { w.add(P[i]); } catch (err) {
        expect(err).toBeInstanceOf(RtmError);
        expect((err as RtmError).code).toBe('ERROR_NOT_ENOUGH_MEMORY');
        refused = true;
      }
      if (w.x.tableHasDhash(w.t) === 0) dropped = true;
      if (i % 500 === 0) expect(w.x.checkInvariants(w.t)).toBe(0);
    }
    expect(dropped, 'the index was dropped while adds went on').toBe(true);
    expect(w.x.checkInvariants(w.t)).toBe(0);
    w.x.memorySetCap(0);   // the finds below take references
    w.check(P.slice(0, i + 50));
    // with memory back, the index is made again at the next build point (a multiple of 65,536): not
    // reached here, so finds keep walking the trie, and stay right
    for (let j = 0; j < 200; j++) w.add(P[i + j]);
    w.check(P.slice(0, i + 250));
    w.rtm.close();
  });
});
