// The escape module (fixture branch `escape` of acme17): its test tries, from inside a real
// development build, every way out a hostile module would (host ports through the gateway,
// Gantry's database and the clusters' administrators, other databases of its server, the
// Docker socket, process 1's environment, capabilities). The build is green only when its test
// saw every attempt fail; the same attempts then run in the serving container.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildSuite, startBuildSuite } from "../builds/suite";
import { shaOf } from "../builds/support";

let suite: BuildSuite;
let prisma: typeof import("@gantry/db").prisma;
let projectId: string;

beforeAll(async () => {
  suite = await startBuildSuite({ queues: ["builds"] });
  prisma = (await import("@gantry/db")).prisma;
  projectId = (await suite.project("escape", { name: "Escape" })).id;
}, 180_000);

afterAll(() => suite?.close(), 120_000);

describe("a module that tries to leave its build", () => {
  it("fails at every attempt during its tests and while served", async () => {
    // A neighbour: another project's build, whose database the module must not enter.
    const neighbourProject = (await suite.project("neighbour", { name: "Neighbour" })).id;
    const neighbourBranch = await prisma().branch.create({
      data: { projectId: neighbourProject, name: "main", stage: "DEVELOPMENT" },
    });
    const neighbour = await suite.ended(
      await suite.push({
        projectId: neighbourProject,
        branchId: neighbourBranch.id,
        stage: "DEVELOPMENT",
        sha: await shaOf(join(suite.env.repos, "acme17.git"), "main"),
      }),
      300_000,
    );
    expect(neighbour.result).toBe("SUCCESS");
    const branch = await prisma().branch.create({
      data: { projectId, name: "escape", stage: "DEVELOPMENT" },
    });
    const sha = await shaOf(join(suite.env.repos, "acme17.git"), "escape");
    const id = await suite.push({ projectId, branchId: branch.id, stage: "DEVELOPMENT", sha });
    const build = await suite.ended(id, 300_000);
    const tests = await readFile(join(suite.env.dataDir, "builds", id, "logs", "tests.log"), "utf8");
    // The attempts ran (a test that never ran would leave the build green too).
    expect(tests).toContain("test_every_escape_fails");
    expect(tests, tests.slice(-4000)).toContain("escape attempts that succeeded: none");
    // It did try the neighbour's database (the check is not vacuous).
    expect(tests).toMatch(new RegExp(`escape probed databases: \\[[^\\]]*'${neighbour.databaseName}'`));
    expect(build.result).toBe("SUCCESS");
    expect(Object.fromEntries(build.phases.map((p) => [p.name, p.status]))).toMatchObject({
      tests: "DONE",
      serve: "DONE",
    });

    const served = await suite.runtime.exec(build.containerName as string, [
      "python3",
      "/mnt/extra-addons/acme_escape/escape.py",
      build.databaseName as string,
    ]);
    // Its last line is the attempts that succeeded (the one before, the databases it tried).
    expect(served.stdout.trim().split("\n").pop(), served.stdout + served.stderr).toBe("[]");
    expect(served.exitCode).toBe(0);
  });
});
