// Next hops (spec §7.3, §8.4.3, §8.7, D-42): an entity's next hops — add (find-or-create by address and
// interface, or update by handle), find, delete, information — and their locks and owner views. The
// records live in the core; their EntitySpecificInfo beside them (Instance.nextHopEsi). Each next hop
// has one owner view (cached per owner, swept once its handle no longer resolves): reads show the
// committed record plus staged edits; writes are staged while the owner holds the next-hop lock
// exclusively and committed by the exclusive unlock, as an update by handle. The hot calls (issue 13) are
// one Wasm call each — add, find (+ reference + handle), delete by identity, release of one handle — and
// read their options without copying them; they allocate their result object only (findNextHop makes
// the owner view when its pointer is first read). Views and info objects are allocated where asked for.
import { RtmError, STATUS, check } from '../errors.js';
import { RTM_NEXTHOP_STATE_CREATED } from '../constants.js';
import { parsePrefixInto } from '../address.js';
import { nextHopAddress, nextHopKeyInto, nextHopWord, readOutHandle, readResult } from '../port/records.js';
import type {
  AddNextHopOptions, AddNextHopResult, DestHandle, EntityHandle, FindNextHopResult, NextHopHandle, NextHopIdentity,
  NextHopInfo, NextHopOwnerView, NextHopState,
} from '../types.js';
import type { Ctx } from './context.js';
import { isNull, live, nextHopArg, nullable, opts, prefixIn, u32Arg, unreadable } from './args.js';
import { Dropper, drop, dropAll, releaseHandles, take } from './refs.js';
import { acquire, holdsExclusive, release } from './holders.js';
import { handleOf } from './routes.js';
import { handleKind } from '../layout.js';

const NEXTHOP_STATE_CREATED = RTM_NEXTHOP_STATE_CREATED;
const ADD_KEYS: readonly (keyof AddNextHopOptions & string)[] = [
  'address', 'interfaceIndex', 'nextHop', 'remoteNextHop', 'flags', 'entitySpecificInfo', 'returnHandle',
];
const IDENTITY_KEYS: readonly (keyof NextHopIdentity & string)[] = ['address', 'interfaceIndex'];
const LOCK_KEYS = ['nextHop', 'exclusive', 'lock'] as const;

// ── adding, finding, deleting (§8.7.1–8.7.3) ──────────────────────────────────────────────────────────

/** RtmAddNextHop: find-or-create by (address, interface) in the caller's list, or update by handle. */
export function addNextHop(cx: Ctx, options: AddNextHopOptions): AddNextHopResult {
  const op = 'addNextHop';
  live(cx, op);
  if (!options || typeof options !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'no options');
  // each option read once, in ADD_KEYS order, before anything acts on it (as opts(), without the copy)
  let address: unknown, ifIn: unknown, nhIn: unknown, remoteIn: unknown, flagsIn: unknown, esiIn: unknown, returnHandle: unknown;
  let k = 0;
  try {
    address = options.address; k++; ifIn = options.interfaceIndex; k++; nhIn = options.nextHop; k++;
    remoteIn = options.remoteNextHop; k++; flagsIn = options.flags; k++; esiIn = options.entitySpecificInfo; k++;
    returnHandle = options.returnHandle;
  } catch (err) {
    unreadable(err, op, `option ${ADD_KEYS[k]}`);
  }
  const nh = nullable(nhIn, op), remote = nullable(remoteIn, op);
  const ifIndex = u32Arg(ifIn, 0, 'interfaceIndex', op);
  const flags = u32Arg(flagsIn, 0, 'flags', op, 0xffff);
  const len = prefixIn(cx, address, op);
  check(cx.x.nexthopAdd(cx.handle, len, ifIndex, flags, remote, nh), op);
  const slot = readResult(cx.core, 0), created = readResult(cx.core, 1);
  // only a value to keep, or one to clear, is written: nextHopEsi is indexed by the core's next-hop slot
  // (shared by every instance), and writing NULL far past its end makes each small instance's array a
  // large holey or dictionary-mode one; reads treat a missing entry as NULL
  const esi = esiIn ?? null;
  if (esi !== null || cx.inst.nextHopEsiIfAny?.[slot] != null) cx.inst.nextHopEsi[slot] = esi;   // (the array is made by the first value kept)
  let handle: NextHopHandle | undefined;
  if (nh) handle = nh as NextHopHandle;
  else if (returnHandle !== false) {
    // the handle and the caller's reference on it in one call
    check(cx.x.nexthopTakeX(cx.handle, slot), 'reference');
    handle = readOutHandle(cx.core) as NextHopHandle;
  }
  return { handle, changeFlags: created ? 1 : 0 };
}

