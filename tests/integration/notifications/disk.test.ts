// The disk threshold: a build whose database and filestore pass its project's threshold is
// told once, however many collections see it over; back under and over again is told again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScratchDatabase } from "../../support/databases";
import { usePrivateQueues, useWebDatabase } from "../web/signed-in";

const MB = 1024n * 1024n;
let db: ScratchDatabase;
let prisma: typeof import("@gantry/db").prisma;
let core: typeof import("@gantry/core");
let projectId: string;
let buildId: string;

beforeAll(async () => {
  db = await useWebDatabase();
  usePrivateQueues();
  prisma = (await import("@gantry/db")).prisma;
  core = await import("@gantry/core");
  projectId = (
    await prisma().project.create({
      data: {
        slug: "disk",
        name: "Disk",
        githubOwner: "acme",
        githubRepo: "disk",
        odooSeries: "17.0",
        diskAlertMb: 10,
      },
    })
  ).id;
  const branch = await prisma().branch.create({ data: { projectId, name: "main", stage: "PRODUCTION" } });
  buildId = (
    await prisma().build.create({
      data: {
        projectId,
        branchId: branch.id,
        stage: "PRODUCTION",
        commitSha: "d".repeat(40),
        status: "DONE",
      },
    })
  ).id;
});

afterAll(async () => {
  const queue = await import("@gantry/queue");
  await queue
    .defaultQueueContext()
    .queue("notifications")
    .obliterate({ force: true })
    .catch(() => {});
  await queue.closeDefaultQueueContext();
  await prisma().$disconnect();
  await db.drop();
});

const figure = (mb: bigint) => [{ buildId, dbSizeBytes: mb * MB - 3n * MB, filestoreBytes: 3n * MB }];
const notices = () =>
  prisma().notificationDelivery.findMany({ where: { projectId, event: "disk.over_threshold" } });

describe("disk threshold", () => {
  it("is told once per crossing, database and filestore together", async () => {
    expect(await core.checkDiskThresholds(figure(9n))).toEqual([]);
    expect(await core.checkDiskThresholds(figure(11n))).toEqual([buildId]);
    expect(await core.checkDiskThresholds(figure(12n))).toEqual([]);
    const first = await notices();
    // The default channel (mail to the Admins) wants it.
    expect(first).toHaveLength(1);
    expect(first[0]?.title).toBe("Disk over the threshold: Disk / main");
    expect(JSON.stringify(first[0]?.payload)).toContain("Database and filestore: 11 MB (threshold 10 MB)");

    expect(await core.checkDiskThresholds(figure(8n))).toEqual([]);
    expect(await prisma().notificationDiskAlert.count()).toBe(0);
    expect(await core.checkDiskThresholds(figure(11n))).toEqual([buildId]);
    expect(await notices()).toHaveLength(2);
  });

  it("says nothing for a project without a threshold", async () => {
    await prisma().project.update({ where: { id: projectId }, data: { diskAlertMb: null } });
    expect(await core.checkDiskThresholds(figure(500n))).toEqual([]);
    // Its standing alert goes: a threshold set later starts from a clean slate.
    expect(await prisma().notificationDiskAlert.count()).toBe(0);
  });
});
