// "Add and Update Routes Using RtmAddRouteToDest" (seeds/001) on rtm-wasm/win32.
//
// addRouteSample() is the document's sample code as written, translated only as API.md §4 says:
//  - a zeroed struct (ZeroMemory) is `new W.RTM_…()`;
//  - a variable whose address is passed (&NextHopHandle, &RouteHandle, &ChangeFlags) is a Ref made by
//    W.ref(), read and written through `.value`; NULL is null;
//  - `&Struct` arguments are the struct objects; an array of one handle (&RouteHandle with a count of 1)
//    is `[RouteHandle.value]`;
//  - the parameter `interface` is a reserved word in JavaScript modules, so it is `interfaceIndex`;
//  - the sample's empty branches (`;`) record what they found in `Result`, for the caller to see.
// register() is what the sample assumes has happened before: the entity's registration (RtmRegHandle)
// and the route list it adds the route to (RouteListHandle1). addRoute() and updateRoute() are the two
// procedures of the document as functions. Nothing here chooses an implementation: the code runs on
// whatever instance 0 is (the WASM core by default).
import * as W from '../src/win32/index.js';

/** The Microsoft samples' vendor id (PROTOCOL_ID masks it to 14 bits). */
const PROTO_VENDOR_ID = 0xffff;

/** What the entity's event callback has been told (newest last); for an expiry, a copy of the route. */
export const events: { EventType: number; Context1: unknown; Route?: W.RTM_ROUTE_INFO }[] = [];

/** The entity's event callback: routes that expire are left to the RTM to delete. */
export function EntityEventCallback(RtmRegHandle: W.RTM_ENTITY_HANDLE, EventType: W.RTM_EVENT_TYPE, Context1: W.PVOID, Context2: W.PVOID): number {
  void RtmRegHandle;
  switch (EventType) {
    case W.RTM_ROUTE_EXPIRED: {
      // Context1 is the route handle and Context2 points to its RTM_ROUTE_INFO, valid during the call
      // only: keep a copy. ERROR_NOT_SUPPORTED asks the RTM to delete the route (and consumes the handle).
      const RoutePointer = Context2 as W.RTM_ROUTE_INFO;
      const Route = new W.RTM_ROUTE_INFO();
      Route.DestHandle = RoutePointer.DestHandle;
      Route.RouteOwner = RoutePointer.RouteOwner;
      Route.Neighbour = RoutePointer.Neighbour;
      Route.PrefInfo.Metric = RoutePointer.PrefInfo.Metric;
      Route.PrefInfo.Preference = RoutePointer.PrefInfo.Preference;
      Route.BelongsToViews = RoutePointer.BelongsToViews;
      events.push({ EventType, Context1, Route });
      return W.ERROR_NOT_SUPPORTED;
    }
    default:
      events.push({ EventType, Context1 });
      return W.NO_ERROR;
  }
}

export interface Registration {
  Status: number;
  RtmRegHandle: W.RTM_ENTITY_HANDLE;
  RegnProfile: W.RTM_REGN_PROFILE;
  RouteListHandle1: W.RTM_ROUTE_LIST_HANDLE;
}

/** Registers a RIP entity with instance 0 for IPv4 and creates the route list the sample uses. */
export function register(): Registration {
  let Status: number;
  const EntityInfo = new W.RTM_ENTITY_INFO();
  EntityInfo.RtmInstanceId = 0;
  EntityInfo.AddressFamily = W.AF_INET;
  EntityInfo.EntityId.EntityProtocolId = W.PROTO_IP_RIP;
  EntityInfo.EntityId.EntityInstanceId = W.PROTOCOL_ID(W.PROTO_TYPE_UCAST, PROTO_VENDOR_ID, W.PROTO_IP_RIP);

  const RegnProfile = new W.RTM_REGN_PROFILE();
  const RtmRegHandle = W.ref<W.RTM_ENTITY_HANDLE>(null);
  Status = W.RtmRegisterEntity(EntityInfo, null, EntityEventCallback, W.FALSE, RegnProfile, RtmRegHandle);
  if (Status !== W.NO_ERROR) return { Status, RtmRegHandle: 0, RegnProfile, RouteListHandle1: 0 };

  const RouteListHandle1 = W.ref<W.RTM_ROUTE_LIST_HANDLE>(null);
  Status = W.RtmCreateRouteList(RtmRegHandle.value, RouteListHandle1);
  return { Status, RtmRegHandle: RtmRegHandle.value!, RegnProfile, RouteListHandle1: RouteListHandle1.value ?? 0 };
}