/**
 * A next-hop identity's address (written into the I/O area; returns its length) and interface (checked;
 * left in ifIndexIn): each read once, as opts() reads them, without the copy.
 */
function identityIn(cx: Ctx, o: unknown, op: string): number {
  let address: unknown, ifIn: unknown;
  if (o !== null && typeof o === 'object') {
    let k = 0;
    try { address = (o as NextHopIdentity).address; k++; ifIn = (o as NextHopIdentity).interfaceIndex; } catch (err) {
      unreadable(err, op, `option ${IDENTITY_KEYS[k]}`);
    }
  } else ({ address, interfaceIndex: ifIn } = opts<NextHopIdentity>(o, IDENTITY_KEYS, op));   // undefined → {}; else throws
  const ifIndex = u32Arg(ifIn, 0, 'interfaceIndex', op);
  const len = prefixIn(cx, address, op);
  ifIndexIn = ifIndex;   // set last: prefixIn may run caller code (an RTM_NET_ADDRESS's getters) that finds again
  return len;
}
/** identityIn's interface index (read right after it returns). */
let ifIndexIn = 0;

/** RtmFindNextHop in the caller's list; undefined if absent. One Wasm call: find, reference, handle. */
export function findNextHop(cx: Ctx, options: NextHopIdentity): FindNextHopResult | undefined {
  const op = 'findNextHop';
  live(cx, op);
  const len = identityIn(cx, options, op);
  const s = cx.x.nexthopFindRefX(cx.handle, len, ifIndexIn);
  if (s === 0) return new FoundNextHop(cx, readOutHandle(cx.core) as NextHopHandle);
  if (s === STATUS.ERROR_NOT_FOUND) return undefined;
  check(s, op);
  return undefined;
}

