// The IPv4 forwarding structure's memory layout (assembly/fib.ts, 18-6-8): what a structure holds (level 1
// and its page: 1 MiB + 64 KiB, the page's first KiB its header, the other 63 its first quads of level-2
// chunks) and what it takes from the shared chunks (1 KiB each: quads once its page is used up, level-3
// chunks), as fibMemoryBytes counts them; everything given back when the table goes, and the same bytes
// when the next table builds the same structure; the debug invariant that the chunks of the current quad
// not yet handed out read as no route (a snapshot copies whole quads); and lookups at the level boundaries
// (/18: level 1 or 2; /24: level 2 or 3) against the reference trie.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreSync, Core } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { formatPrefix, parsePrefixInto } from '../../src/address.js';
import { RefTrie, RefDest } from '../reference/trie-model.js';
import { VIEW_U, LIVE } from '../helpers/fibchurn.js';

const STRUCT_BYTES = (1 << 20) + (1 << 16);   // level 1 (2^18 entries) and the structure's page
const INV_FIB = 13;                           // assembly/debug.ts

let core: Core;
beforeAll(() => { core = loadCoreSync('debug'); });
afterEach(() => { core.x.fibThreshold(0); });

/** A live unicast destination for each prefix; the table builds its structure at its first destination. */
function table(prefixes: string[]): { t: CoreTable; ids: number[] } {
  core.x.fibThreshold(1);
  const t = new CoreTable(core, 4);
  const ids = prefixes.map((p) => add(t, p));
  return { t, ids };
}

function add(t: CoreTable, p: string): number {
  const { destId } = t.ensureDest(p);
  t.setDestState(destId, VIEW_U | LIVE);
  return destId;
}

/** The /24 prefix of /18 block i (distinct /18s: each needs a level-2 chunk of its own). */
/** Key words and length of an IPv4 prefix text. */
function parsePrefix(p: string): { words: Uint32Array; len: number } {
  const words = new Uint32Array(4);
  return { words, len: parsePrefixInto(p, 4, words, 0) };
}

const in18 = (i: number): string => `${(i >>> 10) & 255}.${(i >>> 2) & 255}.${(i & 3) << 6}.0/24`;

