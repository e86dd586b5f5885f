// BGP update traces, one event per line: `unixtime a|w prefix [next-hop]` (the LINX/poptrie trace format),
// for churn benchmarks and `rtm diff`. Events keep file order, so a batch ends early when the family
// changes; batches are pooled like RouteBatch (valid until the next one is requested). No allocation per
// line. A withdrawal's next hop (0.0.0.0 in the traces) is not kept.

import type { Family } from '../address.js';
import type { Drain } from './batch.js';
import { familyOf, parseAddressRange, parsePrefixRange, parseU32Range, quote, skipSpace, tokenEnd, type LineHandler } from './text.js';

/** A batch of update events of one family, in file order. */
export interface UpdateBatch {
  /** The family of every event: 4 or 6. */
  family: Family;
  /** Events in the batch. */
  count: number;
  /** Event time, seconds since the Unix epoch. */
  timesSec: Float64Array;
  /** 1 = announce, 0 = withdraw. */
  announce: Uint8Array;
  /** 4 words per event, as RouteBatch.keys. */
  keys: Uint32Array;
  /** Prefix length of each event. */
  lens: Uint8Array;
  /** 4 words per event; meaningful only where hasNextHop[i] = 1 (announcements with a next hop). */
  nextHops: Uint32Array;
  /** 1 where the event has a next hop (`nextHops` meaningful), else 0. */
  hasNextHop: Uint8Array;
}

function newUpdateBatch(capacity: number): UpdateBatch {
  return {
    family: 4, count: 0, timesSec: new Float64Array(capacity), announce: new Uint8Array(capacity),
    keys: new Uint32Array(capacity * 4), lens: new Uint8Array(capacity),
    nextHops: new Uint32Array(capacity * 4), hasNextHop: new Uint8Array(capacity),
  };
}

/** One current batch; a family change or a full batch moves it to `ready`. */
export class UpdateSink implements Drain<UpdateBatch> {
  readonly ready: UpdateBatch[] = [];
  records = 0;
  private readonly free: UpdateBatch[] = [];
  private cur: UpdateBatch;

  constructor(readonly batchSize: number) {
    this.cur = newUpdateBatch(batchSize);
  }

  batch(family: Family): UpdateBatch {
    if (this.cur.count > 0 && this.cur.family !== family) this.rotate();
    this.cur.family = family;
    return this.cur;
  }

  commit(b: UpdateBatch): void {
    this.records++;
    if (++b.count === this.batchSize) this.rotate();
  }

  flush(): void {
    if (this.cur.count > 0) this.rotate();
  }

  recycle(): void {
    for (const b of this.ready) { b.count = 0; this.free.push(b); }
    this.ready.length = 0;
  }

  private rotate(): void {
    this.ready.push(this.cur);
    this.cur = this.free.pop() ?? newUpdateBatch(this.batchSize);
  }
}

export class UpdateParser implements LineHandler {
  constructor(private readonly sink: UpdateSink) {}

  line(s: string, start: number, end: number): string | undefined {
    let p = skipSpace(s, start, end);
    if (p === end || s.charCodeAt(p) === 35) return undefined;
    let q = tokenEnd(s, p, end);
    const timeSec = parseTime(s, p, q);
    if (timeSec < 0) return `malformed time ${quote(s, p, q)}`;
    p = skipSpace(s, q, end);
    q = tokenEnd(s, p, end);
    const c = q - p === 1 ? s.charCodeAt(p) : 0;
    if (c !== 97 && c !== 119) return p === end ? "missing 'a' or 'w'" : `expected 'a' or 'w', found ${quote(s, p, q)}`;
    p = skipSpace(s, q, end);
    if (p === end) return 'missing prefix';
    q = tokenEnd(s, p, end);
    const family = familyOf(s, p, q);
    const b = this.sink.batch(family), i = b.count, o = i << 2;
    const len = parsePrefixRange(s, p, q, family, b.keys, o);
    if (len < 0) return `malformed prefix ${quote(s, p, q)}`;
    b.timesSec[i] = timeSec;
    b.announce[i] = c === 97 ? 1 : 0;
    b.lens[i] = len;
    b.hasNextHop[i] = 0;
    b.nextHops[o] = 0; b.nextHops[o + 1] = 0; b.nextHops[o + 2] = 0; b.nextHops[o + 3] = 0;
    p = skipSpace(s, q, end);
    if (p < end) {
      q = tokenEnd(s, p, end);
      if (c === 97) {
        if (familyOf(s, p, q) !== family || !parseAddressRange(s, p, q, family, b.nextHops, o)) {
          return `malformed next hop ${quote(s, p, q)}`;
        }
        b.hasNextHop[i] = 1;
      }
      p = skipSpace(s, q, end);
      if (p < end && s.charCodeAt(p) !== 35) return `unexpected 5th column ${quote(s, p, tokenEnd(s, p, end))}`;
    }
    this.sink.commit(b);
    return undefined;
  }

  finish(): void { /* nothing pending */ }
}

/** Seconds in s[start, end): digits with an optional fraction; -1 if malformed. */
function parseTime(s: string, start: number, end: number): number {
  let dot = end;
  for (let i = start; i < end; i++) if (s.charCodeAt(i) === 46) { dot = i; break; }
  const whole = parseU32Range(s, start, dot);
  if (whole < 0) return -1;
  if (dot === end) return whole;
  let frac = 0, scale = 1;
  for (let i = dot + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57 || scale > 1e9) return -1;
    frac = frac * 10 + (c - 48);
    scale *= 10;
  }
  return scale === 1 ? -1 : whole + frac / scale;
}
