// Every record of the core, drawn once: word stride, field word offsets, flag bits. Records live in
// slabs (slab.ts) of u32 words; a slot index is `…Idx`. Accessors are @inline and touch memory only
// through the slab base pointers, which move when a slab grows (never cache a base across an alloc).
// NIL (0xFFFFFFFF) is "no record" in every link field. Word 0 of every handle-bearing record is
// GEN: bits 0..23 generation, bit 31 ALIVE; handles.ts compares it with the handle's generation.

export const NIL: u32 = 0xffffffff;
export const GEN_MASK: u32 = 0x00ffffff;
export const GEN_ALIVE: u32 = 0x80000000;

// ── slab kinds (index into the slab descriptor table) ──────────────────────────────────────────────
export const SLAB_TABLE: u32 = 0;
/** Trie nodes of IPv4 tables (NODE4_WORDS); SLAB_NODE6 holds those of IPv6 tables (trie.ts nodePtr). */
export const SLAB_NODE4: u32 = 1;
export const SLAB_DEST: u32 = 2;
export const SLAB_ROUTE: u32 = 3;
export const SLAB_NEXTHOP: u32 = 4;
export const SLAB_ENTITY: u32 = 5;
export const SLAB_NOTIFY: u32 = 6;
export const SLAB_LIST: u32 = 7;
export const SLAB_ENUM: u32 = 8;
export const SLAB_ENUMX: u32 = 9;
/** Out-of-line destination words (hold-down, pins, marks, timer position): DESTX_* below. */
export const SLAB_DESTX: u32 = 10;
/** Out-of-line route words (route list links, insertion number, timer position): ROUTEX_* below. */
export const SLAB_ROUTEX: u32 = 11;
/** Trie nodes of IPv6 tables of at most NODE6_SHORT_MAX bits (NODE6_WORDS); their ids carry NODE_ID6. */
export const SLAB_NODE6: u32 = 12;
/** Trie nodes of IPv6 tables longer than NODE6_SHORT_MAX bits (NODE6L_WORDS); their ids carry NODE_ID6 | NODE_ID6L. */
export const SLAB_NODE6L: u32 = 13;
/** Keys of IPv6 leaves longer than KEY6_INLINE_MAX bits (KEY6_WORDS; such a DEST_S_KEY6 destination's DEST_NODE names its slot). */
export const SLAB_KEY6: u32 = 14;
/** Branch nodes of IPv4 tables: nodes that hold no destination (NODE4B_WORDS); their ids carry NODE_BR4. */
export const SLAB_NODE4B: u32 = 15;
/** Trie nodes of IPv4 tables longer than NODE4_SHORT_MAX bits (NODE4_WORDS); their ids carry NODE_L4. */
export const SLAB_NODE4L: u32 = 16;
/** Branch nodes of IPv6 tables of at most NODE6B_MAX bits: nodes that hold no destination (NODE6B_WORDS); their ids carry NODE_ID6 | NODE_BR6. */
export const SLAB_NODE6B: u32 = 17;
export const SLAB_KINDS: u32 = 18;

// ╒══════════ Table record: TABLE_WORDS = 31 × u32 (one per address family of an instance) ═══════════╕
// │ 0 gen      │ 1 family (4|6)  │ 2 root node   │ 3 nodes       │ 4 dests (in trie) │ 5 populated dests │
// │ 6 routes   │ 7 views supported │ 8 next hops │ 9 first entity │ 10 max next hops per route          │
// │ 11 route seq (creation counter) │ 12 IPv4 multicast-view forwarding structure (fib.ts; 0 = none)  │
// │ 13 first zombie next hop │ 14 notification registrations in use (bit i = index i)                  │
// │ 15 list insertion counter │ 16 first notification registration (NIL) │ 17 timer heap ptr           │
// │ 18 length │ 19 capacity │ 20 unicast forwarding structure (fib.ts; 0 = none)                       │
// │ 21 live dests (DEST_S_LIVE: a live route)                                                           │
// │ 22 IPv6 unicast forwarding structure (fib6.ts; 0 = none) │ 23 its multicast-view twin (0 = none)         │
// │ 24 dests qualifying in view 1 (live route in the multicast view, in the trie; either family)          │
// │ 25 extra index of the destinations (xindex.ts; 0 = none) │ 26 its entries << 5 | log2 of its size      │
// │ 27 extra index of the routes (0 = none)                  │ 28 its entries << 5 | log2 of its size      │
// │ 29 queued bits of registrations 8.. (xindex.ts XI_QUEUED; 0 = none) │ 30 its entries << 5 | log2      │
// └──────────────────── the root node (len 0) exists for the table's whole life ───────────────────────┘
// Issue 13 (many small tables): what only some tables use lives outside the record, made on first use —
// the timer heap, the forwarding structures; registrations are linked through their own records (no
// slot array here: it was 32 words) — so that a table costs its 124-byte record and its root node.
export const TABLE_WORDS: u32 = 31;
export const TABLE_GEN: u32 = 0;
export const TABLE_FAMILY: u32 = 1;
export const TABLE_ROOT: u32 = 2;
export const TABLE_NODES: u32 = 3;
export const TABLE_DESTS: u32 = 4;
export const TABLE_POPULATED: u32 = 5;
export const TABLE_ROUTES: u32 = 6;
export const TABLE_VIEWS: u32 = 7;
export const TABLE_NEXTHOPS: u32 = 8;
export const TABLE_ENTITIES: u32 = 9;
export const TABLE_MAXHOPS: u32 = 10;
export const TABLE_SEQ: u32 = 11;
/** Byte address of the view-1 (multicast) forwarding structure of an IPv4 table (fib.ts); 0 = none. */
export const TABLE_FIBM: u32 = 12;
/** Deleted next hops kept alive by references, linked so that table teardown finds them (deleted routes: refs.ts). */
export const TABLE_ZNEXTHOPS: u32 = 13;
export const TABLE_NOTIFY_USED: u32 = 14;
export const TABLE_LIST_SEQ: u32 = 15;
/**
 * The table's first notification registration (notify slot; NIL = none): its registrations are linked
 * through NOTIFY_NEXT in ascending index (NOTIFY_INDEX), one per bit of TABLE_NOTIFY_USED.
 */
export const TABLE_NOTIFY: u32 = 16;
export const NOTIFY_MAX: u32 = 32;
export const TABLE_HEAP: u32 = 17;
export const TABLE_HEAP_LEN: u32 = 18;
export const TABLE_HEAP_CAP: u32 = 19;
/** Byte address of the unicast forwarding structure of a large IPv4 table (fib.ts); 0 = none. */
export const TABLE_FIB: u32 = 20;
/** Destinations with at least one live route (a destination whose only route is held is not counted). */
export const TABLE_LIVE: u32 = 21;
/** Byte address of the unicast forwarding structure of a large IPv6 table (fib6.ts); 0 = none. */
export const TABLE_FIB6: u32 = 22;
/** The same structure for view 1 (multicast), built from FIB6_MIN_DESTS destinations qualifying there. */
export const TABLE_FIB6M: u32 = 23;
/**
 * Destinations with a live route in view 1, in the trie: the multicast structure's threshold (kept by
 * fib6.ts for an IPv6 table, fib.ts for an IPv4 one; a table has one family, the meaning is the same).
 */
export const TABLE_MDESTS: u32 = 24;
/**
 * The table's extra index (xindex.ts): per map (XI_DEST, XI_ROUTE, XI_QUEUED) two words from here, its
 * block's address (0 = none) and its entries << 5 | log2 of its entries.
 */
export const TABLE_XI: u32 = 25;
/**
 * Tables an instance can have at once (table slots are below it): a destination's table word holds the
 * table's slot in its low DEST_TABLE_BITS bits (layout, destination).
 */
export const TABLES_MAX: u32 = 1 << 24;

