// Columnar record batches, the readers' only output: RouteBatch (one family per batch, 4-word keys MS word
// first, IPv4 in word 0) and RouteSink, which fills a current batch per family and hands full ones to the
// driver through `ready`. Batches are pooled: a yielded batch is reused once the consumer asks for the next
// one, so steady state allocates nothing. mark()/rollback() undo a half-read multi-entry record (MRT).
// RouteCollector (readAll) grows by doubling and is the one place that copies records.

import type { Family } from '../address.js';

/**
 * A batch of routes, all of one family; arrays hold at least `count` records (keys/nextHops: 4 words each).
 * A yielded batch and its arrays are reused for a later batch once the next one is requested: copy what you keep.
 */
export interface RouteBatch {
  /** The family of every record: 4 or 6. */
  family: Family;
  /** Records used in the arrays below. */
  count: number;
  /** 4 words per record, most significant word first (IPv4 in word 0, host order), host bits cleared. */
  keys: Uint32Array;
  /** Prefix length per record, in bits. */
  lens: Uint8Array;
  /** 4 words per record (same encoding as keys); meaningful only where hasNextHop[i] = 1, else zero. */
  nextHops: Uint32Array;
  /** 1 where the record has a next hop (`nextHops` meaningful), else 0. */
  hasNextHop: Uint8Array;
  /** MED / metric column / `ip route` metric; 0 when absent. */
  metrics: Uint32Array;
  /** Lower is better (RTMv2 order); 0 when the format has none. */
  preferences: Uint32Array;
  /** MRT: peer index in the PEER_INDEX_TABLE; -1 for single-source formats. */
  sources: Int32Array;
  /** Interface index (`ip route` dev names numbered 1, 2, … in first-seen order); 0 = none. */
  ifIndex: Uint32Array;
  /** 1 = unicast, 2 = multicast (MRT multicast RIB subtypes). */
  views: Uint8Array;
}

/** View bits of RouteBatch.views. */
export const VIEW_UNICAST = 1;
/** View bit of a multicast record (MRT multicast RIB subtypes). */
export const VIEW_MULTICAST = 2;

/** Allocates an empty batch with room for `capacity` records. */
export function newRouteBatch(family: Family, capacity: number): RouteBatch {
  return {
    family, count: 0,
    keys: new Uint32Array(capacity * 4), lens: new Uint8Array(capacity),
    nextHops: new Uint32Array(capacity * 4), hasNextHop: new Uint8Array(capacity),
    metrics: new Uint32Array(capacity), preferences: new Uint32Array(capacity),
    sources: new Int32Array(capacity), ifIndex: new Uint32Array(capacity), views: new Uint8Array(capacity),
  };
}

/** What a streaming driver needs from a sink: full batches to yield, then recycle them. */
export interface Drain<B> {
  readonly ready: B[];
  /** Returns the yielded `ready` batches to the pool (the consumer has moved on). */
  recycle(): void;
  /** Moves every non-empty current batch to `ready` (end of input). */
  flush(): void;
}

/**
 * Fills one current batch per family. A writer takes `batch(family)` (always has room), writes slot
 * `count`, then calls commit(); a full batch moves to `ready` and a pooled one takes its place.
 */
export class RouteSink implements Drain<RouteBatch> {
  readonly ready: RouteBatch[] = [];
  /** Records committed so far. */
  records = 0;
  private readonly free: RouteBatch[] = [];
  private cur4: RouteBatch;
  private cur6: RouteBatch;
  private markBatch: RouteBatch | undefined;
  private markCount = 0;
  private markReady = 0;
  private markRecords = 0;

  constructor(readonly batchSize: number) {
    this.cur4 = newRouteBatch(4, batchSize);
    this.cur6 = newRouteBatch(6, batchSize);
  }

  /** The current batch of `family`; slot `count` is free. */
  batch(family: Family): RouteBatch {
    return family === 4 ? this.cur4 : this.cur6;
  }

  /** Counts the record just written at `b.count` (b must be batch(b.family)). */
  commit(b: RouteBatch): void {
    this.records++;
    if (++b.count === this.batchSize) this.rotate(b);
  }

