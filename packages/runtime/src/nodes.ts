// What both runtimes share about nodes: the work a node runs, read from Gantry's labels, and its
// CPU and memory use from two cheap readings (cumulative CPU time, so one reading says nothing).
import { managedLabel } from "./labels";
import type { ContainerUsage, NodeWork } from "./types";

/** Said when a runtime cannot change a node's availability (one host has nowhere to move work). */
export class NodeAvailabilityRefused extends Error {
  override readonly name = "NodeAvailabilityRefused";
}

/** How long CPU time is sampled for a node listing: long enough to mean something, short to wait. */
export const USAGE_SAMPLE_MS = 500;

export interface LabelledWork {
  /** The name usage is read by (a container's name or id). */
  key: string;
  name: string;
  labels: Record<string, string>;
}

export interface WorkUse {
  cpuPercent: number;
  memoryBytes: number;
}

/** Whether labels mark work as Gantry's (the engine's filters are not trusted alone). */
export function isManaged(labels: Record<string, string> | undefined): boolean {
  return labels?.[managedLabel] === "true";
}

/** A node's work as the page shows it: owner and role from the labels, use when known. */
export function workOf(item: LabelledWork, use: WorkUse | undefined): NodeWork {
  const label = (key: string) => item.labels[key] ?? null;
  return {
    name: item.name,
    project: label("gantry.project"),
    branch: label("gantry.branch"),
    build: label("gantry.build"),
    role: label("gantry.role"),
    cpuPercent: use ? use.cpuPercent : null,
    memoryBytes: use ? use.memoryBytes : null,
  };
}

/** CPU percent (100 = one CPU) between two readings `elapsedMs` apart, and the latest memory. */
export function useBetween(before: ContainerUsage, after: ContainerUsage, elapsedMs: number): WorkUse {
  const cpuNs = Math.max(0, after.cpuUsageNs - before.cpuUsageNs);
  const cpuPercent = elapsedMs > 0 ? (cpuNs / (elapsedMs * 1e6)) * 100 : 0;
  return { cpuPercent: Math.round(cpuPercent * 10) / 10, memoryBytes: after.memoryBytes };
}

/** Reads usage twice, `sampleMs` apart; work that stopped in between is left out. */
export async function sampleUse(
  read: (keys: readonly string[]) => Promise<Map<string, ContainerUsage>>,
  keys: readonly string[],
  sampleMs = USAGE_SAMPLE_MS,
): Promise<Map<string, WorkUse>> {
  const found = new Map<string, WorkUse>();
  if (keys.length === 0) return found;
  const first = await read(keys);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const second = await read([...first.keys()]);
  const elapsed = performance.now() - started;
  for (const [key, after] of second) {
    const before = first.get(key);
    if (before) found.set(key, useBetween(before, after, elapsed));
  }
  return found;
}
