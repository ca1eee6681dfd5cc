// A TCP proxy in front of the API that cuts the first log stream it carries right after the
// stream's first complete event with an id, as a dropped connection would, and records the
// Last-Event-ID of the stream requests that follow.
import { createConnection, createServer, type Server } from "node:net";

export interface CuttingProxy {
  url: string;
  /** The Last-Event-ID header of each stream request after the cut (null when absent). */
  resumedWith: (string | null)[];
  /** The id of the event the cut stream ended with. */
  cutAfter: string | null;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: URL): Promise<CuttingProxy> {
  let cut = false;
  const proxy: CuttingProxy = { url: "", resumedWith: [], cutAfter: null, close: async () => {} };
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    let cutThis = false;
    client.once("data", (first) => {
      const head = first.toString("latin1");
      if (/^GET \S+\/stream /.test(head)) {
        if (!cut) {
          cut = true;
          cutThis = true;
        } else {
          proxy.resumedWith.push(/\r\nlast-event-id: *([^\r]*)\r\n/i.exec(head)?.[1] ?? null);
        }
      }
      upstream.write(first);
      client.pipe(upstream);
    });
    let seen = "";
    upstream.on("data", (chunk: Buffer) => {
      if (!cutThis) return void client.write(chunk);
      seen += chunk.toString("latin1");
      // The end of the first event that carries an id: forward up to it, then hang up.
      const match = /(^|\n)id: (\d+)\n(?:[^\n]+\n)*\n/.exec(seen.slice(seen.indexOf("\r\n\r\n")));
      if (!match) return;
      const end = seen.indexOf("\r\n\r\n") + match.index + match[0].length;
      proxy.cutAfter = match[2]!;
      client.end(Buffer.from(seen.slice(0, end), "latin1"), () => client.destroy());
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", drop);
    client.on("error", drop);
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (typeof address !== "object" || !address) throw new Error("no proxy port");
  proxy.url = `http://127.0.0.1:${address.port}`;
  proxy.close = () => new Promise<void>((done) => server.close(() => done()));
  return proxy;
}
