// `rtm diff A B`: what changed from snapshot A to snapshot B, as an RTM_CHANGE_TYPE_BEST registration
// for one view would see it (spec §7.8.2): a destination is reported when its best route in the view
// differs — none → some (added), some → none (withdrawn), or a best route with another owner,
// preference, metric or next-hop list (changed). Each snapshot is loaded into its own Rtm; destinations
// with a live route in the view are walked in canonical order (spec §6.2) and merged. Routes of two
// instances are matched by owner identity (protocol and instance, or MRT peer address and AS), never by
// handle. Allocates the key arrays of both tables and the listed entries.
import type { Family } from '../address.js';
import type { LoadedEntity } from '../load.js';
import type { Table } from '../rtm.js';
import { COMMON_OPTIONS_HELP, TABLE_OPTIONS, TABLE_OPTIONS_HELP, UsageError, countOption, tableOptions, viewOption } from './args.js';
import type { Command, Context } from './command.js';
import { breathe } from './interrupt.js';
import { EXIT_OK, columns, int, jsonText } from './output.js';
import { displayName, loadInto, routeJson, routeText, type LoadedTable, type RouteJson } from './tables.js';

/** `rtm diff --json`. */
export interface DiffJson {
  command: 'diff';
  a: DiffTableJson;
  b: DiffTableJson;
  view: 'unicast' | 'multicast';
  /** Entries listed per family and kind (null = all). */
  limit: number | null;
  families: { ipv4: FamilyDiffJson; ipv6: FamilyDiffJson };
  /** Sums over both families; `changes` = added + withdrawn + changed = destinations BEST would report. */
  total: { added: number; withdrawn: number; changed: number; unchanged: number; changes: number };
}

export interface DiffTableJson { file: string; default: boolean; format: string; destinations: { ipv4: number; ipv6: number } }

export interface FamilyDiffJson {
  /** Destinations with a live route in the view, in A and in B. */
  destinationsA: number;
  destinationsB: number;
  added: number;
  withdrawn: number;
  changed: number;
  unchanged: number;
  /** Changed destinations by what differs (one destination may count under several). */
  changedFields: { owner: number; preference: number; metric: number; nextHops: number };
  /** The first `limit` of each kind, in canonical order. */
  listings: {
    added: { prefix: string; route: RouteJson }[];
    withdrawn: { prefix: string; route: RouteJson }[];
    changed: { prefix: string; fields: ChangedField[]; before: RouteJson; after: RouteJson }[];
  };
}

export type ChangedField = 'owner' | 'preference' | 'metric' | 'nextHops';

/** A table's destinations with a live route in a view, in canonical order, with their keys. */
interface Walked {
  ids: number[];
  keys: Uint32Array;
  lens: Uint8Array;
}

async function walk(table: Table, view: number): Promise<Walked> {
  // CoreTable.all() page by page, with a pause between pages so that Ctrl-C is handled
  const ids: number[] = [];
  const max = table.core.core.IO_BATCH_MAX;
  for (let page = table.core.walk(null, { qual: 1 << view, inclusive: true }); page.length > 0;
    page = table.core.walk(table.core.destPrefix(page[page.length - 1]), { qual: 1 << view, inclusive: false })) {
    for (const id of page) ids.push(id);
    if (page.length < max) break;
    await breathe();
  }
  const keys = new Uint32Array(4 * ids.length), lens = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) lens[i] = table.core.destKeyInto(ids[i], keys, 4 * i);
  return { ids, keys, lens };
}