/** findNextHop's answer: the owner view is made (or taken from the cache) on the first read of `pointer`. */
class FoundNextHop implements FindNextHopResult {
  readonly handle: NextHopHandle;
  readonly #cx: Ctx;
  #view: NextHopView | undefined = undefined;
  constructor(cx: Ctx, handle: NextHopHandle) { this.#cx = cx; this.handle = handle; }
  get pointer(): NextHopOwnerView { return this.#view ??= nextHopView(this.#cx, this.handle); }
}

/** RtmDeleteNextHop by handle (consumes one of the caller's references) or by identity. */
export function deleteNextHop(cx: Ctx, target: NextHopHandle | NextHopIdentity): void {
  const op = 'deleteNextHop';
  live(cx, op);
  if (typeof target === 'number') {
    check(cx.x.nexthopDelete(cx.handle, target, 0, 0), op);
    drop(cx, target);
  } else if (target && typeof target === 'object') {
    const len = identityIn(cx, target, op);
    check(cx.x.nexthopDelete(cx.handle, 0, len, ifIndexIn), op);
  } else throw new RtmError('ERROR_INVALID_PARAMETER', op, 'neither a handle nor an identity');
}

// ── information (§8.4.3) ──────────────────────────────────────────────────────────────────────────────

/** RtmGetNextHopInfo (any next hop of this table); owner and remote destination referenced. */
export function getNextHopInfo(cx: Ctx, nextHop: NextHopHandle): NextHopInfo {
  const op = 'getNextHopInfo';
  live(cx, op);
  const info = nextHopInfoOf(cx, nextHopArg(cx, nextHop, op));
  take(cx, info.owner);
  take(cx, info.remoteNextHop);
  return info;
}

/** The NextHopInfo of next-hop slot s (no references taken). */
function nextHopInfoOf(cx: Ctx, s: number): NextHopInfo {
  const L = cx.L, c = cx.core;
  const remote = nextHopWord(c, s, L.NEXTHOP_REMOTE), fl = nextHopWord(c, s, L.NEXTHOP_FLAGS);
  return {
    address: nextHopAddress(c, cx.family, s),
    interfaceIndex: nextHopWord(c, s, L.NEXTHOP_IFINDEX),
    owner: handleOf(cx, L.KIND_ENTITY, nextHopWord(c, s, L.NEXTHOP_OWNER)) as EntityHandle,
    state: (fl >>> L.NEXTHOP_STATE_SHIFT) as NextHopState,
    flags: fl & 0xffff,
    entitySpecificInfo: cx.inst.nextHopEsiIfAny?.[s] ?? null,
    remoteNextHop: remote === c.NIL ? undefined : (handleOf(cx, L.KIND_DEST, remote) || undefined) as DestHandle | undefined,
  };
}

/** RtmReleaseNextHopInfo. */
export function releaseNextHopInfo(cx: Ctx, info: NextHopInfo): void {
  const op = 'releaseNextHopInfo';
  live(cx, op);
  if (info === null || typeof info !== 'object') throw new RtmError('ERROR_INVALID_PARAMETER', op, 'info must be a NextHopInfo');
  const i = opts<NextHopInfo>(info, ['owner', 'remoteNextHop'], op);
  dropAll(cx, [i.owner, i.remoteNextHop], op);
}

/**
 * RtmReleaseNextHops. One held next-hop handle (the common find + release) is given back by one Wasm call
 * and no allocation; more (an enumeration's batch), or a drop that fails, go through one copy and the
 * batched drops of refs.ts (Dropper), as dropAll does.
 */
export function releaseNextHops(cx: Ctx, nextHops: readonly NextHopHandle[]): void {
  const op = 'releaseNextHops';
  live(cx, op);
  let h: unknown, all: unknown[] | undefined;
  try {
    if (!Array.isArray(nextHops)) return releaseHandles(cx, nextHops, op, cx.L.KIND_NEXTHOP);   // ERROR_INVALID_PARAMETER
    // read once, before anything is released (a getter that throws then changes nothing)
    const n = nextHops.length;
    if (n === 1) h = nextHops[0];
    else { all = new Array(n); for (let i = 0; i < n; i++) all[i] = nextHops[i]; }
  } catch (err) {
    unreadable(err, op, 'handles');
  }
  // one handle: a failed drop changed nothing, and the general way then gives the answer (and its error)
  if (all === undefined) {
    if (handleKind(h) === cx.L.KIND_NEXTHOP && cx.x.refDropX(cx.handle, h as number) === 0) return;
    all = [h];
  }
  // as refs.ts dropAll, on the copy: every valid held one released, then ERROR_INVALID_HANDLE for the rest
  const drops = new Dropper(cx, op, cx.L.KIND_NEXTHOP);
  for (let i = 0; i < all.length; i++) drops.put(all[i]);
  const bad = drops.flush();
  if (bad > 0) throw new RtmError('ERROR_INVALID_HANDLE', op, `${bad} handle(s) not held`);
}

// ── owner views and locks (§8.7.4, §8.7.5) ────────────────────────────────────────────────────────────

type NextHopField = 'address' | 'interfaceIndex' | 'flags' | 'entitySpecificInfo' | 'remoteNextHop';

/** One entity's next-hop owner views. */
interface Views { readonly byHandle: Map<number, NextHopView>; afterSweep: number }
const perEntity = new WeakMap<Ctx, Views>();

/** The owner view of next hop h (owner `cx`), created on first use. */
function nextHopView(cx: Ctx, h: NextHopHandle): NextHopView {
  let s = perEntity.get(cx);
  if (!s) { s = { byHandle: new Map(), afterSweep: 32 }; perEntity.set(cx, s); }
  let v = s.byHandle.get(h);
  if (!v) {
    if (s.byHandle.size >= 64 && s.byHandle.size >= 2 * s.afterSweep) {
      for (const k of s.byHandle.keys()) if (cx.x.nexthopFromHandle(k) !== 0) s.byHandle.delete(k);
      s.afterSweep = s.byHandle.size;
    }
    v = new NextHopView(cx, h);
    s.byHandle.set(h, v);
  }
  return v;
}

/** RtmGetNextHopPointer: the owner's view of its next hop (no reference). */
export function getNextHopPointer(cx: Ctx, nextHop: NextHopHandle): NextHopOwnerView {
  const op = 'getNextHopPointer';
  live(cx, op);
  const s = nextHopArg(cx, nextHop, op);
  if (nextHopWord(cx.core, s, cx.L.NEXTHOP_OWNER) !== cx.slot) throw new RtmError('ERROR_ACCESS_DENIED', op, 'not the owner');
  return nextHopView(cx, nextHop);
}

function nextHopState(cx: Ctx, slot: number): number {
  return nextHopWord(cx.core, slot, cx.L.NEXTHOP_FLAGS) >>> cx.L.NEXTHOP_STATE_SHIFT;
}

/** RtmLockNextHop: the owner gets its owner view; an exclusive unlock commits Flags, EntitySpecificInfo, RemoteNextHop. */
export function lockNextHop(cx: Ctx, options: { nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }): NextHopOwnerView | undefined {
  const op = 'lockNextHop';
  live(cx, op);
  const o = opts<{ nextHop: NextHopHandle; exclusive?: boolean; lock?: boolean }>(options, LOCK_KEYS, op);
  const slot = nextHopArg(cx, o.nextHop, op);
  const nh = o.nextHop as number;
  const lock = o.lock ?? true, exclusive = !!o.exclusive;
  const owner = nextHopWord(cx.core, slot, cx.L.NEXTHOP_OWNER) === cx.slot;
  if (exclusive && !owner) throw new RtmError('ERROR_ACCESS_DENIED', op, 'exclusive lock by a non-owner');
  if (lock) {
    if (nextHopState(cx, slot) !== NEXTHOP_STATE_CREATED) throw new RtmError('ERROR_NOT_FOUND', op, 'next hop deleted');
    acquire(cx, 'nextHop', nh, exclusive, op);
    return owner ? nextHopView(cx, nh as NextHopHandle) : undefined;
  }
  release(cx, 'nextHop', nh, exclusive, op);
  const v = perEntity.get(cx)?.byHandle.get(nh);
  if (!exclusive || !owner || !v || v.staged === null) return undefined;
  commitNextHop(cx, v, slot, op);
  return undefined;
}

/** Applies staged next-hop edits; identity edits or invalid values revert them all (ERROR_INVALID_PARAMETER). */
function commitNextHop(cx: Ctx, v: NextHopView, slot: number, op: string): void {
  const st = v.staged!;
  v.staged = null;
  if (nextHopState(cx, slot) !== NEXTHOP_STATE_CREATED) return;
  const info = nextHopInfoOf(cx, slot);
  if ('address' in st && !sameAddress(cx, st.address, slot)) throw new RtmError('ERROR_INVALID_PARAMETER', op, 'next-hop address edited (reverted)');
  if ('interfaceIndex' in st && st.interfaceIndex !== info.interfaceIndex) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'next-hop interface edited (reverted)');
  }
  const flags = 'flags' in st ? st.flags : info.flags;
  const remote = 'remoteNextHop' in st ? st.remoteNextHop : info.remoteNextHop;
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || flags > 0xffff ||
    (!isNull(remote) && (typeof remote !== 'number' || cx.x.destFromHandle(cx.t, remote) !== 0))) {
    throw new RtmError('ERROR_INVALID_PARAMETER', op, 'invalid next-hop edits (reverted)');
  }
  addNextHop(cx, {
    nextHop: v.handle, address: info.address, interfaceIndex: info.interfaceIndex, flags,
    entitySpecificInfo: 'entitySpecificInfo' in st ? st.entitySpecificInfo : info.entitySpecificInfo,
    remoteNextHop: isNull(remote) ? undefined : remote as DestHandle,
  });
}

