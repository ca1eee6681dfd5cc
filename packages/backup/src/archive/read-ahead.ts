/**
 * Maps `items` through `read` with up to `window` reads in flight, yielding results in
 * order: while one result is being written, the next ones are already being read.
 */
export async function* readAhead<T, R>(
  items: readonly T[],
  read: (item: T) => Promise<R>,
  window: number,
): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  try {
    while (next < items.length || inFlight.length > 0) {
      while (next < items.length && inFlight.length < window) {
        const pending = read(items[next++]!);
        // A failure is reported when its turn comes; until then it must not count as unhandled.
        pending.catch(() => {});
        inFlight.push(pending);
      }
      yield await inFlight.shift()!;
    }
  } finally {
    // Reads still in flight when the consumer stops are left to finish; nothing awaits them.
    inFlight.length = 0;
  }
}