describe('IPv4 forwarding structure layout (18-6-8)', () => {
  it('counts level 1 and its page, then a shared KiB per level-3 chunk and per quad past the page', () => {
    const base = core.x.fibMemoryBytes();
    const { t } = table(['10.0.0.0/8']);
    expect(core.x.tableHasFib(t.t)).toBe(1);
    expect(core.x.fibMemoryBytes() - base, 'a /8 is painted in level 1 only').toBe(STRUCT_BYTES);
    // 252 level-2 chunks (63 quads) fit the structure's page; the 253rd takes a shared quad
    for (let i = 0; i < 252; i++) add(t, in18(4 + i));
    expect(core.x.fibMemoryBytes() - base, '252 level-2 chunks in the page').toBe(STRUCT_BYTES);
    add(t, in18(4 + 252));
    expect(core.x.fibMemoryBytes() - base, 'the 253rd: a shared quad').toBe(STRUCT_BYTES + 1024);
    for (let i = 253; i < 256; i++) add(t, in18(4 + i));
    expect(core.x.fibMemoryBytes() - base, 'the quad holds four').toBe(STRUCT_BYTES + 1024);
    add(t, in18(4 + 256));
    expect(core.x.fibMemoryBytes() - base, 'the fifth past the page: a second quad').toBe(STRUCT_BYTES + 2048);
    // a /24 in a /18 that has its chunk already: no new chunk; a /25 under a /24: a level-3 chunk
    add(t, '0.1.1.0/24');
    expect(core.x.fibMemoryBytes() - base).toBe(STRUCT_BYTES + 2048);
    add(t, '0.1.1.128/25');
    expect(core.x.fibMemoryBytes() - base, 'a level-3 chunk').toBe(STRUCT_BYTES + 3072);
    expect(t.checkInvariants()).toBe(0);
    t.free();
    expect(core.x.fibMemoryBytes(), 'all given back with the table').toBe(base);
  });

  it('gives every byte back with the table and builds the same structure in the same bytes again', () => {
    const prefixes: string[] = [];
    for (let i = 0; i < 700; i++) prefixes.push(in18(i * 3));
    for (let i = 0; i < 40; i++) prefixes.push(`${(i * 3) >>> 8}.${(i * 3 >>> 0) & 255}.0.${i & 1 ? 128 : 0}/25`);
    const base = core.x.fibMemoryBytes(), inUse = core.x.memoryInUseBytes();
    const a = table(prefixes);
    const bytes = core.x.fibMemoryBytes() - base;
    expect(bytes).toBeGreaterThan(STRUCT_BYTES);
    expect(a.t.checkInvariants()).toBe(0);
    a.t.free();
    expect(core.x.fibMemoryBytes()).toBe(base);
    expect(core.x.memoryInUseBytes()).toBe(inUse);
    const b = table(prefixes);
    expect(core.x.fibMemoryBytes() - base).toBe(bytes);
    expect(b.t.checkInvariants()).toBe(0);
    b.t.free();
  });

  it('reports chunks of the current quad that were not handed out and do not read as no route', () => {
    const { t } = table(['10.0.0.0/8', in18(5)]);          // one level-2 chunk: three of its quad unused
    expect(t.checkInvariants()).toBe(0);
    const fib = core.x.snapFibX(t.t) >>> 0;
    expect(fib).toBeGreaterThan(0);
    const u = core.u32(), next = u[(fib + (1 << 20)) >>> 2];   // the header's next free level-2 chunk
    expect(next % 1024, 'mid-quad').toBe(256);
    const w = (next >>> 2) + 17;
    u[w] = 0x80000000 | 4;                                    // a stale child pointer in an unused chunk
    expect(t.checkInvariants()).toBe(INV_FIB);
    u[w] = 0;
    expect(t.checkInvariants()).toBe(0);
    t.free();
  });

  it('answers at the level boundaries as the reference trie does', () => {
    const prefixes = [
      '0.0.0.0/0', '20.0.0.0/17', '20.0.128.0/18', '20.0.192.0/19', '20.0.64.0/18', '20.1.0.0/18', '20.1.64.0/23',
      '20.1.66.0/24', '20.1.67.0/25', '20.1.67.128/32', '20.0.0.0/24', '20.0.63.0/24', '20.0.63.255/32', '20.3.255.0/24',
      '20.4.0.0/16', '20.4.63.0/24', '20.4.64.0/26', '21.0.0.0/18', '21.0.0.0/19', '21.0.32.0/19',
    ];
    const { t, ids } = table(prefixes);
    const ref = new RefTrie(4);
    const idOf = new Map<RefDest, number>();
    prefixes.forEach((p, i) => {
      const { words, len } = parsePrefix(p);
      const d = ref.insert(words, 0, len);
      d.state = VIEW_U | LIVE;
      idOf.set(d, ids[i]);
    });
    const k = new Uint32Array(4);
    const probe: number[] = [];
    for (const p of prefixes) {
      const { words, len } = parsePrefix(p);
      const first = words[0] >>> 0, last = (first + (len === 0 ? 0xffffffff : 2 ** (32 - len) - 1)) >>> 0;
      for (const a of [first - 1, first, first + 1, last - 1, last, last + 1]) probe.push(a >>> 0);
    }
    const addrs = Uint32Array.from(probe), out = new Int32Array(addrs.length);
    t.lookupBatch(addrs, out, 0);
    for (let i = 0; i < addrs.length; i++) {
      k[0] = addrs[i];
      const r = ref.lpm(k, 0, 32, 1);
      const want = r ? idOf.get(r)! : -1;
      expect([out[i], t.lookup4(addrs[i])], formatPrefix(4, k, 0, 32)).toEqual([want, want]);
    }
    expect(t.checkInvariants()).toBe(0);
    t.free();
  });
});