const scratch = new Uint32Array(4), own = new Uint32Array(4);

/** True if `address` (text) names the next hop's own address. */
function sameAddress(cx: Ctx, address: unknown, slot: number): boolean {
  if (typeof address !== 'string') return false;
  const len = parsePrefixInto(address, cx.family, scratch, 0);
  if (len < 0 || len !== nextHopKeyInto(cx.core, slot, own)) return false;
  for (let w = 0; w < 4; w++) if (scratch[w] !== own[w]) return false;
  return true;
}

/** Deregistration: the entity's staged next-hop edits are dropped. */
export function dropStagedNextHops(cx: Ctx): void {
  const s = perEntity.get(cx);
  if (s) for (const v of s.byHandle.values()) v.staged = null;
}

/** A next hop's owner view (D-42). */
class NextHopView implements NextHopOwnerView {
  staged: Partial<Record<NextHopField, unknown>> | null = null;
  readonly handle: NextHopHandle;
  readonly #cx: Ctx;
  constructor(cx: Ctx, handle: NextHopHandle) { this.#cx = cx; this.handle = handle; }

  private slot(): number {
    const cx = this.#cx;
    if (cx.inst.isClosed || cx.x.nexthopFromHandle(this.handle) !== 0) {
      throw new RtmError('ERROR_INVALID_HANDLE', 'nextHopOwnerView', 'the next hop is gone');
    }
    return readResult(cx.core, 0);
  }
  /** Staged edits win over the committed state; a deleted next hop has none. */
  private get(f: NextHopField): unknown {
    const s = this.slot();
    if (this.staged !== null && nextHopState(this.#cx, s) !== NEXTHOP_STATE_CREATED) this.staged = null;
    const st = this.staged;
    if (st !== null && f in st) return st[f];
    return nextHopInfoOf(this.#cx, s)[f];
  }
  /** Writes are staged only while the owner holds the next hop's lock exclusively (else ignored). */
  private put(f: NextHopField, value: unknown): void {
    if (this.#cx.inst.isClosed || !holdsExclusive(this.#cx, 'nextHop', this.handle)) return;
    (this.staged ??= {})[f] = value;
  }
  get owner(): EntityHandle { return nextHopInfoOf(this.#cx, this.slot()).owner; }
  get state(): NextHopState { return nextHopInfoOf(this.#cx, this.slot()).state; }
  get address(): string { return this.get('address') as string; }
  set address(v: string) { this.put('address', v); }
  get interfaceIndex(): number { return this.get('interfaceIndex') as number; }
  set interfaceIndex(v: number) { this.put('interfaceIndex', v); }
  get flags(): number { return this.get('flags') as number; }
  set flags(v: number) { this.put('flags', v); }
  get entitySpecificInfo(): unknown { return this.get('entitySpecificInfo'); }
  set entitySpecificInfo(v: unknown) { this.put('entitySpecificInfo', v); }
  get remoteNextHop(): DestHandle | undefined { const v = this.get('remoteNextHop'); return isNull(v) ? undefined : v as DestHandle; }
  set remoteNextHop(v: DestHandle | undefined) { this.put('remoteNextHop', v); }
}
