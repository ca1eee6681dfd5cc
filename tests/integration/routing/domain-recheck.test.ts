// The scheduled recheck of custom domains (core's recheckDomains, the job's work) with pebble and
// a Caddy of the test's own: the served certificate's issuer and expiry are stored; a domain
// whose DNS moved away stays served and its Admins are told; once pebble is gone and the served
// certificate nears its end without renewal, the last error says so and the Admins are told,
// once. pebble's certificates live 40 s here so that "near its end" comes during the test.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  "DNS_RESOLVER",
  "PUBLIC_IPV4",
  "PUBLIC_IPV6",
  "HTTPS",
  "ACME_CA",
  "ACME_CA_ROOT",
] as const;
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
const tag = randomBytes(4).toString("hex");
const shop = `shop-${tag}.example.test`;
const moved = `www-${tag}.example.test`;
let upstream: Server;
let httpsPort: number;
let pebbleRoot: string;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let actor: Actor;
let projectId: string;
let branchId: string;

const deliveries = () =>
  prisma().notificationDelivery.findMany({
    where: { projectId, event: "domain.problem" },
    orderBy: { createdAt: "asc" },
  });
const domainRow = (name: string) => prisma().domain.findUniqueOrThrow({ where: { name } });
async function recheck(name: string) {
  const outcome = await core.recheckDomain((await domainRow(name)).id);
  if (!outcome) throw new Error(`${name} is gone`);
  return outcome;
}

beforeAll(async () => {
  const httpPort = await freePort();
  httpsPort = await freePort();
  await dns.start({ ipv6: false });
  await pebble.start(dns.server, { httpPort, tlsPort: httpsPort, validitySeconds: 40 });
  pebbleRoot = await pebble.management("/roots/0");
  await caddy.start();
  upstream = createServer((_, res) => res.end("served by the build"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    DNS_RESOLVER: dns.server,
    PUBLIC_IPV4: "127.0.0.1",
    PUBLIC_IPV6: "",
    HTTPS: "acme",
    ACME_CA: pebble.directory,
    ACME_CA_ROOT: pebble.serverRootFile,
  });
  resetConfigForTests();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  const user = await prisma().user.create({ data: { email: `recheck-${tag}@example.test`, name: "Admin" } });
  projectId = (
    await prisma().project.create({
      data: {
        slug: `recheck-${tag}`,
        name: "Recheck",
        githubOwner: "acme",
        githubRepo: `r${tag}`,
        odooSeries: "17.0",
      },
    })
  ).id;
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  branchId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
  actor = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
  const host = core.buildHost(`recheck-${tag}`);
  const port = (upstream.address() as AddressInfo).port;
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId,
      stage: "PRODUCTION",
      commitSha: randomBytes(20).toString("hex"),
      status: "DONE",
      result: "SUCCESS",
      servingAt: new Date(),
      url: core.buildUrl(host),
      httpPort: port,
    },
  });
  await core.routeBuild(build.id, host, port);
}, 120_000);

afterAll(async () => {
  await caddy.remove();
  await pebble.remove();
  await dns.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  if (projectId) await prisma().project.delete({ where: { id: projectId } });
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigForTests();
});

describe("the scheduled recheck of custom domains", () => {
  it("stores the served certificate's issuer and expiry, and tells nobody while all is well", async () => {
    expect((await core.addDomain(actor, projectId, branchId, { name: shop })).verification).toBe("VERIFIED");
    await eventually(() => viaHttps(httpsPort, shop, pebbleRoot));
    const outcome = await recheck(shop);
    expect(outcome).toMatchObject({ verification: "VERIFIED", problem: null, notified: false });
    const row = await domainRow(shop);
    expect(row.certIssuer).toMatch(/Pebble/i);
    expect(row.certError).toBeNull();
    expect(row.certExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    expect(await deliveries()).toHaveLength(0);
  }, 120_000);

  it("keeps serving a domain whose DNS moved away, shows why and tells the Admins once", async () => {
    expect((await core.addDomain(actor, projectId, branchId, { name: moved })).verification).toBe("VERIFIED");
    await dns.point(moved, ["192.0.2.9"], []);
    const outcome = await recheck(moved);
    expect(outcome.verification).toBe("VERIFIED");
    expect(outcome.problem).toMatch(/no longer points at Gantry.*192\.0\.2\.9/);
    expect(outcome.notified).toBe(true);
    const row = await domainRow(moved);
    expect(row.verification).toBe("VERIFIED");
    expect(row.verificationReason).toMatch(/192\.0\.2\.9/);
    expect((await core.domainRoute(branchId))?.match).toEqual([{ host: [shop, moved].sort() }]);
    expect((await recheck(moved)).notified).toBe(false);
    const told = await deliveries();
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toBe(`Custom domain failing: ${moved} (Recheck / main)`);
    // Back to Gantry: the reason goes, and a later problem would be told again.
    await dns.point(moved, ["127.0.0.1"], []);
    expect(await recheck(moved)).toMatchObject({ problem: null, notified: false });
    expect((await domainRow(moved)).problemNotifiedAt).toBeNull();
  }, 60_000);

  it("reports a renewal that does not happen (the ACME server is gone) and tells the Admins once", async () => {
    const served = await viaHttps(httpsPort, shop, pebbleRoot);
    await pebble.remove();
    // Caddy renews at a third of the life left; a quarter left without a new certificate is a
    // failing renewal. Wait for that moment of the served certificate.
    const life = 40_000;
    const overdueAt = served.validTo.getTime() - life / 4 + 1_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, overdueAt - Date.now())));
    const before = (await deliveries()).length;
    const outcome = await recheck(shop);
    expect(outcome.problem).toMatch(/has not been renewed|was not renewed/);
    expect(outcome.notified).toBe(true);
    const row = await domainRow(shop);
    expect(row.certIssuer).toMatch(/Pebble/i);
    expect(row.certError).toMatch(/renewal is failing|was not renewed/);
    expect((await recheck(shop)).notified).toBe(false);
    const told = await deliveries();
    expect(told).toHaveLength(before + 1);
    expect(told.at(-1)?.title).toBe(`Custom domain failing: ${shop} (Recheck / main)`);
  }, 120_000);
});
