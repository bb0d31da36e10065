// Talking to Rust from a screen: answers can arrive out of order (a refresh
// started by an event may answer after a change the user made next), so only
// the newest request's answer is used; and every failure ends up in the
// screen's one error slot.
import type { Api, ApiError, AppEvent } from "../api";

const STALE = Symbol("stale");

export function isStale(error: unknown): boolean {
  return error === STALE;
}

/** Returns a wrapper; a promise passed to it resolves only if no newer one was passed since. */
export function latest() {
  let newest = 0;
  return async function <T>(request: Promise<T>): Promise<T> {
    const mine = ++newest;
    const result = await request;
    if (mine !== newest) throw STALE;
    return result;
  };
}

/** Runs `action`; reports its error (or null when it worked) unless it was superseded. */
export async function guarded(action: () => Promise<unknown>, report: (error: ApiError | null) => void) {
  try {
    await action();
    report(null);
  } catch (failure) {
    if (!isStale(failure)) report(failure as ApiError);
  }
}

/** Calls `handler` on each of `events`; returns the function that stops it (for onMount). */
export function onEvents(api: Api, events: AppEvent[], handler: () => void): () => void {
  const stops = events.map((event) => api.onEvent(event, handler));
  return () => stops.forEach((stop) => void stop.then((unlisten) => unlisten()));
}
