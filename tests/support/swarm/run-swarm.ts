// Global setup of the integration-swarm project: one test Swarm for the whole run
// (build-swarm.ts), handed to the files with `provide`, torn down after the last file. Forming
// it and pushing the Odoo image to its registry once, not once per file, is most of what the
// Swarm adds to the run's time.
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { formTestSwarm } from "./build-swarm";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataRoot = await mkdtemp(join(tmpdir(), "gantry-swarm-data-"));
  await chmod(dataRoot, 0o755);
  const { teardown, ...cluster } = await formTestSwarm(`gsw-${randomBytes(4).toString("hex")}`, [dataRoot]);
  project.provide("buildSwarm", { ...cluster, dataRoot });
  return async () => {
    await teardown();
    await rm(dataRoot, { recursive: true, force: true });
  };
}
