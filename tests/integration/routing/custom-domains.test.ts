// Custom domains against a DNS server the test controls (pebble-challtestsrv: every name answers
// 127.0.0.1 and ::1 unless told otherwise) and a Caddy of the test's own: a domain pointing at
// Gantry is verified and serves the branch's build, follows the build that serves (a new build,
// sleep, a rollback), one pointing elsewhere stays unverified with the reason; removal unroutes.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resetConfigForTests } from "@gantry/config";
import type { Actor } from "@gantry/core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { viaCaddy } from "../../support/caddy";
import { PROD_CLUSTER } from "../../support/clusters";
import { TestDns } from "../../support/pebble";
import { freePort } from "../worker/private-redis";
import { PrivateCaddy } from "./private-caddy";

const caddy = new PrivateCaddy();
const dns = new TestDns();
const keys = ["CADDY_ADMIN_URL", "CADDY_HTTP_LISTEN", "DNS_RESOLVER", "PUBLIC_IPV4", "PUBLIC_IPV6"] as const;
const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
const upstreams: Server[] = [];
let core: typeof import("@gantry/core");
let prisma: typeof import("@gantry/db").prisma;
let actor: Actor;
let projectId: string;
let branchId: string;
let otherBranchId: string;
const tag = randomBytes(4).toString("hex");
const domainName = `shop-${tag}.example.test`;
const buildDatabase = `gantry_t_domains_${tag}`;

async function onCluster<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...PROD_CLUSTER, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function upstream(text: string): Promise<number> {
  const server = createServer((_, res) => res.end(text));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstreams.push(server);
  return (server.address() as AddressInfo).port;
}

async function servingBuild(slug: string, port: number) {
  const host = core.buildHost(slug);
  const build = await prisma().build.create({
    data: {
      projectId,
      branchId,
      stage: "PRODUCTION",
      commitSha: randomBytes(20).toString("hex"),
      status: "DONE",
      result: "SUCCESS",
      servingAt: new Date(),
      url: `http://${host}`,
      httpPort: port,
    },
  });
  await core.routeBuild(build.id, host, port);
  return { ...build, host };
}

beforeAll(async () => {
  await dns.start();
  await caddy.start();
  Object.assign(process.env, {
    CADDY_ADMIN_URL: caddy.adminUrl,
    CADDY_HTTP_LISTEN: `127.0.0.1:${await freePort()}`,
    DNS_RESOLVER: dns.server,
    PUBLIC_IPV4: "127.0.0.1",
    PUBLIC_IPV6: "::1",
  });
  resetConfigForTests();
  core = await import("@gantry/core");
  prisma = (await import("@gantry/db")).prisma;
  const user = await prisma().user.create({ data: { email: `domains-${tag}@example.test`, name: "Admin" } });
  const project = await prisma().project.create({
    data: {
      slug: `domains-${tag}`,
      name: "Domains",
      githubOwner: "acme",
      githubRepo: `d${tag}`,
      odooSeries: "17.0",
    },
  });
  projectId = project.id;
  await prisma().collaborator.create({ data: { projectId, userId: user.id, role: "ADMIN" } });
  branchId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
  otherBranchId = (await prisma().branch.create({ data: { projectId, name: "dev", stage: "DEVELOPMENT" } }))
    .id;
  actor = { userId: user.id, isAdmin: false, memberships: { [projectId]: "ADMIN" }, tokenProjectIds: null };
});

afterAll(async () => {
  await caddy.remove();
  await dns.stop();
  for (const server of upstreams) await new Promise((resolve) => server.close(resolve));
  if (projectId) await prisma().project.delete({ where: { id: projectId } });
  await onCluster(PROD_CLUSTER.database, (c) => c.query(`DROP DATABASE IF EXISTS ${buildDatabase}`));
  for (const key of keys) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigForTests();
});

