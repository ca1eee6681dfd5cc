import type { ContainerStats as DockerStats } from "dockerode";
import type { ContainerStats, ContainerUsage } from "./types";

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
  return { cpuPercent: Math.round(cpuPercent * 100) / 100, ...memoryOf(raw) };
}

function memoryOf(raw: DockerStats): { memoryBytes: number; memoryLimitBytes: number } {
  const memory = raw.memory_stats as { usage?: number; limit?: number; stats?: Record<string, number> };
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? memory.stats?.cache ?? 0;
  return { memoryBytes: Math.max(0, (memory.usage ?? 0) - cache), memoryLimitBytes: memory.limit ?? 0 };
}

/**
 * One reading without a second one to compare with (the engine's one-shot stats): the CPU time
 * used so far, from which a caller with an earlier reading takes the percent, and memory.
 */
export function usageOf(raw: DockerStats): ContainerUsage {
  return { cpuUsageNs: raw.cpu_stats.cpu_usage.total_usage, ...memoryOf(raw) };
}
