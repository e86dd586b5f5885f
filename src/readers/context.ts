// Per-read bookkeeping shared by the parsers: the bad-record policy (throw TableFormatError, or with
// skipBad count it and keep the first SKIPPED_ERRORS_KEPT errors), counts of records skipped because their
// kind is not read (MRT types, `ip route` local/broadcast, …), and progress callbacks. An error object is
// built only when it is thrown or kept, so skipping millions of bad lines allocates almost nothing.

import type { ByteSource } from './source.js';
import { TableFormatError } from './errors.js';

/** How many skipped errors a reader keeps for reporting. */
export const SKIPPED_ERRORS_KEPT = 16;

/** Progress callback: raw (compressed) bytes read so far and the input's size (undefined when unknown). */
export type ProgressFn = (bytesRead: number, totalBytes: number | undefined) => void;

export class ReadContext {
  skipped = 0;
  readonly skippedErrors: TableFormatError[] = [];
  unsupported = 0;
  readonly unsupportedKinds = new Map<string, number>();
  private lastProgressBytes = -1;

  constructor(readonly op: string, readonly src: ByteSource, readonly skipBad: boolean,
    private readonly onProgress: ProgressFn | undefined) {}

  /** A malformed record: throws TableFormatError, or with skipBad counts it in `skipped`. */
  bad(reason: string, line?: number, offset?: number): void {
    if (!this.skipBad) throw new TableFormatError(this.op, this.src.name, reason, { line, offset });
    this.skipped++;
    if (this.skippedErrors.length < SKIPPED_ERRORS_KEPT) {
      this.skippedErrors.push(new TableFormatError(this.op, this.src.name, reason, { line, offset }));
    }
  }

  /** A well-formed record of a kind the reader does not turn into routes. */
  unsupportedRecord(kind: string): void {
    this.unsupported++;
    this.unsupportedKinds.set(kind, (this.unsupportedKinds.get(kind) ?? 0) + 1);
  }

  /** Calls onProgress when bytesRead moved (or always when `final`). */
  progress(final = false): void {
    if (this.onProgress === undefined) return;
    const n = this.src.bytesRead;
    if (n === this.lastProgressBytes && !final) return;
    this.lastProgressBytes = n;
    this.onProgress(n, this.src.totalBytes);
  }
}
