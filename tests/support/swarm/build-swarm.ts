// The Swarm a build test environment runs on when the suites run with RUNTIME=swarm (the test
// command's switch): a node for each stage's pool (development twice, production, staging: a
// staging build's work is placed on the staging pool and waits for ever without one), the build
// database clusters relayed to them, Gantry's addons and the environments' data dirs shared
// with every node, and the runtime's settings pointed at it.
//
// The integration-swarm project forms one for the whole run (run-swarm.ts, a global setup):
// each file's data dir is made under the folder it shares, and the images the nodes pulled
// stay for the next file. A file run otherwise (`RUNTIME=swarm scripts/dev-test integration
// FILE`) forms its own, which setup.ts tears down after the file.
import { GANTRY_ADDONS_DIR } from "@gantry/odoo";
import { inject } from "vitest";
import { DEV_CLUSTER, PROD_CLUSTER } from "../clusters";
import { postgresSocketOf, type SwarmCluster, type SwarmInfo, startSwarm, swarmRuntimeEnv } from "./cluster";

/** The run's Swarm as the global setup hands it to the files: all but its teardown. */
export type SharedSwarm = SwarmInfo & {
  /** The folder every node sees, under which each file makes its data dir. */
  dataRoot: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    buildSwarm: SharedSwarm | null;
  }
}

/** The switch: the build suites run on a test Swarm instead of the machine's engine. */
export function onSwarm(): boolean {
  return process.env.RUNTIME === "swarm";
}

/** The Swarm's pools, a node each: the three nodes, and staging's. */
export const BUILD_SWARM_POOLS = ["development", "development", "production", "staging"];

/**
 * A Swarm of a node per pool (the build suite's by default) with the build clusters relayed and
 * `sharedPaths` seen by every node.
 */
export function formTestSwarm(
  prefix: string,
  sharedPaths: string[],
  pools: string[] = BUILD_SWARM_POOLS,
): Promise<SwarmCluster> {
  return startSwarm(pools, prefix, {
    postgresSockets: {
      [DEV_CLUSTER.port]: postgresSocketOf(DEV_CLUSTER.port),
      [PROD_CLUSTER.port]: postgresSocketOf(PROD_CLUSTER.port),
    },
    // The builds' folders (work trees, filestores, logs) and Gantry's addons: shared storage.
    sharedPaths: [...sharedPaths, GANTRY_ADDONS_DIR],
  });
}

let formed: SwarmCluster | undefined;

/**
 * The Swarm for an environment whose data dir is made by `makeDataDir(parent?)` (under `parent`
 * when given): the run's, or one formed for this file (replacing an earlier environment's: the
 * nodes see only the folders shared when they started). RUNTIME and the SWARM_* settings then
 * name it.
 */
export async function useBuildSwarm(
  prefix: string,
  makeDataDir: (parent?: string) => Promise<string>,
): Promise<{ cluster: SwarmInfo; dataDir: string }> {
  const shared = inject("buildSwarm") ?? null;
  let cluster: SwarmInfo;
  let dataDir: string;
  if (shared) {
    cluster = shared;
    dataDir = await makeDataDir(shared.dataRoot);
  } else {
    dataDir = await makeDataDir();
    await teardownBuildSwarm();
    formed = await formTestSwarm(`gsw-${prefix}`, [dataDir]);
    cluster = formed;
  }
  const settings = swarmRuntimeEnv(cluster);

  before ??= Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  return { cluster, dataDir };
}

/** The settings as they were before the first environment on a Swarm, put back at the end. */
let before: Record<string, string | undefined> | undefined;

/** Removes the Swarm this file formed, if it formed one. */
export async function teardownBuildSwarm(): Promise<void> {
  const cluster = formed;
  formed = undefined;
  await cluster?.teardown();
}

/** After the file: its own Swarm gone, RUNTIME and SWARM_* as they were. */
export async function endBuildSwarm(): Promise<void> {
  await teardownBuildSwarm();
  for (const [key, value] of Object.entries(before ?? {})) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  before = undefined;
}
