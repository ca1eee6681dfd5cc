// Gantry drives Caddy's admin API over a unix socket (CADDY_ADMIN_URL=unix:///…): a real Caddy
// of the test's own gets a build's route through it and serves the build's host with it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resetConfigForTests } from "@gantry/config";
import { buildRoute, routeBuild, unrouteBuild } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { freePort } from "../worker/private-redis";
import { PrivateCaddy } from "./private-caddy";

const caddy = new PrivateCaddy();
const saved = { admin: process.env.CADDY_ADMIN_URL, listen: process.env.CADDY_HTTP_LISTEN };
let upstream: Server;

beforeAll(async () => {
  upstream = createServer((_, res) => res.end("served by the build"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  // Caddy's builds listener on a port of the test's own, apart from the shared Caddy's.
  const listenPort = await freePort();
  await caddy.start();
  process.env.CADDY_ADMIN_URL = caddy.adminUrl;
  process.env.CADDY_HTTP_LISTEN = `127.0.0.1:${listenPort}`;
  resetConfigForTests();
});

afterAll(async () => {
  await caddy.remove();
  await new Promise((resolve) => upstream.close(resolve));
  for (const [key, value] of [
    ["CADDY_ADMIN_URL", saved.admin],
    ["CADDY_HTTP_LISTEN", saved.listen],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
});

describe("Caddy's admin API on a unix socket", () => {
  const buildId = "sockettest1";
  const host = "sockettest1.builds.localhost";

  it("routes a build's host, shows the route and removes it", async () => {
    const port = (upstream.address() as AddressInfo).port;
    await routeBuild(buildId, host, port);
    const { status, body } = await viaCaddy(`http://${host}`, "/");
    expect({ status, body }).toEqual({ status: 200, body: "served by the build" });
    const route = (await buildRoute(buildId)) as { match: { host: string[] }[] } | null;
    expect(route?.match[0]?.host).toEqual([host]);

    await unrouteBuild(buildId);
    expect(await buildRoute(buildId)).toBeNull();
    expect((await viaCaddy(`http://${host}`, "/")).body).not.toBe("served by the build");
  });

  it("names the socket when Caddy does not answer", async () => {
    await caddy.stop();
    await expect(buildRoute(buildId)).rejects.toThrow(`does not answer at ${caddy.socket}`);
  });
});