// ╒══ Trie node: NODE4_WORDS = 4 × u32 (IPv4, 16 B), NODE6_WORDS = 5 (IPv6 ≤ /64, 20 B), NODE6L_WORDS = 8 ══╕
// │ IPv4:       0 key | len (len ≤ 26; longer: the key) │ 1 child 0 (next bit 0) │ 2 child 1 │             │
// │             3 dest (NIL = none; longer: dest + 1 | len << 26); a branch (SLAB_NODE4B, 12 B) has no 3  │
// │ IPv6 ≤ /64: 0..1 key (2 words, MS first) │ 2 child 0 │ 3 child 1 │ 4 len (bits 0..6) | (dest + 1) << 7  │
// │             a branch ≤ /57 (SLAB_NODE6B, 16 B) has no 4: len in word 1's low 7 bits, below its key     │
// │ longer:     0 len (bits 0..7) | dest state << 8 │ 1 dest (NIL = branch only) │ 2 child 0 │ 3 child 1    │
// │             4..7 key (4 words, MS word first)                                                       │
// └─ a child's key agrees with its parent's on the parent's len bits; child len > parent len ───────────┘
// A node that is not the root and has no dest always has two children; an IPv4 one with a dest has a
// child (else it is a leaf, below). Free list: link in child 0's word (an IPv4 branch node's: word 0, below).
// Issue 13, compact nodes: no node keeps a copy of its destination's state but a long IPv6 one: a walk that
// qualifies a destination by state (qual ≠ 0) reads an inner destination's own state word. 90 % of a full
// table's destinations are leaves, whose state is their record's anyway, and large tables answer lookups
// from their forwarding structures. A longer IPv6 node (83 of a full table's 155,038) keeps a destination
// word and mirrors its destination's state word (DEST_S_BITS, 11 bits) above its 8-bit length. IPv4 nodes
// live in their own slabs (SLAB_NODE4, SLAB_NODE4B for branches, SLAB_NODE4L), IPv6 nodes in SLAB_NODE6,
// SLAB_NODE6B (branches) and SLAB_NODE6L; children are words 1 and 2 of an IPv4 node, words 2 and 3 of an
// IPv6 one (trie.ts childWord: NODE_C0 + the id's NODE_ID6 bit). A node id is its SLAB_NODE4 slot (IPv4; a
// SLAB_NODE4B slot | NODE_BR4, a SLAB_NODE4L slot | NODE_L4), or its SLAB_NODE6 slot | NODE_ID6 (IPv6; a
// SLAB_NODE6B slot | NODE_ID6 | NODE_BR6, a SLAB_NODE6L slot | NODE_ID6 | NODE_ID6L): an id says which slab
// it is in (slots are < 2^25, handles.ts; bit 31 stays free for callers' marks). Only trie.ts reads node
// records; its nodeKey gives 4 key words for either family.
// Issue 13, leaves: an IPv4 destination with nothing below it in the trie has no node record. Its parent's
// child word holds NODE_LEAF | dest slot (a "leaf" id), and the destination's own record answers for the
// node (trie.ts accessors): key in DEST_NODE, length in DEST_STATE (DEST_S_LEAF, DEST_S_LEN_SHIFT), no
// children, its own state word (no mirror). 90 % of a full IPv4 table's prefixes are leaves (tier1: 1.83
// nodes a prefix before, 0.93 after; 170.4 → 152.3 B a route, bench/ab/routemem.mjs). An insert below a
// leaf first makes it a node again (trie.ts realise4); a node left with a destination and no children
// becomes a leaf again (trieDetach), so the trie's shape is the one canonical Patricia shape of its
// prefixes. IPv6 keeps a node per destination: its 16-byte key does not fit the one word a leaf frees.
// Issue 13, short IPv6 nodes: a node of at most NODE6_SHORT_MAX (64) bits — all but 83 of a full IPv6
// table's nodes — stores two key words (SLAB_NODE6, 20 B: words 0..1, MS first; word 4 its length, its
// destination + 1 above it); a longer one four (SLAB_NODE6L, 32 B; its id carries NODE_ID6L besides NODE_ID6).
// Issue 13, IPv6 branch nodes (session 33): a node that holds no destination — a branch, 93 % of a full IPv6
// table's nodes — of at most NODE6B_MAX (57) bits keeps its length in the low NODE6S_LEN_MASK bits of its
// second key word (a key of ≤ 57 bits leaves them zero: the IPv4 branch nodes' trick, below) and needs words
// 0..3 only: it lives in SLAB_NODE6B (16 B), its id that slot | NODE_ID6 | NODE_BR6. As for IPv4: the branch
// an insertion splits an edge with is one (a SLAB_NODE6 one when longer than NODE6B_MAX bits), an insertion
// of exactly a branch's prefix first moves it into a SLAB_NODE6 node (trie.ts unbranch), and a SLAB_NODE6 node
// left without its destination and with two children stays as it is. A node's length never changes, so
// neither does its slab. Readers of key words read only the words a length needs, and the bits a length
// covers are the key's alone (addr.ts); trie.ts nodeKey gives all four of either, the length's bits cleared.
// Issue 13, IPv6 leaves: an IPv6 destination of 1..NODE6_SHORT_MAX bits with nothing below it is a leaf
// too, its id NODE_LEAF | NODE_ID6 | dest slot; its two key words live in a key record (SLAB_KEY6, 8 B)
// that DEST_NODE names (DEST_S_KEY6). An IPv6 leaf is made by an insertion, by the bulk build's fold
// (bulk.ts, within its reservation) and by a removal that leaves a node with a destination and no child —
// only when a key record is free without growing memory (a removal must not fail: trie.ts fold6May), so
// such a node may stay; an insertion below a leaf makes it a node again. A leaf of at most KEY6_INLINE_MAX
// (32) bits — 23,228 of the tier-1 table's 149,265 leaves, most of them /32s — needs no key record (session
// 34): its key's first word is its DEST_NODE, as an IPv4 leaf's is, and its second word is zero by its
// length (trie.ts nodeKeyWords gives DEST_NODE's address, whose next word only a length over 32 would read).
// NODE_LEAF is bit 29: clear of NODE_ID6, of the callers' mark (bit 31), and of slots (< 2^25); NIL has it,
// so code tests NIL first.
// Issue 13, IPv4 branch nodes (session 32): an IPv4 node of at most NODE4_SHORT_MAX (26) bits keeps its
// length in the low bits of its key word (key | len: a key of ≤ 26 bits leaves its 6 low bits zero), so a
// walk reads one word for both, and compares (word ^ addr) >>> (32 - len) as it compared the key before (the
// shift drops the length). A node that holds no destination — a branch, 83 % of a full IPv4 table's nodes —
// then needs words 0..2 only: a short one lives in SLAB_NODE4B (12 B), its id that slot | NODE_BR4. The nodes
// a prefix is inserted at (trieInsert's and the bulk build's) are SLAB_NODE4 nodes (16 B: word 3 their
// destination, NIL for none); the branch an insertion splits an edge with is a SLAB_NODE4B one; an insertion
// of exactly a branch's prefix first moves the branch into a SLAB_NODE4 record (trie.ts unbranch). A
// SLAB_NODE4 node left without its destination and with two children (a removal) stays as it is, a branch in
// 16 bytes: a removal allocates nothing. A free SLAB_NODE4B record links the free list through word 0 and
// has both child words NIL (trie.ts freeRecord), so that no stale parent hint (trieUpHint) reads a free
// branch as linking to a node. A longer node (27..32 bits: a few hundred in a full table, all prefixes longer
// than /24 being) lives in SLAB_NODE4L, its id that slot | NODE_L4: word 0 its whole key, word 3 its
// destination + 1 (0: none) below its length << NODE4_LONG_SHIFT. Each form has its slab, so that an id
// kept as a hint (trieUpHint) after its node was freed names a record of its own form, whatever took the
// slot since. NODE_BR4 is bit 27 and NODE_L4 bit 26: clear of slots, NODE_ID6L, NODE_LEAF and NODE_ID6; in an
// IPv6 id bit 27 is NODE_BR6 (trie.ts nodeIsBranch tests the bit for either family).
export const NODE_STATE_SHIFT: u32 = 8;
export const NODE_LEAF: u32 = 0x20000000;
export const NODE4_WORDS: u32 = 4;
/** An IPv4 branch node's words (SLAB_NODE4B): key and length, two children. */
export const NODE4B_WORDS: u32 = 3;
/** An IPv4 node's key and length word: key | len, or a NODE_L4 node's key (see above; trie.ts node4Word). */
export const NODE4_KEYLEN: u32 = 0;
/** An IPv4 node's length in its key word (a short node's): word & NODE4_LEN_MASK. */
export const NODE4_LEN_MASK: u32 = 0x3f;
/** The longest IPv4 node whose length fits below its key (and the longest branch node, SLAB_NODE4B). */
export const NODE4_SHORT_MAX: u32 = 26;
/** An IPv4 SLAB_NODE4 node's destination (NIL: none; NODE_L4: dest + 1 & NODE4_LONG_DEST, len << NODE4_LONG_SHIFT); a SLAB_NODE4B node has none. */
export const NODE4_DEST: u32 = 3;
export const NODE4_LONG_SHIFT: u32 = 26;
export const NODE4_LONG_DEST: u32 = 0x03ffffff;
/** In a node id: a SLAB_NODE4B slot (an IPv4 branch node). */
export const NODE_BR4: u32 = 0x08000000;
/** In a node id: a SLAB_NODE4L slot, a node longer than NODE4_SHORT_MAX bits (its key word is its whole key; trie.ts allocNode4). */
export const NODE_L4: u32 = 0x04000000;
/** A short IPv6 node's key words (two, MS first); a branch node's length: the second's low NODE6S_LEN_MASK bits. */
export const NODE6S_KEY: u32 = 0;
export const NODE6S_LEN_MASK: u32 = 0x7f;
/** A SLAB_NODE6 node's length (low NODE6S_DEST_SHIFT bits) and destination + 1 above it (0: none); a branch (SLAB_NODE6B) has no such word. */
export const NODE6S_LEN: u32 = 4;
export const NODE6S_DEST_SHIFT: u32 = 7;
/** An IPv6 node's child words: NODE6_C0 and NODE6_C0 + 1 (every IPv6 form; trie.ts childWord). */
export const NODE6_C0: u32 = 2;
export const NODE6_WORDS: u32 = 5;
/** An IPv6 branch node's words (SLAB_NODE6B): key and length, two children. */
export const NODE6B_WORDS: u32 = 4;
/** In an IPv6 node id (with NODE_ID6): a SLAB_NODE6B slot (an IPv6 branch node); the bit of NODE_BR4. */
export const NODE_BR6: u32 = 0x08000000;
export const NODE6L_WORDS: u32 = 8;
/** The longest IPv6 node that lives in SLAB_NODE6 (two key words) and the longest IPv6 leaf (a key record). */
export const NODE6_SHORT_MAX: u32 = 64;
/** The longest IPv6 branch node that lives in SLAB_NODE6B: its length fits below its key's second word. */
export const NODE6B_MAX: u32 = 57;
export const NODE_ID6: u32 = 0x40000000;
/** With NODE_ID6: a SLAB_NODE6L slot (a node longer than NODE6_SHORT_MAX bits). Clear of slots (< 2^25) and NODE_LEAF. */
export const NODE_ID6L: u32 = 0x10000000;
/** The words of an IPv6 leaf's key record (SLAB_KEY6): its key's first two words, masked. */
export const KEY6_WORDS: u32 = 2;
/** The longest IPv6 leaf whose key is its DEST_NODE word itself (its first key word, masked), without a key record. */
export const KEY6_INLINE_MAX: u32 = 32;
/** A long IPv6 node's length and state mirror (NODE_STATE_SHIFT). */
export const NODE_LEN: u32 = 0;
/** An IPv4 node's child words (an IPv6 node's: NODE6_C0). */
export const NODE_C0: u32 = 1;
export const NODE_C1: u32 = 2;
/** A long IPv6 node's destination (NIL: none). */
export const NODE6L_DEST: u32 = 1;
/** A long IPv6 node's key words (four). */
export const NODE_KEY: u32 = 4;

