// Table records: one per address family of an RTM instance, all in one slab so that one WASM instance
// hosts thousands of tables. A table owns its trie root and its counters; its destinations, routes and
// next hops live in the shared slabs and carry the table slot, which is how a handle from another table
// is told apart. Creating a table costs one table record and one root node.
import { NIL, SLAB_TABLE, TABLE_WORDS, TABLE_FAMILY, GEN_ALIVE } from './layout';
import { recPtr, slabHigh } from './slab';

// @ts-ignore: decorator
@inline export function tablePtr(t: u32): usize { return recPtr(SLAB_TABLE, t, TABLE_WORDS); }
// @ts-ignore: decorator
@inline export function tableGet(t: u32, w: u32): u32 { return load<u32>(tablePtr(t) + (<usize>w << 2)); }
// @ts-ignore: decorator
@inline export function tableSet(t: u32, w: u32, v: u32): void { store<u32>(tablePtr(t) + (<usize>w << 2), v); }
// @ts-ignore: decorator
@inline export function tableFamily(t: u32): u32 { return tableGet(t, TABLE_FAMILY); }
// @ts-ignore: decorator
@inline export function tableMaxLen(t: u32): u32 { return tableGet(t, TABLE_FAMILY) == 4 ? 32 : 128; }

/** True if `t` names a live table (validate every table argument at the export with this). */
export function tableValid(t: u32): bool {
  return t < slabHigh(SLAB_TABLE) && (load<u32>(tablePtr(t)) & GEN_ALIVE) != 0;
}

