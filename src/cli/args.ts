// Command-line parsing for `rtm`: node:util parseArgs per command (strict: unknown options and stray
// positionals are usage errors), the option groups every command shares, and value checks that turn a
// bad option value into a UsageError (exit status 2). Allocates only the parsed values.
import { parseArgs } from 'node:util';
import type { Family } from '../address.js';
import type { TableFormat } from '../readers/index.js';

/** A usage error: bad command, option or argument. main() prints it with a hint and exits with 2. */
export class UsageError extends Error {
  /** The command whose usage was wrong ('' for the top level). */
  readonly command: string;
  constructor(command: string, message: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** One option as parseArgs takes it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}
export type OptionSpecs = Record<string, OptionSpec>;
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** Options every command takes. */
export const COMMON_OPTIONS: OptionSpecs = {
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Options of commands that read a table file. */
export const TABLE_OPTIONS: OptionSpecs = {
  format: { type: 'string' },
  'skip-bad': { type: 'boolean' },
  family: { type: 'string' },
};

/** Help lines of COMMON_OPTIONS and TABLE_OPTIONS, for the commands' help texts. */
export const TABLE_OPTIONS_HELP = `  --format FMT      auto (default: told from the content) | prefixes | iproute | mrt
  --skip-bad        skip malformed records instead of failing (counted; the first 16 listed
                    with their line, or byte offset for MRT)
  --family 4|6      family of 'default' routes in an ip route dump whose lines do not tell`;
export const COMMON_OPTIONS_HELP = `  --json            print one JSON document on stdout instead of text
  --no-progress     never draw the progress bar (drawn on stderr only when it is a terminal)
  -h, --help        show this help`;

/** Parses a command's arguments. @throws UsageError */
export function parseCommand(command: string, argv: readonly string[], options: OptionSpecs,
  positionals: { min: number; max: number; what: string }): { values: Values; positionals: string[] } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals: true }) as
      { values: Values; positionals: string[] };
  } catch (err) {
    throw new UsageError(command, parseArgsMessage(err));
  }
  if (parsed.values.help === true) return parsed;
  const n = parsed.positionals.length;
  if (n < positionals.min) {
    throw new UsageError(command, `expected ${positionals.min === positionals.max ? '' : 'at least '}${positionals.min} ${positionals.what}, got ${n}`);
  }
  if (n > positionals.max) {
    throw new UsageError(command, `unexpected argument '${parsed.positionals[positionals.max]}'` +
      (positionals.max === 0 ? ` (${command} takes no arguments)` : ` (at most ${positionals.max} ${positionals.what})`));
  }
  return parsed;
}

/** The first sentence of a parseArgs error ("Unknown option '--x'"), which is all a user needs. */
function parseArgsMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const cut = text.search(/\. (To specify|Did you)/);
  return (cut > 0 ? text.slice(0, cut) : text).replace(/\.$/, '');
}

/** The table-reading options of a command as TableOptions fields. @throws UsageError */
export function tableOptions(command: string, values: Values): { format: 'auto' | TableFormat; skipBad: boolean; family?: Family } {
  const format = stringValue(values, 'format') ?? 'auto';
  if (format !== 'auto' && format !== 'prefixes' && format !== 'iproute' && format !== 'mrt') {
    throw new UsageError(command, `--format must be auto, prefixes, iproute or mrt, not '${format}'`);
  }
  const fam = stringValue(values, 'family');
  let family: Family | undefined;
  if (fam !== undefined) {
    if (fam !== '4' && fam !== '6') throw new UsageError(command, `--family must be 4 or 6, not '${fam}'`);
    family = fam === '4' ? 4 : 6;
  }
  return { format, skipBad: values['skip-bad'] === true, family };
}

/** A string option's value (the last one when repeated), or undefined. */
export function stringValue(values: Values, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v.length > 0 ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** `--view unicast|multicast` → RTM_VIEW_ID_UCAST (0) / RTM_VIEW_ID_MCAST (1). @throws UsageError */
export function viewOption(command: string, values: Values): { view: 0 | 1; name: 'unicast' | 'multicast' } {
  const v = stringValue(values, 'view') ?? 'unicast';
  if (v === 'unicast' || v === 'ucast') return { view: 0, name: 'unicast' };
  if (v === 'multicast' || v === 'mcast') return { view: 1, name: 'multicast' };
  throw new UsageError(command, `--view must be unicast or multicast, not '${v}'`);
}

/** A non-negative integer option ('all' = Infinity when allowAll). @throws UsageError */
export function countOption(command: string, values: Values, name: string, fallback: number, allowAll = false): number {
  const v = stringValue(values, name);
  if (v === undefined) return fallback;
  if (allowAll && v === 'all') return Infinity;
  if (!/^\d{1,9}$/.test(v)) throw new UsageError(command, `--${name} must be a non-negative integer${allowAll ? " or 'all'" : ''}, not '${v}'`);
  return Number(v);
}