describe("custom domains", () => {
  let first: Awaited<ReturnType<typeof servingBuild>>;

  it("verifies a domain that points at Gantry and serves the branch's build at it", async () => {
    first = await servingBuild(`domains-${tag}`, await upstream("first build"));
    const added = await core.addDomain(actor, projectId, branchId, {
      name: ` ${domainName.toUpperCase()}. `,
    });
    expect(added).toMatchObject({ name: domainName, primary: true, verification: "VERIFIED", apex: false });
    expect(added.dnsAnswer).toBe("A 127.0.0.1, AAAA ::1");
    expect(added.records[0]).toEqual({ type: "CNAME", name: domainName, value: first.host });
    expect(await viaCaddy(`http://${domainName}`, "/")).toMatchObject({ status: 200, body: "first build" });
    expect(await core.servesHost(domainName)).toBe(true);
    expect(await core.servesHost(first.host)).toBe(true);
    expect(await core.servesHost(`nothing-${tag}.example.test`)).toBe(false);
  });

  it("writes the primary domain's URL as web.base.url of the serving build's database", async () => {
    await onCluster(PROD_CLUSTER.database, (c) => c.query(`CREATE DATABASE ${buildDatabase}`));
    await onCluster(buildDatabase, (c) =>
      c.query(`CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE, value text NOT NULL,
                 create_date timestamp, write_date timestamp);
               INSERT INTO ir_config_parameter (key, value) VALUES ('web.base.url', 'http://localhost:8069');
               CREATE SEQUENCE base_cache_signaling;`),
    );
    const server = await core.dbServerForStage(projectId, "PRODUCTION");
    await prisma().build.update({
      where: { id: first.id },
      data: { dbServerId: server.id, databaseName: buildDatabase },
    });
    const [domain] = await core.listDomains(actor, projectId, branchId);
    await core.makePrimaryDomain(actor, projectId, branchId, domain?.id as string);
    const params = await onCluster(buildDatabase, async (c) => {
      const { rows } = await c.query<{ key: string; value: string }>(
        "SELECT key, value FROM ir_config_parameter ORDER BY key",
      );
      const signal = await c.query<{ is_called: boolean }>("SELECT is_called FROM base_cache_signaling");
      return { rows, signalled: signal.rows[0]?.is_called };
    });
    expect(params.rows).toEqual([
      { key: "web.base.url", value: `http://${domainName}` },
      { key: "web.base.url.freeze", value: "True" },
    ]);
    // Odoo's workers read their cached parameters again once the signaling sequence moved.
    expect(params.signalled).toBe(true);
  });

  it("leaves a domain pointing elsewhere unverified, with the reason and the answer", async () => {
    const elsewhere = `elsewhere-${tag}.example.test`;
    await dns.point(elsewhere, ["192.0.2.7"], ["2001:db8::7"]);
    const added = await core.addDomain(actor, projectId, branchId, { name: elsewhere });
    expect(added.verification).toBe("FAILED");
    expect(added.primary).toBe(false);
    expect(added.dnsAnswer).toBe("A 192.0.2.7, AAAA 2001:db8::7");
    expect(added.verificationReason).toContain("192.0.2.7");
    expect(added.verificationReason).toContain("not Gantry's address");
    expect((await viaCaddy(`http://${elsewhere}`, "/")).body).not.toBe("first build");
    expect(await core.servesHost(elsewhere)).toBe(false);
    // Pointed at Gantry later: checking again verifies and routes it.
    await dns.point(elsewhere, ["127.0.0.1"], ["::1"]);
    const checked = await core.verifyDomain(actor, projectId, branchId, added.id);
    expect(checked.verification).toBe("VERIFIED");
    expect(await viaCaddy(`http://${elsewhere}`, "/")).toMatchObject({ status: 200, body: "first build" });
    await core.removeDomain(actor, projectId, branchId, added.id);
  });

  it("refuses names Gantry cannot take, saying why", async () => {
    const add = (name: string, branch = branchId) => core.addDomain(actor, projectId, branch, { name });
    await expect(add(domainName, otherBranchId)).rejects.toMatchObject({ code: "conflict" });
    await expect(add(`x.${core.buildHost("y")}`)).rejects.toThrow("Gantry's own build addresses");
    await expect(add("https://www.example.test/shop")).rejects.toThrow("type the name only");
    await expect(add("*.example.test")).rejects.toThrow("Wildcard");
    await expect(add("127.0.0.1")).rejects.toThrow("IP address");
    await expect(add("-bad-.example.test")).rejects.toMatchObject({ code: "invalid_input" });
    const idn = await add(`bücher-${tag}.example.test`);
    expect(idn.name).toMatch(/^xn--bcher-[a-z0-9-]+\.example\.test$/);
    expect(idn.displayName).toBe(`bücher-${tag}.example.test`);
    await core.removeDomain(actor, projectId, branchId, idn.id);
    const apex = await add(`apex${tag}.test`);
    expect(apex.apex).toBe(true);
    expect(apex.records.map((r) => r.type)).toEqual(["A", "AAAA"]);
    expect(apex.note).toContain("no CNAME");
    await core.removeDomain(actor, projectId, branchId, apex.id);
  });

  it("follows the build that serves: a new build, its sleep, a rollback", async () => {
    const second = await servingBuild(`domains-${tag}-2`, await upstream("second build"));
    await core.followBuild(second.id);
    expect(await viaCaddy(`http://${domainName}`, "/")).toMatchObject({ status: 200, body: "second build" });
    await core.routeBuildToWake(second.id, second.host);
    const route = (await core.domainRoute(branchId)) as { handle: { uri?: string }[] };
    expect(route.handle[0]?.uri).toBe(core.wakePath(second.id));
    // The second build failed after all: production is routed back to the first.
    await prisma().build.update({ where: { id: second.id }, data: { result: "FAILED" } });
    await core.routeBuild(first.id, first.host, first.httpPort as number);
    expect(await viaCaddy(`http://${domainName}`, "/")).toMatchObject({ status: 200, body: "first build" });
  });

  it("stops serving a removed domain", async () => {
    const [domain] = await core.listDomains(actor, projectId, branchId);
    await core.removeDomain(actor, projectId, branchId, domain?.id as string);
    expect(await core.listDomains(actor, projectId, branchId)).toEqual([]);
    expect((await viaCaddy(`http://${domainName}`, "/")).body).not.toBe("first build");
    expect(await core.domainRoute(branchId)).toBeNull();
    expect(await core.servesHost(domainName)).toBe(false);
  });
});
