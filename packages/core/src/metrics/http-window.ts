// One sample interval's HTTP figures of one build, gathered request by request in bounded
// memory: counts are exact; response times are kept up to a cap (a uniform reservoir past it,
// so the percentiles stay fair under a flood); the peak of requests in flight at once comes
// from each request's span (Caddy logs its end and its duration).
export interface HttpFigures {
  httpRequests: number;
  http4xx: number;
  http5xx: number;
  httpP50Ms: number | null;
  httpP95Ms: number | null;
  httpConcurrentMax: number;
}

export const MAX_KEPT_REQUESTS = 5000;

export class HttpWindow {
  private requests = 0;
  private client = 0;
  private server = 0;
  private readonly durations: number[] = [];
  /** [start, end] in ms of the kept requests, for the concurrency peak. */
  private readonly spans: [number, number][] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(entry: { at: Date; durationMs: number; status: number }): void {
    this.requests += 1;
    if (entry.status >= 500) this.server += 1;
    else if (entry.status >= 400) this.client += 1;
    const end = entry.at.getTime();
    const span: [number, number] = [end - entry.durationMs, end];
    if (this.durations.length < MAX_KEPT_REQUESTS) {
      this.durations.push(entry.durationMs);
      this.spans.push(span);
      return;
    }
    const slot = Math.floor(this.random() * this.requests);
    if (slot < MAX_KEPT_REQUESTS) {
      this.durations[slot] = entry.durationMs;
      this.spans[slot] = span;
    }
  }

  figures(): HttpFigures {
    const sorted = [...this.durations].sort((a, b) => a - b);
    return {
      httpRequests: this.requests,
      http4xx: this.client,
      http5xx: this.server,
      httpP50Ms: percentile(sorted, 0.5),
      httpP95Ms: percentile(sorted, 0.95),
      httpConcurrentMax: peakOverlap(this.spans),
    };
  }
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return Math.round((sorted[rank - 1] as number) * 10) / 10;
}

/** The most spans open at one instant (a span ending when another starts counts once). */
export function peakOverlap(spans: readonly (readonly [number, number])[]): number {
  const events: [number, number][] = [];
  for (const [start, end] of spans) events.push([start, 1], [end, -1]);
  // Ends before starts at the same instant.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of events) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}