// ╒══════════ Destination: DEST_WORDS = 8 × u32 (32 bytes; issue 13: was 22, then 16, 14, 12, 11, 10, 9) ═══╕
// │ 0 gen       │ 1 table (24 bits) | queued in registrations 0..7 << 24 │ 2 node (leaf: key)                │
// │ 3 state (DEST_S_*) | pins << 22 │ 4 first route │ 5 keeps (26 bits) | client refs << 26 (6 bits, sat.) │
// │ 6..7 lastChanged (f64)                                                                                 │
// └── state bits 0..7 = views with a live route (BelongsToViews); LIVE/HELD below; shape bits 11..19 ────┘
// The words a destination of a plain routing table needs inline; what only hold-down, locks, marks and
// the multicast view use lives in its extra record (below), allocated on first use (the export that sets
// it reserves it before any change) and freed when every extra word is back at its default; state bit
// DEST_S_X says that there is one, and the extra index (xindex.ts) which slot it is. The lock record's
// address is an extra word: every change's busy check asks destsLocked (dests.ts; 0 = no destination of
// any table is locked) before it reads the extra record.
// Queued (bit i: queued in the table's registration of index i, notify.ts): queueing happens mid-change,
// on most changes of a table with registrations, so the bits of the first DEST_QUEUED_INLINE indexes
// share the table word (tables are fewer than TABLES_MAX = 2^24; read the table through dests.ts
// destTable). A table's registrations of higher index (up to NOTIFY_MAX) keep theirs in its extra index
// (xindex.ts XI_QUEUED: destination slot → bits of indexes 8.., an entry only while one is set), room for
// which notifyReserve makes with the queues' room, before the operation's first change.
// Keeps are below 2^26: one per route record of the destination (slots are 25 bits) and per registration
// that has it queued or pulled (NOTIFY_MAX each). The client references take the word's top 6 bits as a
// route's take 7 of its views word: the count below DEST_REFS_MAX, and at it "at least that many", the
// holders' reference tables then giving the exact count (refs.ts refsHeld; every destination reference
// has an entry there).
// No live-route count: the chain (word 4) holds exactly the live routes (held and deleted routes leave
// it), so "has a live route" (DEST_S_LIVE, presence) is "word 4 is not NIL".
// No best-route word for view 0 (unicast): its best route is the first route of the chain in view 0
// (rule B6) unless the incumbent rule (B4) keeps a tied later one. Only that exception is recorded, and
// without an allocation, so that no change can need memory for it: state bit DEST_S_B0X says that a
// route of the chain carries ROUTE_B0_BIT, and that route is the best (dests.ts destBest / destSetBest).
// The best route of view 1 (multicast) is an extra word (DESTX_BEST1): routes join view 1 only when the
// caller says so (the default views are unicast), and every change that puts a route into view 1 reserves
// the extra record first (dests.ts destBest / destSetBest read and write either view).
// Pins (non-NULL opaque slots and notification marks) are the top DEST_PINS_BITS of the state word: a
// destination has at most one pin per opaque slot (OPAQUE_SLOTS_MAX) and one per registration
// (NOTIFY_MAX), so they fit, and pinning — which the facade does in an opaque slot's property setter,
// where nothing may fail — needs no allocation.
export const DEST_WORDS: u32 = 8;
export const DEST_GEN: u32 = 0;
/** The table's slot (DEST_TABLE_MASK) and the queued bits of registrations 0..7 (DEST_QUEUED_SHIFT). */
export const DEST_TABLE: u32 = 1;
export const DEST_TABLE_MASK: u32 = 0x00ffffff;
export const DEST_QUEUED_SHIFT: u32 = 24;
/** Registrations whose queued bits a destination holds inline (in its table word); the rest: XI_QUEUED. */
export const DEST_QUEUED_INLINE: u32 = 8;
export const DEST_NODE: u32 = 2;
export const DEST_STATE: u32 = 3;
export const DEST_ROUTES: u32 = 4;
/**
 * Presence (spec §7.4, D-24): a destination is in the table while it has a live or held route, pins
 * (non-NULL opaque slots, marks) or client references. Keeps (route records that outlive deletion,
 * queued changes) only keep its record — and so its handle and prefix — alive: without presence it is
 * detached from the trie onto a tombstone node (DEST_S_DETACHED) and freed when the last keep goes.
 */
export const DEST_KEEPS: u32 = 5;
export const DEST_KEEPS_MASK: u32 = 0x03ffffff;
/** The client references: word DEST_KEEPS >>> DEST_REFS_SHIFT, exact below DEST_REFS_MAX (routes.ts destRefs). */
export const DEST_REFS_SHIFT: u32 = 26;
export const DEST_REFS_MAX: u32 = 0x3f;
export const LOCK_NONE: u32 = 0xffffffff;
/** A lock record's holder summary when two or more distinct entities hold shared locks. */
export const LOCK_MULTI: u32 = 0xfffffffe;
export const DEST_CHANGED: u32 = 6; // f64
/** Pins (non-NULL opaque slots, notification marks; spec §7.4, D-24): state word >>> DEST_PINS_SHIFT. */
export const DEST_PINS_SHIFT: u32 = 22;
export const DEST_PINS_BITS: u32 = 10;
/** Opaque pointer slots a table may have (RtmOptions.opaqueSlots): with NOTIFY_MAX marks, below 2^DEST_PINS_BITS. */
export const OPAQUE_SLOTS_MAX: u32 = 512;

// ╒══════════ Destination extra: DESTX_WORDS = 9 × u32 (SLAB_DESTX; no generation) ════════════════════╕
// │ 0 destination (back link; free-list link) │ 1 held view 0 (NIL) │ 2 held view 1 (NIL)             │
// │ 3 hold-armed views (0) │ 4 hold ms (0) │ 5 marked by registrations (0) │ 6 hold-timer heap pos (NIL) │
// │ 7 lock record (locks.ts; LOCK_NONE = not locked) │ 8 best route of view 1 (NIL)                     │
// └── (default) in brackets: a destination whose extra words are all at their defaults has none ────────┘
// A held route exists only where hold-down is armed, and hold-down once armed stays armed, so the hold
// words never need an allocation mid-change (RtmHoldDestination and marking reserve the record; a lock
// reserves it with its lock record, locks.ts lockAcquire). A view-1 best route exists only while a live
// route is in view 1, and every change that puts one there reserved the record (routes.ts
// routeViewsReserve).
export const DESTX_WORDS: u32 = 9;
export const DESTX_DEST: u32 = 0;
export const DESTX_HELD: u32 = 1;   // + view id
export const DESTX_HOLD_VIEWS: u32 = 3;
export const DESTX_HOLD_MS: u32 = 4;
export const DESTX_MARKED: u32 = 5;
export const DESTX_HEAPPOS: u32 = 6;
/** The destination's lock record (spec §7.10; byte address of a LOCKREC_* block, locks.ts), or LOCK_NONE. */
export const DESTX_LOCK: u32 = 7;
/** The best route of view 1 (multicast), NIL for none (dests.ts destBest). */
export const DESTX_BEST1: u32 = 8;

