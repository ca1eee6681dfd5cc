// Progress of a long backup step, written to its row at most once a second: the dashboard
// polls the row, so a fast stream of updates would only load the database.
import { Transform, type TransformCallback } from "node:stream";
import { bestEffort } from "@gantry/config";

export type ProgressReport = (percent: number, message: string) => void | Promise<void>;

export function throttled(report: ProgressReport, everyMs = 1000): ProgressReport {
  let last = 0;
  let lastPercent = -1;
  return (percent, message) => {
    const now = Date.now();
    if (percent === lastPercent || (now - last < everyMs && percent < 100)) return;
    last = now;
    lastPercent = percent;
    return report(percent, message);
  };
}

/** Counts bytes passing through and reports them against an expected total, between two bounds. */
export class ByteProgress extends Transform {
  private bytes = 0;
  constructor(
    private readonly expected: number,
    private readonly range: [number, number],
    private readonly report: ProgressReport,
    private readonly message: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const [from, to] = this.range;
    const share = this.expected > 0 ? Math.min(this.bytes / this.expected, 1) : 0;
    // Progress is shown, not needed: a failed report must not fail the stream it measures.
    void bestEffort("reporting progress", async () =>
      this.report(Math.floor(from + (to - from) * share), this.message),
    );
    done(null, chunk);
  }
}
