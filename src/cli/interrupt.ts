// Cooperative interruption for `rtm`: run() exits with status 130 from a SIGINT listener, and a listener
// runs only when the event loop turns. Long synchronous work (benchmark runs, checksums, lookups of many
// addresses) therefore calls breathe() between chunks: once YIELD_MS has passed since the last turn it
// awaits one setImmediate, which lets a pending Ctrl-C be handled. Costs one clock read per call.

/** Longest stretch of synchronous work between two turns of the event loop, in ms. */
export const YIELD_MS = 100;
/** Work items per chunk between breathe() calls in the commands' loops. */
export const CHUNK = 1 << 16;

let lastTurn = performance.now();

/** Lets the event loop turn (and so a Ctrl-C be handled) when YIELD_MS has passed since the last turn. */
export async function breathe(): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < YIELD_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastTurn = performance.now();
}
