// The drain A/B scripts' common set-up (drain.mjs, drain-cold.mjs): in a built tree (ROOT, `npm run build`
// done), bench/hot.ts's drain world: the full tier-1 IPv4 table loaded by entity `rib` (preference 20), a
// watcher with a BEST registration, and a peer whose applyUpdates flips 100,000 of the table's prefixes
// (announce at preference 10, then withdraw), so that each flip queues 100,000 changed destinations.
const DATA = new URL('../../../shared/data/', import.meta.url).pathname;

/** The tier-1 IPv4 prefixes (read once with the A tree's reader). */
export async function tier1(ROOT) {
  const { readPrefixFile } = await import(ROOT + '/dist/test/helpers/prefixfile.js');
  return readPrefixFile(DATA + 'tier1-ipv4.txt.gz', 4, true);
}

/**
 * bench/hot.ts's table world in tree ROOT: the prefixes of `set` loaded by entity `rib` (BGP 0, preference 20,
 * one next hop), a watcher (OSPF) with a BEST registration `nh`, and a peer (BGP 1) with no route yet;
 * `options` go to Rtm.createSync. Shared by drainWorld and linxcore.mjs.
 */
export async function tableWorld(ROOT, set, options = {}) {
  const { Rtm } = await import(ROOT + '/dist/src/rtm.js');
  const { VirtualClock } = await import(ROOT + '/dist/src/clock.js');
  const rtm = Rtm.createSync({ build: 'release', clock: new VirtualClock(), families: ['ipv4'], ...options });
  const rib = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 0 });
  const nh0 = rib.addNextHop({ address: '192.0.2.1', interfaceIndex: 1 }).handle;
  rib.addRoutesBatch({ count: set.count, keys: set.keys, lens: set.lens, nextHops: new Float64Array(set.count).fill(nh0), preferences: new Uint32Array(set.count).fill(20) });
  const watcher = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 13, instanceId: 0 });
  const nh = watcher.registerForChangeNotification({ views: 1, notifyFlags: 2 });
  const peer = rtm.registerEntity({ addressFamily: 'ipv4', protocolId: 14, instanceId: 1 });
  return { rtm, rib, watcher, nh, peer };
}

/** The world in tree ROOT: { watcher, nh (its notify handle), D, flip() }; `options` go to Rtm.createSync. */
export async function drainWorld(ROOT, set, options = {}) {
  const { watcher, nh, peer } = await tableWorld(ROOT, set, options);
  const D = 100000, step = Math.floor(set.count / D);
  const ub = { count: D, keys: new Uint32Array(4 * D), lens: new Uint8Array(D), kinds: new Uint8Array(D), preferences: new Uint32Array(D).fill(10) };
  for (let i = 0; i < D; i++) { ub.keys.set(set.keys.subarray(4 * i * step, 4 * i * step + 4), 4 * i); ub.lens[i] = set.lens[i * step]; }
  let announced = false;
  const flip = () => { ub.kinds.fill(announced ? 1 : 0); announced = !announced; peer.applyUpdates(ub); };
  return { watcher, nh, D, flip };
}
