// An upgrade attempt left RUNNING by a dead worker can be found twice at once: by its job handed
// out again and by a starting worker's pass. Each takes the attempt up (compare-and-set on its
// worker) before putting anything back, so exactly one of them ends it. A rehearsal whose
// worker died keeps nothing but its upgrade.log once it is ended as interrupted: the branch's
// code checked out for it goes with its copies (the one ended by another worker kept it for good;
// found by the worker-kill fault trials).
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../backups/support";
import { type BuildTestEnv, useBuildTestEnv } from "../builds/support";

let env: BuildTestEnv;
let prisma: typeof import("@gantry/db").prisma;

beforeAll(async () => {
  env = await useBuildTestEnv();
  prisma = (await import("@gantry/db")).prisma;
}, 120_000);

/** A rehearsal left RUNNING by a worker that died ("dead-worker"). */
function deadRehearsal(
  projectId: string,
  branchId: string,
  data: { fromSeries: string; toSeries: string; steps?: { name: string; status: string }[] },
) {
  return prisma().upgradeAttempt.create({
    data: {
      projectId,
      branchId,
      kind: "REHEARSAL",
      status: "RUNNING",
      workerId: "dead-worker",
      startedAt: new Date(),
      ...data,
    },
  });
}

afterAll(async () => {
  await prisma?.().$disconnect();
  await env?.db.drop();
});

describe("an interrupted upgrade attempt found twice", () => {
  it("is left alone by the finder that comes second and ended by the one that took it up", async () => {
    const { recoverInterruptedAttempt, INTERRUPTED_UPGRADE } = await import(
      "../../../apps/worker/src/upgrades/interrupted"
    );
    const { DockerRuntime } = await import("@gantry/runtime");
    const projectId = await createProject(env);
    const branch = await prisma().branch.create({ data: { projectId, name: "staging", stage: "STAGING" } });
    const attempt = await deadRehearsal(projectId, branch.id, { fromSeries: "16.0", toSeries: "17.0" });
    const { upgradeDir } = await import("@gantry/core");
    await mkdir(upgradeDir(attempt.id), { recursive: true });
    const services = { db: prisma, runtime: new DockerRuntime() };
    // The job handed out again takes the attempt up first...
    await prisma().upgradeAttempt.update({ where: { id: attempt.id }, data: { workerId: "job-worker" } });
    // ...so a starting worker that saw it on the dead worker must not put it back as well.
    expect(
      await recoverInterruptedAttempt(services, attempt.id, {
        from: "dead-worker",
        workerId: "starting-worker",
      }),
    ).toBe(false);
    const untouched = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect({ status: untouched.status, workerId: untouched.workerId, steps: untouched.steps }).toEqual({
      status: "RUNNING",
      workerId: "job-worker",
      steps: [],
    });
    // The one holding it (here as if it had died too) is ended by whoever takes it up from it.
    expect(
      await recoverInterruptedAttempt(services, attempt.id, {
        from: "job-worker",
        workerId: "starting-worker",
      }),
    ).toBe(true);
    const ended = await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(ended.status).toBe("FAILED");
    expect(ended.error).toContain(INTERRUPTED_UPGRADE);
    expect(ended.workerId).toBe("starting-worker");
  });
});

describe("an interrupted rehearsal", () => {
  it("is ended with its code checkout removed, its log kept", async () => {
    const { recoverInterruptedAttempt } = await import("../../../apps/worker/src/upgrades/interrupted");
    const { DockerRuntime } = await import("@gantry/runtime");
    const { upgradeDir, upgradeLogFile } = await import("@gantry/core");
    const projectId = await createProject(env, "-checkout");
    const branch = await prisma().branch.create({ data: { projectId, name: "staging", stage: "STAGING" } });
    const attempt = await deadRehearsal(projectId, branch.id, {
      fromSeries: "17.0",
      toSeries: "18.0",
      steps: [
        { name: "restore", status: "done" },
        { name: "update", status: "running" },
      ],
    });
    // As the dead worker left it: the checkout of the branch's code, and the log so far.
    const src = join(upgradeDir(attempt.id), "src");
    await mkdir(join(src, "acme_legacy"), { recursive: true });
    await writeFile(join(src, "acme_legacy", "__manifest__.py"), "{'name': 'Legacy'}\n");
    await writeFile(upgradeLogFile(attempt.id), "restoring backup\n");

    const ended = await recoverInterruptedAttempt({ db: prisma, runtime: new DockerRuntime() }, attempt.id, {
      from: "dead-worker",
      workerId: "starting-worker",
    });
    expect(ended).toBe(true);
    expect((await prisma().upgradeAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe(
      "FAILED",
    );
    expect(existsSync(src), "the attempt's code checkout").toBe(false);
    expect(existsSync(upgradeLogFile(attempt.id))).toBe(true);
  });
});
