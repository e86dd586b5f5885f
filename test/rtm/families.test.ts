// Option `families` and what an instance costs (issue 13, many small tables): only the listed families
// get a core table when the instance is made, so an IPv4-only instance holds no IPv6 table record, root
// node or core-table object; the other family's table is made only when something asks for it (rtm.ipv6,
// rtm.lookup of an IPv6 address) and then answers as an empty table, and a listed second family works
// as before. Measured on a private core by its own accounting (memoryInUseBytes: live records, blocks,
// indexes), which also gives each phase's cost exactly: create, register, first next hop, close. Also
// the instance's entity registry (an array for a few entities, a Map past eight) against the model.
import { describe, expect, it } from 'vitest';
import type { Core } from '../../src/core.js';
import { RtmError } from '../../src/errors.js';
import { VirtualClock } from '../../src/clock.js';
import type { EntityLike, EntityMethod, RtmLike, RtmOptions } from '../../src/types.js';
import { createModel } from '../reference/model.js';
import { make, privateCore } from '../helpers/privatecore.js';

/** Bytes of one table of `family`: its record and its root node (an IPv4 node holds one key word, an IPv6 node four). */
const tableBytes = (core: Core, family: 4 | 6) => (core.k.TABLE_WORDS + (family === 4 ? core.k.NODE4_WORDS : core.k.NODE6_WORDS)) * 4;
const inUse = (core: Core) => core.x.memoryInUseBytes();

/** `f` throws RtmError with the RTMv2 error name `code`. */
function expectRtmError(f: () => unknown, code: string): void {
  let thrown: unknown;
  try { f(); } catch (e) { thrown = e; }
  expect(thrown).toBeInstanceOf(RtmError);
  expect((thrown as RtmError).code).toBe(code);
}

describe('families: a table per listed family, another only when asked for', () => {
  it("an Rtm for ['ipv4'] makes one table record and no IPv6 state; close gives it back", () => {
    const core = privateCore();
    const base = inUse(core);
    const rtm = make(core, { families: ['ipv4'] });
    expect(inUse(core) - base).toBe(tableBytes(core, 4));
    expect(rtm.coreTables.map((t) => t.family)).toEqual([4]);
    // the IPv4 table works; registering for IPv6 is refused as before (no table for the family)
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    e.addRouteToDest({ dest: '10.0.0.0/8', neighbour: nh, nextHops: [nh], metric: 1 });
    expect(rtm.lookup('10.1.2.3')?.prefix).toBe('10.0.0.0/8');
    expectRtmError(() => rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 0 }), 'ERROR_FILE_NOT_FOUND');
    expect(rtm.coreTables.length).toBe(1);
    rtm.close();
    expect(inUse(core)).toBe(base);
  });

  it('the unlisted family answers as an empty table once asked for (then it costs one table), also after close', () => {
    const core = privateCore();
    const base = inUse(core);
    const rtm = make(core, { families: ['ipv4'] });
    expect(rtm.lookup('2001:db8::1')).toBeUndefined();
    expect(inUse(core) - base).toBe(tableBytes(core, 4) + tableBytes(core, 6));
    expect(rtm.coreTables.map((t) => t.family)).toEqual([4, 6]);
    expect(rtm.ipv6).toBe(rtm.table(6));
    expect(rtm.ipv6.family).toBe(6);
    expect(rtm.ipv6.destCount).toBe(0);
    expect(rtm.ipv6.lookupId(new Uint32Array([0x20010db8, 0, 0, 1]))).toBe(-1);
    expect([...rtm.subnets('::/0')]).toEqual([]);
    rtm.close();
    expect(inUse(core)).toBe(base);
    // an instance closed before its other table was made: the table is never made, its calls are refused
    const closed = make(core, { families: ['ipv6'] });
    closed.close();
    expect(inUse(core)).toBe(base);
    const t = closed.ipv4;
    expect(t.family).toBe(4);
    expect(t.destCount).toBe(0);
    expectRtmError(() => t.lookupId(0x0a000001), 'ERROR_INVALID_HANDLE');
    expectRtmError(() => t.lookup('10.0.0.1'), 'ERROR_INVALID_HANDLE');
    expect(inUse(core)).toBe(base);
  });

  it('a listed second family works: both tables made at creation, entities and routes in each', () => {
    const core = privateCore();
    const base = inUse(core);
    for (const families of [undefined, ['ipv4', 'ipv6'], ['ipv6', 'ipv4']] as (RtmOptions['families'])[]) {
      const rtm = make(core, families === undefined ? {} : { families });
      expect(inUse(core) - base).toBe(tableBytes(core, 4) + tableBytes(core, 6));
      expect(rtm.coreTables.map((t) => t.family)).toEqual([4, 6]);
      const e4 = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
      const e6 = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 0 });
      const n4 = e4.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
      const n6 = e6.addNextHop({ address: '2001:db8::1', interfaceIndex: 1 }).handle!;
      e4.addRouteToDest({ dest: '10.0.0.0/8', neighbour: n4, nextHops: [n4], metric: 1 });
      e6.addRouteToDest({ dest: '2001:db8:1::/48', neighbour: n6, nextHops: [n6], metric: 1 });
      expect(rtm.lookup('10.9.9.9')?.route.nextHops).toEqual(['192.0.2.1']);
      expect(rtm.lookup('2001:db8:1::5')?.route.nextHops).toEqual(['2001:db8::1']);
      expect(rtm.ipv4.routeCount).toBe(1);
      expect(rtm.ipv6.routeCount).toBe(1);
      expect(e4.getRegisteredEntities().map((r) => r.handle)).toEqual([e4.handle]);
      rtm.close();
      expect(inUse(core)).toBe(base);
    }
  });

  it("an IPv6-only instance: IPv4 registration refused, its IPv4 table made on first use", () => {
    const core = privateCore();
    const base = inUse(core);
    const rtm = make(core, { families: ['ipv6'] });
    expect(inUse(core) - base).toBe(tableBytes(core, 6));
    expectRtmError(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 }), 'ERROR_FILE_NOT_FOUND');
    const e = rtm.registerEntity({ addressFamily: 'ipv6', protocolId: 8, instanceId: 0 });
    expect(e.family).toBe(6);
    expect(rtm.ipv4.lookupId(0x0a000001)).toBe(-1);
    expect(rtm.coreTables.map((t) => t.family)).toEqual([6, 4]);
    rtm.close();
    expect(inUse(core)).toBe(base);
  });

  it('what one small instance costs in the core: a table, an entity record, a first next hop with its index and reference', () => {
    const core = privateCore();
    const k = core.k;
    const base = inUse(core);
    const rtm = make(core, { families: ['ipv4'] });
    const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const afterEntity = inUse(core);
    const nh = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const afterHop = inUse(core);
    expect(afterEntity - base).toBeLessThanOrEqual(tableBytes(core, 4) + 64);
    // the next-hop record, the entity's smallest hash block (64 bytes) and the handle's reference entry
    expect(afterHop - afterEntity).toBeLessThanOrEqual(k.NEXTHOP_WORDS * 4 + 64 + 32);
    e.releaseNextHops([nh]);
    rtm.close();
    expect(inUse(core)).toBe(base);
  });
});

