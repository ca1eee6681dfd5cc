// scheduleJob on real Redis: one schedule per id however often it is set up, the catalog's
// attempts and payload in its template, a changed repeat replacing it, null removing it.
import { scheduleJob } from "@gantry/queue";
import { describe, expect, it } from "vitest";
import { perTestQueueContext } from "./support";

const queueContext = perTestQueueContext();

describe("scheduleJob", () => {
  it("keeps one schedule per id, replaced when its repeat changes and removed by null", async () => {
    const queue = queueContext().queue("maintenance");
    // Every worker start sets the schedule up again.
    for (const _start of [1, 2])
      await scheduleJob(
        "maintenance.odoo-versions",
        "versions",
        { every: 60_000 },
        { keep: 50 },
        queueContext(),
      );
    expect(await queue.getJobSchedulersCount()).toBe(1);
    const first = await queue.getJobScheduler("versions");
    expect(first).toMatchObject({ name: "maintenance.odoo-versions", every: 60_000 });
    expect(first?.template?.opts).toMatchObject({ attempts: 1, removeOnComplete: { count: 50 } });

    await scheduleJob(
      "maintenance.odoo-versions",
      "versions",
      { pattern: "0 3 * * *", tz: "UTC" },
      {},
      queueContext(),
    );
    expect(await queue.getJobSchedulersCount()).toBe(1);
    expect(await queue.getJobScheduler("versions")).toMatchObject({ pattern: "0 3 * * *", tz: "UTC" });

    await scheduleJob("maintenance.odoo-versions", "versions", null, {}, queueContext());
    expect(await queue.getJobSchedulersCount()).toBe(0);
  });

  it("puts the job on its catalog queue and refuses a payload the catalog refuses", async () => {
    await scheduleJob("backups.daily", "daily", { pattern: "0 2 * * *", tz: "UTC" }, {}, queueContext());
    expect(await queueContext().queue("backups").getJobScheduler("daily")).toMatchObject({
      name: "backups.daily",
    });
    expect(await queueContext().queue("maintenance").getJobSchedulersCount()).toBe(0);
    await expect(
      scheduleJob(
        "backups.daily",
        "daily",
        { every: 1000 },
        { payload: { extra: 1 } as never },
        queueContext(),
      ),
    ).rejects.toThrow();
  });
});