/** What the sample did: the statuses, the handles it got (and released), and its branches. */
export interface SampleResult {
  /** Status of RtmAddNextHop. */
  NextHopStatus: number;
  /** Status of RtmAddRouteToDest (or of RtmAddNextHop if that failed). */
  Status: number;
  ChangeFlags: number;
  NextHopHandle: W.RTM_NEXTHOP_HANDLE | null;
  RouteHandle: W.RTM_ROUTE_HANDLE | null;
  NewRoute: boolean;
  UpdatedRoute: boolean;
  BestChanged: boolean;
}

/**
 * The sample: add a route to a destination given by (addr, masklen) using a next hop reachable with an
 * interface, into RouteListHandle1, timing out after 1000 ms.
 */
export function addRouteSample(
  RtmRegHandle: W.RTM_ENTITY_HANDLE, RouteListHandle1: W.RTM_ROUTE_LIST_HANDLE,
  nexthop: W.Ipv4Input, interfaceIndex: number, addr: W.Ipv4Input, masklen: number, metric: number,
): SampleResult {
  // Declared by the code around the sample
  let Status: number;
  let NextHopHandle: W.Ref<W.RTM_NEXTHOP_HANDLE | null>;
  const ChangeFlags = W.ref(0);
  let RouteInfo: W.RTM_ROUTE_INFO;
  const NetAddress = new W.RTM_NET_ADDRESS();
  const RouteHandle = W.ref<W.RTM_ROUTE_HANDLE>(null);
  const Result: SampleResult = {
    NextHopStatus: 0, Status: 0, ChangeFlags: 0, NextHopHandle: null, RouteHandle: null, NewRoute: false, UpdatedRoute: false, BestChanged: false,
  };

  // ── The sample code ──

  // Add a route to a destination given by (addr, masklen)
  // using a next hop reachable with an interface

  let NextHopInfo: W.RTM_NEXTHOP_INFO;

  // First, create and add a next hop to the caller's
  // next-hop tree (if it does not already exist)

  NextHopInfo = new W.RTM_NEXTHOP_INFO();                    // ZeroMemory(&NextHopInfo, sizeof(RTM_NEXTHOP_INFO))

  W.RTM_IPV4_MAKE_NET_ADDRESS(NextHopInfo.NextHopAddress,
                              nexthop, // Address of the next hop
                              32);

  NextHopInfo.InterfaceIndex = interfaceIndex;

  NextHopHandle = W.ref<W.RTM_NEXTHOP_HANDLE>(null);         // NextHopHandle = NULL;

  Status = W.RtmAddNextHop(RtmRegHandle,
                           NextHopInfo,
                           NextHopHandle,
                           ChangeFlags);
  Result.NextHopStatus = Status;

  if (Status === W.NO_ERROR)
  {
      // Created a new next hop or found an old one

          // Fill in the route information for the route

      RouteInfo = new W.RTM_ROUTE_INFO();                    // ZeroMemory(&RouteInfo, sizeof(RTM_ROUTE_INFO))

      // Fill in the destination network's address and mask values
      W.RTM_IPV4_MAKE_NET_ADDRESS(NetAddress, addr, masklen);

      // Assume 'neighbour learnt from' is the first next hop
      RouteInfo.Neighbour = NextHopHandle.value!;

      // Set metric for route; Preference set internally
      RouteInfo.PrefInfo.Metric = metric;

      // Adding a route to both the unicast and multicast views
      RouteInfo.BelongsToViews = W.RTM_VIEW_MASK_UCAST|W.RTM_VIEW_MASK_MCAST;

      RouteInfo.NextHopsList.NumNextHops = 1;
      RouteInfo.NextHopsList.NextHops[0] = NextHopHandle.value!;

      // If you want to add a new route, regardless of
      // whether a similar route already exists, use the following
      //     ChangeFlags = RTM_ROUTE_CHANGE_NEW;

      ChangeFlags.value = 0;

      Status = W.RtmAddRouteToDest(RtmRegHandle,
                                   RouteHandle,      // Can be NULL if you do not need handle
                                   NetAddress,
                                   RouteInfo,
                                   1000,             // Time out route after 1000 ms
                                   RouteListHandle1, // Also add the route to this list
                                   0,
                                   null,
                                   ChangeFlags);

      if (Status === W.NO_ERROR)
      {
          if (ChangeFlags.value & W.RTM_ROUTE_CHANGE_NEW)
          {
          Result.NewRoute = true; // A new route has been created
          }
          else
          {
          Result.UpdatedRoute = true; // An existing route is updated
          }

          if (ChangeFlags.value & W.RTM_ROUTE_CHANGE_BEST)
          {
          Result.BestChanged = true; // Best route information has changed
          }

          // Release the route handle if you do not need it
          W.RtmReleaseRoutes(RtmRegHandle, 1, [RouteHandle.value]);
      }

      // Also release the next hop since it is no longer needed
      W.RtmReleaseNextHops(RtmRegHandle, 1, [NextHopHandle.value]);
  }

  // ── End of the sample code ──

  Result.Status = Status;
  Result.ChangeFlags = ChangeFlags.value;
  Result.NextHopHandle = NextHopHandle.value;
  Result.RouteHandle = RouteHandle.value;
  return Result;
}

