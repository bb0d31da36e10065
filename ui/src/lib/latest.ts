// Answers from Rust can arrive out of order: a refresh started by an event
// may answer after a change the user made next. Only the newest request's
// answer is used; an older one is dropped (it rejects with STALE).

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
