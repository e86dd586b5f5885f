// The progress bar of `rtm`: one line on stderr, redrawn in place, only when stderr is a terminal and
// only once the command has run for DELAY_MS (short commands never show it). Redraws are throttled to
// one per REDRAW_MS, so updates may be called per batch. A disabled Progress does nothing at all.
// Allocates one string per redraw.
import type { Writer } from './output.js';

/** A command gets a bar only after running this long. */
export const DELAY_MS = 1000;
/** At most one redraw per this many ms. */
export const REDRAW_MS = 100;
const BAR_CELLS = 20;

export class Progress {
  private readonly t0: number;
  private label = '';
  private done = 0;
  private total: number | undefined;
  private unit: 'bytes' | 'steps' = 'bytes';
  private drawn = false;
  private lastDraw = -Infinity;

  /** `now` is injectable for tests (ms). */
  constructor(private readonly stream: Writer, readonly enabled: boolean,
    private readonly now: () => number = () => performance.now()) {
    this.t0 = now();
  }

  /** For stderr: enabled when it is a TTY and not switched off. */
  static forStream(stream: Writer, off: boolean): Progress {
    return new Progress(stream, !off && stream.isTTY === true);
  }

  /** Starts a task (a file being read: unit 'bytes'; a list of steps: unit 'steps'). */
  begin(label: string, total?: number, unit: 'bytes' | 'steps' = 'bytes'): void {
    if (!this.enabled) return;
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.done = 0;
    this.draw(true);
  }

  /** Moves a list of steps on: step `done` of `total` is `label`. */
  step(label: string, done: number, total: number): void {
    if (!this.enabled) return;
    this.label = label;
    this.done = done;
    this.total = total;
    this.unit = 'steps';
    this.draw(true);
  }

  /** Reports how far the task is; `total` may become known late. */
  update(done: number, total?: number): void {
    if (!this.enabled) return;
    this.done = done;
    if (total !== undefined) this.total = total;
    this.draw(false);
  }

  /** Clears the bar (call before printing anything else on stderr, and at the end). */
  end(): void {
    if (!this.enabled || !this.drawn) return;
    this.stream.write('\r\x1b[K');
    this.drawn = false;
    this.lastDraw = -Infinity;
  }

  /** The bar as drawn now (for tests): the label, shortened to fit the terminal, then the figures. */
  render(): string {
    const elapsed = (this.now() - this.t0) / 1000;
    const parts: string[] = [];
    const t = this.total;
    if (t !== undefined && t > 0) {
      const f = Math.min(1, Math.max(0, this.done / t));
      const full = Math.round(f * BAR_CELLS);
      parts.push(`[${'#'.repeat(full)}${'.'.repeat(BAR_CELLS - full)}]`,
        this.unit === 'bytes' ? `${Math.floor(100 * f)}% ${mb(this.done)}/${mb(t)} MB` : `${this.done}/${t}`);
    } else if (this.unit === 'bytes') parts.push(`${mb(this.done)} MB`);
    parts.push(`${elapsed.toFixed(1)}s`);
    const tail = ` ${parts.join(' ')}`;
    const cols = this.stream.columns;
    const width = cols !== undefined && cols >= 40 ? cols - 1 : 79;
    let head = `rtm: ${this.label}`;
    if (head.length + tail.length > width) head = `${head.slice(0, Math.max(8, width - tail.length - 1))}…`;
    return head + tail;
  }

  private draw(force: boolean): void {
    const t = this.now();
    if (t - this.t0 < DELAY_MS) return;
    if (!force && t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.stream.write(`\r${this.render()}\x1b[K`);
    this.drawn = true;
  }
}

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}
