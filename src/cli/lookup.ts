// `rtm lookup [ADDR…]`: longest-prefix match of addresses given as arguments or on stdin (one per line)
// against a table (--table FILE, default the bundled table) in the unicast or multicast view: the most
// specific destination with a live route in the view and its best route. Arguments are checked before
// the table is loaded (a bad one is a usage error); a bad stdin line is reported, the rest answered,
// and the exit status is 1.
import { createInterface } from 'node:readline';
import { isIPv4Mapped, parsePrefixInto, parsedFamily, type Family } from '../address.js';
import { COMMON_OPTIONS_HELP, TABLE_OPTIONS, TABLE_OPTIONS_HELP, UsageError, stringValue, tableOptions, viewOption } from './args.js';
import type { Command, Context } from './command.js';
import { breathe } from './interrupt.js';
import { EXIT_FAILURE, EXIT_OK, columns, columnsBreathing, jsonText } from './output.js';
import { displayName, loadInto, routeJson, type LoadedTable, type RouteJson } from './tables.js';

/** `rtm lookup --json`. */
export interface LookupJson {
  command: 'lookup';
  table: { file: string; default: boolean; format: string; destinations: { ipv4: number; ipv6: number } };
  view: 'unicast' | 'multicast';
  /** One per address, in input order. */
  results: LookupResultJson[];
  matched: number;
  unmatched: number;
  invalid: number;
}

export interface LookupResultJson {
  /** The address as given (an address, or a prefix: the most specific destination covering it). */
  address: string;
  family: 'ipv4' | 'ipv6' | null;
  /** The most specific destination with a live route in the view, or null (no match, or invalid). */
  match: { prefix: string; destId: number; route: RouteJson | null } | null;
  /** Only for invalid input: why, and the stdin line. */
  error?: string;
  line?: number;
}

const scratch = new Uint32Array(4);

/** The family of an address or prefix text, or undefined if malformed. */
export function addressFamily(text: string): Family | undefined {
  return parsePrefixInto(text, 0, scratch, 0) < 0 ? undefined : parsedFamily.value;
}

/** Looks one address up (the family reported is that of the table asked). */
export function lookupOne(t: LoadedTable, address: string, view: 0 | 1): LookupResultJson {
  let family = addressFamily(address);
  if (family === undefined) return { address, family: null, match: null, error: 'not an IPv4 or IPv6 address or prefix' };
  // Rtm.lookup picks the table: an IPv4-mapped IPv6 address (::ffff:a.b.c.d) is asked of the IPv4 table
  const r = t.rtm.lookup(address, view);
  if (family === 6 && isIPv4Mapped(scratch, 0, parsePrefixInto(address, 0, scratch, 0))) family = 4;
  return {
    address, family: family === 4 ? 'ipv4' : 'ipv6',
    match: r === undefined ? null : { prefix: r.prefix, destId: r.destId, route: r.route ? routeJson(t, r.route) : null },
  };
}

/** Text rows for results. */
export function lookupText(results: readonly LookupResultJson[]): string {
  return columns([LOOKUP_HEADER, ...results.map(lookupRow)], LOOKUP_RIGHT, '');
}

/** lookupText's columns: the header, which are right-aligned, and the row of one result. */
const LOOKUP_HEADER = ['address', 'prefix', 'owner', 'protocol', 'pref', 'metric', 'next hops'];
const LOOKUP_RIGHT = [false, false, false, false, true, true, false];
function lookupRow(r: LookupResultJson): string[] {
  if (r.error !== undefined) return [r.address, `(invalid: ${r.error})`];
  if (r.match === null) return [r.address, '(no match)'];
  const rt = r.match.route;
  return rt === null ? [r.address, r.match.prefix, '(no best route)']
    : [r.address, r.match.prefix, rt.owner.name, rt.owner.protocol, String(rt.preference), String(rt.metric),
      rt.nextHops.length === 0 ? '-' : rt.nextHops.join(', ')];
}

