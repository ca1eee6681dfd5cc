// The health route handler (apps/web/app/api/health/route.ts, as Next calls it) behind a bare
// node:http server, for scripts/bench/health.ts: one process per setting of
// HEALTH_CACHE_SECONDS. Prints its port on the first line.
import { createServer } from "node:http";
import { GET } from "../../apps/web/app/api/health/route";

const server = createServer(async (request, response) => {
  const answer = await GET(new Request(`http://127.0.0.1${request.url ?? "/"}`, { method: "GET" }));
  response.writeHead(answer.status, { "content-type": "application/json" });
  response.end(Buffer.from(await answer.arrayBuffer()));
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
