// Many development builds queued at once on one worker, each on a branch of its own (a branch
// builds one commit at a time): how long until the last one ended, and builds per minute.
import { until } from "./platform";

export interface BurstInput {
  projectId: string;
  count: number;
  sha: string;
  /** Queues one build row on the worker under test. */
  enqueue(buildId: string): Promise<unknown>;
}

export interface BurstResult {
  ms: number;
  done: number;
  failed: string[];
  perMinute: number;
  /** The serving container or service of each successful build. */
  served: string[];
}

export async function buildBurst(input: BurstInput): Promise<BurstResult> {
  const { prisma } = await import("@gantry/db");
  const tag = Date.now().toString(36);
  const ids: string[] = [];
  for (let i = 0; i < input.count; i += 1) {
    const branch = await prisma().branch.create({
      data: { projectId: input.projectId, name: `burst-${tag}-${i}`, stage: "DEVELOPMENT" },
    });
    const row = await prisma().build.create({
      data: {
        projectId: input.projectId,
        branchId: branch.id,
        stage: "DEVELOPMENT",
        commitSha: input.sha,
        trigger: "push",
      },
    });
    ids.push(row.id);
  }
  // Rows first, then every job at once: the clock starts when the first one is queued.
  const started = Date.now();
  await Promise.all(ids.map((id) => input.enqueue(id)));
  const ended = await until(
    `${input.count} builds`,
    async () => {
      const rows = await prisma().build.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          status: true,
          result: true,
          errorSummary: true,
          finishedAt: true,
          containerName: true,
        },
      });
      return rows.every((r) => r.status === "DONE" || r.status === "CANCELLED") ? rows : undefined;
    },
    3_600_000,
    1000,
  );
  const last = Math.max(...ended.map((r) => r.finishedAt?.getTime() ?? Date.now()));
  const ok = ended.filter((r) => r.result === "SUCCESS");
  const ms = last - started;
  return {
    ms,
    done: ok.length,
    failed: ended.filter((r) => r.result !== "SUCCESS").map((r) => `${r.id}: ${r.result} ${r.errorSummary}`),
    perMinute: ok.length / (ms / 60_000),
    served: ok.map((r) => r.containerName).filter((name): name is string => name !== null),
  };
}

/** "n1 (development): tests 20, serve 19; …" from the `node role` starts and the serving nodes. */
export function landing(
  nodes: { name: string; pool: string }[],
  starts: string[],
  servingNodes: (string | undefined)[],
): string {
  return nodes
    .map((node) => {
      const roles = new Map<string, number>();
      for (const start of starts) {
        const [name, role] = start.split(" ");
        if (name === node.name && role) roles.set(role, (roles.get(role) ?? 0) + 1);
      }
      const serving = servingNodes.filter((n) => n === node.name).length;
      const started = [...roles].map(([role, n]) => `${role} ${n}`).join(", ") || "nothing";
      return `${node.name} (${node.pool}): started ${started}; serving at the end ${serving}`;
    })
    .join("\n    ");
}
