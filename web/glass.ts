// The looking glass's questions, answered through the public API of `rtm-wasm` only (no DOM): what a
// query (an address or a prefix) resolves to — the best route per view, every route of the destination,
// its less-specific chain and its more-specific children — and the page's own route edits with the RTMv2
// change notifications they cause. Each answer allocates plain objects and strings; every handle the
// API hands out is released before the call returns. The more-specific enumeration stops after
// MAX_MORE_SPECIFICS destinations (a /8 of a full table holds a few thousand).
import {
  RtmError, PROTO_IP_NETMGMT, RTM_CHANGE_NOTIFICATION, RTM_CHANGE_TYPE_ALL, RTM_ENUM_RANGE, RTM_MATCH_OWNER,
  RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, RTM_ROUTE_CHANGE_FIRST, RTM_ROUTE_CHANGE_NEW, parsePrefixInto, formatPrefix,
} from 'rtm-wasm';
import type { Rtm, Entity, DestInfo, EntityHandle, NotifyHandle, NextHopHandle, RouteHandle, Table } from 'rtm-wasm';
import type { LoadSummary } from 'rtm-wasm/load';

export type Fam = 4 | 6;
export const VIEWS = ['unicast', 'multicast'] as const;
export type ViewName = (typeof VIEWS)[number];
/** Stop enumerating more-specific destinations after this many. */
export const MAX_MORE_SPECIFICS = 20_000;
/** Direct children listed at most. */
export const MAX_CHILDREN = 256;
/** The page's own entity: PROTO_IP_NETMGMT ("network management"), instance 1. */
export const PAGE_PROTOCOL = PROTO_IP_NETMGMT;

/** One route as the page shows it. */
export interface RouteRow {
  owner: string;
  protocolId: number;
  preference: number;
  metric: number;
  /** Views the route belongs to. */
  views: ViewName[];
  /** Views in which it is the best route. */
  bestIn: ViewName[];
  nextHops: string[];
}

/** The best route of one view for a query. */
export interface BestRow {
  view: ViewName;
  /** The destination that answers (undefined: no route in this view). */
  prefix?: string;
  route?: RouteRow;
}

export interface Answer {
  query: string;
  family: Fam;
  /** 'address' (longest-prefix match) or 'prefix' (exact destination). */
  kind: 'address' | 'prefix';
  /** The queried prefix, canonical ('8.8.8.8/32', '8.0.0.0/8'). */
  prefix: string;
  best: BestRow[];
  /** The destination the rest describes: the exact one for a prefix, the most specific for an address. */
  dest?: { prefix: string; exact: boolean; routes: RouteRow[] };
  /** Less-specific destinations of `dest` (or covering the queried prefix), nearest first. */
  lessSpecific: string[];
  /** More-specific destinations directly under the queried prefix (none between them and it): the first MAX_CHILDREN. */
  children: string[];
  /** How many direct children there are (among the first MAX_MORE_SPECIFICS more-specific destinations). */
  childCount: number;
  /** All more-specific destinations under the queried prefix (counting stops at MAX_MORE_SPECIFICS). */
  moreSpecifics: number;
  moreSpecificsCapped: boolean;
}

/** A changed destination as a notification reported it. */
export interface Change {
  seq: number;
  family: Fam;
  prefix: string;
  /** Best route per view after the change ('—' when the view has none). */
  best: { view: ViewName; route?: RouteRow }[];
}

/** What a route edit did. */
export interface EditResult {
  family: Fam;
  prefix: string;
  action: 'added' | 'updated' | 'withdrawn';
  owner: string;
  changeFlags: number;
}

const viewsOf = (mask: number): ViewName[] => VIEWS.filter((_, i) => (mask >>> i) & 1);

/** Family of an address or prefix text, or undefined when it is neither. */
export function familyOf(text: string): Fam | undefined {
  const w = new Uint32Array(4);
  if (parsePrefixInto(text, 4, w) >= 0) return 4;
  if (parsePrefixInto(text, 6, w) >= 0) return 6;
  return undefined;
}

/** The key words and length of a prefix (host bits cleared); throws ERROR_INVALID_PARAMETER. */
function parse(text: string, family: Fam): { words: Uint32Array; len: number } {
  const words = new Uint32Array(4);
  const len = parsePrefixInto(text, family, words);
  if (len < 0) throw new RtmError('ERROR_INVALID_PARAMETER', `not an IPv${family} address or prefix: '${text}'`);
  return { words, len };
}

/** a/alen contains b/blen (alen ≤ blen, same leading alen bits). */
function contains(a: { words: Uint32Array; len: number }, b: { words: Uint32Array; len: number }): boolean {
  if (a.len > b.len) return false;
  let left = a.len;
  for (let i = 0; i < 4 && left > 0; i++, left -= 32) {
    const mask = left >= 32 ? 0xffffffff : (0xffffffff << (32 - left)) >>> 0;
    if (((a.words[i] ^ b.words[i]) & mask) >>> 0 !== 0) return false;
  }
  return true;
}

