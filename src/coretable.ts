// CoreTable: one address-family table of the core, seen at the trie level — destinations by prefix,
// exact / longest-prefix / less-specific matches, ordered walks and batch lookups. It parses text into
// the I/O area and reads results back; the RTMv2 layer (entities, routes) is built on it. Methods that
// take a key also accept words already in a Uint32Array (no allocation); text forms allocate nothing
// but the returned strings.
import { Core } from './port/core.js';
import { RtmError, check } from './errors.js';
import { Family, parsePrefixInto, parsedFamily, formatPrefix, maxLen } from './address.js';

/** Qualifiers: which destinations a lookup may return. */
export const QUAL_PRESENT = 0;

/** CoreTable.state: the family (4 or 6) in the low bits, FREED above them. */
const FAMILY_MASK = 0xf, FREED = 0x10;

export class CoreTable {
  readonly core: Core;
  /** Table slot in the core. */
  readonly t: number;
  /** The family and the freed bit in one field (issue 13: one of these per table, thousands of tables). */
  private state: number;
  /** The address family: 4 or 6. */
  get family(): Family { return (this.state & FAMILY_MASK) as Family; }
  private get freed(): boolean { return this.state > FAMILY_MASK; }
  // (derived values are getters: one instance per table, thousands of tables — issue 13)
  get maxLen(): number { return maxLen(this.family); }
  get QUAL_POPULATED(): number { return this.core.k.QUAL_POPULATED; }
  get NO_RANGE(): number { return this.core.k.NO_RANGE; }

  /** Makes a table in the core (`views`: the views it supports). `make` false: none (see unmade()). */
  constructor(core: Core, family: Family, views = 0x3, make = true) {
    this.core = core;
    if (make) {
      check(core.x.tableCreate(family, views), 'tableCreate');
      this.t = core.res(0);
      this.state = family;
    } else {
      this.t = core.NIL;
      this.state = family | FREED;
    }
  }

  /**
   * A table never made in the core (of a closed instance): it answers as a freed one (calls throw
   * ERROR_INVALID_HANDLE, counters read 0) and holds nothing.
   */
  static unmade(core: Core, family: Family): CoreTable { return new CoreTable(core, family, 0x3, false); }

  /** Frees the table in the core; later calls throw ERROR_INVALID_HANDLE. */
  free(): void {
    if (this.freed) return;
    this.state |= FREED;
    check(this.core.x.tableFree(this.t), 'tableFree');
  }

  private live(op: string): void {
    if (this.freed) throw new RtmError('ERROR_INVALID_HANDLE', op, 'table closed');
  }

  /** Writes prefix text into IO_IN + off; returns its length. Throws ERROR_INVALID_PARAMETER. */
  keyIn(prefix: string, op: string, off = 0): number {
    const c = this.core;
    const len = parsePrefixInto(prefix, this.family, c.u32(), c.io + c.IO_IN + off);
    if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', op, `bad ${this.family === 4 ? 'IPv4' : 'IPv6'} prefix '${prefix}'`);
    void parsedFamily;
    return len;
  }

  /** Writes 4 key words into IO_IN + off. */
  wordsIn(words: ArrayLike<number>, srcOff = 0, off = 0): void {
    const u = this.core.u32(), base = this.core.io + this.core.IO_IN + off;
    for (let w = 0; w < 4; w++) u[base + w] = words[srcOff + w] >>> 0;
  }

  /** Finds or creates the destination of a prefix; returns its dest id. */
  ensureDest(prefix: string): { destId: number; created: boolean } {
    this.live('ensureDest');
    const len = this.keyIn(prefix, 'ensureDest');
    const c = this.core;
    check(c.x.destEnsureX(this.t, len), 'ensureDest');
    return { destId: c.res(0), created: c.res(1) === 1 };
  }

  /** Dest id of an exact prefix among qualifying destinations, or undefined. */
  findDest(prefix: string, qual = QUAL_PRESENT): number | undefined {
    this.live('findDest');
    const len = this.keyIn(prefix, 'findDest');
    const c = this.core;
    const s = c.x.destFindX(this.t, len, qual);
    if (s === 1168) return undefined;
    check(s, 'findDest');
    return c.res(0);
  }

  /** Removes a destination from the trie. */
  removeDest(destId: number): void {
    this.live('removeDest');
    check(this.core.x.destRemoveX(this.t, destId), 'removeDest');
  }

  /** Test hook: sets the state bits of a destination (views with live routes, LIVE, HELD). */
  setDestState(destId: number, state: number): void {
    this.live('setDestState');
    check(this.core.x.destSetStateX(this.t, destId, state), 'setDestState');
  }

  /** Most specific qualifying destination covering (address or prefix), or undefined. */
  lpm(prefix: string, qual = QUAL_PRESENT): number | undefined {
    this.live('lpm');
    const len = this.keyIn(prefix, 'lpm');
    const c = this.core;
    const s = c.x.lpm(this.t, len, qual);
    if (s === 1168) return undefined;
    check(s, 'lpm');
    return c.res(0);
  }

  /** Next shorter qualifying destination covering a destination, or undefined. */
  lessSpecific(destId: number, qual = QUAL_PRESENT): number | undefined {
    this.live('lessSpecific');
    const c = this.core;
    const s = c.x.lessSpecific(this.t, destId, qual);
    if (s === 1168) return undefined;
    check(s, 'lessSpecific');
    return c.res(0);
  }