export const DEST_S_VIEWS: u32 = 0x000000ff; // views in which the destination has a live route
export const DEST_S_HELD: u32 = 0x00000100;  // has a held (hold-down) route in some view
export const DEST_S_LIVE: u32 = 0x00000200;  // has at least one live route (in any view or none)
export const DEST_S_DETACHED: u32 = 0x00000400; // out of the trie (kept only by keeps)
export const DEST_S_POPULATED: u32 = DEST_S_HELD | DEST_S_LIVE;
/** The state bits destSetState sets (and a node mirrors); the bits above them are the record's shape and pins. */
export const DEST_S_BITS: u32 = 0x000007ff;
/**
 * Shape (trie.ts): the destination holds its own key — DEST_NODE is its IPv4 address (masked), or with
 * DEST_S_KEY6 the slot of its IPv6 key record (SLAB_KEY6), and its length sits at DEST_S_LEN_SHIFT; its node
 * id is NODE_LEAF | slot (| NODE_ID6 for IPv6). In the trie: a leaf (layout, trie node). With
 * DEST_S_DETACHED: a destination out of the trie, its own tombstone (no tombstone node).
 */
export const DEST_S_LEAF: u32 = 0x00000800;
/** The prefix length of a DEST_S_LEAF destination: (state >>> DEST_S_LEN_SHIFT) & DEST_S_LEN_MASK (≤ 64). */
export const DEST_S_LEN_SHIFT: u32 = 12;
export const DEST_S_LEN_MASK: u32 = 0x7f;
/** With DEST_S_LEAF: an IPv6 leaf, whose DEST_NODE is its key's first word (≤ KEY6_INLINE_MAX bits) or names its key record (SLAB_KEY6). */
export const DEST_S_KEY6: u32 = 0x00080000;
/**
 * The destination has an extra record (SLAB_DESTX; its slot: the extra index, xindex.ts XI_DEST), which
 * it has only while some extra word is not at its default. Not a state bit: nodes do not mirror it.
 */
export const DEST_S_X: u32 = 0x00100000;
/**
 * The best route of view 0 is not the chain's first route in view 0 but a tied later one that the incumbent
 * rule kept (spec §7.1 B4): the chain's route with ROUTE_B0_BIT. Not a state bit: nodes do not mirror it.
 */
export const DEST_S_B0X: u32 = 0x00200000;
/** The shape bits of the state word (leaf, length, key record): a destination's pins and state bits stay when they change. */
export const DEST_S_SHAPE: u32 = DEST_S_LEAF | DEST_S_KEY6 | (DEST_S_LEN_MASK << DEST_S_LEN_SHIFT);

/** Number of views the core keeps per-view state for (unicast = 0, multicast = 1). */
export const VIEW_COUNT: u32 = 2;
export const VIEWS_SUPPORTED_MAX: u32 = 0x3;

// ╒══════════ Route: ROUTE_WORDS = 6 × u32 (24 bytes; issue 13: was 20, then 13, 12, 11, 10, 9, 8, 7) ══╕
// │ 0 gen        │ 1 preference and metric, packed (ROUTE_PM_*), or ROUTE_PM_X                          │
// │ 2 views (bits 0..7) | ESI << 8 (2 bits) | enumeration mark (bit 10) | neighbour is the next hop      │
// │ (bit 11) | has an extra record (bit 12) | view-0 incumbent (bit 13) | state << 14 (2 bits) |         │
// │ next-hop count << 16 (9 bits) | client refs << 25 (7 bits, saturating)                              │
// │ 3 next in dest chain, or ROUTE_END | the destination (the chain's last; a route in no chain)          │
// │ 4 creation seq │ 5 next hop (count 1), hop-array ptr (count > 1), neighbour (count 0, bit 11), else   │
// │ the owner entity                                                                                     │
// └──── the dest chain is sorted in route order (routes.ts routeOrderCompare): (preference, metric, seq) ─┘
// One word for preference and metric (issue 13, session 31), in one of two packed forms that cover the
// preferences routes really carry:
//   protocol preferences (the RRAS defaults are 1–255) with metrics below 2^20 (RIP ≤ 16, OSPF intra-area
//     ≤ 65,535): preference < 2^10 — pref << ROUTE_PM_PREF_SHIFT | metric, bit 30 clear;
//   the table readers' BGP preferences (readers ribPreference: (0xffff − LOCAL_PREF) << 16 | AS-path
//     length) for a LOCAL_PREF below 2^12 and an AS path shorter than 2^5, with a MED below 2^13:
//     preference ≥ 0xf0000000 whose low 16 bits are below 2^5 — ROUTE_PM_B | (pref >>> 16 & 0xfff) <<
//     ROUTE_PM_B_HI_SHIFT | (pref & 0xffff) << ROUTE_PM_B_LO_SHIFT | metric. (Real RIB dumps loaded by
//     the readers, bench/ab/mrtmem.mjs: all but 162 of the 497,407 routes of data/mrt's route-views IPv4
//     dump — AS paths of 32 hops or more —, 94 % of its IPv6 one's, whose other MEDs are IGP costs near 2^22.)
// Any other pair is ROUTE_PM_X, its two values the extra words ROUTEX_PREF / ROUTEX_METRIC. A pair that has
// a packed form always has it (routes.ts pmPack), and every preference of the first form is below every
// one of the second, so two packed words are equal when their pairs are and compare as their pairs do.
// Readers: routes.ts routePref / routeMetric / setRoutePM; the facade: port records.ts routePrefOf /
// routeMetricOf (the first form itself, the core for the others).
// No destination word: the chain's last route holds ROUTE_END | its destination's slot in its link, and a
// route in no chain (held down, or DELETED and kept by client references) holds that alone, so a route's
// destination is at the end of its links (dests.ts chainNext reads a link, routes.ts routeDest follows
// them: O(the routes after it in the chain), and every change of a route walks its chain anyway).
// No owner word: a route uses only its owner's next hops (spec §1.3; every path that sets them checks it),
// and a next hop's record keeps its owner (NEXTHOP_OWNER) while a route references it — even a DELETED
// route keeps its next hops until its record is freed. So the owner is the owner of word 5's next hop (its
// one next hop or neighbour, or the first of its hop array), and a route with neither holds the owner's
// slot in word 5 itself (routes.ts routeOwner; debug.ts INV_OWNER checks the rule).
// What only route lists, expiry timers, an unusual neighbour, route flags and a preference-and-metric pair
// without a packed form use lives in the route's extra record (below), allocated on first use (the export
// that puts a route into a list, arms its timer, gives it such a neighbour, flags or pair reserves it before
// any change) and freed when every extra word is
// back at its default; ROUTE_X_BIT says that there is one, and the extra index (xindex.ts XI_ROUTE) which
// slot it is.
// No flags word (issue 13, session 30): RTM_ROUTE_INFO Flags and Flags1 are 0 on most routes (applyUpdates
// never sets them, addRoutesBatch only when given a flags column, protocols rarely), so they are the extra
// word ROUTEX_FLAGS (Flags | Flags1 << ROUTE_FLAGS1_SHIFT; routes.ts routeFlagsWord / routeFlags16 /
// setRouteFlags), and the route's state (2 bits) moved into the views word.
// The neighbour (RTM_ROUTE_INFO Neighbour) is NIL or, in the batch paths and most protocols, the route's
// one next hop: ROUTE_NBHOP_BIT says that word 5 holds it (the one next hop, or the neighbour alone when
// the route has no next hop); any other neighbour is an extra word (routes.ts routeNeighbour reads them).
// A DELETED route kept by client references is in no chain, list or timer, and on no list of the table's:
// teardown finds it through the references that keep it (every reference has an entry in its holder's
// reference table, refs.ts); its extra record stays while it holds a neighbour, flags or an unpacked
// preference-and-metric pair. The enumeration
// mark is one bit of the views word, set and cleared within one enumeration Get.
// The views word packs the route's small fields: views need 2 bits (VIEWS_SUPPORTED_MAX), the state 2
// (the facade reads it as (word >>> ROUTE_STATE_SHIFT) & ROUTE_STATE_MASK), the next-hop count 9
// (≤ MAX_HOPS_LIMIT = 256). Readers: routes.ts routeViews / routeState / routeNhCount / routeEsi.
// The client references (spec §7.9) are the top 7 bits: the count itself below ROUTE_REFS_MAX, and at it
// "at least that many", the exact count then being the sum of what the holders' reference tables hold
// (refs.ts refsHeld; every route reference has an entry there). A drop at the cap counts them again,
// O(entities of the table): a route held that often is rare, and nothing needs memory for it.
export const ROUTE_WORDS: u32 = 6;
export const ROUTE_GEN: u32 = 0;
/** Preference and metric (see above; readers: routes.ts routePref / routeMetric, port records.ts). */
export const ROUTE_PM: u32 = 1;
/** In word ROUTE_PM: preference and metric are the extra words ROUTEX_PREF / ROUTEX_METRIC. */
export const ROUTE_PM_X: u32 = 0x80000000;
/** In word ROUTE_PM without ROUTE_PM_X or ROUTE_PM_B: the preference (< ROUTE_PM_PREF_LIMIT) above this shift, the metric (≤ ROUTE_PM_METRIC_MASK) below. */
export const ROUTE_PM_PREF_SHIFT: u32 = 20;
export const ROUTE_PM_PREF_LIMIT: u32 = 0x400;
export const ROUTE_PM_METRIC_MASK: u32 = 0xfffff;
/**
 * In word ROUTE_PM: the second packed form (a preference ≥ ROUTE_PM_B_PREF_MIN whose low 16 bits are ≤
 * ROUTE_PM_B_LO_MASK, a metric ≤ ROUTE_PM_B_METRIC_MASK): bits 16..27 of the preference at
 * ROUTE_PM_B_HI_SHIFT, its low bits at ROUTE_PM_B_LO_SHIFT, the metric below.
 */
