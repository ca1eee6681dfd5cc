// What every Odoo run of a development build shares: the database as the containers reach
// it, the module installation setting, and the test tags of its test run.
import { endPhase } from "@gantry/core";
import { buildTestTags, type CommonOptions, type DbConnection, type TestOptions } from "@gantry/odoo";
import { type BuildContext, inContainer, ODOO_DATA_MOUNT, PhaseError, runOdoo } from "../context";
import type { PreparedDatabase } from "./types";

export interface DevRun {
  /** Full installation: every module, no tests. */
  full: boolean;
  common: CommonOptions;
  /** The build's own role, as the host reaches the database. */
  connection: DbConnection;
  /** `--test-tags`, and where it comes from (for the tests phase). */
  tags: { spec: string; source: "branch" | "default" } | null;
}

export async function devRun(ctx: BuildContext, prepared: PreparedDatabase): Promise<DevRun> {
  const full = ctx.branch.moduleInstall === "FULL";
  return {
    full,
    common: {
      db: prepared.database,
      connection: await inContainer(ctx, prepared.connection),
      omitPassword: true,
      addonsPath: ctx.code.addonsPath,
      dataDir: ODOO_DATA_MOUNT,
    },
    connection: prepared.connection,
    tags: full ? null : testTags(ctx),
  };
}

/**
 * The branch's test tags, or Odoo.sh's default: the standard tests of the modules the build
 * asked for (`/module,...`), never those of their dependencies. Tags saved before they were
 * checked, and no longer Odoo's syntax, fail the tests phase saying so.
 */
function testTags(ctx: BuildContext): DevRun["tags"] {
  const custom = ctx.branch.testTags?.trim();
  try {
    const spec = buildTestTags(custom ? { custom } : { modules: ctx.code.plan.modules });
    return spec ? { spec, source: custom ? "branch" : "default" } : null;
  } catch (error) {
    throw new PhaseError("tests", `the branch's test tags are not valid: ${(error as Error).message}`);
  }
}

function describeTags(run: DevRun): string {
  if (!run.tags) return "Odoo's default tests";
  return `--test-tags ${run.tags.spec}${run.tags.source === "branch" ? " (branch setting)" : " (the branch's modules)"}`;
}

/**
 * Phase "tests": one Odoo run with `--test-enable` and the build's tags, in tests.log. Exit 1
 * is failed tests: the database is there and can still be served.
 */
export async function runDevTests(
  ctx: BuildContext,
  run: DevRun,
  command: (tests: TestOptions) => string[],
  /** What the run does besides testing, for the phase's message (an update). */
  detail?: string,
): Promise<void> {
  await ctx.step("tests", async () => {
    const logFile = ctx.log("tests.log");
    const exitCode = await runOdoo(ctx, {
      role: "tests",
      cmd: command(run.tags ? { tags: run.tags.spec } : {}),
      connection: run.connection,
      dataDir: ctx.ws.data,
      logFile,
    });
    ctx.runs.push({ logFile, exitCode });
    if (exitCode !== 0 && exitCode !== 1) {
      throw new PhaseError(
        "tests",
        `Odoo could not ${detail ? "update" : "initialize"} the database (exit ${exitCode}); see tests.log`,
      );
    }
    const tags = describeTags(run);
    await endPhase(ctx.id, "tests", exitCode === 0 ? "DONE" : "FAILED", {
      message: `${exitCode === 0 ? "tests passed" : "tests failed"}: ${tags}${detail ? `; ${detail}` : ""}`,
      output: { testTags: run.tags?.spec ?? null, tagsSource: run.tags?.source ?? null },
    });
  });
}
