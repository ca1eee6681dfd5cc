// Gantry's own dashboard over HTTPS (HTTPS=acme, PUBLIC_URL=https://<name>): Caddy routes the
// name to the web app with a certificate from the ACME server (pebble), HSTS on HTTPS answers,
// HTTP redirected to HTTPS. pebble issues short-lived certificates here, so Caddy renews while
// the test watches: a second, different certificate is served by the same Caddy process.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resetConfigForTests } from "@gantry/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRequest } from "../../../packages/core/src/routing/admin-transport";
import { viaCaddy } from "../../support/caddy";
import { eventually, viaHttps } from "../../support/https-client";
import { Pebble, TestDns } from "../../support/pebble";
import { freePort } from "../worker/private-redis";
import { PrivateCaddy } from "./private-caddy";

const caddy = new PrivateCaddy();
const dns = new TestDns();
const pebble = new Pebble();
const keys = [
  "CADDY_ADMIN_URL",
  "CADDY_HTTP_LISTEN",
  "CADDY_HTTPS_LISTEN",
  "HTTPS",
  "ACME_CA",
  "ACME_CA_ROOT",
  "PUBLIC_URL",
  "WEB_HOST",
  "WEB_PORT",
] as const;
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
const tag = randomBytes(4).toString("hex");
const dashboard = `gantry-${tag}.example.test`;
// Caddy renews once a third of a certificate's life is left: about 27 s into these 40.
const validitySeconds = 40;
let web: Server;
let httpsPort: number;
let pebbleRoot: string;
let core: typeof import("@gantry/core");

beforeAll(async () => {
  const httpPort = await freePort();
  httpsPort = await freePort();
  await dns.start({ ipv6: false });
  await pebble.start(dns.server, { httpPort, tlsPort: httpsPort, validitySeconds });
  pebbleRoot = await pebble.management("/roots/0");
  await caddy.start();
  // The web app's stand-in: what Caddy proxies the dashboard's name to (WEB_HOST:WEB_PORT).
  web = createServer((req, res) => res.end(`dashboard ${req.url}`));
  await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    HTTPS: "acme",
    ACME_CA: pebble.directory,
    ACME_CA_ROOT: pebble.serverRootFile,
    PUBLIC_URL: `https://${dashboard}`,
    WEB_HOST: "127.0.0.1",
    WEB_PORT: String((web.address() as AddressInfo).port),
  });
  resetConfigForTests();
  core = await import("@gantry/core");
}, 60_000);

afterAll(async () => {
  await caddy.remove();
  await pebble.remove();
  await dns.stop();
  await new Promise((resolve) => web?.close(resolve));
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigForTests();
});

describe("the dashboard over HTTPS", () => {
  it("is served on its own name with a certificate from the ACME server, HSTS and a redirect from HTTP", async () => {
    expect(await core.routeDashboard()).toBe(dashboard);
    const answer = await eventually(() => viaHttps(httpsPort, dashboard, pebbleRoot, "/auth/sign-in"));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("dashboard /auth/sign-in");
    expect(answer.issuer).toMatch(/Pebble/i);
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
    const plain = await viaCaddy(`http://${dashboard}`, "/auth/sign-in?next=%2F");
    expect([301, 302, 307, 308]).toContain(plain.status);
    // Caddy takes its configured HTTPS port for the outside's 443 (ports forwarded): no port.
    expect(plain.location).toBe(`https://${dashboard}/auth/sign-in?next=%2F`);
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    // Caddy's ask endpoint says yes for the dashboard's name, no for a neighbour.
    expect(await core.servesHost(dashboard)).toBe(true);
    expect(await core.servesHost(`other-${tag}.example.test`)).toBe(false);
  }, 120_000);

  it("renews the dashboard's certificate before it expires, without restarting Caddy", async () => {
    const pid = caddy.pid;
    expect(pid).toBeDefined();
    // Caddy looks at its certificates every ten minutes by default: every second here.
    const interval = await adminRequest(caddy.adminUrl, {
      method: "POST",
      path: "/config/apps/tls/automation/renew_interval",
      body: JSON.stringify("1s"),
    });
    expect(`${interval.status} ${await interval.text()}`).toBe("200 ");
    const first = await eventually(() => viaHttps(httpsPort, dashboard, pebbleRoot));
    const renewed = await eventually(async () => {
      const now = await viaHttps(httpsPort, dashboard, pebbleRoot);
      if (now.serial === first.serial) throw new Error("still the first certificate");
      return now;
    }, 120_000);
    expect(renewed.issuer).toMatch(/Pebble/i);
    expect(renewed.validTo.getTime()).toBeGreaterThan(first.validTo.getTime());
    expect(renewed.body).toBe("dashboard /");
    expect(caddy.pid).toBe(pid);
  }, 180_000);
});