export const ROUTE_PM_B: u32 = 0x40000000;
export const ROUTE_PM_B_PREF_MIN: u32 = 0xf0000000;
export const ROUTE_PM_B_HI_SHIFT: u32 = 18;
export const ROUTE_PM_B_LO_SHIFT: u32 = 13;
export const ROUTE_PM_B_LO_MASK: u32 = 0x1f;
export const ROUTE_PM_B_METRIC_MASK: u32 = 0x1fff;
export const ROUTE_VIEWS: u32 = 2;
/** The next route of the chain, or ROUTE_END | the destination (see above; readers: dests.ts chainNext, routes.ts routeDest). */
export const ROUTE_NEXT: u32 = 3;
/** In word ROUTE_NEXT: the destination's slot follows (slots are below 2^25; a route in use never holds NIL there). */
export const ROUTE_END: u32 = 0x80000000;
export const ROUTE_SEQ: u32 = 4;
/** The next hop, hop array, neighbour or owner entity (see above; readers: routes.ts routeHop, routeNeighbour, routeOwner). */
export const ROUTE_NH: u32 = 5;
/** The client references: the views word >>> ROUTE_REFS_SHIFT, exact below ROUTE_REFS_MAX (routes.ts routeRefs). */
export const ROUTE_REFS_SHIFT: u32 = 25;
export const ROUTE_REFS_MAX: u32 = 0x7f;
/** Views of the route: the low bits of the views word (VIEWS_SUPPORTED_MAX ≤ this mask). */
export const ROUTE_VIEWS_MASK: u32 = 0x000000ff;
/** The next-hop count: (the views word >>> ROUTE_NHCOUNT_SHIFT) & ROUTE_NHCOUNT_MASK (the facade reads it so). */
export const ROUTE_NHCOUNT: u32 = ROUTE_VIEWS;
export const ROUTE_NHCOUNT_SHIFT: u32 = 16;
/** The next-hop count's bits after the shift (≤ MAX_HOPS_LIMIT = 256): the client references sit above them. */
export const ROUTE_NHCOUNT_MASK: u32 = 0x1ff;
/**
 * Scratch of one enumeration Get (enums.ts) in the views word: set on the routes returned at the
 * cursor's last key before the walk and cleared after it, so it is never set outside that call.
 */
export const ROUTE_EMARK_BIT: u32 = 0x00000400;
/**
 * In the views word: the route's neighbour is word ROUTE_NH — its one next hop (count 1), or the
 * neighbour alone (count 0). Clear: the neighbour is ROUTEX_NEIGHBOUR (NIL without an extra record).
 */
export const ROUTE_NBHOP_BIT: u32 = 0x00000800;
/** In the views word: the route has an extra record (SLAB_ROUTEX; its slot: xindex.ts XI_ROUTE). */
export const ROUTE_X_BIT: u32 = 0x00001000;
/**
 * In the views word: the route is its destination's best route of view 0 although a route before it in
 * the chain is in view 0 too (the incumbent rule; layout DEST_S_B0X). Set and cleared by destSetBest only;
 * only routes in a chain are read for it (one that left its chain for good may keep it).
 */
export const ROUTE_B0_BIT: u32 = 0x00002000;
/**
 * Whether the route's EntitySpecificInfo (a JS value the facade keeps by route slot) is NULL: routeAddR
 * keeps it exact, so that it can tell most ESI changes without the facade knowing the slot in advance.
 * Two bits of the views word: (word >>> ROUTE_ESI_SHIFT) & ROUTE_ESI_MASK, one of ROUTE_ESI_*.
 */
export const ROUTE_ESI: u32 = ROUTE_VIEWS;
export const ROUTE_ESI_SHIFT: u32 = 8;
export const ROUTE_ESI_MASK: u32 = 0x3;
export const ROUTE_ESI_NULL: u32 = 0;     // NULL (every route starts so: records are zeroed)
export const ROUTE_ESI_SET: u32 = 1;      // a non-NULL value
export const ROUTE_ESI_UNKNOWN: u32 = 2;  // last set through routeAdd, which is not told: the facade compares

// ╒══════════ Route extra: ROUTEX_WORDS = 10 × u32 (SLAB_ROUTEX; no generation) ════════════════════════╕
// │ 0 route (back link; free-list link) │ 1 route list (NIL) │ 2 previous in the list (NIL) │ 3 next (NIL) │
// │ 4 list insertion number (0) │ 5 expiry timer-heap position (NIL) │ 6 neighbour (NIL; see ROUTE_NBHOP_BIT) │
// │ 7 flags: RTM_ROUTE_INFO Flags | Flags1 << ROUTE_FLAGS1_SHIFT (0) │ 8 preference (0) │ 9 metric (0)     │
// └── (default) in brackets: a route whose extra words are all at their defaults has none ───────────────┘
// The insertion number is meaningful only while the route is in a list (it goes back to 0 when the route
// leaves it): list enumerations resume after the last one returned (lists.ts). A route that is not live
// is in no list and has no timer: its extra record, if any, holds only its neighbour, its flags and its
// preference and metric. Words 8 and 9 are used only with ROUTE_PM_X (else 0): a pair without a packed
// form, never (0, 0), so that such a record is never idle.
export const ROUTEX_WORDS: u32 = 10;
export const ROUTEX_ROUTE: u32 = 0;
export const ROUTEX_LIST: u32 = 1;
export const ROUTEX_LPREV: u32 = 2;
export const ROUTEX_LNEXT: u32 = 3;
export const ROUTEX_LSEQ: u32 = 4;
export const ROUTEX_HEAPPOS: u32 = 5;
export const ROUTEX_NEIGHBOUR: u32 = 6;
export const ROUTEX_FLAGS: u32 = 7;
export const ROUTEX_PREF: u32 = 8;
export const ROUTEX_METRIC: u32 = 9;

export const ROUTE_STATE_CREATED: u32 = 0;
export const ROUTE_STATE_DELETING: u32 = 1;  // held down (spec D-37)
export const ROUTE_STATE_DELETED: u32 = 2;
/** The state: (the views word >>> ROUTE_STATE_SHIFT) & ROUTE_STATE_MASK (routes.ts routeState; the facade reads it so). */
export const ROUTE_STATE: u32 = ROUTE_VIEWS;
export const ROUTE_STATE_SHIFT: u32 = 14;
export const ROUTE_STATE_MASK: u32 = 0x3;
/** Flags1 in extra word ROUTEX_FLAGS: word >>> ROUTE_FLAGS1_SHIFT (Flags are its low 16 bits). */
export const ROUTE_FLAGS1_SHIFT: u32 = 16;

// ╒══════════ Next hop: NEXTHOP_WORDS = 16 × u32 ══════════════════════════════════════════════════════╕
// │ 0 gen │ 1 owner entity │ 2..5 address key │ 6 address len | tree parent<<8 │ 7 interface │ 8 flags | state<<16 │
// │ 9 remote dest (slot, NIL) │ 10 internal refs (routes) │ 11 client refs │ 12 left / next pending / next │
// │ zombie │ 13 right / previous pending / previous zombie │ 14 lock record (as DESTX_LOCK) │ 15 table      │
// └── live: in its owner's ordered tree or pending list (nhindex.ts); deleted: in the zombie list ────────┘
export const NEXTHOP_WORDS: u32 = 16;
export const NEXTHOP_GEN: u32 = 0;
export const NEXTHOP_OWNER: u32 = 1;
export const NEXTHOP_ADDR: u32 = 2;
export const NEXTHOP_LEN: u32 = 6;
/**
 * Word NEXTHOP_LEN: the address length in its low 8 bits (read it through this mask); above them
 * (NEXTHOP_PARENT_SHIFT) the next hop's parent in its owner's ordered tree (nhindex.ts: a slot below
 * NEXTHOP_PARENT_ROOT, NEXTHOP_PARENT_ROOT for the root, NEXTHOP_PARENT_UNKNOWN when the parent's slot does
 * not fit in 24 bits or the next hop is not in the tree).
 */