  /**
   * Destinations in canonical order from `start` (inclusive or strictly after), optionally only those
   * covered by `range`; at most `max`. Allocates the returned array.
   */
  walk(start: string | null, opts: { inclusive?: boolean; qual?: number; range?: string; max?: number } = {}): number[] {
    this.live('walk');
    const c = this.core;
    const klen = start === null ? 0 : this.keyIn(start, 'walk', 0);
    if (start === null) this.wordsIn([0, 0, 0, 0]);
    const rlen = opts.range === undefined ? this.NO_RANGE : this.keyIn(opts.range, 'walk', 4);
    const max = Math.min(opts.max ?? c.IO_BATCH_MAX, c.IO_BATCH_MAX);
    check(c.x.walk(this.t, klen, opts.inclusive === false ? 0 : 1, opts.qual ?? 0, rlen, max), 'walk');
    const n = c.res(0);
    return Array.from(c.u32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + n));
  }

  /** All qualifying destinations in canonical order (allocates). */
  all(qual = QUAL_PRESENT, range?: string): number[] {
    const out: number[] = [];
    let batch = this.walk(range ?? null, { qual, range, inclusive: true });
    while (batch.length > 0) {
      out.push(...batch);
      if (batch.length < this.core.IO_BATCH_MAX) break;
      batch = this.walk(this.destPrefix(batch[batch.length - 1]), { qual, range, inclusive: false });
    }
    return out;
  }

  /** The prefix text of a destination id ('10.0.0.0/8'). Allocates the string. */
  destPrefix(destId: number): string {
    const c = this.core;
    check(c.x.destKeyX(this.t, destId), 'destPrefix');
    const len = c.res(0);
    return formatPrefix(this.family, c.u32(), c.io + c.IO_OUT, len);
  }

  /** Copies the key words of a destination into out[off..off+3]; returns its length. */
  destKeyInto(destId: number, out: Uint32Array, off = 0): number {
    const c = this.core;
    check(c.x.destKeyX(this.t, destId), 'destKey');
    const u = c.u32(), base = c.io + c.IO_OUT;
    for (let w = 0; w < 4; w++) out[off + w] = u[base + w];
    return c.res(0);
  }

  /**
   * Batch longest-prefix match: `keys` holds one u32 per IPv4 address or four per IPv6 address (MS word
   * first); writes each address's dest id (or -1) to `out`. Qualifying = has a live route in view
   * `view`. Returns the hits. Allocates nothing.
   */
  lookupBatch(keys: Uint32Array, out: Int32Array, view = 0): number {
    this.live('lookupBatch');
    const c = this.core;
    const words = this.family === 4 ? 1 : 4;
    const n = Math.floor(keys.length / words);
    if (out.length < n) throw new RtmError('ERROR_INVALID_PARAMETER', 'lookupBatch', 'out is shorter than the number of keys');
    const max = c.IO_BATCH_MAX, x = c.x, t = this.t, inBase = c.io + c.IO_IN, outBase = c.io + c.IO_OUT;
    let hits = 0;
    for (let i = 0; i < n; i += max) {
      const m = Math.min(max, n - i);
      c.u32().set(keys.subarray(i * words, (i + m) * words), inBase);
      const s = x.lookupBatch(t, m, view);
      if (s !== 0) check(s, 'lookupBatch');
      hits += c.res(0);
      out.set(c.i32().subarray(outBase, outBase + m), i);
    }
    return hits;
  }

  /**
   * Bulk insert at the trie level: prefix i is keys[4i..4i+3] with length lens[i]; its dest id goes to
   * destIds[i]. New destinations get `state` (0 = leave unpopulated). Returns how many were created.
   * Lengths are validated per chunk of IO_BATCH_MAX before that chunk is inserted.
   */
  insertBatch(keys: Uint32Array, lens: Uint8Array | Uint32Array, count: number, destIds: Int32Array, state = 0): number {
    this.live('insertBatch');
    const c = this.core, max = c.IO_BATCH_MAX, t = this.t;
    let created = 0;
    for (let i = 0; i < count; i += max) {
      const m = Math.min(max, count - i);
      const u = c.u32();
      u.set(keys.subarray(i * 4, (i + m) * 4), c.io + c.IO_IN);
      u.set(lens.subarray(i, i + m), c.io + c.IO_OUT);
      check(c.x.insertBatch(t, m, state), 'insertBatch');
      created += c.res(0);
      destIds.set(c.i32().subarray(c.io + c.IO_OUT, c.io + c.IO_OUT + m), i);
    }
    return created;
  }

  /**
   * Most specific destination with a live route in `view` for one IPv4 address (host order), or -1; below
   * -1 when the core refuses the call (a freed table, a bad view, a trapped core: api.ts lookup4).
   */
  lookup4(addr: number, view = 0): number {
    return this.core.x.lookup4(this.t, addr >>> 0, view);
  }

  /** Most specific destination with a live route in `view` for one IPv6 address (4 words at keys[off]), or -1. */
  lookup6(keys: Uint32Array, off = 0, view = 0): number {
    const c = this.core, u = c.u32(), base = c.io + c.IO_IN;
    u[base] = keys[off]; u[base + 1] = keys[off + 1]; u[base + 2] = keys[off + 2]; u[base + 3] = keys[off + 3];
    return c.x.lookup6(this.t, view);
  }

  /** Structural invariants of the trie: 0 = fine, else an INV_* code of assembly/debug.ts. */
  checkInvariants(): number {
    this.live('checkInvariants');
    return this.core.x.checkInvariants(this.t);
  }

  /** A counter of the table record (TABLE_* word). */
  stat(word: number): number { return this.core.x.tableStat(this.t, word) >>> 0; }
  get destCount(): number { return this.stat(this.core.k.TABLE_DESTS); }
  get nodeCount(): number { return this.stat(this.core.k.TABLE_NODES); }
  get populatedCount(): number { return this.stat(this.core.k.TABLE_POPULATED); }
}
