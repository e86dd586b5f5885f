// Output of `rtm`: number formatting, aligned text tables, histograms, the `rtm: <message>` error line and
// the exit statuses. Text goes to stdout in one write per command (so a failing command prints nothing
// half-done); errors and the progress bar go to stderr. Allocates the strings it returns.
import { RtmError, RtmInternalError } from '../errors.js';
import { TableFormatError } from '../readers/index.js';
import { UsageError } from './args.js';
import { CHUNK, breathe } from './interrupt.js';

/** Exit statuses (documented in `rtm --help`). */
export const EXIT_OK = 0;
/** Runtime or data error: a missing, unreadable or malformed file, a bad address on stdin, a failed check. */
export const EXIT_FAILURE = 1;
/** Usage error: unknown command or option, missing argument, bad option value. */
export const EXIT_USAGE = 2;
/** Internal error: the WASM core trapped or an unexpected exception (a bug; please report it). */
export const EXIT_INTERNAL = 3;
/** Interrupted by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/** A runtime failure the CLI itself detects (exit status 1): printed as 'rtm: <message>'. */
export class CliError extends Error {
  /** Extra fields for the --json error document (counts of a table with nothing loadable, …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'CliError';
    this.details = details;
  }
}

/** What main() needs of a stream. */
export interface Writer {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** 1234567 → '1,234,567'. */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A number with `digits` decimals and thousands separators. */
export function fixed(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Three significant digits for rates and ratios (1234 → '1,234', 12.345 → '12.3', 0.01234 → '0.0123'). */
export function sig3(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 100) return int(n);
  if (a >= 10) return fixed(n, 1);
  if (a >= 1) return fixed(n, 2);
  if (a === 0) return '0';
  return n.toPrecision(3);
}

/** Bytes as '218.1 MB' (decimal units). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n, i = -1;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${fixed(v, 1)} ${units[i]}`;
}

/** Percent with one decimal. */
export function pct(part: number, whole: number): string {
  return whole === 0 ? '0.0 %' : `${fixed((100 * part) / whole, 1)} %`;
}

/** Rows of cells as left-aligned columns (numbers right-aligned when `right[i]`), two spaces apart. */
export function columns(rows: readonly (readonly string[])[], right: readonly boolean[] = [], indent = '  '): string {
  const widths = columnWidths(rows);
  return rows.map((r) => columnLine(r, widths, right, indent)).join('\n') + '\n';
}

/**
 * columns() of a long table (a lookup of millions of addresses), the same text, made in chunks with
 * breathe() between them so that Ctrl-C is handled while it is being made.
 */
export async function columnsBreathing(rows: readonly (readonly string[])[], right: readonly boolean[] = [], indent = '  '): Promise<string> {
  const widths = columnWidths(rows);
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    parts.push(rows.slice(i, i + CHUNK).map((r) => columnLine(r, widths, right, indent)).join('\n'));
    await breathe();
  }
  return parts.join('\n') + '\n';
}

/** The width of each column of `rows`. */
function columnWidths(rows: readonly (readonly string[])[]): number[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return widths;
}

/** One row of columns(): cells padded to their widths (a last left-aligned cell is not), no trailing blanks. */
function columnLine(r: readonly string[], widths: readonly number[], right: readonly boolean[], indent: string): string {
  return indent + r.map((c, i) => {
    if (i === r.length - 1 && !right[i]) return c;
    return right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]);
  }).join('  ').trimEnd();
}

/** A prefix-length histogram: one row per non-zero length, with count, share and a bar. */
export function histogramText(title: string, counts: readonly number[]): string {
  const total = counts.reduce((s, n) => s + n, 0);
  if (total === 0) return `${title}: none\n`;
  const max = Math.max(...counts);
  const rows: string[][] = [];
  counts.forEach((n, len) => {
    if (n === 0) return;
    const bar = '#'.repeat(Math.max(1, Math.round((30 * n) / max)));
    rows.push([`/${len}`, int(n), pct(n, total), bar]);
  });
  return `${title} (${int(total)} records):\n${columns(rows, [false, true, true, false])}`;
}

/** Non-zero histogram entries as { length: count } (JSON). */
export function histogramJson(counts: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  counts.forEach((n, len) => { if (n > 0) out[String(len)] = n; });
  return out;
}

/**
 * The message after 'rtm: ' for an error: a TableFormatError names file and line/offset, an RtmError its
 * detail and Win32 code, a UsageError the command.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof TableFormatError) {
    const at = err.line !== undefined ? `, line ${err.line}` : err.offset !== undefined ? `, offset ${err.offset}` : '';
    return `${err.file}${at}: ${err.reason}`;
  }
  if (err instanceof UsageError) return err.command ? `${err.command}: ${err.message}` : err.message;
  if (err instanceof RtmInternalError) return err.message.replace(/^rtm: /, '');
  if (err instanceof RtmError) {
    // RtmError messages read 'rtm: <op>: <CODE> (<detail>)'
    const m = /^rtm: ([^:]+): (\w+)(?: \(([\s\S]*)\))?$/.exec(err.message);
    if (m) return m[3] ? `${m[3]} (${m[2]})` : `${m[1]}: ${m[2]}`;
    return err.message.replace(/^rtm: /, '');
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The exit status for an error. */
export function exitStatusOf(err: unknown): number {
  if (err instanceof UsageError) return EXIT_USAGE;
  if (err instanceof CliError) return EXIT_FAILURE;
  if (err instanceof RtmInternalError) return EXIT_INTERNAL;
  if (err instanceof RtmError) return EXIT_FAILURE;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return EXIT_FAILURE; // system errors (EPIPE, EACCES, …)
  return EXIT_INTERNAL;
}

/** `--json` output of a failed command: { command, error: { message, status, code?, file?, line?, offset?, … } }. */
export interface ErrorJson {
  command: string;
  error: {
    /** The message printed on stderr after 'rtm: '. */
    message: string;
    /** The exit status (1 data/runtime, 2 usage, 3 internal). */
    status: number;
    /** The RTMv2 error name of an RtmError ('ERROR_INVALID_DATA', 'ERROR_FILE_NOT_FOUND', …). */
    code?: string;
    /** Malformed input: the file, and the 1-based line (text) or byte offset (MRT, gzip), and why. */
    file?: string;
    line?: number;
    offset?: number;
    reason?: string;
    [detail: string]: unknown;
  };
}

/** The --json document of an error. */
export function errorJson(command: string, err: unknown): ErrorJson {
  const e: ErrorJson['error'] = { message: errorMessage(err), status: exitStatusOf(err) };
  if (err instanceof RtmError) e.code = err.code;
  if (err instanceof TableFormatError) {
    e.file = err.file;
    if (err.line !== undefined) e.line = err.line;
    if (err.offset !== undefined) e.offset = err.offset;
    e.reason = err.reason;
  }
  if (err instanceof CliError && err.details) Object.assign(e, err.details);
  return { command, error: e };
}

/** A JSON document with two-space indentation and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
