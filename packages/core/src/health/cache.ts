// GET /api/health is what load balancers call every few seconds, many of them at once: one
// round of checks costs a few hundred milliseconds of database, Redis and heartbeat reads. The
// report is kept for a few seconds, and while a round runs every caller waits for that round
// instead of starting its own. A ttl of 0 keeps the old way (each call checks everything).

export interface Cached<T> {
  (): Promise<T>;
  /** Forgets the kept value (tests, and a setting that changed). */
  clear(): void;
}

export function singleFlightCache<T>(
  compute: () => Promise<T>,
  ttlMs: () => number,
  now: () => number = Date.now,
): Cached<T> {
  let kept: { startedAt: number; value: T } | undefined;
  let running: Promise<T> | undefined;
  const get = (async () => {
    const ttl = ttlMs();
    if (ttl <= 0) return compute();
    if (kept && now() - kept.startedAt < ttl) return kept.value;
    if (running) return running;
    const startedAt = now();
    running = compute()
      .then((value) => {
        kept = { startedAt, value };
        return value;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }) as Cached<T>;
  get.clear = () => {
    kept = undefined;
  };
  return get;
}
