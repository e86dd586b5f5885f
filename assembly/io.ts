// The fixed I/O area through which variable-size inputs and results cross the boundary. It is static
// data (memory.data), so it never moves: the facade indexes it by the IO_* word offsets below, relative
// to ioBase(). Result registers RES0..RES15 are written by an export and read by the facade at once.
// Batches are split at IO_BATCH_MAX entries (4 words each for keys).

export const IO_BATCH_MAX: u32 = 4096;
export const IO_RES: u32 = 0;                                // 16 result words
export const IO_IN: u32 = 16;                                // IO_BATCH_MAX × 4 words of input
export const IO_OUT: u32 = IO_IN + IO_BATCH_MAX * 4;         // IO_BATCH_MAX × 4 words of output
export const IO_WORDS: u32 = IO_OUT + IO_BATCH_MAX * 4;
/**
 * Where exports that list objects (enumerations) also write their handles: IO_BATCH_MAX f64s filling
 * the second half of the output region (word offset; 8-byte aligned). Item i's slot is IO_OUT + i, its
 * handle the f64 at word IO_OUT_HANDLES + 2i.
 */
export const IO_OUT_HANDLES: u32 = IO_OUT + IO_BATCH_MAX * 2;

export const IO_BASE: usize = memory.data(<i32>(IO_WORDS * 4), 16);

// @ts-ignore: decorator
@inline export function ioPtr(word: u32): usize { return IO_BASE + (<usize>word << 2); }
// @ts-ignore: decorator
@inline export function ioGet(word: u32): u32 { return load<u32>(IO_BASE + (<usize>word << 2)); }
// @ts-ignore: decorator
@inline export function ioSet(word: u32, v: u32): void { store<u32>(IO_BASE + (<usize>word << 2), v); }
// @ts-ignore: decorator
@inline export function setRes(i: u32, v: u32): void { store<u32>(IO_BASE + (<usize>(IO_RES + i) << 2), v); }