/** A route for addRoute(). */
export interface RouteToAdd {
  nexthop: W.Ipv4Input;
  interfaceIndex: number;
  addr: W.Ipv4Input;
  masklen: number;
  metric: number;
  /** Input change flags (RTM_ROUTE_CHANGE_NEW / _FIRST), default 0. */
  changeFlags?: number;
  /** TimeToLive in ms, default INFINITE. */
  timeToLive?: number;
}

export interface AddRouteResult {
  Status: number;
  /** The next hop came from the cache (step 1). */
  CachedNextHop: boolean;
  NextHopHandle: W.RTM_NEXTHOP_HANDLE | null;
  /** Referenced: the caller releases it (RtmReleaseRoutes) when it no longer needs it. */
  RouteHandle: W.RTM_ROUTE_HANDLE | null;
  ChangeFlags: number;
}

/**
 * The first procedure, "To add a route": (1) use the cached next-hop handle if there is one, else (2)
 * fill an RTM_NEXTHOP_INFO and (3) add the next hop (the RTM returns the existing one if it exists) and
 * cache its handle; (4) fill an RTM_ROUTE_INFO with the next-hop handle and (5) add the route with
 * RtmAddRouteToDest, which finds an equal route (same destination, owner and neighbour) to update
 * unless RTM_ROUTE_CHANGE_NEW is given (RTM_ROUTE_CHANGE_FIRST: update the caller's first route there).
 * `nextHopCache` maps 'address/interface' to a next-hop handle the cache keeps referenced.
 */
export function addRoute(RtmRegHandle: W.RTM_ENTITY_HANDLE, nextHopCache: Map<string, W.RTM_NEXTHOP_HANDLE>, r: RouteToAdd): AddRouteResult {
  const key = `${String(r.nexthop)}/${r.interfaceIndex}`;
  let NextHopHandle = nextHopCache.get(key) ?? null;                 // step 1
  const CachedNextHop = NextHopHandle !== null;
  let Status: number;
  if (NextHopHandle === null) {
    const NextHopInfo = new W.RTM_NEXTHOP_INFO();                    // step 2
    W.RTM_IPV4_MAKE_NET_ADDRESS(NextHopInfo.NextHopAddress, r.nexthop, 32);
    NextHopInfo.InterfaceIndex = r.interfaceIndex;
    const Handle = W.ref<W.RTM_NEXTHOP_HANDLE>(null), NextHopFlags = W.ref(0);
    Status = W.RtmAddNextHop(RtmRegHandle, NextHopInfo, Handle, NextHopFlags);   // step 3
    if (Status !== W.NO_ERROR) return { Status, CachedNextHop, NextHopHandle: null, RouteHandle: null, ChangeFlags: 0 };
    NextHopHandle = Handle.value!;
    nextHopCache.set(key, NextHopHandle);
  }
  const RouteInfo = new W.RTM_ROUTE_INFO();                          // step 4
  const NetAddress = new W.RTM_NET_ADDRESS();
  W.RTM_IPV4_MAKE_NET_ADDRESS(NetAddress, r.addr, r.masklen);
  RouteInfo.Neighbour = NextHopHandle;
  RouteInfo.PrefInfo.Metric = r.metric;
  RouteInfo.BelongsToViews = W.RTM_VIEW_MASK_UCAST;
  RouteInfo.NextHopsList.NumNextHops = 1;
  RouteInfo.NextHopsList.NextHops[0] = NextHopHandle;
  const RouteHandle = W.ref<W.RTM_ROUTE_HANDLE>(null), ChangeFlags = W.ref(r.changeFlags ?? 0);
  Status = W.RtmAddRouteToDest(RtmRegHandle, RouteHandle, NetAddress, RouteInfo, r.timeToLive ?? W.INFINITE, null, 0, null, ChangeFlags);  // step 5
  return { Status, CachedNextHop, NextHopHandle, RouteHandle: RouteHandle.value, ChangeFlags: ChangeFlags.value };
}

