import type { ContainerStats as DockerStats } from "dockerode";
import type { ContainerStats } from "./types";

/**
 * CPU percent the way `docker stats` computes it: the container's share of the host's CPU
 * time between two samples, times the number of CPUs. Memory excludes the page cache, which
 * the kernel can reclaim at will.
 */
export function summarizeStats(raw: DockerStats): ContainerStats {
  const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - (raw.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = raw.cpu_stats.online_cpus ?? raw.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = raw.memory_stats as { usage?: number; limit?: number; stats?: Record<string, number> };
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? memory.stats?.cache ?? 0;
  const usage = memory.usage ?? 0;
  return {
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryBytes: Math.max(0, usage - cache),
    memoryLimitBytes: memory.limit ?? 0,
  };
}