/** Addresses from stdin: one per line (its first word); blank lines and '#' comments are skipped. */
async function stdinAddresses(stdin: NodeJS.ReadableStream): Promise<{ address: string; line: number }[]> {
  const out: { address: string; line: number }[] = [];
  const rl = createInterface({ input: stdin, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const word = text.trim().split(/\s+/, 1)[0];
    if (word === '' || word.startsWith('#')) continue;
    out.push({ address: word, line });
  }
  return out;
}

export const lookupCommand: Command = {
  name: 'lookup',
  summary: 'longest-prefix match of addresses (arguments, or stdin one per line)',
  options: { ...TABLE_OPTIONS, table: { type: 'string', short: 't' }, view: { type: 'string' } },
  positionals: { min: 0, max: Infinity, what: 'ADDR' },
  help: `Usage: rtm lookup [options] [ADDR...]
       ... | rtm lookup [options]

Looks each address up in a table: the most specific destination with a live route in the view,
its best route (owner entity and protocol, preference, metric) and next hops. An ADDR may also be a
prefix (the most specific destination covering it). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
looked up in the IPv4 table, as rtm.lookup does. Without ADDR arguments, addresses are read from
stdin, one per line (its first word; blank lines and lines starting with '#' are skipped).
Unmatched addresses are reported as '(no match)'; that is not an error. A malformed ADDR argument
is a usage error (status 2, before anything is loaded); a malformed stdin line is reported in the
output and on stderr, the other lines are answered, and the status is 1.

Options:
  -t, --table FILE  the table to look in (default: the bundled default table); '-' is stdin
  --view VIEW       unicast (default) | multicast
${TABLE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}

--json prints {"command":"lookup","table":{file,default,format,destinations},"view":"unicast",
"results":[{"address","family","match":{"prefix","destId","route":{"owner":{"name","protocol",
"protocolId","instanceId","peer"?},"preference","metric","nextHops":[...]}} or null,
"error"?,"line"?}],"matched","unmatched","invalid"}.
`,
  async run(ctx: Context): Promise<number> {
    const args = tableOptions('lookup', ctx.values);
    const { view, name: viewName } = viewOption('lookup', ctx.values);
    const tableFile = stringValue(ctx.values, 'table');
    for (const a of ctx.positionals) {
      if (addressFamily(a) === undefined) throw new UsageError('lookup', `'${a}' is not an IPv4 or IPv6 address or prefix`);
    }
    const fromStdin = ctx.positionals.length === 0;
    if (fromStdin && tableFile === '-') throw new UsageError('lookup', "give the addresses as arguments when the table is read from stdin ('--table -')");
    if (fromStdin && ctx.stdin.isTTY === true) throw new UsageError('lookup', 'no addresses (give them as arguments or on stdin, one per line)');
    const t = await loadInto(tableFile, args, ctx.progress, ctx.stderr);
    try {
      const inputs = fromStdin ? await stdinAddresses(ctx.stdin) : ctx.positionals.map((address) => ({ address, line: 0 }));
      // --json: the results; text: lookupText's rows, made as the answers come
      const results: LookupResultJson[] = [];
      const rows = ctx.json ? undefined : [LOOKUP_HEADER];
      let matched = 0, unmatched = 0, invalid = 0;
      for (let k = 0; k < inputs.length; k++) {
        const { address, line } = inputs[k];
        if ((k & 4095) === 4095) await breathe(); // lets Ctrl-C in during long address lists
        const r = lookupOne(t, address, view);
        if (r.error !== undefined) {
          invalid++;
          r.line = line;
          ctx.stderr.write(`rtm: <stdin>, line ${line}: '${address}' is ${r.error}\n`);
        } else if (r.match === null) unmatched++;
        else matched++;
        if (rows !== undefined) rows.push(lookupRow(r)); else results.push(r);
      }
      if (ctx.json) {
        const doc: LookupJson = {
          command: 'lookup',
          table: { file: t.file, default: t.isDefault, format: t.summary.format,
            destinations: { ipv4: t.rtm.ipv4.destCount, ipv6: t.rtm.ipv6.destCount } },
          view: viewName, results, matched, unmatched, invalid,
        };
        ctx.stdout.write(jsonText(doc));
      } else {
        ctx.stdout.write(`${displayName(t)}, ${viewName} view: ${matched} matched, ${unmatched} unmatched` +
          `${invalid > 0 ? `, ${invalid} invalid` : ''}\n${await columnsBreathing(rows!, LOOKUP_RIGHT, '')}`);
      }
      return invalid > 0 ? EXIT_FAILURE : EXIT_OK;
    } finally {
      t.rtm.close();
    }
  },
};
