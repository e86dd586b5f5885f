// Churn of a core table and the naive reference trie in step, for the differential tests of the
// forwarding structures (IPv4: test/core/trie.test.ts, IPv6: test/differential/fib6.test.ts): state
// flips over a fixed mix (views, live, held), removals, new destinations for the removed prefixes, and
// shrinking a table below a size and growing it back. Seeded: the same rnd gives the same churn. Each
// side is changed exactly as the other; the tests compare them afterwards.
import type { CoreTable } from '../../src/coretable.js';
import type { RefTrie, RefDest } from '../reference/trie-model.js';

export const VIEW_U = 1, VIEW_M = 2, LIVE = 0x200, HELD = 0x100;
/** The states a flip picks from: no view, unicast, multicast, both, held only, unicast and held. */
export const STATES = [0, VIEW_U | LIVE, VIEW_M | LIVE, VIEW_U | VIEW_M | LIVE, HELD, VIEW_U | LIVE | HELD];

/** The core table, the reference, and each reference destination's core id. */
export interface Both { table: CoreTable; ref: RefTrie; idOf: Map<RefDest, number> }

/** Gives destination d a new reference destination and core destination, live in the unicast view. */
function addBack(b: Both, d: RefDest): RefDest {
  const again = b.ref.insert(d.words, 0, d.len);
  const { destId } = b.table.ensureDest(d.prefix);
  again.state = VIEW_U | LIVE;
  b.table.setDestState(destId, again.state);
  b.idOf.set(again, destId);
  return again;
}

/** Removes destination d from both sides. */
function removeBoth(b: Both, d: RefDest): void {
  b.table.removeDest(b.idOf.get(d)!);
  b.ref.remove(d);
  b.idOf.delete(d);
}

/**
 * One round over `dests` (the reference destinations, updated in place as prefixes come back): `flips`
 * random state changes; then on even rounds up to `removes` random removals, on odd rounds every removed
 * prefix added back as a new destination.
 */
export function churn(b: Both, dests: RefDest[], rnd: () => number, round: number, flips: number, removes: number): void {
  for (let j = 0; j < flips; j++) {
    const d = dests[rnd() % dests.length];
    if (!b.idOf.has(d) || b.ref.get(d.words, 0, d.len) !== d) continue;
    const st = STATES[rnd() % STATES.length];
    d.state = st;
    b.table.setDestState(b.idOf.get(d)!, st);
  }
  if (round % 2 === 0) {
    for (let j = 0; j < removes; j++) {
      const d = dests[rnd() % dests.length];
      if (!b.idOf.has(d) || b.ref.get(d.words, 0, d.len) !== d) continue;
      removeBoth(b, d);
    }
  } else {
    for (let k = 0; k < dests.length; k++) if (!b.idOf.has(dests[k])) dests[k] = addBack(b, dests[k]);
  }
}

/**
 * Removes destinations in order until the table holds fewer than `below`, then returns a function that
 * adds every removed prefix back (live in the unicast view).
 */
export function shrinkBelow(b: Both, below: number): () => void {
  const all = b.ref.ordered(0);
  let i = 0;
  for (; b.table.destCount >= below; i++) removeBoth(b, all[i]);
  return () => { for (let j = 0; j < i; j++) addBack(b, all[j]); };
}

/** Adds the default route (live in the unicast view) to both sides; returns a function that clears its state. */
export function liveDefault(b: Both, text: string): () => void {
  const def = b.table.ensureDest(text).destId;
  b.table.setDestState(def, VIEW_U | LIVE);
  const d0 = b.ref.insert([0, 0, 0, 0], 0, 0);
  d0.state = VIEW_U | LIVE;
  b.idOf.set(d0, def);
  return () => { b.table.setDestState(def, 0); d0.state = 0; };
}
