import { describe, expect, it } from "vitest";
import { assertJobId } from "../job-id";
import { queueNames } from "../queue-names";
import { activeQueues, isJobName, jobCatalog, jobsOfQueue, projectDeletionJobId } from ".";

describe("job catalog", () => {
  it("names each job after its queue and keeps sane limits", () => {
    for (const [name, job] of Object.entries(jobCatalog)) {
      expect(name.startsWith(`${job.queue}.`)).toBe(true);
      expect(queueNames).toContain(job.queue);
      expect(job.attempts).toBeGreaterThanOrEqual(1);
      expect(job.timeoutMs).toBeGreaterThan(0);
    }
  });

  it("lists jobs per queue and the queues in use", () => {
    expect(jobsOfQueue("maintenance")).toEqual([
      "maintenance.diagnostics",
      "maintenance.probe-delay",
      "maintenance.sleep-idle-builds",
      "maintenance.collect-metrics",
      "maintenance.metrics-rollup",
      "maintenance.scan-error-logs",
      "maintenance.probe-production",
      "maintenance.gantry-backup",
      "maintenance.deploy-gates",
      "maintenance.recheck-domains",
      "maintenance.wake-build",
      "maintenance.update-module",
      "maintenance.odoo-versions",
      "maintenance.production-revision",
      "maintenance.nodes",
      "maintenance.node-availability",
    ]);
    expect(activeQueues()).toEqual(["maintenance", "builds", "backups", "migrations", "notifications"]);
    expect(jobsOfQueue("builds")).toEqual([
      "builds.run",
      "builds.remove-branch",
      "builds.close-preview",
      "builds.delete-project",
    ]);
    expect(jobsOfQueue("migrations")).toEqual(["migrations.run", "migrations.await-push"]);
    expect(jobsOfQueue("notifications")).toEqual(["notifications.deliver"]);
    expect(isJobName("maintenance.diagnostics")).toBe(true);
    expect(isJobName("toString")).toBe(false);
  });

  it("rejects payloads that carry more than the job needs", () => {
    const diagnostics = jobCatalog["maintenance.diagnostics"].payload;
    expect(diagnostics.safeParse({}).success).toBe(true);
    expect(diagnostics.safeParse({ requestedBy: "admin" }).success).toBe(true);
    expect(diagnostics.safeParse({ requestedBy: 3 }).success).toBe(false);
    expect(diagnostics.safeParse({ extra: true }).success).toBe(false);
  });

  it("takes a project deletion by id only, under one stable job id", () => {
    const deletion = jobCatalog["builds.delete-project"].payload;
    expect(deletion.safeParse({ projectId: "p1" }).success).toBe(true);
    expect(deletion.safeParse({ projectId: "p1", keepLastBackup: false }).success).toBe(false);
    expect(projectDeletionJobId("p1")).toBe("delete-project-p1");
    expect(assertJobId(projectDeletionJobId("cmabc123"))).toBe("delete-project-cmabc123");
  });

  it("bounds the probe delay", () => {
    const probe = jobCatalog["maintenance.probe-delay"].payload;
    expect(probe.safeParse({ ms: 60_000 }).success).toBe(true);
    expect(probe.safeParse({ ms: 60_001 }).success).toBe(false);
    expect(probe.safeParse({ ms: -1 }).success).toBe(false);
    expect(probe.safeParse({ ms: 1.5 }).success).toBe(false);
  });
});
