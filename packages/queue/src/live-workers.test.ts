import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import type { WorkerHeartbeat } from "./heartbeat";
import { isAlive } from "./live-workers";

function beat(host: string, pid: number): WorkerHeartbeat {
  const now = new Date().toISOString();
  return { workerId: "w", hostname: host, pid, queues: [], concurrency: 1, startedAt: now, lastSeen: now };
}

describe("isAlive", () => {
  it("knows a worker of this host dead once its process is gone, before its heartbeat expires", () => {
    const ended = spawnSync(process.execPath, ["-e", ""]).pid;
    expect(isAlive(beat(hostname(), process.pid))).toBe(true);
    expect(isAlive(beat(hostname(), ended))).toBe(false);
  });

  it("takes another host's heartbeat at its word", () => {
    const ended = spawnSync(process.execPath, ["-e", ""]).pid;
    expect(isAlive(beat(`${hostname()}-elsewhere`, ended))).toBe(true);
  });
});
