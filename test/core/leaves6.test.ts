// IPv6 leaves (issue 13, assembly/layout.ts "IPv6 leaves"): an IPv6 destination of 1..64 bits with nothing
// below it has no trie node; its two key words live in an 8-byte key record (SLAB_KEY6) that its record
// names, or, up to /32 (KEY6_INLINE_MAX), its first key word in its record itself. Checked here, on debug
// cores (checkInvariants: INV_LEAF, INV_KEY6 count the key records against the destinations that hold one):
// - an insertion below a leaf makes it a node again and frees its key record; a prefix longer than /64 is
//   a (long) node, never a leaf; a removal folds a node left with its destination and no child back into a
//   leaf when a key record is free without growing memory (a removal must not fail), else leaves it a node;
// - whole keys read back through the destination, leaf or node;
// - the bulk build (addRoutesBatch into an empty table: nodes first, folded at the end within the batch's
//   reservation) gives the shape one-by-one inserts give;
// - a leaf leaving the trie while a registration still has it queued keeps its key record as its own
//   tombstone: getChangedDests names its prefix, and the record goes with the destination.
import { describe, expect, it } from 'vitest';
import { createCoreSync } from '../../src/core.js';
import { CoreTable } from '../../src/coretable.js';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import { RTM_CHANGE_TYPE_ALL } from '../../src/win32/constants.js';
import { randomPrefixes } from '../helpers/random.js';
import { parsePrefixInto } from '../../src/address.js';

const LIVE_U = 0x201;   // view 0 | DEST_S_LIVE

/** An IPv6 Rtm on `core`: entity E with a next hop, entity W registered for every change, and W's drain (the prefixes it got). */
function watched(core: ReturnType<typeof createCoreSync>) {
  const rtm = Rtm.createSync({ core, families: ['ipv6'], build: 'debug', clock: new VirtualClock() });
  const E = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 0 });
  const W = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 9, instanceId: 0 });
  const nh = E.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
  const reg = W.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
  const drain = () => {
    const got = W.getChangedDests({ notifyHandle: reg, count: 100 });
    W.releaseChangedDests({ notifyHandle: reg, dests: got.items });
    return got.items.map((x) => x.prefix);
  };
  return { rtm, E, nh, drain };
}