/** The looking glass over one loaded Rtm: a page entity per family that owns the page's routes and watches every change. */
export class LookingGlass {
  private readonly page = new Map<Fam, Entity>();
  private readonly notify = new Map<Fam, NotifyHandle>();
  /** Owner entity → its name and protocol id (the loaded table's names come from loadTable). */
  private readonly owners = new Map<EntityHandle, { name: string; protocolId: number }>();
  private readonly loaded = new Map<Fam, Entity>();
  private readonly nextHops = new Map<string, NextHopHandle>();
  private seq = 0;
  /** Called with each batch of changed destinations the notifications reported. */
  onChanges: (changes: Change[]) => void = () => {};

  constructor(readonly rtm: Rtm, summary: LoadSummary) {
    for (const le of summary.entities) {
      this.owners.set(le.entity.handle, { name: `${le.name} (protocol ${le.protocolId}, instance ${le.instanceId})`, protocolId: le.protocolId });
      if (!this.loaded.has(le.family)) this.loaded.set(le.family, le.entity);
    }
    for (const family of [4, 6] as const) {
      const e = rtm.registerEntity({ addressFamily: family === 4 ? 'ipv4' : 'ipv6', protocolId: PAGE_PROTOCOL, instanceId: 1 },
        { onEvent: (type, c1) => { if (type === RTM_CHANGE_NOTIFICATION) this.drain(family, c1 as NotifyHandle); return 0; } });
      this.page.set(family, e);
      this.owners.set(e.handle, { name: `looking-glass (protocol ${PAGE_PROTOCOL}, instance 1)`, protocolId: PAGE_PROTOCOL });
      this.notify.set(family, e.registerForChangeNotification({ notifyFlags: RTM_CHANGE_TYPE_ALL }));
    }
  }

  private table(family: Fam): Table { return family === 4 ? this.rtm.ipv4 : this.rtm.ipv6; }
  private entity(family: Fam): Entity { return this.page.get(family)!; }

  private owner(e: Entity, owner: EntityHandle): { name: string; protocolId: number } {
    let o = this.owners.get(owner);
    if (o === undefined) {
      const info = e.getEntityInfo(owner);
      o = { name: `protocol ${info.protocolId}, instance ${info.instanceId}`, protocolId: info.protocolId };
      this.owners.set(owner, o);
    }
    return o;
  }

  /** A route handle as a row (the handle stays the caller's). */
  private row(e: Entity, route: RouteHandle, bestIn: number): RouteRow {
    const info = e.getRouteInfo(route);
    try {
      const nextHops = info.nextHops.map((nh) => {
        const ni = e.getNextHopInfo(nh);
        try { return ni.interfaceIndex ? `${ni.address} if ${ni.interfaceIndex}` : ni.address; } finally { e.releaseNextHopInfo(ni); }
      });
      const o = this.owner(e, info.owner);
      return { owner: o.name, protocolId: o.protocolId, preference: info.preference,
        metric: info.metric, views: viewsOf(info.views), bestIn: viewsOf(bestIn), nextHops };
    } finally {
      e.releaseRouteInfo(info);
    }
  }

  /** Best route per view of a DestInfo. */
  private bestOf(e: Entity, d: DestInfo): { view: ViewName; route?: RouteRow }[] {
    return VIEWS.map((view, i) => {
      const vi = d.viewInfo.find((v) => v.viewId === i);
      return { view, route: vi?.route ? this.row(e, vi.route, e.isBestRoute(vi.route)) : undefined };
    });
  }

