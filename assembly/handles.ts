// Handles: kind (4 bits) · 2^49 + generation (24 bits) · 2^25 + slot (25 bits), a safe JS integer
// (< 2^53) that crosses the boundary as f64. Generation 0 is never issued, so 0 is never a handle; a
// freed slot bumps its generation, so a stale handle never aliases the slot's next occupant, and a slot
// at generation 2^24 - 1 is retired instead of reused (slab.ts slabFree), so generations never wrap.
// Decoding validates kind, range, liveness and generation.
import { NIL, GEN_MASK, GEN_ALIVE, KIND_TABLE, KIND_ENTITY, KIND_DEST, KIND_ROUTE, KIND_NEXTHOP, KIND_LIST,
  KIND_NOTIFY, KIND_ENUM, SLAB_TABLE, SLAB_ENTITY, SLAB_DEST, SLAB_ROUTE, SLAB_NEXTHOP, SLAB_LIST, SLAB_NOTIFY,
  SLAB_ENUM } from './layout';
import { slabRec, slabHigh } from './slab';

const SLOT_BITS: u64 = 25;
const GEN_SHIFT: u64 = 25;
const KIND_SHIFT: u64 = 49;
const TWO53: f64 = 9007199254740992.0;

/** The slab that holds records of a handle kind, or NIL for an unknown kind. */
// @ts-ignore: decorator
@inline export function kindSlab(kind: u32): u32 {
  switch (kind) {
    case KIND_TABLE: return SLAB_TABLE;
    case KIND_ENTITY: return SLAB_ENTITY;
    case KIND_DEST: return SLAB_DEST;
    case KIND_ROUTE: return SLAB_ROUTE;
    case KIND_NEXTHOP: return SLAB_NEXTHOP;
    case KIND_LIST: return SLAB_LIST;
    case KIND_NOTIFY: return SLAB_NOTIFY;
    case KIND_ENUM: return SLAB_ENUM;
    default: return NIL;
  }
}

/** The handle of live slot `idx` of `kind` (its current generation); inlined as handleSlot is. */
// @ts-ignore: decorator
@inline export function handleOf(kind: u32, idx: u32): f64 {
  let slab = kindSlab(kind);
  let gen = load<u32>(slabRec(slab, idx)) & GEN_MASK;
  return <f64>(((<u64>kind) << KIND_SHIFT) | ((<u64>gen) << GEN_SHIFT) | <u64>idx);
}

/**
 * The slot a handle names if it is a live object of `kind`, else NIL (stale, forged or wrong kind).
 * Inlined: its callers pass a constant kind, so the kind's slab folds to a constant (a handle is decoded
 * by every hot export: a call and a switch saved each time).
 */
// @ts-ignore: decorator
@inline export function handleSlot(h: f64, kind: u32): u32 {
  // h as an integer, accepted only when it converts back to h: NaN, ±Infinity, fractions and values out of
  // the i64 range fail the round trip; the kind field then rejects 0, negatives and values ≥ 2^53 (every
  // kind is in 1..15, so a handle is below 2^53). Two conversions instead of range tests and a floor.
  let v = <i64>h;   // (i64.trunc_sat_f64_s: saturating, never a trap)
  if (<f64>v != h) return NIL;
  if ((<u64>v >> KIND_SHIFT) != <u64>kind) return NIL;
  let slab = kindSlab(kind);
  if (slab == NIL) return NIL;
  let idx = <u32>(v & ((<u64>1 << SLOT_BITS) - 1));
  let gen = <u32>((v >> GEN_SHIFT) & <u64>GEN_MASK);
  if (idx >= slabHigh(slab)) return NIL;
  let w = load<u32>(slabRec(slab, idx));
  return w == (gen | GEN_ALIVE) ? idx : NIL;
}

/** The kind field of a handle (0 for anything that is not a well-formed handle). */
export function handleKind(h: f64): u32 {
  if (!(h >= 1.0 && h < TWO53) || h != Math.floor(h)) return 0;
  return <u32>((<u64>h) >> KIND_SHIFT);
}
