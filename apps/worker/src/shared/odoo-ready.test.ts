import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { odooAnswers, waitForOdoo } from "./odoo-ready";

// HTTP servers answering the way each Odoo generation does.
const servers: Server[] = [];
async function serve(routes: Record<string, number>): Promise<number> {
  const server = createServer((req, res) => {
    const status = routes[new URL(req.url ?? "/", "http://x").pathname] ?? 404;
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(status === 200 ? "ok" : "no");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}
async function freePort(): Promise<number> {
  const port = await serve({});
  const server = servers.pop() as Server;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe("Odoo readiness", () => {
  it("takes /web/health where the series has it (17.0 and later)", async () => {
    expect(await odooAnswers(await serve({ "/web/health": 200, "/web/login": 200 }))).toBe(true);
  });

  it("takes the login page where /web/health does not exist (16.0)", async () => {
    expect(await odooAnswers(await serve({ "/web/login": 200 }))).toBe(true);
  });

  it("is not ready while health fails, even if the login page answers", async () => {
    expect(await odooAnswers(await serve({ "/web/health": 503, "/web/login": 200 }))).toBe(false);
  });

  it("is not ready when nothing answers, or only a 404 everywhere", async () => {
    expect(await odooAnswers(await freePort())).toBe(false);
    expect(await odooAnswers(await serve({}))).toBe(false);
  });

  it("waits until a 16.0-like server answers, and says so when the server stopped", async () => {
    const port = await serve({ "/web/login": 200 });
    await expect(
      waitForOdoo({ port, state: async () => ({ running: true }), timeoutMs: 5000, pollMs: 10 }),
    ).resolves.toBeUndefined();
    await expect(
      waitForOdoo({
        port: await freePort(),
        state: async () => ({ running: false, exitCode: 3 }),
        timeoutMs: 5000,
        pollMs: 10,
      }),
    ).rejects.toThrow(/stopped before answering \(exit 3\)/);
    await expect(
      waitForOdoo({
        port: await freePort(),
        state: async () => ({ running: true }),
        timeoutMs: 50,
        pollMs: 10,
      }),
    ).rejects.toThrow(/did not answer/);
  });

  it("asks a cluster's runtime where the server answers, and waits while it is still being placed", async () => {
    const port = await serve({ "/web/health": 200 });
    const states = [
      { running: false, status: "created" },
      { running: false, status: "created" },
    ];
    let asked = 0;
    await expect(
      waitForOdoo({
        // Not on the loopback port given: only at the address, once the task runs.
        port: await freePort(),
        address: async () => (asked++ < 2 ? null : `127.0.0.1:${port}`),
        state: async () => states.shift() ?? { running: true },
        timeoutMs: 5000,
        pollMs: 10,
      }),
    ).resolves.toBeUndefined();
    expect(asked).toBe(3);
  });
});
