// Development builds end to end through the queue and a real worker: fixture repository on
// disk, the stand-in Odoo image, the development PostgreSQL cluster, a template database.
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_REPO } from "../../support/odoo-target";
import { type BuildSuite, startBuildSuite } from "./suite";
import { DEV_CLUSTER, shaOf } from "./support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;
/** The clean branch's serving container and the secrets its config file holds (first test). */
let served: { name: string; secrets: string[] };

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  projectId = (await suite.project("acme", { name: "ACME" })).id;
}, 180_000);

afterAll(() => suite?.close(), 120_000);

async function pushBuild(branchName: string) {
  const branch = await prisma().branch.upsert({
    where: { projectId_name: { projectId, name: branchName } },
    update: {},
    create: { projectId, name: branchName, stage: "DEVELOPMENT" },
  });
  const sha = await shaOf(join(suite.env.repos, `${FIXTURE_REPO}.git`), branchName);
  return suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
}

function finished(buildId: string) {
  return suite.ended(buildId, 300_000);
}

describe("development builds", () => {
  it("a clean branch is green, served, answers /web/login, with its phases and logs recorded", async () => {
    const id = await pushBuild("main");
    const build = await finished(id);
    expect(build.errorSummary).toBeNull();
    expect(build.result).toBe("SUCCESS");
    const phases = Object.fromEntries(build.phases.map((p) => [p.name, p.status]));
    expect(phases).toEqual({
      code: "DONE",
      image: "DONE",
      database: "DONE",
      install: "DONE",
      tests: "DONE",
      serve: "DONE",
    });
    expect(build.httpPort).toBeGreaterThan(0);
    // The row says where it serves: the node the runtime places it on.
    const nodes = await suite.runtime.nodes();
    const node = nodes.find((n) => n.work.some((w) => w.build === id));
    expect(node).toBeDefined();
    expect(build.servingNode).toBe(node?.hostname);
    // Where the runtime publishes it: 127.0.0.1 on one host, the task's node on a Swarm.
    const address = await suite.runtime.publishedAddress(
      build.containerName as string,
      build.httpPort as number,
    );
    const login = await fetch(`http://${address}/web/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(/login/i);
    // Through Caddy: the build's URL host, on Caddy's HTTP listener.
    expect(build.url).toMatch(/^http:\/\/acme-/);
    const host = new URL(build.url as string).host;
    const { config } = await import("@gantry/config");
    const listenPort = Number(config().CADDY_HTTP_LISTEN.split(":").pop());
    const viaCaddy = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: "127.0.0.1", port: listenPort, path: "/web/login", headers: { host } },
        (response) => {
          let body = "";
          response.on("data", (chunk) => {
            body += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on("error", reject);
      request.end();
    });
    expect(viaCaddy.status).toBe(200);
    expect(viaCaddy.body).toMatch(/login/i);
    const { readFile } = await import("node:fs/promises");
    const tests = await readFile(join(suite.env.dataDir, "builds", id, "logs", "tests.log"), "utf8");
    expect(tests).toMatch(/Starting \w+\.test_\w+/);
    expect(tests).toContain("Modules loaded.");
    // The build's database belongs to the build's own role.
    const server = build.dbServerId
      ? await prisma().dbServer.findUniqueOrThrow({ where: { id: build.dbServerId } })
      : null;
    expect(server?.port).toBe(DEV_CLUSTER.port);
    expect(build.databaseRole).toBe(build.databaseName);
    // Odoo's master password: random, encrypted in the row, in a read-only config file only.
    const { masterPasswordOf } = await import("@gantry/core");
    const master = await masterPasswordOf(id);
    expect(master).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Connect's key of this build goes there too, and nowhere else.
    const { connectKeyOf } = await import("@gantry/core");
    const connectKey = connectKeyOf(id);
    const conf = await suite.runtime.exec(build.containerName as string, ["cat", "/etc/odoo/gantry.conf"]);
    expect(conf.stdout.trim()).toBe(
      `[options]\nadmin_passwd = ${master}\ngantry_connect_key = ${connectKey}`,
    );
    served = { name: build.containerName as string, secrets: [master as string, connectKey] };
  }, 400_000);

  it("the served container's command line names the config file and carries no secret", async () => {
    const { DockerRuntime } = await import("@gantry/runtime");
    const inspected = await new DockerRuntime().docker.getContainer(served.name).inspect();
    expect(inspected.Config.Cmd).toContain("/etc/odoo/gantry.conf");
    expect(inspected.Config.Cmd).toContain("--load=base,web,gantry_connect");
    for (const secret of served.secrets) {
      expect(JSON.stringify([inspected.Config.Cmd, inspected.Config.Env])).not.toContain(secret);
    }
    expect(inspected.HostConfig.NetworkMode).toMatch(/^gantry-.*-iso$/);
  });

  it("a failing test is red with the failure in the summary; the template is reused", async () => {
    const id = await pushBuild("fail-at-install");
    const build = await finished(id);
    expect(build.result).toBe("FAILED");
    expect(build.errorSummary).toMatch(/FAIL/);
    const database = build.phases.find((p) => p.name === "database");
    expect(database?.message).toMatch(/cached/);
  }, 400_000);

  it("a warning is yellow", async () => {
    const id = await pushBuild("warning");
    const build = await finished(id);
    expect(build.result).toBe("WARNING");
  }, 400_000);
});
