// Pins (spec §7.4, D-24; issue 13 lean destinations): a destination counts its non-NULL opaque slots and
// the registrations that marked it in the top bits of its state word (assembly/layout.ts DEST_PINS_SHIFT),
// which is why RtmOptions.opaqueSlots is at most OPAQUE_SLOTS_MAX. With the most opaque slots a table may
// have and the most registrations marking one destination, every pin counts: the destination stays present
// after its last route goes, through trie shape changes (a leaf made a node by a more specific insert, and
// folded back when that goes), until its last pin goes. The debug core traps a pin count that would go
// below zero or past its bits.
import { describe, expect, it } from 'vitest';
import { Rtm } from '../../src/rtm.js';
import { VirtualClock } from '../../src/clock.js';
import type { Entity } from '../../src/entity.js';
import type { NotifyHandle } from '../../src/types.js';
import { RTM_CHANGE_TYPE_ALL, RTM_NOTIFY_ONLY_MARKED_DESTS } from '../../src/win32/constants.js';
import { expectCode } from '../reference/fixture.js';

describe('destination pins (counted in the state word: issue 13)', () => {
  it('opaqueSlots is at most 512 (OPAQUE_SLOTS_MAX), checked at creation', () => {
    expectCode(() => Rtm.createSync({ opaqueSlots: 513, build: 'debug', clock: new VirtualClock() }), 'ERROR_INVALID_PARAMETER');
    const rtm = Rtm.createSync({ opaqueSlots: 512, build: 'debug', clock: new VirtualClock() });
    expect(rtm.core.k.OPAQUE_SLOTS_MAX).toBe(512);
    // one pin per opaque slot and per registration (at most 32 a table, D-09) fit the pin bits
    expect(rtm.core.k.OPAQUE_SLOTS_MAX + 32).toBeLessThan(2 ** rtm.core.k.DEST_PINS_BITS);
    rtm.close();
  });

  it('512 opaque values and 32 marks keep a destination present, through shape changes, until the last goes', () => {
    const rtm = Rtm.createSync({ opaqueSlots: 512, families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const table = rtm.ipv4.core;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh }).handle!;
    const info = A.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    A.releaseDestInfo(info);
    const d = info.handle;
    const holders: Entity[] = [];
    for (let i = 0; i < 512; i++) {
      holders.push(rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: i + 1 }, { reserveOpaquePointer: true }));
    }
    expectCode(() => rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 9, instanceId: 600 }, { reserveOpaquePointer: true }),
      'ERROR_NO_SYSTEM_RESOURCES');   // every slot is taken
    for (const e of holders) e.getOpaqueInformationPointer(d)!.value = e.handle;
    const regs: [Entity, NotifyHandle][] = [];
    for (let i = 0; i < 32; i++) {
      const e = holders[i];
      const n = e.registerForChangeNotification({ views: 1, notifyFlags: RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS });
      e.markDestForChangeNotification({ notifyHandle: n, dest: d });
      regs.push([e, n]);
    }
    expect(table.checkInvariants()).toBe(0);
    // the debug check sees pins fewer than the marks (INV_PINS): the state word's top bits, cleared here
    const core = rtm.core, k = core.k;
    const w = (core.x.recordPtr(k.SLAB_DEST, d % 2 ** 25) >>> 2) + k.DEST_STATE, u = core.u32();
    const word = u[w];
    expect(word >>> k.DEST_PINS_SHIFT).toBe(512 + 32);
    u[w] = word & (2 ** k.DEST_PINS_SHIFT - 1);
    expect(table.checkInvariants(), 'INV_PINS').toBe(33);
    u[w] = word;
    expect(table.checkInvariants()).toBe(0);
    // a more specific prefix makes the /16's leaf a trie node; its removal folds the node back into a leaf
    const below = A.addRouteToDest({ dest: '10.1.2.0/24', neighbour: nh }).handle!;
    expect(table.checkInvariants()).toBe(0);
    A.deleteRouteToDest(below);
    rtm.runPending();
    expect(table.destCount).toBe(1);
    // the last route goes: 544 pins keep the destination present
    A.deleteRouteToDest(r);
    rtm.runPending();
    expect(table.destCount).toBe(1);
    expect(holders[511].getOpaqueInformationPointer(d)!.value).toBe(holders[511].handle);
    for (const e of holders) e.getOpaqueInformationPointer(d)!.value = null;
    expect(table.destCount).toBe(1);   // the marks still pin it
    for (let i = 0; i < 31; i++) regs[i][0].markDestForChangeNotification({ notifyHandle: regs[i][1], dest: d, mark: false });
    expect(table.destCount).toBe(1);
    expect(table.checkInvariants()).toBe(0);
    regs[31][0].markDestForChangeNotification({ notifyHandle: regs[31][1], dest: d, mark: false });
    expect(table.destCount).toBe(0);   // the last pin went
    expect(table.checkInvariants()).toBe(0);
    rtm.close();
  });

  it('the core refuses a pin past the bits (ERROR_NO_SYSTEM_RESOURCES) and an unpin below zero, changing nothing', () => {
    const rtm = Rtm.createSync({ families: ['ipv4'], build: 'debug', clock: new VirtualClock() });
    const table = rtm.ipv4.core, x = rtm.core.x, k = rtm.core.k;
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 0 });
    const nh = A.addNextHop({ address: '10.0.0.1', interfaceIndex: 1 }).handle!;
    const r = A.addRouteToDest({ dest: '10.1.0.0/16', neighbour: nh }).handle!;
    const info = A.getExactMatchDestination({ dest: '10.1.0.0/16' })!;
    A.releaseDestInfo(info);
    const slot = info.handle % 2 ** 25, max = 2 ** k.DEST_PINS_BITS - 1;
    expect(x.destPinX(table.t, slot, -1)).toBe(87);   // ERROR_INVALID_PARAMETER: no pin to take away
    for (let i = 0; i < max; i++) expect(x.destPinX(table.t, slot, 1)).toBe(0);
    expect(x.destPinX(table.t, slot, 1)).toBe(1450);   // ERROR_NO_SYSTEM_RESOURCES
    expect(table.checkInvariants()).toBe(0);
    A.deleteRouteToDest(r);
    rtm.runPending();
    expect(table.destCount).toBe(1);
    for (let i = 0; i < max; i++) expect(x.destPinX(table.t, slot, -1)).toBe(0);
    expect(table.destCount).toBe(0);
    expect(x.destPinX(table.t, slot, -1)).toBe(87);   // the destination is gone with its last pin
    rtm.close();
  });
});