describe('IPv6 leaves: key records instead of nodes', () => {
  it('come with leaves and go with them; an insert below makes a node; a removal folds it back', () => {
    const core = createCoreSync('debug');
    const keys = () => core.x.trieKeyRecords() as number, longs = () => core.x.trieLongNodes() as number;
    const t = new CoreTable(core, 6);
    const add = (p: string) => { const { destId } = t.ensureDest(p); t.setDestState(destId, LIVE_U); return destId; };
    const shape = () => ({ nodes: t.nodeCount, keys: keys(), longs: longs(), dests: t.destCount, inv: t.checkInvariants() });
    const d32 = add('2001:db8::/32');
    expect(shape()).toEqual({ nodes: 1, keys: 0, longs: 0, dests: 1, inv: 0 });   // the root, and the /32 a leaf (its key inline)
    const d48 = add('2001:db8:1::/48');
    expect(shape()).toEqual({ nodes: 2, keys: 1, longs: 0, dests: 2, inv: 0 });   // the /32 a node, the /48 a leaf
    const d80 = add('2001:db8:1:0:1::/80');
    expect(shape()).toEqual({ nodes: 4, keys: 0, longs: 1, dests: 3, inv: 0 });   // /48 a node, /80 a long node
    const out = new Uint32Array(4);
    for (const [d, want] of [[d32, [0x20010db8, 0, 0, 0]], [d48, [0x20010db8, 0x00010000, 0, 0]],
      [d80, [0x20010db8, 0x00010000, 0x00010000, 0]]] as const) {
      t.destKeyInto(d, out);
      expect([...out]).toEqual(want);
    }
    // a removal folds the node left with its destination and no child back into a leaf (a key record is free)
    t.setDestState(d80, 0);
    t.removeDest(d80);
    expect(shape()).toEqual({ nodes: 2, keys: 1, longs: 0, dests: 2, inv: 0 });
    // a sibling of the /48 below the /32 is a leaf; its key reads back from the key record, as the /48's does
    const d33 = add('2001:db8:8000::/33');
    expect(shape()).toEqual({ nodes: 2, keys: 2, longs: 0, dests: 3, inv: 0 });
    t.destKeyInto(d33, out);
    expect([...out]).toEqual([0x20010db8, 0x80000000, 0, 0]);
    t.destKeyInto(d48, out);
    expect([...out]).toEqual([0x20010db8, 0x00010000, 0, 0]);
    expect(t.lessSpecific(d33)).toBe(d32);
    expect(t.lessSpecific(d48)).toBe(d32);
    // a /64 is a leaf (the longest a key record holds), a /65 a node
    add('2001:db8:8000:1::/64');
    expect(shape()).toEqual({ nodes: 3, keys: 2, longs: 0, dests: 4, inv: 0 });   // the /33 a node, the /64 a leaf
    add('2001:db8:8000:1:8000::/65');
    expect(shape()).toEqual({ nodes: 5, keys: 1, longs: 1, dests: 5, inv: 0 });   // the /64 a node, the /65 a long node
    t.free();
    expect(keys() + longs()).toBe(0);
  });

  it('leaves of at most /32 keep their key in their destination record: no key record, in the trie or out of it', () => {
    // layout KEY6_INLINE_MAX: the key's first word is the leaf's DEST_NODE (the second is zero by its length)
    const core = createCoreSync('debug');
    const keys = () => core.x.trieKeyRecords() as number;
    const t = new CoreTable(core, 6);
    const add = (p: string) => { const { destId } = t.ensureDest(p); t.setDestState(destId, LIVE_U); return destId; };
    const shape = () => ({ nodes: t.nodeCount, keys: keys(), dests: t.destCount, inv: t.checkInvariants() });
    const out = new Uint32Array(4), a = new Uint32Array(4);
    const keyOf = (d: number) => { t.destKeyInto(d, out); return [...out]; };
    const at = (addr: string) => { parsePrefixInto(addr, 6, a); return t.lookup6(a); };
    const d32 = add('2001:db8::/32'), d12 = add('2400::/12'), d20 = add('2c0f:f000::/20'), d1 = add('8000::/1');
    expect(shape()).toEqual({ nodes: 3, keys: 0, dests: 4, inv: 0 });   // the root and two branches; four leaves
    expect(keyOf(d32)).toEqual([0x20010db8, 0, 0, 0]);
    expect(keyOf(d12)).toEqual([0x24000000, 0, 0, 0]);
    expect(keyOf(d20)).toEqual([0x2c0ff000, 0, 0, 0]);
    expect(keyOf(d1)).toEqual([0x80000000, 0, 0, 0]);
    expect([at('2001:db8:ffff::1'), at('240f::1'), at('2c0f:ffff::1'), at('ffff::1'), at('2001:db9::1')]).toEqual([d32, d12, d20, d1, -1]);
    // a /48 below the /32 makes it a node (its key from the record, DEST_STATE's word not read as key); the
    // /48 has a key record; taking the /48 away folds the /32 back into a leaf with no key record to take
    const d48 = add('2001:db8:1::/48');
    expect(shape()).toEqual({ nodes: 4, keys: 1, dests: 5, inv: 0 });
    expect(keyOf(d32)).toEqual([0x20010db8, 0, 0, 0]);
    expect(t.lessSpecific(d48)).toBe(d32);
    t.setDestState(d48, 0);
    t.removeDest(d48);
    expect(shape()).toEqual({ nodes: 3, keys: 0, dests: 4, inv: 0 });
    expect(keyOf(d32)).toEqual([0x20010db8, 0, 0, 0]);
    expect(at('2001:db8:1::1')).toBe(d32);
    t.free();
    expect(keys()).toBe(0);
    // out of the trie while a registration has it queued: its prefix is still named
    const { rtm, E, nh, drain } = watched(core);
    const r = E.addRouteToDest({ dest: '2001:db8::/32', neighbour: nh }).handle!;
    expect(drain()).toEqual(['2001:db8::/32']);
    E.deleteRouteToDest(r);
    rtm.runPending();
    expect(E.getExactMatchDestination({ dest: '2001:db8::/32' })).toBeUndefined();
    expect(rtm.ipv6.core.checkInvariants()).toBe(0);
    expect(drain()).toEqual(['2001:db8::/32']);
    expect(keys()).toBe(0);
    rtm.close();
  });

  it('a removal folds only while a key record is free without growing memory; the node stays otherwise', () => {
    // pairs of a /48 with a /80 below it, the /80s inserted first: the /48s come in above them as nodes, the
    // /80s are long nodes, and no key record is in use. Taking the /80s away folds the /48s one by one, each
    // into a key record that nothing frees (a long node has none), until the key slab's first chunk is used:
    // the removals after that leave their /48 a node, and no slab grows
    const core = createCoreSync('debug');
    const keys = () => core.x.trieKeyRecords() as number;
    const t = new CoreTable(core, 6);
    const CHUNK = 16384, extra = 40, n = CHUNK + extra;
    const k48 = new Uint32Array(4 * n), k80 = new Uint32Array(4 * n);
    for (let i = 0; i < n; i++) {
      k48.set([0x20010000 | (i >>> 8), (i & 255) << 24, 0, 0], 4 * i);
      k80.set([0x20010000 | (i >>> 8), (i & 255) << 24, 0x00010000, 0], 4 * i);
    }
    const ids48 = new Int32Array(n), ids80 = new Int32Array(n);
    // insertBatch reserves two key records a prefix, chunk by chunk of IO_BATCH_MAX: within the first chunk
    expect(2 * core.k.IO_BATCH_MAX).toBeLessThanOrEqual(CHUNK);
    t.insertBatch(k80, new Uint8Array(n).fill(80), n, ids80, LIVE_U);
    t.insertBatch(k48, new Uint8Array(n).fill(48), n, ids48, LIVE_U);
    expect(keys()).toBe(0);   // every /48 a node above its /80, every /80 a long node
    const nodes = t.nodeCount, bytes = core.x.slabMemoryBytes() as number;
    for (let i = 0; i < n; i++) { t.setDestState(ids80[i], 0); t.removeDest(ids80[i]); }
    expect(core.x.slabMemoryBytes()).toBe(bytes);   // no slab grew
    expect(keys()).toBe(CHUNK);                      // the key slab's one chunk, every record of it a folded /48
    expect(t.nodeCount).toBe(nodes - n - CHUNK);     // the /80s, and the /48s that folded
    expect(t.checkInvariants()).toBe(0);
    // the /48s left as nodes still answer, and read their keys back
    const out = new Uint32Array(4);
    t.destKeyInto(ids48[n - 1], out);
    expect([...out]).toEqual([...k48.subarray(4 * (n - 1), 4 * n)]);
    // an insertion reserves key records again (the slab grows), and a later removal folds again
    const more = new Int32Array(1);
    t.insertBatch(k80.subarray(4 * (n - 1)), Uint8Array.of(80), 1, more, LIVE_U);
    t.setDestState(more[0], 0);
    t.removeDest(more[0]);
    expect(keys()).toBe(CHUNK + 1);
    expect(t.checkInvariants()).toBe(0);
    t.free();
    expect(keys()).toBe(0);
  });

  it.each([
    ['in prefix order, in one pass (bulkSorted: each leaf made of its destination)', false],
    ['with a registration: the trie pass makes nodes and folds them at the end (bulkTrie, bulkApply)', true],
  ])('the bulk build gives the shape one-by-one inserts give: %s', (_, registered) => {
    const core = createCoreSync('debug');
    const keys = () => core.x.trieKeyRecords() as number;
    const rtm = Rtm.createSync({ core, families: ['ipv6'], build: 'debug', clock: new VirtualClock() });
    const E = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 0 });
    const nh = E.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
    if (registered) E.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL });
    const n = 3 * core.k.LOAD_MAX + 17;   // more than a chunk, into an empty table: the bulk path
    const set = randomPrefixes(71, 6, n);
    const g = core.x as unknown as { bulkBuilds: WebAssembly.Global; bulkOnePass: WebAssembly.Global };
    const builds = g.bulkBuilds.value as number, onePass = g.bulkOnePass.value as number;
    expect(E.addRoutesBatch({ count: n, keys: set.keys, lens: set.lens, nextHops: new Float64Array(n).fill(nh) }).destsCreated)
      .toBe(rtm.ipv6.core.destCount);
    expect(g.bulkBuilds.value, 'the bulk path took the batch').toBe(builds + 1);
    expect(g.bulkOnePass.value, 'its one pass or its two').toBe(onePass + (registered ? 0 : 1));
    const bulk = { nodes: rtm.ipv6.core.nodeCount, keys: keys(), dests: rtm.ipv6.core.destCount };
    expect(rtm.ipv6.core.checkInvariants()).toBe(0);
    expect(bulk.keys).toBeGreaterThan(bulk.dests / 2);
    // the same prefixes one at a time, in another core
    const other = createCoreSync('debug');
    const t = new CoreTable(other, 6);
    for (let i = 0; i < n; i++) t.insertBatch(set.keys.subarray(4 * i), set.lens.subarray(i), 1, new Int32Array(1), LIVE_U);
    expect({ nodes: t.nodeCount, keys: other.x.trieKeyRecords(), dests: t.destCount }).toEqual(bulk);
    expect(t.checkInvariants()).toBe(0);
    rtm.close();
    expect(keys()).toBe(0);
  });

  it('a leaf out of the trie keeps its key record while a registration has it queued', () => {
    const core = createCoreSync('debug');
    const keys = () => core.x.trieKeyRecords() as number;
    const { rtm, E, nh, drain } = watched(core);
    const r = E.addRouteToDest({ dest: '2001:db8:1::/48', neighbour: nh }).handle!;
    E.addRouteToDest({ dest: '2001:db8:2::/48', neighbour: nh });
    expect(drain()).toEqual(['2001:db8:1::/48', '2001:db8:2::/48']);
    expect(keys()).toBe(2);
    E.deleteRouteToDest(r);   // the destination leaves the trie; the queue keeps its record
    rtm.runPending();
    expect(E.getExactMatchDestination({ dest: '2001:db8:1::/48' })).toBeUndefined();
    expect(keys()).toBe(2);
    expect(rtm.ipv6.core.checkInvariants()).toBe(0);
    // the same prefix again is a new destination, beside the queued one
    const r2 = E.addRouteToDest({ dest: '2001:db8:1::/48', neighbour: nh }).handle!;
    expect(keys()).toBe(3);
    expect(rtm.ipv6.core.checkInvariants()).toBe(0);
    expect(drain()).toEqual(['2001:db8:1::/48', '2001:db8:1::/48']);
    expect(keys()).toBe(2);   // the queued one went with its last keep
    E.deleteRouteToDest(r2);
    expect(drain()).toEqual(['2001:db8:1::/48']);
    expect(keys()).toBe(1);
    expect(rtm.ipv6.core.checkInvariants()).toBe(0);
    rtm.close();
    expect(keys()).toBe(0);
  });
});