/** Canonical order (spec §6.2): the first min(len) bits as unsigned numbers, then the shorter first. */
function compare(a: Walked, i: number, b: Walked, j: number): number {
  const la = a.lens[i], lb = b.lens[j], m = Math.min(la, lb);
  for (let w = 0; 32 * w < m; w++) {
    const keep = Math.min(32, m - 32 * w);
    const mask = keep === 32 ? 0xffffffff : (0xffffffff << (32 - keep)) >>> 0;
    const x = (a.keys[4 * i + w] & mask) >>> 0, y = (b.keys[4 * j + w] & mask) >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la - lb;
}

/** Identity of a route's owner across instances. */
function ownerKey(e: LoadedEntity | undefined, protocolId: number): string {
  if (e === undefined) return `proto ${protocolId}`;
  return e.peer ? `${e.protocolId} peer ${e.peer.address} AS${e.peer.asn}` : `${e.protocolId}/${e.instanceId}`;
}

/** Compares the best routes of one family of two tables. */
export async function diffFamily(a: LoadedTable, b: LoadedTable, family: Family, view: 0 | 1, limit: number): Promise<FamilyDiffJson> {
  const ta = family === 4 ? a.rtm.ipv4 : a.rtm.ipv6, tb = family === 4 ? b.rtm.ipv4 : b.rtm.ipv6;
  const wa = await walk(ta, view), wb = await walk(tb, view);
  const d: FamilyDiffJson = {
    destinationsA: wa.ids.length, destinationsB: wb.ids.length, added: 0, withdrawn: 0, changed: 0, unchanged: 0,
    changedFields: { owner: 0, preference: 0, metric: 0, nextHops: 0 },
    listings: { added: [], withdrawn: [], changed: [] },
  };
  const bestA = (id: number) => a.rtm.bestRouteSummary(ta, id, view);
  const bestB = (id: number) => b.rtm.bestRouteSummary(tb, id, view);
  let i = 0, j = 0;
  for (let n = 0; i < wa.ids.length || j < wb.ids.length; n++) {
    if ((n & 4095) === 4095) await breathe();
    const c = i >= wa.ids.length ? 1 : j >= wb.ids.length ? -1 : compare(wa, i, wb, j);
    if (c < 0) {
      d.withdrawn++;
      if (d.listings.withdrawn.length < limit) {
        const r = bestA(wa.ids[i]);
        if (r) d.listings.withdrawn.push({ prefix: ta.destPrefix(wa.ids[i]), route: routeJson(a, r) });
      }
      i++;
    } else if (c > 0) {
      d.added++;
      if (d.listings.added.length < limit) {
        const r = bestB(wb.ids[j]);
        if (r) d.listings.added.push({ prefix: tb.destPrefix(wb.ids[j]), route: routeJson(b, r) });
      }
      j++;
    } else {
      const ra = bestA(wa.ids[i]), rb = bestB(wb.ids[j]);
      const fields: ChangedField[] = [];
      if (ra && rb) {
        if (ownerKey(a.owners.get(ra.owner as number), ra.protocolId) !== ownerKey(b.owners.get(rb.owner as number), rb.protocolId)) fields.push('owner');
        if (ra.preference !== rb.preference) fields.push('preference');
        if (ra.metric !== rb.metric) fields.push('metric');
        if (ra.nextHops.length !== rb.nextHops.length || ra.nextHops.some((h, k) => h !== rb.nextHops[k])) fields.push('nextHops');
      }
      if (fields.length === 0) d.unchanged++;
      else {
        d.changed++;
        for (const f of fields) d.changedFields[f]++;
        if (d.listings.changed.length < limit) {
          d.listings.changed.push({ prefix: ta.destPrefix(wa.ids[i]), fields, before: routeJson(a, ra!), after: routeJson(b, rb!) });
        }
      }
      i++; j++;
    }
  }
  return d;
}

function tableJson(t: LoadedTable): DiffTableJson {
  return { file: t.file, default: t.isDefault, format: t.summary.format,
    destinations: { ipv4: t.rtm.ipv4.destCount, ipv6: t.rtm.ipv6.destCount } };
}

const FIELD_TEXT: Record<ChangedField, string> = { owner: 'owner', preference: 'preference', metric: 'metric', nextHops: 'next hops' };

/** What changed in a best route, as 'metric 0 → 10; next hops a → b'. */
function changeText(c: FamilyDiffJson['listings']['changed'][number]): string {
  const hops = (r: RouteJson) => (r.nextHops.length === 0 ? '-' : r.nextHops.join(','));
  return c.fields.map((f) => {
    if (f === 'owner') return `owner ${c.before.owner.name} → ${c.after.owner.name}`;
    if (f === 'nextHops') return `next hops ${hops(c.before)} → ${hops(c.after)}`;
    return `${FIELD_TEXT[f]} ${c.before[f]} → ${c.after[f]}`;
  }).join('; ');
}

function diffText(doc: DiffJson, a: LoadedTable, b: LoadedTable): string {
  const F = doc.families;
  let out = `rtm diff: ${displayName(a)} → ${displayName(b)}, ${doc.view} view (best-route changes)\n`;
  out += columns([
    ['', 'IPv4', 'IPv6'],
    ['destinations in A', int(F.ipv4.destinationsA), int(F.ipv6.destinationsA)],
    ['destinations in B', int(F.ipv4.destinationsB), int(F.ipv6.destinationsB)],
    ['added', int(F.ipv4.added), int(F.ipv6.added)],
    ['withdrawn', int(F.ipv4.withdrawn), int(F.ipv6.withdrawn)],
    ['best route changed', int(F.ipv4.changed), int(F.ipv6.changed)],
    ...(['owner', 'preference', 'metric', 'nextHops'] as const).map((f) =>
      [`  ${FIELD_TEXT[f]}`, int(F.ipv4.changedFields[f]), int(F.ipv6.changedFields[f])]),
    ['unchanged', int(F.ipv4.unchanged), int(F.ipv6.unchanged)],
  ], [false, true, true]);
  out += `  ${int(doc.total.changes)} destinations would be reported to an RTM_CHANGE_TYPE_BEST registration\n`;
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const d = F[fam], name = fam === 'ipv4' ? 'IPv4' : 'IPv6';
    const head = (kind: string, shown: number, n: number) =>
      `\n${name} ${kind} (${shown < n ? `first ${int(shown)} of ${int(n)}` : int(n)}):\n`;
    if (d.listings.added.length > 0) {
      out += head('added', d.listings.added.length, d.added);
      out += columns(d.listings.added.map((e) => ['+', e.prefix, routeText(e.route)]));
    }
    if (d.listings.withdrawn.length > 0) {
      out += head('withdrawn', d.listings.withdrawn.length, d.withdrawn);
      out += columns(d.listings.withdrawn.map((e) => ['-', e.prefix, routeText(e.route)]));
    }
    if (d.listings.changed.length > 0) {
      out += head('best route changed', d.listings.changed.length, d.changed);
      out += columns(d.listings.changed.map((e) => ['~', e.prefix, changeText(e)]));
    }
  }
  return out;
}

