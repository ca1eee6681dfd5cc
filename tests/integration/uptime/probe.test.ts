// The uptime probe against real services: a production build (stand-in Odoo in Docker, the
// production cluster) is probed up; its container stopped, two failed probes open an incident
// whose cause is the engine's (exited), "production down" is announced once the incident has
// lasted the project's minutes, a deploy window counts neither way, and the build serving again
// closes it with "back up". Time is given to the probe, never waited for. Then the causes the
// answer gives (5xx, timeout) and the engine's OOM kill, and the project's status as its API
// returns it.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Actor, ProbeTarget } from "@gantry/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { shaOf, waitFor } from "../builds/support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let probe: typeof import("../../../apps/worker/src/uptime/probe");
let projectId: string;
let branchId: string;
let target: ProbeTarget;

const minute = 60_000;
// Probe times: a quarter of an hour ago onwards, so that "now" windows hold them all.
const t0 = Date.now() - 15 * minute;
const at = (minutes: number) => new Date(t0 + minutes * minute);
const user = (): Actor => ({
  userId: randomBytes(6).toString("hex"),
  isAdmin: false,
  memberships: { [projectId]: "USER" },
  tokenProjectIds: null,
});

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  probe = await import("../../../apps/worker/src/uptime/probe");
  projectId = (await suite.project("uptime", { name: "Uptime" })).id;
  branchId = (await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } })).id;
  const sha = await shaOf(join(suite.env.repos, "acme17.git"), "main");
  const build = await suite.ended(
    await suite.push({ projectId, branchId, stage: "PRODUCTION", sha }),
    400_000,
  );
  expect(build.result, build.errorSummary ?? "").toBe("SUCCESS");
}, 500_000);

afterAll(() => suite?.close(), 120_000);

const logger = () => core.createLogger("test");
const round = (minutes: number) =>
  probe.probeProduction(suite.runtime, logger(), { now: at(minutes), targets: [target] });
const lastProbe = () =>
  prisma().productionProbe.findFirstOrThrow({ where: { branchId }, orderBy: { at: "desc" } });
const incidents = () => prisma().productionIncident.findMany({ where: { branchId } });
const audits = (action: string) => prisma().auditEvent.findMany({ where: { projectId, action } });

