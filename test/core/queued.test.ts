// Queued bits (issue 13, 32-byte destination records): a destination says in which of its table's
// notification registrations it is queued with one bit per registration index. The first eight share the
// destination's table word (layout DEST_QUEUED_SHIFT), so a table's slot has 24 bits and an instance at
// most TABLES_MAX tables; indexes 8..31 live in the table's extra index (xindex.ts XI_QUEUED), an entry
// per destination while one of those bits is set. Here, on the debug core, whose invariants
// (INV_QUEUED) count every destination's bits against the registrations' queues and the map's entries:
// - all 32 registrations of a table queue, pull, ignore, end and come back in random order, against a
//   plain picture of each queue (its order included) and getChangeStatus of every registration;
// - the table cap refuses a table beyond it with ERROR_NOT_ENOUGH_MEMORY and takes a freed slot again.
import { describe, expect, it } from 'vitest';
import { createCoreSync } from '../../src/core.js';
import { Rtm } from '../../src/rtm.js';
import { RtmError } from '../../src/errors.js';
import type { Entity } from '../../src/entity.js';
import type { DestHandle, NotifyHandle } from '../../src/types.js';
import { ERROR_NOT_ENOUGH_MEMORY, RTM_CHANGE_TYPE_ALL } from '../../src/win32/constants.js';
import { mulberry32 } from '../helpers/random.js';

const prefix = (i: number) => `10.${i >> 8}.${i & 255}.0/24`;

describe('queued bits of 32 registrations', () => {
  it('queue, pull, ignore, end and register again in random order: every bit as the queues say', () => {
    const core = createCoreSync('debug');
    const rtm = Rtm.createSync({ core, families: ['ipv4'], build: 'debug' });
    const A = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 }) as Entity;
    const nh = A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!;
    const t = rtm.ipv4.core.t;
    const check = (what: string) => expect(core.x.checkInvariants(t), what).toBe(0);
    const N = 400, REGS = 32;
    const dests: DestHandle[] = [];
    for (let i = 0; i < N; i++) {
      A.addRouteToDest({ dest: prefix(i), neighbour: nh, returnHandle: false });
      const d = A.getExactMatchDestination({ dest: prefix(i) })!;
      A.releaseDestInfo(d);
      dests.push(d.handle);
    }
    // registration slot k: its handle and its queue's picture (prefix indexes, oldest first)
    // and its index in the core (a new registration takes the lowest free one)
    const regs: (NotifyHandle | undefined)[] = new Array(REGS).fill(undefined);
    const queues: number[][] = Array.from({ length: REGS }, () => []);
    const index: number[] = new Array(REGS).fill(-1);
    const register = (k: number) => {
      regs[k] = A.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL });
      queues[k] = [];
      for (index[k] = 0; index.some((x, j) => j !== k && x === index[k]); index[k]++);
    };
    for (let k = 0; k < REGS; k++) register(k);
    rtm.runPending();
    const rnd = mulberry32(4242);
    let highSeen = 0;
    for (let step = 0; step < 3000; step++) {
      const op = rnd() % 10;
      if (op < 5) {
        // a change (an update to the metric it had is none): every registration queues the destination
        // unless it has it already (its place kept)
        const i = rnd() % N;
        const r = A.addRouteToDest({ dest: prefix(i), neighbour: nh, metric: rnd() % 1000, returnHandle: false });
        if (r.changeFlags === 0) continue;
        for (let k = 0; k < REGS; k++) if (regs[k] !== undefined && !queues[k].includes(i)) queues[k].push(i);
      } else if (op < 8) {
        const k = rnd() % REGS, count = 1 + (rnd() % 8);
        if (regs[k] === undefined) continue;
        const b = A.getChangedDests({ notifyHandle: regs[k]!, count });
        expect(b.items.map((d) => d.prefix), `step ${step}: pull ${k}`).toEqual(queues[k].slice(0, count).map(prefix));
        A.releaseChangedDests({ notifyHandle: regs[k]!, dests: b.items });
        queues[k].splice(0, count);
        expect(b.done, `step ${step}: pull ${k} done`).toBe(queues[k].length === 0);
      } else if (op < 9) {
        const k = rnd() % REGS, i = rnd() % N;
        if (regs[k] === undefined) continue;
        A.ignoreChangedDests({ notifyHandle: regs[k]!, dests: [dests[i]] });
        queues[k] = queues[k].filter((j) => j !== i);
      } else {
        // end a registration, or make one at the lowest free index (the core reuses indexes so)
        const k = rnd() % REGS;
        if (regs[k] !== undefined) { A.deregisterFromChangeNotification(regs[k]!); regs[k] = undefined; index[k] = -1; }
        else register(k);
      }
      rtm.runPending();
      if (step % 50 === 0) {
        check(`step ${step}`);
        for (let k = 0; k < REGS; k++) {
          if (regs[k] === undefined) continue;
          for (const i of [rnd() % N, queues[k][0] ?? 0]) {
            expect(A.getChangeStatus({ notifyHandle: regs[k]!, dest: dests[i] }), `step ${step}: status ${k} ${prefix(i)}`)
              .toBe(queues[k].includes(i));
          }
        }
      }
      highSeen = Math.max(highSeen, queues.reduce((n, q, k) => n + (index[k] >= 8 ? q.length : 0), 0));
    }
    expect(highSeen, 'registrations of index 8 and up held queued destinations').toBeGreaterThan(N);
    check('end');
    // every queue drains to exactly its picture
    for (let k = 0; k < REGS; k++) {
      if (regs[k] === undefined) continue;
      const got: string[] = [];
      for (let done = false; !done;) {
        const b = A.getChangedDests({ notifyHandle: regs[k]!, count: 100 });
        got.push(...b.items.map((d) => d.prefix));
        A.releaseChangedDests({ notifyHandle: regs[k]!, dests: b.items });
        done = b.done;
      }
      expect(got, `final queue ${k}`).toEqual(queues[k].map(prefix));
    }
    check('drained');
    rtm.close();
  });
});

describe('the table cap (layout TABLES_MAX: a destination names its table in 24 bits)', () => {
  it('a table beyond the cap is refused with ERROR_NOT_ENOUGH_MEMORY; a freed slot is taken again', () => {
    const core = createCoreSync('debug');
    expect(core.x.tablesCapSet(0), 'cap 0').toBe(0);
    expect(core.x.tablesCapSet(2 ** 24 + 1), 'cap beyond TABLES_MAX').toBe(0);
    const first = Rtm.createSync({ core, families: ['ipv4'], build: 'debug' });
    const slot = first.ipv4.core.t;
    try {
      expect(core.x.tablesCapSet(slot + 1)).toBe(1);
      const before = core.x.memoryInUseBytes();
      let err: unknown;
      try { Rtm.createSync({ core, families: ['ipv4'], build: 'debug' }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(RtmError);
      expect((err as RtmError).status).toBe(ERROR_NOT_ENOUGH_MEMORY);
      expect(core.x.memoryInUseBytes(), 'nothing kept of the refused table').toBe(before);
      first.close();
      const again = Rtm.createSync({ core, families: ['ipv4'], build: 'debug' });
      expect(again.ipv4.core.t, 'the freed slot').toBe(slot);
      const A = again.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
      A.addRouteToDest({ dest: '10.0.0.0/8', neighbour: A.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle!, returnHandle: false });
      expect(core.x.checkInvariants(again.ipv4.core.t)).toBe(0);
      again.close();
    } finally {
      expect(core.x.tablesCapSet(2 ** 24)).toBe(1);
    }
  });
});