  flush(): void {
    if (this.cur4.count > 0) this.rotate(this.cur4);
    if (this.cur6.count > 0) this.rotate(this.cur6);
  }

  recycle(): void {
    for (const b of this.ready) { b.count = 0; this.free.push(b); }
    this.ready.length = 0;
  }

  /** Remembers the state before a multi-entry record of `family`, for rollback(). */
  mark(family: Family): void {
    this.markBatch = this.batch(family);
    this.markCount = this.markBatch.count;
    this.markReady = this.ready.length;
    this.markRecords = this.records;
  }

  /** Drops every record committed since mark(); only that family was written in between. */
  rollback(): void {
    const b = this.markBatch;
    if (b === undefined) return;
    if (this.ready.length > this.markReady) {
      // b filled up and rotated: it is ready[markReady]; later ready batches and the current one are discarded
      for (let i = this.markReady + 1; i < this.ready.length; i++) this.release(this.ready[i]);
      this.release(this.batch(b.family));
      this.ready.length = this.markReady;
      if (b.family === 4) this.cur4 = b; else this.cur6 = b;
    }
    b.count = this.markCount;
    this.records = this.markRecords;
    this.markBatch = undefined;
  }

  private release(b: RouteBatch): void {
    b.count = 0;
    this.free.push(b);
  }

  private rotate(b: RouteBatch): void {
    this.ready.push(b);
    const next = this.free.pop() ?? newRouteBatch(b.family, this.batchSize);
    next.family = b.family;
    if (b.family === 4) this.cur4 = next; else this.cur6 = next;
  }
}

/** Appends batches of one family into one growing batch (readAll). Allocates; not for hot paths. */
export class RouteCollector {
  private out: RouteBatch;

  constructor(family: Family) {
    this.out = newRouteBatch(family, 1024);
  }

  append(b: RouteBatch): void {
    const n = b.count, at = this.out.count;
    if (at + n > this.out.lens.length) this.grow(Math.max(at + n, this.out.lens.length * 2));
    copyRecords(b, 0, this.out, at, n);
    this.out.count = at + n;
  }

  /** The collected records; every array is trimmed to `count` records (views, no copy). */
  result(): RouteBatch {
    const o = this.out, n = o.count;
    return {
      family: o.family, count: n,
      keys: o.keys.subarray(0, n * 4), lens: o.lens.subarray(0, n),
      nextHops: o.nextHops.subarray(0, n * 4), hasNextHop: o.hasNextHop.subarray(0, n),
      metrics: o.metrics.subarray(0, n), preferences: o.preferences.subarray(0, n),
      sources: o.sources.subarray(0, n), ifIndex: o.ifIndex.subarray(0, n), views: o.views.subarray(0, n),
    };
  }

  private grow(capacity: number): void {
    const next = newRouteBatch(this.out.family, capacity);
    copyRecords(this.out, 0, next, 0, this.out.count);
    next.count = this.out.count;
    this.out = next;
  }
}

function copyRecords(from: RouteBatch, fromIdx: number, to: RouteBatch, toIdx: number, n: number): void {
  to.keys.set(from.keys.subarray(fromIdx * 4, (fromIdx + n) * 4), toIdx * 4);
  to.nextHops.set(from.nextHops.subarray(fromIdx * 4, (fromIdx + n) * 4), toIdx * 4);
  to.lens.set(from.lens.subarray(fromIdx, fromIdx + n), toIdx);
  to.hasNextHop.set(from.hasNextHop.subarray(fromIdx, fromIdx + n), toIdx);
  to.metrics.set(from.metrics.subarray(fromIdx, fromIdx + n), toIdx);
  to.preferences.set(from.preferences.subarray(fromIdx, fromIdx + n), toIdx);
  to.sources.set(from.sources.subarray(fromIdx, fromIdx + n), toIdx);
  to.ifIndex.set(from.ifIndex.subarray(fromIdx, fromIdx + n), toIdx);
  to.views.set(from.views.subarray(fromIdx, fromIdx + n), toIdx);
}