  /** Answers an address (longest-prefix match per view) or a prefix (its exact destination). */
  query(text: string): Answer {
    const q = text.trim();
    const family = familyOf(q);
    if (family === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', `not an address or prefix: '${q}'`);
    const e = this.entity(family), t = this.table(family);
    const key = parse(q, family);
    const prefix = canonical(family, key);
    const kind = q.includes('/') ? 'prefix' : 'address';
    const ans: Answer = { query: q, family, kind, prefix, best: [], lessSpecific: [], children: [], childCount: 0, moreSpecifics: 0,
      moreSpecificsCapped: false };

    let d: DestInfo | undefined;
    if (kind === 'address') {
      for (let v = 0; v < VIEWS.length; v++) {
        const hit = t.lookup(q.split('/')[0], v);
        if (!hit) { ans.best.push({ view: VIEWS[v] }); continue; }
        ans.best.push({ view: VIEWS[v], prefix: hit.prefix, route: this.row(e, hit.route.handle, e.isBestRoute(hit.route.handle)) });
      }
      d = e.getMostSpecificDestination({ dest: prefix });
    } else {
      d = e.getExactMatchDestination({ dest: prefix });
      if (d) ans.best = this.bestOf(e, d).map((b) => ({ view: b.view, prefix: b.route ? d!.prefix : undefined, route: b.route }));
      else ans.best = VIEWS.map((view) => ({ view }));
    }

    // the destination's routes and its less-specific chain (for a prefix with no destination: the chain covering it)
    let cur: DestInfo | undefined = d;
    if (d) {
      const routes: RouteRow[] = [];
      for (const r of e.routes({ dest: d.handle, views: 0 })) routes.push(this.row(e, r, e.isBestRoute(r)));
      ans.dest = { prefix: d.prefix, exact: d.prefix === prefix, routes };
    } else if (key.len > 0) {
      cur = e.getMostSpecificDestination({ dest: prefix });
      if (cur) ans.lessSpecific.push(cur.prefix);
    }
    while (cur) {
      const up: DestInfo | undefined = e.getLessSpecificDestination({ dest: cur.handle });
      e.releaseDestInfo(cur);
      cur = up;
      if (cur) ans.lessSpecific.push(cur.prefix);
    }

    // more-specific destinations under the queried prefix; direct children: not inside an earlier child
    // (the enumeration runs in address order, a destination before those it contains)
    let last: { words: Uint32Array; len: number } | undefined;
    for (const m of e.dests({ enumFlags: RTM_ENUM_RANGE, startDest: prefix, views: 0 })) {
      if (m.prefix === prefix) continue;
      if (ans.moreSpecifics === MAX_MORE_SPECIFICS) { ans.moreSpecificsCapped = true; break; }
      ans.moreSpecifics++;
      const k = parse(m.prefix, family);
      if (last && contains(last, k)) continue;
      last = k;
      if (ans.childCount++ < MAX_CHILDREN) ans.children.push(m.prefix);
    }
    return ans;
  }

  /** Adds (or updates) the page's route to `prefix` through next hop `nextHop` (an address, or '' for none). */
  addRoute(o: { prefix: string; nextHop: string; preference: number; metric: number; views: number }): EditResult {
    const family = familyOf(o.prefix);
    if (family === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', `not a prefix: '${o.prefix}'`);
    const e = this.entity(family);
    const prefix = canonical(family, parse(o.prefix, family));
    let nh: NextHopHandle | undefined;
    if (o.nextHop.trim() !== '') {
      const address = o.nextHop.trim();
      nh = this.nextHops.get(`${family} ${address}`);
      if (nh === undefined) {
        nh = e.addNextHop({ address, interfaceIndex: 0 }).handle!;
        this.nextHops.set(`${family} ${address}`, nh);
      }
    }
    const views = o.views & (RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
    const r = e.addRouteToDest({ dest: prefix, neighbour: nh, nextHops: nh ? [nh] : [], preference: o.preference,
      metric: o.metric, views, changeFlags: RTM_ROUTE_CHANGE_FIRST /* the page's one route per prefix */, returnHandle: false });
    return { family, prefix, action: r.changeFlags & RTM_ROUTE_CHANGE_NEW ? 'added' : 'updated', owner: this.owners.get(e.handle)!.name, changeFlags: r.changeFlags };
  }

  /** Withdraws the page's route to `prefix`, or else the loaded table's; undefined when neither has one. */
  withdrawRoute(text: string): EditResult | undefined {
    const family = familyOf(text);
    if (family === undefined) throw new RtmError('ERROR_INVALID_PARAMETER', `not a prefix: '${text}'`);
    const prefix = canonical(family, parse(text, family));
    const e = this.entity(family);
    for (const owner of [e, this.loaded.get(family)]) {
      if (!owner) continue;
      const m = owner.getExactMatchRoute({ dest: prefix, matchFlags: RTM_MATCH_OWNER, criteria: { owner: owner.handle }, views: 0 });
      if (!m) continue;
      owner.releaseRouteInfo(m.info);
      const changeFlags = owner.deleteRouteToDest(m.handle!);
      return { family, prefix, action: 'withdrawn', owner: this.owners.get(owner.handle)!.name, changeFlags };
    }
    return undefined;
  }

  /** Pulls every queued changed destination of a registration (the RTM_CHANGE_NOTIFICATION callback). */
  private drain(family: Fam, notifyHandle: NotifyHandle): void {
    const e = this.entity(family);
    const out: Change[] = [];
    for (;;) {
      const batch = e.getChangedDests({ notifyHandle });
      for (const d of batch.items) out.push({ seq: ++this.seq, family, prefix: d.prefix, best: this.bestOf(e, d) });
      e.releaseChangedDests({ notifyHandle, dests: batch.items });
      if (batch.done || batch.items.length === 0) break;
    }
    if (out.length > 0) this.onChanges(out);
  }
}

/** 'addr/len' with host bits cleared. */
function canonical(family: Fam, k: { words: Uint32Array; len: number }): string {
  return formatPrefix(family, k.words, 0, k.len);
}