export const NEXTHOP_LEN_MASK: u32 = 0xff;
export const NEXTHOP_PARENT_SHIFT: u32 = 8;
export const NEXTHOP_PARENT_ROOT: u32 = 0xfffffe;
export const NEXTHOP_PARENT_UNKNOWN: u32 = 0xffffff;
export const NEXTHOP_IFINDEX: u32 = 7;
export const NEXTHOP_FLAGS: u32 = 8;
export const NEXTHOP_REMOTE: u32 = 9;
export const NEXTHOP_IREFS: u32 = 10;
export const NEXTHOP_REFS: u32 = 11;
export const NEXTHOP_NEXT: u32 = 12;
export const NEXTHOP_ZPREV: u32 = 13;
/**
 * While live, words 12/13 are the next hop's children in its owner's (address, interface) tree, or its
 * neighbours in the owner's list of next hops not yet ordered (nhindex.ts).
 */
export const NEXTHOP_LEFT: u32 = 12;
export const NEXTHOP_RIGHT: u32 = 13;
export const NEXTHOP_LOCK: u32 = 14;
export const NEXTHOP_TABLE: u32 = 15;

// ╒══════════ Entity: ENTITY_WORDS = 12 × u32 ════════════════════════════════════════════════════════╕
// │ 0 gen │ 1 table │ 2 protocol id │ 3 instance id │ 4 next-hop tree root │ 5 live routes │ 6 next   │
// │ 7 flags (ENTITY_F_*) and client refs << 8 │ 8 route and next-hop records it owns                   │
// │ 9 reference table block │ 10 next-hop hash block (nhindex.ts; 0 = none: at most one live next hop, │
// │ the tree root word 4) │ 11 reference entries | log2 of the reference table's slots << 26            │
// └── a deregistered entity is freed when no client reference and no record it owns is left ──────────┘
// Words 9 and 11: the references the entity holds (refs.ts; 0 = none).
export const ENTITY_WORDS: u32 = 12;
export const ENTITY_GEN: u32 = 0;
export const ENTITY_TABLE: u32 = 1;
export const ENTITY_PROTO: u32 = 2;
export const ENTITY_INSTANCE: u32 = 3;
export const ENTITY_NEXTHOPS: u32 = 4;
export const ENTITY_ROUTES: u32 = 5;
export const ENTITY_NEXT: u32 = 6;
export const ENTITY_FLAGS: u32 = 7;
export const ENTITY_OWNED: u32 = 8;
/** Byte address of the block of the references the entity holds (refs.ts); 0 = none. */
export const ENTITY_REFS: u32 = 9;
/** Byte address of the entity's next-hop hash block (nhindex.ts); 0 = none: its one live next hop, if any, is the tree root. */
export const ENTITY_NHINDEX: u32 = 10;
/** The entity's reference entries (bits 0..25) and log2 of its reference table's slots (above): refs.ts. */
export const ENTITY_REFS_N: u32 = 11;
export const ENTITY_F_DEREGISTERED: u32 = 1;
export const ENTITY_REFS_SHIFT: u32 = 8;

export const NEXTHOP_STATE_CREATED: u32 = 0;
export const NEXTHOP_STATE_DELETED: u32 = 1;
export const NEXTHOP_STATE_SHIFT: u32 = 16;

// ── RTMv2 flag values the core interprets (spec §3.3, §3.7, §3.9) ─────────────────────────────────────
export const CHANGE_FIRST: u32 = 0x1;
export const CHANGE_NEW: u32 = 0x2;
export const CHANGE_BEST: u32 = 0x10000;
export const ROUTE_FLAGS_FORWARDING: u32 = 0x000f;
/** Fired change types per view: 3 bits per view (ALL, BEST, FORWARDING) at bit 3 × view id. */
export const FIRED_ALL: u32 = 1;
export const FIRED_BEST: u32 = 2;
export const FIRED_FWD: u32 = 4;
/** RTM_ENUM_FLAGS (spec §3.6): range group and owner bits. */
export const ENUM_NEXT: u32 = 0x1;
export const ENUM_RANGE: u32 = 0x2;
export const ENUM_OWN_ROUTES: u32 = 0x00010000;
export const ENUM_OWN_DESTS: u32 = 0x01000000;
/** RTM_MATCH_FLAGS (spec §3.5): bits outside MATCH_ALL are ignored (they are part of RTM_MATCH_FULL). */
export const MATCH_OWNER: u32 = 0x1;
export const MATCH_NEIGHBOUR: u32 = 0x2;
export const MATCH_PREF: u32 = 0x4;
export const MATCH_NEXTHOP: u32 = 0x8;
export const MATCH_INTERFACE: u32 = 0x10;
export const MATCH_ALL: u32 = 0x1f;
/** RTM_THIS_PROTOCOL (spec §7.15): the caller's own protocol id. */
export const THIS_PROTOCOL: u32 = 0xffffffff;

// ╒══════════ Notification registration: NOTIFY_WORDS = 13 × u32 ═════════════════════════════════════════╕
// │ 0 gen │ 1 table │ 2 owner entity │ 3 index (bit position) │ 4 target views (0 = all) │ 5 notify flags   │
// │ 6 queue ptr (u32 dest slots) │ 7 queue head │ 8 queue end │ 9 queue capacity │ 10 signalled        │
// │ 11 marks (destinations whose DESTX_MARKED has this registration's bit) │ 12 next registration of    │
// │ the table, by index (NIL; the list starts at TABLE_NOTIFY)                                            │
// └────────── queue[head..end) holds the changed destinations in order; the queued bits say who queued ──┘
export const NOTIFY_WORDS: u32 = 13;
export const NOTIFY_TABLE: u32 = 1;
export const NOTIFY_OWNER: u32 = 2;
export const NOTIFY_INDEX: u32 = 3;
export const NOTIFY_VIEWS: u32 = 4;
export const NOTIFY_FLAGS: u32 = 5;
export const NOTIFY_QPTR: u32 = 6;
export const NOTIFY_QHEAD: u32 = 7;
export const NOTIFY_QEND: u32 = 8;
export const NOTIFY_QCAP: u32 = 9;
export const NOTIFY_SIGNALLED: u32 = 10;
export const NOTIFY_MARKS: u32 = 11;
export const NOTIFY_NEXT: u32 = 12;
export const CHANGE_TYPE_ALL: u32 = 1;
export const CHANGE_TYPE_BEST: u32 = 2;
export const CHANGE_TYPE_FORWARDING: u32 = 4;
export const NOTIFY_ONLY_MARKED: u32 = 0x10000;

// ╒══════════ Lock record: LOCKREC_BYTES = 32 (a block, locks.ts; one per locked destination / next hop) ═╕
// │ 0 target slot │ 1 kind (LOCK_K_*) | parked timer entries << 8 │ 2 holder summary (entity, LOCK_MULTI) │
// │ 3 exclusive holder (NIL) │ 4 its recursion count │ 5 first shared cell (0) │ 6 next record │ 7 prev    │
// ├── shared cell: LOCKCELL_BYTES = 16: 0 entity │ 1 count (> 0) │ 2 next cell (0) ───────────────────────────┤
// └── DESTX_LOCK / NEXTHOP_LOCK hold the record's address while any entity holds the lock (LOCK_NONE else) ┘
export const LOCKREC_BYTES: u32 = 32;
export const LOCKREC_TARGET: u32 = 0;
export const LOCKREC_KIND: u32 = 1;
export const LOCKREC_HOLDER: u32 = 2;
export const LOCKREC_EXCL: u32 = 3;
export const LOCKREC_EXCL_COUNT: u32 = 4;
export const LOCKREC_SHARED: u32 = 5;
export const LOCKREC_NEXT: u32 = 6;
export const LOCKREC_PREV: u32 = 7;
/** Timer entries of the destination parked while it is locked (timers.ts): LOCKREC_KIND >> this. */
export const LOCKREC_PARKED_SHIFT: u32 = 8;
export const LOCKCELL_BYTES: u32 = 16;
export const LOCKCELL_ENTITY: u32 = 0;
export const LOCKCELL_COUNT: u32 = 1;
export const LOCKCELL_NEXT: u32 = 2;
/** What a lock record locks (lockX's `kind`). */
export const LOCK_K_DEST: u32 = 0;
export const LOCK_K_NEXTHOP: u32 = 1;

// ╒══════════ Route list: LIST_WORDS = 6 × u32 ═════════════════════════════════════════════╕
// │ 0 gen │ 1 table │ 2 owner entity │ 3 head route │ 4 tail route │ 5 count               │
// └────── routes link through ROUTE_LPREV / ROUTE_LNEXT; ROUTE_LSEQ orders appends ─────────┘
export const LIST_WORDS: u32 = 6;
export const LIST_TABLE: u32 = 1;
export const LIST_OWNER: u32 = 2;
export const LIST_HEAD: u32 = 3;
export const LIST_TAIL: u32 = 4;
export const LIST_COUNT: u32 = 5;