export const diffCommand: Command = {
  name: 'diff',
  summary: 'what changed between two table snapshots, as change notifications report it',
  options: { ...TABLE_OPTIONS, view: { type: 'string' }, limit: { type: 'string', short: 'n' } },
  positionals: { min: 2, max: 2, what: 'tables (A and B)' },
  help: `Usage: rtm diff [options] A B

Compares two snapshots of a table (each loaded into its own RTM instance) and reports what changed
from A to B as an RTM_CHANGE_TYPE_BEST change-notification registration for the view would (spec
§7.8.2): per family, destinations added (no best route in A, one in B), withdrawn (one in A, none in
B) and whose best route changed (another owner, preference, metric or next-hop list), with counts
and the first --limit of each kind in canonical order. Routes of the two instances are matched by
owner identity (protocol and instance; for MRT, peer address and AS), not by handle. Snapshot files
carry no route flags and no hold-down, so those never differ. Each destination is reported once, as
a registration's queue holds it once. A or B may be '-' (stdin), not both.

Options:
  --view VIEW       unicast (default) | multicast
  -n, --limit N     entries listed per family and kind (default 20; 0 = counts only; 'all')
${TABLE_OPTIONS_HELP}
${COMMON_OPTIONS_HELP}

--json prints {"command":"diff","a","b","view","limit","families":{"ipv4"|"ipv6":{destinationsA,
destinationsB,added,withdrawn,changed,unchanged,changedFields:{owner,preference,metric,nextHops},
listings:{added:[{prefix,route}],withdrawn:[{prefix,route}],
changed:[{prefix,fields,before,after}]}}},"total":{added,withdrawn,changed,unchanged,changes}};
a route is as in 'rtm lookup --json'.
`,
  async run(ctx: Context): Promise<number> {
    const args = tableOptions('diff', ctx.values);
    const { view, name: viewName } = viewOption('diff', ctx.values);
    const limit = countOption('diff', ctx.values, 'limit', 20, true);
    const [fa, fb] = ctx.positionals;
    if (fa === '-' && fb === '-') throw new UsageError('diff', "stdin ('-') can be read only once");
    const a = await loadInto(fa, args, ctx.progress, ctx.stderr);
    try {
      const b = await loadInto(fb, args, ctx.progress, ctx.stderr);
      try {
        const ipv4 = await diffFamily(a, b, 4, view, limit), ipv6 = await diffFamily(a, b, 6, view, limit);
        const sum = (k: 'added' | 'withdrawn' | 'changed' | 'unchanged') => ipv4[k] + ipv6[k];
        const doc: DiffJson = {
          command: 'diff', a: tableJson(a), b: tableJson(b), view: viewName,
          limit: Number.isFinite(limit) ? limit : null, families: { ipv4, ipv6 },
          total: { added: sum('added'), withdrawn: sum('withdrawn'), changed: sum('changed'), unchanged: sum('unchanged'),
            changes: sum('added') + sum('withdrawn') + sum('changed') },
        };
        ctx.stdout.write(ctx.json ? jsonText(doc) : diffText(doc, a, b));
        return EXIT_OK;
      } finally {
        b.rtm.close();
      }
    } finally {
      a.rtm.close();
    }
  },
};