describe("the production probe", () => {
  it("probes up, opens an incident with its cause when the container stops, and closes it when it serves again", async () => {
    const targets = (await core.probeTargets()).filter((t) => t.branchId === branchId);
    expect(targets).toHaveLength(1);
    target = targets[0] as ProbeTarget;
    expect(target.downAlertMinutes).toBe(3);

    expect(await round(0)).toMatchObject({ probed: 1, down: 0 });
    expect(await lastProbe()).toMatchObject({ outcome: "UP", httpStatus: 200, buildId: target.buildId });

    await suite.runtime.stop(target.containerName as string, 2);
    await round(1);
    expect(await lastProbe()).toMatchObject({ outcome: "DOWN", cause: "container_exited" });
    // One failure is not an incident yet.
    expect(await incidents()).toHaveLength(0);
    expect(await round(2)).toMatchObject({ down: 1, opened: 1 });
    const [opened] = await incidents();
    expect(opened).toMatchObject({
      cause: "container_exited",
      endedAt: null,
      failures: 2,
      buildId: target.buildId,
    });
    expect(opened?.startedAt).toEqual(at(1));
    expect(opened?.detail).toMatch(/^exit code \d+$/);
    expect(await audits("production.down")).toHaveLength(0);

    // Three minutes after it started: production down, announced once.
    await round(4);
    await round(5);
    const down = await audits("production.down");
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ target: branchId });
    expect(down[0]?.data).toMatchObject({ cause: "container_exited", incidentId: opened?.id });
    // Told through the project's channels: its first one (mail to the Admins) wants it.
    const told = await prisma().notificationDelivery.findMany({
      where: { projectId, event: "production.down" },
    });
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toMatch(/^Production down: /);

    // A deploy window (a build of the branch running): recorded, counted neither way.
    const deploy = await prisma().build.create({
      data: { projectId, branchId, stage: "PRODUCTION", commitSha: "d".repeat(40), status: "RUNNING" },
    });
    expect(await round(6)).toMatchObject({ maintenance: 1, down: 0 });
    expect(await lastProbe()).toMatchObject({ outcome: "MAINTENANCE" });
    expect((await incidents())[0]?.failures).toBe(4);
    await prisma().build.delete({ where: { id: deploy.id } });

    await suite.runtime.start(target.containerName as string);
    await waitFor(
      "production to answer again",
      async () => (await probe.probeTarget(suite.runtime, target)).outcome === "UP" || undefined,
      120_000,
    );
    expect(await round(7)).toMatchObject({ closed: 1 });
    const [closed] = await incidents();
    expect(closed?.endedAt).toEqual(at(7));
    expect(await audits("production.up")).toHaveLength(1);
    expect(await audits("production.down")).toHaveLength(1);
    const back = await prisma().notificationDelivery.findMany({
      where: { projectId, event: "production.up" },
    });
    expect(back.map((d) => d.title)).toEqual([expect.stringMatching(/^Production back up: /)]);

    // The project's status: probes at 0..7 but 3 (none) and 6 (maintenance): 2 up of 6 counted.
    const status = await core.projectStatus(user(), projectId, at(8));
    const [branch] = status.branches;
    expect(branch).toMatchObject({ branchId, name: "main", state: "up" });
    expect(branch?.uptime).toEqual({ day: 33.333, week: 33.333, month: 33.333 });
    expect(branch?.incidents).toEqual([
      expect.objectContaining({
        cause: "container_exited",
        durationMs: 6 * minute,
        endedAt: at(7).toISOString(),
      }),
    ]);
    const counted = branch?.hours.reduce((sum, bar) => sum + bar.up + bar.down + bar.maintenance, 0);
    expect(counted).toBe(7);
    // The day strip (the probes may straddle midnight UTC: the last two days hold them all).
    const days = branch?.days.slice(-2) ?? [];
    expect(
      ["up", "down", "maintenance"].map((k) => days.reduce((n, d) => n + (d[k as "up"] ?? 0), 0)),
    ).toEqual([2, 4, 1]);
  }, 300_000);

  it("names a 5xx answer and a timeout, the engine's OOM kill, and a build replaced mid-probe as maintenance", async () => {
    let mode: "error" | "hang" = "error";
    const server: Server = createServer((_request, response) => {
      if (mode === "hang") return; // never answers
      response.statusCode = 502;
      response.end("bad gateway");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const fake = { ...target, httpPort: port };
      expect(await probe.probeTarget(suite.runtime, fake)).toMatchObject({
        outcome: "DOWN",
        cause: "http_5xx",
        httpStatus: 502,
        detail: "HTTP 502",
      });
      mode = "hang";
      expect(await probe.probeTarget(suite.runtime, fake, 300)).toMatchObject({
        outcome: "DOWN",
        cause: "timeout",
      });
    } finally {
      server.closeAllConnections();
      server.close();
    }

    // A container the kernel killed for memory: the runtime says so.
    const name = `gantry-oom-${randomBytes(3).toString("hex")}`;
    const id = await suite.runtime.createContainer({
      name,
      image: "gantry/odoo:17.0",
      entrypoint: ["python3", "-c", "b = bytearray(256 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"],
      memoryBytes: 32 * 1024 * 1024,
      networkMode: "none",
    });
    try {
      await suite.runtime.start(id);
      await suite.runtime.wait(id);
      const closedPort = { ...target, containerName: name, httpPort: 1 };
      expect(await probe.probeTarget(suite.runtime, closedPort)).toMatchObject({
        outcome: "DOWN",
        cause: "oom_killed",
      });
    } finally {
      await suite.runtime.remove(id, true);
    }

    // Probed as serving, then another build took over: the failure is the deploy's, not an outage.
    const stale = { ...target, buildId: "replaced-build", httpPort: 1 };
    expect(
      await probe.probeProduction(suite.runtime, logger(), { now: at(9), targets: [stale] }),
    ).toMatchObject({
      maintenance: 1,
      down: 0,
    });
  }, 120_000);
});
