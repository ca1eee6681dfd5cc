import { describe, expect, it } from "vitest";
import { publicHealth } from "./public";
import type { SystemHealth } from "./system";

describe("the public health report", () => {
  it("keeps states, latencies and counts, and drops every text and worker identity", () => {
    const report: SystemHealth = {
      status: "fail",
      failing: ["docker"],
      components: {
        database: { ok: true, latencyMs: 3, message: "accepting queries" },
        migrations: { ok: true, latencyMs: 4, message: "up to date" },
        redis: { ok: true, latencyMs: 1, message: "reachable at 10.1.2.3:6379" },
        docker: {
          ok: false,
          latencyMs: 2,
          message: "worker w1@build-host-7: connect ECONNREFUSED /var/run/docker.sock",
        },
        worker: { ok: true, latencyMs: 1, message: "1 worker alive" },
      },
      workers: [
        {
          workerId: "w1@build-host-7",
          lastSeen: "2026-12-01T00:00:00.000Z",
          hostname: "build-host-7",
          pid: 42,
        },
      ],
      workerCount: 1,
      queues: [{ name: "builds", waiting: 2, active: 1, delayed: 0, failed: 3 }],
      checkedAt: "2026-12-01T00:00:00.000Z",
    };
    const shown = publicHealth(report);
    const text = JSON.stringify(shown);
    for (const secret of [
      "10.1.2.3",
      "build-host-7",
      "ECONNREFUSED",
      "docker.sock",
      "up to date",
      "accepting",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(shown.workers).toEqual([]);
    expect(shown.workerCount).toBe(1);
    expect(shown.queues).toEqual(report.queues);
    expect(shown.failing).toEqual(["docker"]);
    expect(shown.components.docker).toEqual({ ok: false, latencyMs: 2, message: "failing" });
    expect(shown.components.redis.message).toBe("operational");
  });
});