export interface UpdateRouteResult {
  /** Status of RtmGetRouteInfo. */
  GetStatus: number;
  /** Status of RtmAddRouteToDest. */
  Status: number;
  ChangeFlags: number;
  /** Status of RtmReleaseRouteInfo. */
  ReleaseStatus: number;
  /** The route handle after the update (unchanged: the route was updated in place). */
  RouteHandle: W.RTM_ROUTE_HANDLE | null;
}

/**
 * The second procedure, "To update a route": (1) RtmGetRouteInfo with the route handle, (2) change the
 * returned RTM_ROUTE_INFO, (3) RtmAddRouteToDest with the handle and the changed structure; then give
 * back the references of the RTM_ROUTE_INFO (RtmReleaseRouteInfo).
 */
export function updateRoute(RtmRegHandle: W.RTM_ENTITY_HANDLE, Route: W.RTM_ROUTE_HANDLE, change: (RouteInfo: W.RTM_ROUTE_INFO) => void, timeToLive: number = W.INFINITE): UpdateRouteResult {
  const RouteInfo = new W.RTM_ROUTE_INFO();
  const DestAddress = new W.RTM_NET_ADDRESS();
  const GetStatus = W.RtmGetRouteInfo(RtmRegHandle, Route, RouteInfo, DestAddress);              // step 1
  if (GetStatus !== W.NO_ERROR) return { GetStatus, Status: GetStatus, ChangeFlags: 0, ReleaseStatus: W.NO_ERROR, RouteHandle: Route };
  change(RouteInfo);                                                                              // step 2
  const RouteHandle = W.ref<W.RTM_ROUTE_HANDLE>(Route), ChangeFlags = W.ref(0);
  const Status = W.RtmAddRouteToDest(RtmRegHandle, RouteHandle, DestAddress, RouteInfo, timeToLive, null, 0, null, ChangeFlags);  // step 3
  const ReleaseStatus = W.RtmReleaseRouteInfo(RtmRegHandle, RouteInfo);
  return { GetStatus, Status, ChangeFlags: ChangeFlags.value, ReleaseStatus, RouteHandle: RouteHandle.value };
}

export interface RunResult {
  registration: Registration;
  sample: SampleResult;
  /** Procedure 1 on 10.2.0.0/16, then again for 10.3.0.0/16 with the cached next hop. */
  added: AddRouteResult;
  addedAgain: AddRouteResult;
  /** Procedure 2: 10.2.0.0/16's metric 7 → 3 and into the multicast view too. */
  updated: UpdateRouteResult;
}

/** Registration, the sample (10.1.0.0/16 via 10.0.0.1 on interface 1, metric 5), then both procedures. */
export function run(): RunResult {
  const registration = register();
  const h = registration.RtmRegHandle;
  const sample = addRouteSample(h, registration.RouteListHandle1, '10.0.0.1', 1, '10.1.0.0', 16, 5);
  const cache = new Map<string, W.RTM_NEXTHOP_HANDLE>();
  const added = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.2.0.0', masklen: 16, metric: 7 });
  const addedAgain = addRoute(h, cache, { nexthop: '10.0.0.2', interfaceIndex: 2, addr: '10.3.0.0', masklen: 16, metric: 9 });
  const updated = updateRoute(h, added.RouteHandle ?? 0, (RouteInfo) => {
    RouteInfo.PrefInfo.Metric = 3;
    RouteInfo.BelongsToViews |= W.RTM_VIEW_MASK_MCAST;
  });
  return { registration, sample, added, addedAgain, updated };
}

// `node dist/examples/add-route.js` runs it on the WASM core and prints the outcome.
const invoked = typeof process !== 'undefined' && process.argv?.[1];
if (invoked && import.meta.url === (await import('node:url')).pathToFileURL(invoked).href) {
  await W.initialize();
  console.log(JSON.stringify(run(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
}
