// Exports about the core's linear memory: the memory cap (every growth beyond it fails as memory.grow
// failing would, so a full memory is ERROR_NOT_ENOUGH_MEMORY, never a trap), the bytes held by blocks
// (blocks.ts), and the debug-only test hook that moves a free slot to a late handle generation.
// The cap is the core instance's: one core hosts every table of the process; the last value set wins.
import { GEN_MASK, NIL } from './layout';
import { NO_ERROR, ERROR_INVALID_PARAMETER, ERROR_NOT_SUPPORTED } from './status';
import { slabSetCapPages, slabCapPages, slabSetGen } from './slab';
import { blockBytes } from './blocks';
import { kindSlab } from './handles';

const NO_CAP_PAGES: i32 = 65536;   // 4 GiB, all a 32-bit memory can hold

/**
 * Bounds linear memory to `bytes` (rounded down to 64 KiB pages; 0 = no cap). Memory already held stays
 * (a cap below it stops growth). ERROR_INVALID_PARAMETER unless bytes is an integer in 0 .. 2^53.
 */
export function memorySetCap(bytes: f64): i32 {
  if (!(bytes >= 0 && bytes <= 9007199254740992.0) || bytes != Math.floor(bytes)) return ERROR_INVALID_PARAMETER;
  let pages = Math.floor(bytes / 65536.0);
  slabSetCapPages(bytes == 0 || pages >= <f64>NO_CAP_PAGES ? NO_CAP_PAGES : <i32>pages);
  return NO_ERROR;
}

/** The memory cap in bytes (0 = none). */
export function memoryCap(): f64 {
  let pages = slabCapPages();
  return pages >= NO_CAP_PAGES ? 0 : <f64>pages * 65536.0;
}

/** Bytes held by blocks in use: route next-hop arrays, timer heaps, notification queues. */
export function blockMemoryBytes(): f64 { return blockBytes(); }

/**
 * Test hook (debug build only; ERROR_NOT_SUPPORTED in release): sets the generation of free slot `slot`
 * of handle kind `kind` (KIND_*) to `gen` (1 .. GEN_MASK). ERROR_INVALID_PARAMETER for a live, retired or
 * never-used slot, a kind without handles or a generation out of range.
 */
export function slabSetGenX(kind: u32, slot: u32, gen: u32): i32 {
  if (ASC_NO_ASSERT) return ERROR_NOT_SUPPORTED;
  let slab = kindSlab(kind);
  if (slab == NIL || gen == 0 || gen > GEN_MASK) return ERROR_INVALID_PARAMETER;
  return slabSetGen(slab, slot, gen) ? NO_ERROR : ERROR_INVALID_PARAMETER;
}