// ╒══════════ Enumeration cursor: ENUM_WORDS = 34 × u32 (enums.ts; handles of KIND_ENUM) ═══════════════╕
// │ 0 gen │ 1 table │ 2 owner entity │ 3 kind (ENUM_K_*) | flags (ENUM_F_*) │ 4 target views (0 = any)   │
// │ 5 protocol selector (dests; resolved) or match flags & 0x1f (routes) │ 6 start len │ 7 last len     │
// │ 8..11 start key (NEXT/RANGE; zero for START) │ 12..15 last key (the last position returned)        │
// │ 16 last preference | last interface (next hops) | last insertion number (lists) │ 17 last metric    │
// │ 18 last creation seq │ 19 criterion interface index                                                 │
// │ 20..21 target handle, f64: the destination (one-destination routes) or the route list               │
// │ 22..23 criterion owner, f64 │ 24..25 criterion neighbour, f64 (0 = NULL)                             │
// │ 26..27 criterion preference, f64 │ 28..29 criterion metric, f64                                     │
// │ 30 criterion next hops (ENUMX chain) │ 31 their count │ 32 routes returned at the last key (ENUMX   │
// │ chain) │ 33 their count                                                                              │
// └──── f64 fields sit at even words (records are 136 bytes, chunks page-aligned: 8-byte aligned) ────────┘
export const ENUM_WORDS: u32 = 34;
export const ENUM_TABLE: u32 = 1;
export const ENUM_OWNER: u32 = 2;
export const ENUM_KF: u32 = 3;
export const ENUM_VIEWS: u32 = 4;
export const ENUM_SEL: u32 = 5;
export const ENUM_START_LEN: u32 = 6;
export const ENUM_LAST_LEN: u32 = 7;
export const ENUM_START_KEY: u32 = 8;
export const ENUM_LAST_KEY: u32 = 12;
export const ENUM_LAST_A: u32 = 16;
export const ENUM_LAST_METRIC: u32 = 17;
export const ENUM_LAST_SEQ: u32 = 18;
export const ENUM_CRIT_IF: u32 = 19;
export const ENUM_TARGET: u32 = 20;
export const ENUM_CRIT_OWNER: u32 = 22;
export const ENUM_CRIT_NB: u32 = 24;
export const ENUM_CRIT_PREF: u32 = 26;
export const ENUM_CRIT_METRIC: u32 = 28;
export const ENUM_CRIT_HOPS: u32 = 30;
export const ENUM_CRIT_NHOPS: u32 = 31;
export const ENUM_RET: u32 = 32;
export const ENUM_RET_COUNT: u32 = 33;
export const ENUM_K_DEST: u32 = 1;
export const ENUM_K_ROUTE: u32 = 2;
export const ENUM_K_NEXTHOP: u32 = 3;
export const ENUM_K_LIST: u32 = 4;
export const ENUM_K_MASK: u32 = 0xff;
export const ENUM_F_OWN: u32 = 0x100;        // OWN_DESTS / OWN_ROUTES
export const ENUM_F_RANGE: u32 = 0x200;      // only the sub-tree of the start prefix
export const ENUM_F_ONE_DEST: u32 = 0x400;   // route enumeration over the target destination only
export const ENUM_F_HAS_LAST: u32 = 0x800;   // the last-position words are set

// ╒══════════ Enumeration chunk: ENUMX_WORDS = 16 × u32 (no generation) ═══════════════════════════════╕
// │ 0 next chunk (NIL) │ 1 entries used (≤ ENUMX_CAP) │ 2..15 ENUMX_CAP entries of 2 words:             │
// │ a criterion next-hop handle (f64), or a returned route (slot, creation seq)                         │
// └──────────── a cursor's chain grows at its head; free link in word 0 ───────────────────────────────┘
export const ENUMX_WORDS: u32 = 16;
export const ENUMX_NEXT: u32 = 0;
export const ENUMX_USED: u32 = 1;
export const ENUMX_DATA: u32 = 2;
export const ENUMX_CAP: u32 = 7;

// ── handle kinds (handles.ts) ─────────────────────────────────────────────────────────────────────────
export const KIND_TABLE: u32 = 1;
export const KIND_ENTITY: u32 = 2;
export const KIND_DEST: u32 = 3;
export const KIND_ROUTE: u32 = 4;
export const KIND_NEXTHOP: u32 = 5;
/** Enumeration cursors (enums.ts; the facade's own cursor handles have generation 0, so they never alias). */
export const KIND_ENUM: u32 = 6;
export const KIND_LIST: u32 = 7;
export const KIND_NOTIFY: u32 = 8;

// ── lookup qualifiers: a destination qualifies when qual == 0 (present) or (state & qual) != 0 ────────
export const QUAL_PRESENT: u32 = 0;
export const QUAL_POPULATED: u32 = DEST_S_POPULATED;

/** "No range" for nextBatch's range length argument. */
export const NO_RANGE: u32 = 0xff;

// ── References (refs.ts): per holder entity, a table of (target, count) slots in a block ─────────────
// │ target: kind << REF_KIND_SHIFT | record slot (0xffffffff: an empty slot) │ count (≥ 1)             │
// Per-entity client references (spec §7.9, D-33). The target record's own client count (the DEST_REFS_SHIFT
// and ROUTE_REFS_SHIFT fields, NEXTHOP_REFS, entity refs) includes every entry's count; counts taken through
// the record-level export nexthopRefX have no entry, so the sum of entries of a record is ≤ its count. A
// destination's and a route's are exactly their entries' sums: they have no record-level export.
/** Record slots are 25 bits (handles.ts); the kind (KIND_*) sits above them in a reference's target word. */
export const REF_KIND_SHIFT: u32 = 25;

// ── Records of the one-crossing exports (records.ts) ──────────────────────────────────────────────────
// Written into the I/O area at IO_OUT as f64 words (handles are f64; 0 = NULL), read by the facade at
// f64 index (ioBase/4 + IO_OUT)/2 + REC_*. A prefix key is 4 × u32 packed into two f64 words: key word w
// is u32 index 2 × (f64 index of REC_…_KEY) + w. Small numbers are exact in f64.

// ╒══════════ routeAddR result: REC_ADD_WORDS = 5 × f64 ══════════════════════════════════════════════════╕
// │ 0 route handle (written when word 3 or word 4 is 1, else 0) │ 1 change flags (CHANGE_NEW, CHANGE_BEST)  │
// │ 2 route slot │ 3 1 if a reference was taken │ 4 1 if the facade must compare EntitySpecificInfo itself  │
// │ (and call routeTouch if it changed). Only what the facade reads: RES0..RES4 hold the rest (routeAdd)  │
// └───────────────────────────────────────────────────────────────────────────────────────────────────────┘
export const REC_ADD_ROUTE: u32 = 0;
export const REC_ADD_CHANGE: u32 = 1;
export const REC_ADD_ROUTE_SLOT: u32 = 2;
export const REC_ADD_REF: u32 = 3;
export const REC_ADD_ESI_CHECK: u32 = 4;
export const REC_ADD_WORDS: u32 = 5;
/** routeAddR's `esi` argument: what the facade knows of the new EntitySpecificInfo. */
export const ESI_IN_NULL: u32 = 0;        // the new value is NULL
export const ESI_IN_SET: u32 = 1;         // non-NULL; whether it equals the old one is unknown
export const ESI_IN_CHANGED: u32 = 2;     // non-NULL and known to differ (the caller named the route)
export const ESI_IN_SAME: u32 = 3;        // non-NULL and known to be the same value

// ╒══════════ routeInfoR result (RTM_ROUTE_INFO): REC_ROUTE_WORDS = 16 × f64, then the next hops ═══════╕
// │ 0 dest handle │ 1 owner handle │ 2 neighbour handle (0) │ 3 state │ 4 flags1 │ 5 flags │ 6 metric  │
// │ 7 preference │ 8 views │ 9 route slot │ 10 ESI (ROUTE_ESI_*) │ 11 dest slot │ 12..13 dest key      │
// │ 14 prefix length │ 15 next-hop count n │ 16.. n next-hop handles (n ≤ MAX_HOPS_LIMIT)             │
// └───────────────────────────────────────────────────────────────────────────────────────────────────────┘
export const REC_ROUTE_DEST: u32 = 0;
export const REC_ROUTE_OWNER: u32 = 1;
export const REC_ROUTE_NEIGHBOUR: u32 = 2;
export const REC_ROUTE_STATE: u32 = 3;
export const REC_ROUTE_FLAGS1: u32 = 4;
export const REC_ROUTE_FLAGS: u32 = 5;
export const REC_ROUTE_METRIC: u32 = 6;
export const REC_ROUTE_PREF: u32 = 7;
export const REC_ROUTE_VIEWS: u32 = 8;
export const REC_ROUTE_SLOT: u32 = 9;
export const REC_ROUTE_ESI: u32 = 10;
export const REC_ROUTE_DEST_SLOT: u32 = 11;
export const REC_ROUTE_KEY: u32 = 12;
export const REC_ROUTE_LEN: u32 = 14;
export const REC_ROUTE_NHOPS: u32 = 15;
export const REC_ROUTE_HOPS: u32 = 16;
export const REC_ROUTE_WORDS: u32 = 16;

