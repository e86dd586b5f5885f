// The layout of a forwarding snapshot (FibSnapshot.buffer, a growable SharedArrayBuffer), drawn once: the
// writer (publisher.ts) and the readers (reader.ts, in any thread) index it by these word offsets only.
// Everything is i32 words (V8 keeps small integers untagged). Two generations: version v lives in
// generation v & 1, so a publish rewrites only the generation no reader should be in, then flips
// VERSION with Atomics; a reader that finds WRITING ≥ its version + 2 afterwards may have read a
// generation being rewritten and answers again (a seqlock; the writer never waits). Allocates nothing.
//
// ╒══════════ Header: HDR_WORDS = 32 × i32 at word 0 ══════════════════════════════════════════════════════╕
// │ 0 magic SNAP_MAGIC │ 1 format SNAP_FORMAT │ 2 family (4 | 6) │ 3 VERSION: the version readers use     │
// │ 4 WRITING: the version being written (= VERSION when idle) │ 5..7 —                                    │
// │ 8..15 descriptor of generation 0 │ 16..23 descriptor of generation 1 │ 24..31 —                       │
// ├── generation descriptor: GEN_WORDS = 8 (at HDR_GEN + 8 × g) ────────────────────────────────────────────┤
// │ 0 kind: KIND_STRIDE │ 1 level-1 word offset │ 2 chunk base word offset │ 3 chunk slots │ 4..6 — │ 7 region │
// │ 0 kind: KIND_FIB6 │ 1 level-1 word offset │ 2 page table word offset │ 3 page slots │ 4..6 — │ 7 region   │
// │ 0 kind: KIND_RANGES │ 1 segments n │ 2 index word offset │ 3 keys word offset │ 4 destIds word offset  │
// │                     │ 5 index bits b │ 6 key words per segment k (1 | 4) │ 7 region (word offset)       │
// └── regions follow the header; a generation's region is rewritten only while WRITING selects it ───────┘
//
// ╒══ KIND_STRIDE (IPv4 tables with a forwarding structure: a copy of assembly/fib.ts, 18-6-8) ══════════╕
// │ level 1: 262,144 entries by address bits 31..14 │ chunk slot s: 256 entries at chunk base + 256 s      │
// │ entry ≥ 0: a leaf, (destId + 1) | prefix length << 25 (0 = no route); entry < 0: child unit | 1 << 31,│
// │ the chunk at chunk base + 64 × unit (a slot holds four 64-entry level-2 chunks or one level-3 chunk)  │
// └── bits 13..8 index a level-2 chunk, bits 7..0 a level-3 chunk (a copy of the core's, never moved) ──────┘
// ╒══ KIND_FIB6 (IPv6 tables with a forwarding structure: a copy of assembly/fib6.ts's pages) ════════════╕
// │ page table: PT_ENTRIES words by core page number (byte address >> 16): the word offset of the page's  │
// │ copy (0 = none) │ page slot s: 16,384 words at page table + PT_ENTRIES + 16,384 s; level 1 = slots 0-3 │
// │ entry ≥ 0: a leaf, destId + 1 (0 = no route); entry < 0: CHILD | NODE6_LIST? | node byte address >> 3,│
// │ the node at word PT[q >>> 13] + ((q & 0x1fff) << 1), q = e & NODE6_ADDR; without NODE6_LIST: 8 words │
// │ of run-start bitmap (4 × u64, low word first), 1 word of run counts before each u64 (bytes 1..3),   │
// │ then the runs; with it: 16 start bytes (start - 1, ascending, 255 after the last), then the runs     │
// └── level 1 by address bits 127..112, then one node per address byte from byte 2 (the core's own) ──────┘
// ╒══ KIND_RANGES (tables without a structure, either family): the answer as ascending segments ═════════╕
// │ index: 2^b + 1 entries; entry i = the last segment starting at or before the address whose top b bits │
// │ are i (the rest 0); entry 2^b = n - 1 │ keys: n × k words, the first address of each segment, each    │
// │ word XOR 0x80000000 (signed order = unsigned order) │ destIds: n words (-1 = no route)                 │
// └── segment 0 starts at address 0; a segment runs up to the next one's first address ─────────────────────┘

export const SNAP_MAGIC = 0x52544d46;          // 'RTMF'
export const SNAP_FORMAT = 3;   // 3: fib6 list nodes (2: 18-6-8; 1: 16-8-8)
export const HDR_WORDS = 32;
export const HDR_MAGIC = 0;
export const HDR_FORMAT = 1;
export const HDR_FAMILY = 2;
export const HDR_VERSION = 3;
export const HDR_WRITING = 4;
export const HDR_GEN = 8;
export const GEN_WORDS = 8;
export const G_KIND = 0;
export const G_L1 = 1;
export const G_CHUNKS = 2;
export const G_SLOTS = 3;
export const G_N = 1;
export const G_INDEX = 2;
export const G_KEYS = 3;
export const G_DESTS = 4;
export const G_IBITS = 5;
export const G_KWORDS = 6;
export const G_REGION = 7;
export const KIND_NONE = 0;
export const KIND_STRIDE = 1;
export const KIND_RANGES = 2;
export const KIND_FIB6 = 3;
/** KIND_FIB6: the descriptor's page table word offset (G_L1 and G_SLOTS as KIND_STRIDE). */
export const G_PT = 2;
/** KIND_FIB6: page table entries (a 4 GiB linear memory) and words per 64 KiB page slot. */
export const PT_ENTRIES = 65536;
export const PAGE_WORDS = 16384;
export const L1_ENTRIES = 262144;
/** KIND_STRIDE: level 1 is indexed by address >>> L1_SHIFT; a level-2 chunk by (address >>> 8) & L2_MASK. */
export const L1_SHIFT = 14;
export const L2_MASK = 63;
/** KIND_STRIDE: a child entry names a chunk by its unit (slot × 4 + quarter): word chunk base + unit << UNIT_SHIFT. */
export const UNIT_SHIFT = 6;
export const CHUNK_ENTRIES = 256;
export const LEAF_SLOT_MASK = 0x1ffffff;
export const KEY_BIAS = 0x80000000 | 0;
/** KIND_FIB6: a child entry's list-node tag (assembly/fib6.ts LIST) and its address bits (node byte address >> 3). */
export const NODE6_LIST = 0x40000000;
export const NODE6_ADDR = 0x3fffffff;
/** Addresses one reader pass answers from one version (a torn pass is answered again, so keep it short). */
export const PASS = 4096;

/** Every constant above, for the reader's source in a worker (reader.ts defineReader). */
export const SNAPSHOT_LAYOUT = {
  SNAP_MAGIC, SNAP_FORMAT, HDR_WORDS, HDR_MAGIC, HDR_FORMAT, HDR_FAMILY, HDR_VERSION, HDR_WRITING, HDR_GEN, GEN_WORDS,
  G_KIND, G_L1, G_CHUNKS, G_SLOTS, G_N, G_INDEX, G_KEYS, G_DESTS, G_IBITS, G_KWORDS, G_REGION, KIND_NONE,
  KIND_STRIDE, KIND_RANGES, KIND_FIB6, G_PT, PT_ENTRIES, PAGE_WORDS, L1_ENTRIES, L1_SHIFT, L2_MASK, UNIT_SHIFT, CHUNK_ENTRIES, LEAF_SLOT_MASK,
  KEY_BIAS, NODE6_LIST, NODE6_ADDR, PASS,
} as const;
export type SnapshotLayout = typeof SNAPSHOT_LAYOUT;
