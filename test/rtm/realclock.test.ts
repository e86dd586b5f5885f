// With the real clock, TTL and hold-down timers use one unref'd timer: a Node process whose only pending
// work is a route expiring in an hour still exits at once (API.md §2). Runs the compiled library in a child
// process (npm test builds dist/ first).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../helpers/data.js';
import { Rtm } from '../../src/rtm.js';
import { RTM_VIEW_MASK_UCAST } from '../../src/constants.js';

const lib = resolve(PROJECT_ROOT, 'dist/src/index.js');

describe('real clock', () => {
  it.skipIf(!existsSync(lib))('a pending TTL does not keep the Node process alive', () => {
    const script = `
      const { Rtm } = await import(${JSON.stringify(lib)});
      const rtm = Rtm.createSync();
      const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8 }, { onEvent: () => 0 });
      const { handle } = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 });
      e.addRouteToDest({ dest: '10.0.0.0/8', neighbour: handle, nextHops: [handle], timeToLive: 3_600_000 });
      const d = e.getExactMatchDestination({ dest: '10.0.0.0/8' });
      e.holdDestination({ dest: d.handle, holdTime: 3_600_000 });
      e.releaseDestInfo(d);
      console.log('armed', rtm.ipv4.routeCount);
    `;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('armed 1');
    expect(r.status).toBe(0);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it.each(['deleteRouteToDest', 'applyUpdates', 'deregister'] as const)(
    'a hold-down started by %s ends on time without any later call', async (how) => {
      const rtm = Rtm.createSync();   // the real clock
      try {
        const e = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 8, instanceId: 1 });
        const other = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 1 });
        const { handle: nh } = e.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 });
        const { handle } = e.addRouteToDest({ dest: '10.0.0.0/8', nextHops: [nh!], returnHandle: true });
        const d = other.getExactMatchDestination({ dest: '10.0.0.0/8' })!;   // its reference keeps the destination
        other.holdDestination({ dest: d.handle, views: RTM_VIEW_MASK_UCAST, holdTime: 40 });
        if (how === 'deleteRouteToDest') e.deleteRouteToDest(handle!);
        else if (how === 'applyUpdates') {
          e.applyUpdates({ count: 1, keys: Uint32Array.of(0x0a000000, 0, 0, 0), lens: Uint8Array.of(8), kinds: Uint8Array.of(1) });
        } else e.deregister();
        const holdRoute = () => {
          const info = other.getDestInfo({ dest: d.handle, views: RTM_VIEW_MASK_UCAST });
          other.releaseDestInfo(info);
          return info.viewInfo[0]?.holdRoute;
        };
        expect(holdRoute(), 'held after the delete').toBeDefined();
        await new Promise((r) => setTimeout(r, 400));
        expect(holdRoute(), 'the hold ended from the timer alone').toBeUndefined();
        other.releaseDestInfo(d);
      } finally {
        rtm.close();
      }
    });
});
