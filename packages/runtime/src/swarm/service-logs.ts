// A service's logs as `{ stream, line }` objects. Swarm keeps a followed log stream open after
// the task has ended, so a followed stream is ended here once the task is over: the lines of
// the whole run are then read once more and those the stream had not yet delivered are added.
import { PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import { collectLines, DemuxLines, RawLines } from "../log-lines";
import type { LogOptions } from "../types";
import { containerSpecOf, type ServiceInfo } from "./tasks";

export interface LogEnd {
  /** Whether the service's task has ended. */
  ended(): Promise<boolean>;
  pollMs: number;
}

export async function serviceLogs(
  docker: Docker,
  service: ServiceInfo,
  options: LogOptions,
  end: LogEnd,
): Promise<Readable> {
  const tty = containerSpecOf(service)?.TTY === true;
  const since = options.since instanceof Date ? Math.floor(options.since.getTime() / 1000) : options.since;
  const base = { stdout: true, stderr: true, since: since ?? 0 };
  const target = docker.getService(service.ID);
  const parser = () => (tty ? new RawLines() : new DemuxLines());
  if (!options.follow) {
    const lines = parser();
    lines.end(await target.logs({ ...base, follow: false }));
    return lines;
  }
  const lines = new PassThrough({ objectMode: true });
  const raw = (await target.logs({ ...base, follow: true })) as unknown as Readable;
  const live = parser();
  let delivered = 0;
  live.on("data", (line) => {
    delivered++;
    lines.write(line);
  });
  raw.on("error", (error) => lines.destroy(error));
  raw.pipe(live);
  void (async () => {
    try {
      while (!lines.destroyed && !(await end.ended())) {
        await new Promise((resolve) => setTimeout(resolve, end.pollMs));
      }
      raw.unpipe(live);
      raw.destroy();
      const all = parser();
      all.end(await target.logs({ ...base, follow: false }));
      const complete = await collectLines(all);
      for (const line of complete.slice(delivered)) lines.write(line);
      lines.end();
    } catch (error) {
      lines.destroy(error as Error);
    }
  })();
  return lines;
}