// The instance's entity registry (src/rtmv2/entities.ts EntityRegistry): a plain array for a few
// entities, a Map past eight. Registration events, their order and method calls (which find the callee
// by slot) agree with the reference model across both forms and deletions in each.
describe('entity registry: registration order, events and lookups by slot, small and large', () => {
  it('agrees with the reference model while entities come and go across the array / Map switch', () => {
    const run = (rtm: RtmLike) => {
      const log: string[] = [];
      const ents: (EntityLike | undefined)[] = [];
      const idx = (h: unknown) => ents.findIndex((e) => e?.handle === h);
      const reg = (i: number) => {
        const m: EntityMethod = (_caller, _callee, _input, output) => { output.outputData[0] = i; output.outputSize = 1; };
        ents[i] = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 100 + i, instanceId: 0 }, {
          onEvent: (type, c1) => { log.push(`${i}<-${type}:${idx(c1)}`); return 0; }, exportMethods: [m],
        });
        rtm.runPending();
      };
      const dereg = (i: number) => { ents[i]!.deregister(); ents[i] = undefined; rtm.runPending(); };
      for (let i = 0; i < 5; i++) reg(i);
      dereg(2);                                  // out of the array form
      for (let i = 5; i < 14; i++) reg(i);       // past eight: the Map form
      dereg(0);
      dereg(9);
      reg(14);
      const calls = ents.map((e, i) => (e === undefined ? -1 : ents[1]!.invokeMethod({ entity: e.handle, methodType: 1 })[0].outputData[0] + 1000 * i));
      return { log, calls, live: ents.map((e) => e !== undefined) };
    };
    const core = privateCore();
    const wasm = run(make(core) as unknown as RtmLike);
    const ref = run(createModel({ clock: new VirtualClock() }) as unknown as RtmLike);
    expect(wasm).toEqual(ref);
    expect(wasm.log.length).toBeGreaterThan(50);
  });
});

describe('families after a core trap', () => {
  it('an unlisted family asked for after a trap makes nothing and throws the trap; a new instance on the core throws it too', () => {
    const core = privateCore();
    const rtm = make(core, { families: ['ipv4'] });
    let trap: unknown;
    try { core.x.debugTrap(core.k.DEBUG_TRAP_NOW); } catch (e) { trap = e; }
    expect(core.poisoned).toBe(trap);
    const t = rtm.ipv6;                       // made unmade: no core call on a poisoned core
    expect(t.family).toBe(6);
    for (const f of [() => t.lookupId(new Uint32Array(4)), () => t.lookup('::1'), () => rtm.lookup('::1')]) {
      let err: unknown;
      try { f(); } catch (e) { err = e; }
      expect(err).toBe(trap);
    }
    let err: unknown;
    try { make(core, { families: ['ipv4'] }); } catch (e) { err = e; }
    expect(err).toBe(trap);
  });
});