// ╒══════════ bestSummaryR result (Table.bestRouteSummary): REC_SUM_WORDS = 7 × f64, then the next hops ═══╕
// │ 0 route handle (0 = no best route) │ 1 owner handle │ 2 owner's protocol id │ 3 preference │ 4 metric │
// │ 5 route slot │ 6 next-hop count n │ 7.. n entries of REC_SUM_HOP_WORDS: key (2 f64 = 4 u32), length   │
// └───────────────────────────────────────────────────────────────────────────────────────────────────────┘
export const REC_SUM_ROUTE: u32 = 0;
export const REC_SUM_OWNER: u32 = 1;
export const REC_SUM_PROTOCOL: u32 = 2;
export const REC_SUM_PREF: u32 = 3;
export const REC_SUM_METRIC: u32 = 4;
export const REC_SUM_SLOT: u32 = 5;
export const REC_SUM_NHOPS: u32 = 6;
export const REC_SUM_HOPS: u32 = 7;
export const REC_SUM_HOP_WORDS: u32 = 3;
export const REC_SUM_WORDS: u32 = 7;

// ╒══════════ destInfoR / notifyGetChangedR record (RTM_DEST_INFO): REC_DEST_WORDS = 20 × f64 ══════════╕
// │ 0 dest handle │ 1 dest slot │ 2..3 key │ 4 prefix length │ 5 lastChanged (ms) │ 6 BelongsToViews    │
// │ 7 view entries k (requested views, ascending) │ 8.. k entries of REC_DVIEW_WORDS (unused ones stale)│
// ├── view entry: REC_DVIEW_WORDS = 6 × f64 ─────────────────────────────────────────────────────────────┤
// │ 0 view id │ 1 live routes in the view │ 2 route handle (0) │ 3 its owner's handle (0)                │
// │ 4 the route's flags (DestFlags; 0 without a route) │ 5 hold route handle (0)                          │
// └───────────────────────────────────────────────────────────────────────────────────────────────────────┘
export const REC_DEST_HANDLE: u32 = 0;
export const REC_DEST_SLOT: u32 = 1;
export const REC_DEST_KEY: u32 = 2;
export const REC_DEST_LEN: u32 = 4;
export const REC_DEST_CHANGED: u32 = 5;
export const REC_DEST_VIEWS: u32 = 6;
export const REC_DEST_NVIEWS: u32 = 7;
export const REC_DEST_VIEW: u32 = 8;
export const REC_DVIEW_ID: u32 = 0;
export const REC_DVIEW_ROUTES: u32 = 1;
export const REC_DVIEW_ROUTE: u32 = 2;
export const REC_DVIEW_OWNER: u32 = 3;
export const REC_DVIEW_FLAGS: u32 = 4;
export const REC_DVIEW_HOLD: u32 = 5;
export const REC_DVIEW_WORDS: u32 = 6;
export const REC_DEST_WORDS: u32 = REC_DEST_VIEW + VIEW_COUNT * REC_DVIEW_WORDS;

// ╒══════════ Update records (Entity.applyUpdates, at IO_IN, by columns): UPD_WORDS = 10 × u32 a record ════╕
// │ column c of a field UPD_c starts at word c × UPD_MAX; record i's word is at c × UPD_MAX + i (the key's │
// │ four at 4i, the next hop's f64 at word UPD_NEXTHOP × UPD_MAX + 2i): so the facade fills a column with │
// │ one typed-array copy. 0..3 key │ 4 len | kind << 8 │ 5 preference │ 6 metric │ 7 views │ 8..9 next-hop │
// │ handle (f64, 0 = none). Kind UPD_ADD: RtmAddRouteToDest with CHANGE_FIRST; UPD_DELETE: delete the     │
// └─────────────────────────────────── caller's first route ──────────────────────────────────────────────┘
export const UPD_WORDS: u32 = 10;
export const UPD_LENKIND: u32 = 4;
export const UPD_PREF: u32 = 5;
export const UPD_METRIC: u32 = 6;
export const UPD_VIEWS: u32 = 7;
export const UPD_NEXTHOP: u32 = 8;          // f64s, 8-byte aligned (IO_IN and UPD_NEXTHOP × UPD_MAX are even)
export const UPD_ADD: u32 = 0;
export const UPD_DELETE: u32 = 1;
/** Records per call: the input region holds IO_BATCH_MAX × 4 words (UPD_WORDS × UPD_MAX ≤ that; even). */
export const UPD_MAX: u32 = 1638;
/** Destination ids one changedIdsX call may pull: the words of IO_OUT (IO_BATCH_MAX × 4). */
export const CHANGED_IDS_MAX: u32 = 16384;

// ╒══════════ Best-route record (Table.bestRouteInto, at IO_OUT): BEST_FIELDS × f64 ═══════════════════════╕
// │ 0 route handle │ 1 owner entity handle │ 2 owner's protocol id │ 3 preference │ 4 metric │ 5 flags     │
// │ 6 next-hop count │ 7 first next-hop handle (0) │ 8 neighbour handle (0) │ 9 first next hop's interface │
// │ 10 route's views (BelongsToViews) │ 11 first next hop's IPv4 address, host order (0 for IPv6 / none)  │
// └──────────── handles carry no reference: valid while the route / entity / next hop lives ───────────────┘
export const BEST_ROUTE: u32 = 0;
export const BEST_OWNER: u32 = 1;
export const BEST_PROTOCOL: u32 = 2;
export const BEST_PREFERENCE: u32 = 3;
export const BEST_METRIC: u32 = 4;
export const BEST_FLAGS: u32 = 5;
export const BEST_NEXTHOP_COUNT: u32 = 6;
export const BEST_NEXTHOP: u32 = 7;
export const BEST_NEIGHBOUR: u32 = 8;
export const BEST_INTERFACE: u32 = 9;
export const BEST_VIEWS: u32 = 10;
export const BEST_NEXTHOP_IPV4: u32 = 11;
export const BEST_FIELDS: u32 = 12;

// ── Snapshots of the unicast forwarding structure (snapshot.ts; src/fib/ publishes them) ───────────────
// ╒══════════ Watch record: SNAP_WATCH_WORDS = 8 × u32 (one per table being published; static memory) ══╕
// │ 0 table slot + 1 (0 = free) │ 1 the table's GEN word when watched │ 2 dirty-list block: a cache of   │
// │ 256 recent marks, then the entries │ 3 entries used │ 4 entries the block holds │ 5 flags (SNAP_F_*) │
// │ 6 last block marked (NIL) │ 7 —                                                                     │
// └── an entry is a 1 KiB block of the table's 18-6-8 structure (byte address >> 10) written since the ─┘
//     last take; SNAP_F_FULL: the list overflowed or the structure was built or freed — copy it all
export const SNAP_WATCH_WORDS: u32 = 8;
export const SNAP_WATCH_MAX: u32 = 32;
export const SNAP_W_TABLE: u32 = 0;
export const SNAP_W_GEN: u32 = 1;
export const SNAP_W_LIST: u32 = 2;
export const SNAP_W_LEN: u32 = 3;
export const SNAP_W_CAP: u32 = 4;
export const SNAP_W_FLAGS: u32 = 5;
export const SNAP_W_LAST: u32 = 6;
export const SNAP_F_FULL: u32 = 1;
/** log2 of the block a dirty mark names (fib.ts level-3 chunks and quads of level-2 chunks are 1 KiB and 1 KiB-aligned; level 1 is 1,024 blocks). */
export const SNAP_BLOCK_SHIFT: u32 = 10;
/** Dirty-list entries of a new watch, and the most a list grows to (a full copy is cheaper beyond). */
export const SNAP_LIST_MIN: u32 = 4096;
export const SNAP_LIST_MAX: u32 = 65536;

// ╒══════════ Range segment (snapRangesNext, at IO_OUT): SNAP_SEG_WORDS = 5 × u32 ════════════════════════╕
// │ 0..3 first address of the segment (MS word first; IPv4 in word 0) │ 4 destId answering it (NIL = none) │
// └──── segments ascend and tile the address space from 0: each runs to the next one's first address ────┘
export const SNAP_SEG_WORDS: u32 = 5;
export const SNAP_SEG_DEST: u32 = 4;
/** Segments one snapRangesNext call writes at most (IO_OUT holds IO_BATCH_MAX × 4 words). */
export const SNAP_SEG_MAX: u32 = 3276;

// ╒══════════ Best-change log entry (notify.ts; bestLogTakeX copies them to IO_OUT): BESTLOG_WORDS × u32 ═╕
// │ 0..3 destination key (MS word first) │ 4 prefix length                                                │
// └── one entry per change that fired BEST in view 0 of the watched table, in order (RTMv1, spec §9.5) ──┘
export const BESTLOG_WORDS: u32 = 5;
/** Entries the log holds between two takes; more within one operation are counted as lost. */
export const BESTLOG_MAX: u32 = 1024;
