// HTTPS=acme against Let's Encrypt's test server: pebble issues the certificates, validating its
// challenges on the test's Caddy through a DNS server the test controls (pebble-challtestsrv,
// every name answering 127.0.0.1), and Caddy asks Gantry's own /api/tls/ask (the web app's route
// handlers, served by the test) before obtaining one on demand. Everything stays on loopback.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "../../support/api-server";
import { viaCaddy } from "../../support/caddy";
import { eventually, viaHttps as httpsTo } from "../../support/https-client";
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
  "ACME_EMAIL",
  "BASE_DOMAIN",
  "WEB_HOST",
  "WEB_PORT",
] as const;
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
let upstream: Server;
let api: ApiServer;
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let actor: Actor;
let projectId: string;
let branchId: string;
let httpsPort: number;
let pebbleRoot: string;
let buildHostName: string;
const tag = randomBytes(4).toString("hex");
const domainName = `shop-${tag}.example.test`;
const baseDomain = `builds-${tag}.example.test`;

/** An HTTPS request to Caddy for `host`, verified against pebble's root only. */
const viaHttps = (host: string) => httpsTo(httpsPort, host, pebbleRoot);

beforeAll(async () => {
  const httpPort = await freePort();
  httpsPort = await freePort();
  await dns.start({ ipv6: false });
  await pebble.start(dns.server, { httpPort, tlsPort: httpsPort });
  pebbleRoot = await pebble.management("/roots/0");
  await caddy.start();
  api = await startApiServer();
  upstream = createServer((_, res) => res.end("served by the build"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
    CADDY_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
    DNS_RESOLVER: dns.server,
    PUBLIC_IPV4: "127.0.0.1",
    HTTPS: "acme",
    ACME_CA: pebble.directory,
    ACME_CA_ROOT: pebble.serverRootFile,
    ACME_EMAIL: "ops@example.test",
    BASE_DOMAIN: baseDomain,
    WEB_HOST: "127.0.0.1",
    WEB_PORT: new URL(api.url).port,
  });
  resetConfigForTests();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  const user = await prisma().user.create({ data: { email: `https-${tag}@example.test`, name: "Admin" } });
  const project = await prisma().project.create({
    data: {
      slug: `https-${tag}`,
      name: "HTTPS",
      githubOwner: "acme",
      githubRepo: `h${tag}`,
      odooSeries: "17.0",
    },
  });
  projectId = project.id;
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  branchId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
  actor = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
  buildHostName = core.buildHost(`https-${tag}`);
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
      url: core.buildUrl(buildHostName),
      httpPort: port,
    },
  });
  await core.routeBuild(build.id, buildHostName, port);
}, 120_000);

afterAll(async () => {
  await caddy.remove();
  await pebble.remove();
  await dns.stop();
  await api?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  if (projectId) await prisma().project.delete({ where: { id: projectId } });
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigForTests();
});

describe("HTTPS with ACME (pebble)", () => {
  it("answers Caddy's ask only for hosts Gantry serves", async () => {
    const ask = async (domain: string) =>
      (await fetch(`${api.url}/api/tls/ask?domain=${encodeURIComponent(domain)}`)).status;
    expect(await ask(buildHostName)).toBe(200);
    expect(await ask(`nothing-${tag}.${baseDomain}`)).toBe(404);
    expect(await ask(domainName)).toBe(404);
  });

  it("serves a verified custom domain over HTTPS with a certificate from the ACME server, HSTS and a redirect", async () => {
    const added = await core.addDomain(actor, projectId, branchId, { name: domainName });
    expect(added.verification).toBe("VERIFIED");
    expect(added.url).toBe(`https://${domainName}`);
    const answer = await eventually(() => viaHttps(domainName));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("served by the build");
    expect(answer.issuer).toMatch(/Pebble/i);
    expect(answer.headers["strict-transport-security"]).toBe("max-age=31536000");
    const plain = await viaCaddy(`http://${domainName}`, "/shop?x=1");
    expect([301, 302, 307, 308]).toContain(plain.status);
    // The certificate's state, read back from Caddy over TLS, is kept beside the domain.
    const checked = await core.verifyDomain(actor, projectId, branchId, added.id);
    expect(checked.certificate.issuer).toMatch(/Pebble/i);
    expect(checked.certificate.error).toBeNull();
    expect(checked.certificate.expiresAt?.getTime()).toBeGreaterThan(Date.now());
  }, 120_000);

  it("gets a build's host its certificate on demand, and none for a host Gantry does not serve", async () => {
    const answer = await eventually(() => viaHttps(buildHostName));
    expect(answer.body).toBe("served by the build");
    expect(answer.issuer).toMatch(/Pebble/i);
    await expect(viaHttps(`nothing-${tag}.${baseDomain}`)).rejects.toThrow();
  }, 120_000);

  it("stops serving a removed domain", async () => {
    const [domain] = await core.listDomains(actor, projectId, branchId);
    await core.removeDomain(actor, projectId, branchId, domain?.id as string);
    const after = await viaHttps(domainName).catch((error: Error) => ({ body: error.message }));
    expect(after.body).not.toBe("served by the build");
    expect((await fetch(`${api.url}/api/tls/ask?domain=${domainName}`)).status).toBe(404);
  });
});
